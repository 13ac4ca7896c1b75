// What the next cycle would send, shown (preview) or carried on foot (export → upload → receipt).
// An air-gapped site exports its pending reports as one bundle; another machine uploads it with
// the same requests, statuses and identity rules as a cycle, and writes a receipt; the receipt,
// brought back, marks the outbox exactly as a direct send would have.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { ActionLogsResponseSchema, OkResponseSchema, OswlStatsResponseSchema } from "../../schemas/collector";
import { API_PATHS, type CollectorClient, CollectorError } from "./client";
import type { AgentConfig } from "./config";
import { decideConsent } from "./consent";
import { confirmedActionLogs, confirmedOswl, outboxTokens, planSettings } from "./cycle";
import { IdentityError, type TokenStore, sendWrite } from "./identity";
import type { Outbox, StoredToken } from "./outbox";
import { type PlannedRequest, planCycle } from "./plan";

export interface Preview {
  collector: string;
  master_node_uid: string;
  sending: boolean;
  reason?: string;
  /** Whether a token would be presented; the token itself is never printed. */
  installation_token: "none" | "issued, binds with the next write" | "bound";
  requests: { method: "GET" | "POST"; url: string; body?: unknown }[];
}

function tokenState(token: StoredToken | null): Preview["installation_token"] {
  return token === null ? "none" : token.bound ? "bound" : "issued, binds with the next write";
}

/** Exactly the requests the next cycle would make, in order; reads the outbox, sends nothing. */
export function previewCycle(outbox: Outbox, config: AgentConfig, env: Readonly<Record<string, string | undefined>>, now = new Date()): Preview {
  const consent = decideConsent(config, env);
  const settings = planSettings(outbox, config);
  const origin = config.collector.replace(/\/+$/, "");
  const requests: Preview["requests"] = [{ method: "GET", url: `${origin}${API_PATHS.ping}` }];
  for (const request of planCycle(outbox, settings, now)) requests.push({ method: "POST", url: `${origin}${request.path}`, body: request.body });
  return {
    collector: origin,
    master_node_uid: settings.masterNodeUid,
    sending: consent.send,
    ...(consent.send ? {} : { reason: consent.reason }),
    installation_token: tokenState(outbox.token()),
    requests,
  };
}

const RowRefSchema = z.object({ id: z.int(), version: z.int() });
const TokenSchema = z.object({ value: z.string(), bound: z.boolean() }).nullable();

const BundleRequestSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("action_logs"), path: z.string(), body: z.object({ action_logs: z.array(z.any()) }), rows: z.array(RowRefSchema) }),
  z.object({ kind: z.literal("installation_structure"), path: z.string(), body: z.object({ installation_structure: z.record(z.string(), z.unknown()) }), version: z.int() }),
  z.object({ kind: z.literal("oswl_stats"), path: z.string(), body: z.object({ oswl_stats: z.array(z.any()) }), rows: z.array(RowRefSchema) }),
]);

export const BundleSchema = z.object({
  format: z.literal("edgestats-agent-bundle"),
  version: z.literal(1),
  created_at: z.string(),
  master_node_uid: z.string(),
  /** The installation's token, so that the upload proves the same identity: keep the file secret. */
  installation_token: TokenSchema,
  requests: z.array(BundleRequestSchema),
});
export type Bundle = z.infer<typeof BundleSchema>;

const ResultSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("action_logs"),
    rows: z.array(RowRefSchema),
    statuses: z.array(z.object({ master_node_uid: z.string(), external_id: z.int(), status: z.enum(["added", "existed", "skipped", "failed"]) })),
  }),
  z.object({ kind: z.literal("installation_structure"), version: z.int(), stored: z.literal(true) }),
  z.object({
    kind: z.literal("oswl_stats"),
    rows: z.array(RowRefSchema),
    statuses: z.array(z.object({ master_node_uid: z.string(), id: z.int(), status: z.enum(["added", "updated", "failed"]) })),
  }),
  z.object({ kind: z.literal("rejected"), request: z.int(), message: z.string() }),
]);

export const ReceiptSchema = z.object({
  format: z.literal("edgestats-agent-receipt"),
  version: z.literal(1),
  bundle_created_at: z.string(),
  master_node_uid: z.string(),
  installation_token: TokenSchema,
  /** False when the upload stopped early (collector down, identity refused): upload again later. */
  complete: z.boolean(),
  error: z.string().optional(),
  results: z.array(ResultSchema),
});
export type Receipt = z.infer<typeof ReceiptSchema>;

function writeSecretJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

