import type { ActionLog, ActionLogStatus } from "../../schemas/collector";
import { collapseToLast } from "./batch";

export const actionLogKey = (log: Pick<ActionLog, "master_node_uid" | "external_id">) =>
  `${log.master_node_uid}\u0000${log.external_id}`;

/** One log per (master_node_uid, external_id), the last of each, in first-seen order. */
export const uniqueActionLogs = (logs: readonly ActionLog[]) => collapseToLast(logs, actionLogKey);

/** A nailgun task without an end is still running: the sender re-sends it when it finishes. */
export function isUnfinishedTask(log: ActionLog): boolean {
  return log.body.action_type === "nailgun_task" && !log.body.end_timestamp;
}

/**
 * A batch as the installation's object gets it: the logs' ids, and each log's row as the insert
 * reads it (see actionLogRow), or null for a task still running, which is never stored. Strings
 * cross to the object for a fraction of what the records they are made from cost to copy, and
 * go on to D1 as they are.
 */
export interface ActionLogBatch {
  ids: number[];
  rows: (string | null)[];
}

/** A log as one element of the insert's JSON array: `[external_id, action_type, action_name, body]`. */
export const actionLogRow = (log: ActionLog): string =>
  JSON.stringify([log.external_id, log.body.action_type, log.body.action_name, log.body]);

/** The batch of one installation's unique logs, in their order. */
export function toActionLogBatch(logs: readonly ActionLog[]): ActionLogBatch {
  return { ids: logs.map((log) => log.external_id), rows: logs.map((log) => (isUnfinishedTask(log) ? null : actionLogRow(log))) };
}

export interface ActionLogPlan {
  /** Decided without touching the database. */
  decided: Map<number, Extract<ActionLogStatus, "existed" | "skipped">>;
  /** To insert; each becomes `added`, `existed` or `failed` once the insert settles. */
  toStore: { ids: number[]; rows: string[] };
}

/** Decides, for one installation's unique logs, which are known, which wait, and which to store. */
export function planActionLogs(batch: ActionLogBatch, storedIds: ReadonlySet<number>): ActionLogPlan {
  const decided: ActionLogPlan["decided"] = new Map();
  const toStore: ActionLogPlan["toStore"] = { ids: [], rows: [] };
  batch.ids.forEach((id, i) => {
    const row = batch.rows[i] ?? null;
    if (storedIds.has(id)) decided.set(id, "existed");
    else if (row === null) decided.set(id, "skipped");
    else {
      toStore.ids.push(id);
      toStore.rows.push(row);
    }
  });
  return { decided, toStore };
}

/**
 * The final status of every planned log. `inserted` is the set of ids the database reported new,
 * or "failed" when the insert threw. A row the database already had is `existed`.
 */
export function settleActionLogs(
  plan: ActionLogPlan,
  inserted: ReadonlySet<number> | "failed",
): Map<number, ActionLogStatus> {
  const statuses = new Map<number, ActionLogStatus>(plan.decided);
  for (const id of plan.toStore.ids) {
    statuses.set(id, inserted === "failed" ? "failed" : inserted.has(id) ? "added" : "existed");
  }
  return statuses;
}
