// Retention of raw rows: each hourly run deletes the action logs and OSWL rows older than
// RETENTION_DAYS, a bounded chunk per statement and a bounded number of statements per run; the
// next run goes on with what is left. Off by default: everything is kept, as fuel-stats kept it.
// The action logs a run may delete end at a boundary id found once at its start: logs stored
// later get higher ids, and one stored out of order above it waits for a later run.
import { type RetentionConfig, retentionConfig } from "../config";
import { type DeletedChunk, deleteActionLogsBefore, deleteOswlStatsBefore, findActionLogBoundary } from "../db/retention";
import { keptFrom, RETAINED_TABLES, type RetainedTable } from "../domain/retention";
import type { CronJob } from "./dispatcher";

export const RAW_RETENTION = "raw-retention";

/** What a run did: recorded in job_runs. */
export interface RetentionRun {
  retentionDays: number | null;
  /** The first day kept (UTC); null when retention is off. */
  keptFrom: string | null;
  /** The greatest id of an action log this run could delete; null when off or there was no log. */
  actionLogsThroughId: number | null;
  /** DELETE statements made, and the rows each removed, in order. */
  statements: { table: RetainedTable; deleted: number }[];
  deleted: Record<RetainedTable, number>;
  rowsWritten: number;
  /** off: retention is off; done: no row older than keptFrom is left; budget: the next run goes on. */
  stopped: "off" | "done" | "budget";
}

/**
 * One run at `now`. The tables take turns, one statement each, so a backlog of one does not hold
 * back the other; a table is done for the run once a statement deletes fewer rows than it may.
 * Every statement commits on its own: a run cut off anywhere has lost nothing the next would need.
 */
export async function runRawRetention(db: D1Database, config: RetentionConfig, now: number): Promise<RetentionRun> {
  const from = keptFrom(config.days, now);
  const run: RetentionRun = {
    retentionDays: config.days,
    keptFrom: from,
    actionLogsThroughId: null,
    statements: [],
    deleted: { action_logs: 0, oswl_stats: 0 },
    rowsWritten: 0,
    stopped: "off",
  };
  if (from === null) return run;
  const beforeMs = Date.parse(`${from}T00:00:00Z`);
  const throughId = await findActionLogBoundary(db, beforeMs);
  run.actionLogsThroughId = throughId;
  const deleteFrom: Record<RetainedTable, () => Promise<DeletedChunk>> = {
    action_logs: () => deleteActionLogsBefore(db, throughId!, beforeMs, config.rowsPerStatement),
    oswl_stats: () => deleteOswlStatsBefore(db, from, config.rowsPerStatement),
  };
  // An empty action_logs table needs no statement.
  const pending: RetainedTable[] = RETAINED_TABLES.filter((t) => t !== "action_logs" || throughId !== null);
  let turn = 0;
  while (pending.length > 0) {
    if (run.statements.length >= config.statementsPerRun) {
      run.stopped = "budget";
      return run;
    }
    const table = pending[turn % pending.length]!;
    const chunk = await deleteFrom[table]();
    run.statements.push({ table, deleted: chunk.deleted });
    run.deleted[table] += chunk.deleted;
    run.rowsWritten += chunk.rowsWritten;
    if (chunk.deleted < config.rowsPerStatement) pending.splice(turn % pending.length, 1);
    else turn++;
  }
  run.stopped = "done";
  return run;
}

export const rawRetentionJob: CronJob = {
  name: RAW_RETENTION,
  run: async (env, scheduledTime) => ({ ...(await runRawRetention(env.COLLECTOR_DB, retentionConfig(env), scheduledTime)) }),
};