function readJson<S extends z.ZodType>(file: string, schema: S, what: string): z.output<S> {
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file} is not ${what}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** Builds the bundle of everything pending (the same requests a cycle would send now). */
export function buildBundle(outbox: Outbox, config: AgentConfig, now = new Date()): Bundle {
  const settings = planSettings(outbox, config);
  const requests = [...planCycle(outbox, settings, now)].map((r: PlannedRequest) => r as Bundle["requests"][number]);
  return {
    format: "edgestats-agent-bundle",
    version: 1,
    created_at: now.toISOString(),
    master_node_uid: settings.masterNodeUid,
    installation_token: outbox.token(),
    requests,
  };
}

export function exportBundle(outbox: Outbox, config: AgentConfig, env: Readonly<Record<string, string | undefined>>, file: string): Bundle {
  const consent = decideConsent(config, env);
  if (!consent.send) throw new Error(`nothing exported: ${consent.reason}`);
  const bundle = buildBundle(outbox, config);
  writeSecretJson(file, bundle);
  return bundle;
}

export function readBundle(file: string): Bundle {
  return readJson(file, BundleSchema, "an edgestats-agent bundle");
}

/** Sends a bundle's requests in order, as a cycle would, and returns the receipt. */
export async function uploadBundle(bundle: Bundle, client: CollectorClient, env: Readonly<Record<string, string | undefined>>): Promise<Receipt> {
  const consent = decideConsent({ sendStatistics: true }, env);
  if (!consent.send) throw new Error(`nothing uploaded: ${consent.reason}`);
  let token = bundle.installation_token;
  const tokens: TokenStore = { get: () => token, set: (t) => (token = t) };
  const uid = bundle.master_node_uid;
  const receipt: Receipt = {
    format: "edgestats-agent-receipt",
    version: 1,
    bundle_created_at: bundle.created_at,
    master_node_uid: uid,
    installation_token: token,
    complete: false,
    results: [],
  };
  try {
    await client.ping(uid);
    for (const [index, request] of bundle.requests.entries()) {
      try {
        if (request.kind === "action_logs") {
          const answer = await sendWrite(client, tokens, uid, API_PATHS.action_logs, request.body, ActionLogsResponseSchema);
          receipt.results.push({ kind: "action_logs", rows: request.rows, statuses: answer.action_logs });
        } else if (request.kind === "installation_structure") {
          await sendWrite(client, tokens, uid, API_PATHS.installation_structure, request.body, OkResponseSchema);
          receipt.results.push({ kind: "installation_structure", version: request.version, stored: true });
        } else {
          const answer = await sendWrite(client, tokens, uid, API_PATHS.oswl_stats, request.body, OswlStatsResponseSchema);
          receipt.results.push({ kind: "oswl_stats", rows: request.rows, statuses: answer.oswl_stats });
        }
      } catch (error) {
        if (!(error instanceof CollectorError && error.kind === "http" && (error.status === 400 || error.status === 413))) throw error;
        receipt.results.push({ kind: "rejected", request: index, message: error.message });
      }
    }
    receipt.complete = true;
  } catch (error) {
    if (!(error instanceof IdentityError || error instanceof CollectorError)) throw error;
    receipt.error = error.message;
  }
  receipt.installation_token = token;
  return receipt;
}

export function writeReceipt(file: string, receipt: Receipt): void {
  writeSecretJson(file, receipt);
}

export function readReceipt(file: string): Receipt {
  return readJson(file, ReceiptSchema, "an edgestats-agent receipt");
}

export interface ReceiptApplied {
  actionLogs: number;
  oswl: number;
  structure: boolean;
}

/** Marks the outbox by a receipt's statuses, as a direct send would have, and keeps its token. */
export function applyReceipt(outbox: Outbox, config: AgentConfig, receipt: Receipt): ReceiptApplied {
  const uid = outbox.masterNodeUid(config.masterNodeUid);
  if (receipt.master_node_uid !== uid) {
    throw new Error(`the receipt is for master_node_uid ${receipt.master_node_uid}, this outbox is ${uid}`);
  }
  const applied: ReceiptApplied = { actionLogs: 0, oswl: 0, structure: false };
  for (const result of receipt.results) {
    if (result.kind === "action_logs") applied.actionLogs += outbox.markActionLogsSent(confirmedActionLogs(result.rows, result.statuses, uid).confirmed);
    else if (result.kind === "oswl_stats") applied.oswl += outbox.markOswlSent(confirmedOswl(result.rows, result.statuses, uid).confirmed);
    else if (result.kind === "installation_structure") {
      outbox.markStructureSent(result.version);
      applied.structure = true;
    }
  }
  if (receipt.installation_token) outboxTokens(outbox).set(receipt.installation_token);
  return applied;
}
