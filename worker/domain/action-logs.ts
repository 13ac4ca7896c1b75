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

export interface ActionLogPlan {
  /** Decided without touching the database. */
  decided: Map<number, Extract<ActionLogStatus, "existed" | "skipped">>;
  /** To insert; each becomes `added`, `existed` or `failed` once the insert settles. */
  toStore: ActionLog[];
}

/** Decides, for one installation's unique logs, which are known, which wait, and which to store. */
export function planActionLogs(logs: readonly ActionLog[], storedIds: ReadonlySet<number>): ActionLogPlan {
  const decided: ActionLogPlan["decided"] = new Map();
  const toStore: ActionLog[] = [];
  for (const log of logs) {
    if (storedIds.has(log.external_id)) decided.set(log.external_id, "existed");
    else if (isUnfinishedTask(log)) decided.set(log.external_id, "skipped");
    else toStore.push(log);
  }
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
  for (const { external_id } of plan.toStore) {
    statuses.set(external_id, inserted === "failed" ? "failed" : inserted.has(external_id) ? "added" : "existed");
  }
  return statuses;
}
