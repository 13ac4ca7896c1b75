// One cycle: consent, ping, then every planned request in order, marking rows sent by the
// collector's status for each record. A cycle that cannot finish stops where it is; what was not
// confirmed stays pending for the next one, so nothing is lost and nothing is marked twice.
import {
  type ActionLogStatus,
  ActionLogsResponseSchema,
  OkResponseSchema,
  type OswlStatus,
  OswlStatsResponseSchema,
} from "../../schemas/collector";
import { type CollectorClient, CollectorError } from "./client";
import type { AgentConfig } from "./config";
import { decideConsent } from "./consent";
import { IdentityError, type TokenStore, sendWrite } from "./identity";
import type { Logger } from "./log";
import type { Outbox } from "./outbox";
import { type PlanSettings, type RowRef, planCycle } from "./plan";

export type CycleOutcome = "sent" | "not-allowed" | "collector-down" | "identity";

export interface CycleReport {
  outcome: CycleOutcome;
  message?: string;
  retryAfterSeconds?: number;
  requests: number;
  /** Requests the collector refused as invalid (400, 413): their rows stay pending, the cycle goes on. */
  rejected: number;
  actionLogs: { sent: number; skipped: number; failed: number };
  structure: "sent" | "none" | "not-sent";
  oswl: { sent: number; failed: number };
}

export interface CycleDeps {
  outbox: Outbox;
  config: AgentConfig;
  client: CollectorClient;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  now?: () => Date;
}

export function planSettings(outbox: Outbox, config: AgentConfig): PlanSettings {
  return {
    masterNodeUid: outbox.masterNodeUid(config.masterNodeUid),
    shareContactDetails: config.shareContactDetails,
    contact: config.contact,
    oswlCollectPeriodDays: config.oswlCollectPeriodDays,
  };
}

export function outboxTokens(outbox: Outbox): TokenStore {
  return { get: () => outbox.token(), set: (token) => outbox.setToken(token) };
}

/** Rows whose action log the collector stored (`added`) or already had (`existed`). */
export function confirmedActionLogs(
  rows: readonly RowRef[],
  statuses: readonly { master_node_uid: string; external_id: number; status: ActionLogStatus }[],
  uid: string,
): { confirmed: RowRef[]; skipped: number; failed: number } {
  const byId = new Map(statuses.filter((s) => s.master_node_uid === uid).map((s) => [s.external_id, s.status]));
  const confirmed = rows.filter((r) => byId.get(r.id) === "added" || byId.get(r.id) === "existed");
  const skipped = rows.filter((r) => byId.get(r.id) === "skipped").length;
  return { confirmed, skipped, failed: rows.length - confirmed.length - skipped };
}

/** Rows whose workload row the collector stored: any status but `failed` (and not missing). */
export function confirmedOswl(
  rows: readonly RowRef[],
  statuses: readonly { master_node_uid: string; id: number; status: OswlStatus }[],
  uid: string,
): { confirmed: RowRef[]; failed: number } {
  const byId = new Map(statuses.filter((s) => s.master_node_uid === uid).map((s) => [s.id, s.status]));
  const confirmed = rows.filter((r) => byId.has(r.id) && byId.get(r.id) !== "failed");
  return { confirmed, failed: rows.length - confirmed.length };
}

function emptyReport(outcome: CycleOutcome, message?: string): CycleReport {
  return {
    outcome,
    ...(message ? { message } : {}),
    requests: 0,
    rejected: 0,
    actionLogs: { sent: 0, skipped: 0, failed: 0 },
    structure: "none",
    oswl: { sent: 0, failed: 0 },
  };
}

export async function runCycle(deps: CycleDeps): Promise<CycleReport> {
  const { outbox, config, client, log } = deps;
  const consent = decideConsent(config, deps.env);
  if (!consent.send) return emptyReport("not-allowed", consent.reason);

  const settings = planSettings(outbox, config);
  const uid = settings.masterNodeUid;
  const tokens = outboxTokens(outbox);
  const report = emptyReport("sent");
  try {
    await client.ping(uid);
    for (const request of planCycle(outbox, settings, deps.now?.() ?? new Date())) {
      report.requests++;
      try {
        if (request.kind === "action_logs") {
          const answer = await sendWrite(client, tokens, uid, request.path, request.body, ActionLogsResponseSchema);
          const result = confirmedActionLogs(request.rows, answer.action_logs, uid);
          report.actionLogs.sent += outbox.markActionLogsSent(result.confirmed);
          report.actionLogs.skipped += result.skipped;
          report.actionLogs.failed += result.failed;
        } else if (request.kind === "installation_structure") {
          report.structure = "not-sent";
          await sendWrite(client, tokens, uid, request.path, request.body, OkResponseSchema);
          outbox.markStructureSent(request.version);
          report.structure = "sent";
        } else {
          const answer = await sendWrite(client, tokens, uid, request.path, request.body, OswlStatsResponseSchema);
          const result = confirmedOswl(request.rows, answer.oswl_stats, uid);
          report.oswl.sent += outbox.markOswlSent(result.confirmed);
          report.oswl.failed += result.failed;
        }
      } catch (error) {
        // A request the collector finds invalid would fail the same way every cycle: log it, keep
        // its rows pending, and let the rest through rather than block everything behind it.
        if (!(error instanceof CollectorError && error.kind === "http" && (error.status === 400 || error.status === 413))) throw error;
        report.rejected++;
        log.error(`the collector refused a request as invalid: ${error.message}`, { kind: request.kind });
      }
    }
  } catch (error) {
    if (error instanceof IdentityError) {
      log.error(error.message, { master_node_uid: uid });
      return { ...report, outcome: "identity", message: error.message };
    }
    if (error instanceof CollectorError) {
      log.warn(`collector unavailable: ${error.message}; pending rows stay in the outbox`, { kind: error.kind });
      return {
        ...report,
        outcome: "collector-down",
        message: error.message,
        ...(error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      };
    }
    throw error;
  }
  log.info("cycle done", { requests: report.requests, action_logs: report.actionLogs, structure: report.structure, oswl: report.oswl });
  return report;
}
