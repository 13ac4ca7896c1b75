// What a cycle sends, in order: action logs in pages of 100, the installation structure, then the
// workload rows of finished days in pages of 10. Pages are keyset (after the last id of the page
// before), read one at a time, so rows marked sent meanwhile neither shift nor repeat a page, and
// each request carries only its own rows (fuel-stats' sender re-sent every earlier OSWL page). A
// cycle sends the rows that existed when it started; rows appended meanwhile wait for the next.
import {
  type ActionLog,
  ActionLogsRequestSchema,
  InstallationStructureRequestSchema,
  type Oswl,
  OswlStatsRequestSchema,
} from "../../schemas/collector";
import { API_PATHS } from "./client";
import type { Outbox } from "./outbox";
import { userInformation } from "./sanitize";

export const ACTION_LOGS_PER_REQUEST = 100;
export const OSWL_PER_REQUEST = 10;

export interface RowRef {
  id: number;
  version: number;
}

export type PlannedRequest =
  | { kind: "action_logs"; path: string; body: { action_logs: ActionLog[] }; rows: RowRef[] }
  | { kind: "installation_structure"; path: string; body: { installation_structure: Record<string, unknown> }; version: number }
  | { kind: "oswl_stats"; path: string; body: { oswl_stats: Oswl[] }; rows: RowRef[] };

export interface PlanSettings {
  masterNodeUid: string;
  shareContactDetails: boolean;
  contact: { name?: string; email?: string; company?: string };
  oswlCollectPeriodDays: number;
}

/** The last UTC day whose workload rows are complete: today minus the collect period. */
export function lastFinishedDay(now: Date, collectPeriodDays: number): string {
  return new Date(now.getTime() - collectPeriodDays * 86_400_000).toISOString().slice(0, 10);
}

export function* planCycle(outbox: Outbox, settings: PlanSettings, now: Date): Generator<PlannedRequest> {
  const uid = settings.masterNodeUid;
  const last = outbox.lastIds();
  for (let after = 0; ; ) {
    const rows = outbox.pendingActionLogs(after, ACTION_LOGS_PER_REQUEST, last.actionLogs);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const body = ActionLogsRequestSchema.parse({
      action_logs: rows.map((r) => ({ master_node_uid: uid, external_id: r.id, body: { ...r.data, id: r.id } })),
    });
    yield { kind: "action_logs", path: API_PATHS.action_logs, body, rows: rows.map(({ id, version }) => ({ id, version })) };
  }
  const structure = outbox.structure();
  if (structure) {
    const body = InstallationStructureRequestSchema.parse({
      installation_structure: {
        master_node_uid: uid,
        ...structure.data,
        user_information: userInformation(settings.shareContactDetails, settings.contact),
      },
    });
    yield { kind: "installation_structure", path: API_PATHS.installation_structure, body, version: structure.version };
  }
  const lastDay = lastFinishedDay(now, settings.oswlCollectPeriodDays);
  for (let after = 0; ; ) {
    const rows = outbox.pendingOswl(after, OSWL_PER_REQUEST, lastDay, last.oswl);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const body = OswlStatsRequestSchema.parse({ oswl_stats: rows.map((r) => ({ master_node_uid: uid, id: r.id, ...r.data })) });
    yield { kind: "oswl_stats", path: API_PATHS.oswl_stats, body, rows: rows.map(({ id, version }) => ({ id, version })) };
  }
}
