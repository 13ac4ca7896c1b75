// The installations roll-up: collector rows changed since the cursor become report counts,
// version adoption and upgrade transitions in ANALYTIC_DB, a bounded chunk at a time.
import { FilteringRulesSchema } from "../../schemas/filtering";
import { type RollupConfig, rollupConfig } from "../config";
import { findFilteringRules } from "../db/analytic";
import {
  commitChunk,
  CursorMovedError,
  deleteRolledUpDeletions,
  type RollupCursor,
  readChangedInstallations,
  readCursor,
  readPendingDeletions,
  readSummaries,
  updateCollectorClassification,
} from "../db/rollup";
import { type IndexedRules, indexFilteringRules, isFiltered, rulesEpoch } from "../domain/filtering";
import {
  accumulate,
  adoptionContribution,
  COUNTING_VERSION,
  type Counts,
  difference,
  type InstallationSummary,
  reportContribution,
} from "../domain/rollup";
import type { CronJob } from "./dispatcher";

export const INSTALLATIONS_ROLLUP = "installations-rollup";

/** What a run did: recorded in job_runs and returned to an admin's refresh. */
export interface RollupRun {
  chunks: number;
  installations: number;
  /** Deleted installations (docs/privacy.md) taken out of the reports. */
  removed: number;
  /** D1's rows_read and rows_written over both databases. */
  rowsRead: number;
  rowsWritten: number;
  /** Installations whose stored is_filtered the run corrected. */
  reclassified: number;
  /** The rules changed (or one of their dates passed): this run started over from the first row. */
  fullPass: boolean;
  /** done: nothing left; budget: stopped to fit the time budget, the next run goes on;
   * raced: another run committed first, it goes on. */
  stopped: "done" | "budget" | "raced";
  /** Where the run started reading: its cursor less the overlap (or the first row). */
  from: { cursorAt: number; cursorId: number };
  cursor: Omit<RollupCursor, "rulesEpoch"> & { rulesEpoch: string };
  ms: number;
}

export interface RollupOptions extends RollupConfig {
  now?: () => number;
  /** Stop after this many chunks (tests use it to cut a run short). */
  maxChunks?: number;
}

/** The epoch of the rules in force and of the counting: when it changes, a run starts over. */
async function loadRules(db: D1Database, now: number): Promise<{ rules: IndexedRules; epoch: string }> {
  const stored = await findFilteringRules(db);
  const parsed = FilteringRulesSchema.safeParse(stored?.rules ?? {});
  if (!parsed.success) console.error("stored filtering rules are invalid; filtering nothing", parsed.error.issues[0]);
  const rules = indexFilteringRules(parsed.success ? parsed.data : {});
  return { rules, epoch: `${rulesEpoch(rules, stored?.updatedAt ?? null, now)}/c${COUNTING_VERSION}` };
}

/**
 * Rolls up installations changed since the cursor, chunk by chunk, until none are left or the
 * time budget is spent. Each chunk commits on its own, so a run cut off anywhere loses nothing
 * and the next run continues from the last committed chunk.
 *
 * A row's updated_at is taken just before its write commits, so a slow write can commit behind a
 * cursor that has already passed its time. Each run therefore starts `overlapMs` behind the
 * cursor: rows read twice change nothing (their summaries are unchanged), and a late one is
 * counted by the next run.
 */
export async function runInstallationsRollup(env: Env, options: RollupOptions): Promise<RollupRun> {
  const clock = options.now ?? Date.now;
  const started = clock();
  const { rules, epoch } = await loadRules(env.ANALYTIC_DB, started);
  const stored = await readCursor(env.ANALYTIC_DB, INSTALLATIONS_ROLLUP);
  let cursor: RollupCursor = stored ?? { version: 0, cursorAt: -1, cursorId: 0, rulesEpoch: "" };
  const fullPass = cursor.rulesEpoch !== epoch;
  // A new classification: every installation is counted again, from the first row.
  let position = fullPass
    ? { cursorAt: -1, cursorId: 0 }
    : options.overlapMs > 0
      ? { cursorAt: cursor.cursorAt - options.overlapMs, cursorId: 0 }
      : { cursorAt: cursor.cursorAt, cursorId: cursor.cursorId };
  const from = position;
  const run: RollupRun = {
    chunks: 0,
    installations: 0,
    removed: 0,
    rowsRead: 0,
    rowsWritten: 0,
    reclassified: 0,
    fullPass,
    stopped: "done",
    from,
    cursor,
    ms: 0,
  };

  const outOfBudget = () => run.chunks >= (options.maxChunks ?? Number.POSITIVE_INFINITY) || clock() - started >= options.budgetMs;

  // Deleted installations first: each chunk subtracts what was last counted for them.
  for (;;) {
    if (outOfBudget()) {
      run.stopped = "budget";
      break;
    }
    const chunk = await removeDeletedInstallations(env, cursor, options.chunkSize, clock());
    run.rowsRead += chunk.rowsRead;
    run.rowsWritten += chunk.rowsWritten;
    if (chunk.stopped === "raced") run.stopped = "raced";
    if (chunk.stopped !== "done" || chunk.deletions === 0) break;
    cursor = chunk.cursor;
    run.chunks++;
    run.removed += chunk.removed;
    if (chunk.deletions < options.chunkSize) break;
  }

  while (run.stopped === "done") {
    if (outOfBudget()) {
      run.stopped = "budget";
      break;
    }
    const changed = await readChangedInstallations(env.COLLECTOR_DB, position, options.chunkSize);
    run.rowsRead += changed.rowsRead;
    const rows = changed.value;
    // An empty chunk still commits once when the classification changed, to record the new epoch.
    if (rows.length === 0 && !(fullPass && cursor.rulesEpoch !== epoch)) break;

    const previous = await readSummaries(env.ANALYTIC_DB, rows.map((r) => r.uid));
    run.rowsRead += previous.rowsRead;
    const report: Counts = new Map();
    const adoption: Counts = new Map();
    const transitions: Counts = new Map();
    const now = clock();
    const installations = rows.map((row) => {
      const filtered = isFiltered(row.build, rules, now);
      const summary: InstallationSummary = {
        release: row.release,
        clustersNum: row.clustersNum,
        clusters: row.clusters,
        counted: !filtered && row.trust !== "quarantined",
        history: row.history,
        counting: COUNTING_VERSION,
      };
      const before = previous.value.get(row.uid)?.summary ?? null;
      accumulate(report, difference(reportContribution(before), reportContribution(summary)));
      const [was, is] = [adoptionContribution(before), adoptionContribution(summary)];
      accumulate(adoption, difference(was.days, is.days));
      accumulate(transitions, difference(was.transitions, is.transitions));
      return { uid: row.uid, summary, isFiltered: filtered, trust: row.trust, sourceUpdatedAt: row.updatedAt, sourceId: row.id };
    });
    const last = rows.at(-1);
    const reached = last ? { cursorAt: last.updatedAt, cursorId: last.id } : position;
    const ahead = reached.cursorAt > cursor.cursorAt || (reached.cursorAt === cursor.cursorAt && reached.cursorId > cursor.cursorId);
    // A full pass takes the cursor along from the first row; otherwise the cursor never moves
    // back, even when a chunk only read the overlap again.
    const to = { ...(fullPass || ahead ? reached : { cursorAt: cursor.cursorAt, cursorId: cursor.cursorId }), rulesEpoch: epoch };
    try {
      const committed = await commitChunk(env.ANALYTIC_DB, {
        job: INSTALLATIONS_ROLLUP,
        from: cursor,
        to,
        installations,
        report,
        adoption,
        transitions,
        now,
      });
      run.rowsRead += committed.rowsRead;
      run.rowsWritten += committed.rowsWritten;
    } catch (error) {
      if (!(error instanceof CursorMovedError)) throw error;
      run.stopped = "raced";
      break;
    }
    cursor = { version: cursor.version + 1, ...to };
    position = reached;
    run.chunks++;
    run.installations += rows.length;
    // The collector's own is_filtered follows, for the raw exports (after the commit: idempotent).
    const corrections = installations
      .filter((installation, i) => rows[i]!.storedIsFiltered !== installation.isFiltered)
      .map((installation) => ({ uid: installation.uid, updatedAt: installation.sourceUpdatedAt, isFiltered: installation.isFiltered }));
    const written = await updateCollectorClassification(env.COLLECTOR_DB, corrections);
    run.reclassified += written.changed;
    run.rowsWritten += written.rowsWritten;
    if (rows.length < options.chunkSize) break;
  }
  run.cursor = cursor;
  run.ms = clock() - started;
  return run;
}

/**
 * One chunk of deleted installations (installation_deletions, written with each deletion): their
 * last summaries' contribution is subtracted and the summaries dropped, in one commit that claims
 * the next cursor version like any chunk (the cursor's position and epoch stay), then the
 * deletions are forgotten. A summary made from a later first contact of the same uid (a larger
 * source id) is left alone: it replaced the deleted one's contribution when it was counted.
 * Running a deletion twice (the forget after the commit failed) finds no summary, or a later
 * one, and changes nothing.
 */
async function removeDeletedInstallations(
  env: Env,
  cursor: RollupCursor,
  limit: number,
  now: number,
): Promise<{ stopped: "done" | "raced"; deletions: number; removed: number; cursor: RollupCursor; rowsRead: number; rowsWritten: number }> {
  const pending = await readPendingDeletions(env.COLLECTOR_DB, limit);
  const result = {
    stopped: "done" as "done" | "raced",
    deletions: pending.value.length,
    removed: 0,
    cursor,
    rowsRead: pending.rowsRead,
    rowsWritten: 0,
  };
  if (pending.value.length === 0) return result;
  const counted = await readSummaries(env.ANALYTIC_DB, pending.value.map((d) => d.uid));
  result.rowsRead += counted.rowsRead;
  const report: Counts = new Map();
  const adoption: Counts = new Map();
  const transitions: Counts = new Map();
  const removed = new Set<string>();
  for (const deletion of pending.value) {
    const last = counted.value.get(deletion.uid);
    if (!last || removed.has(deletion.uid) || (last.sourceId !== null && last.sourceId > deletion.structureId)) continue;
    accumulate(report, difference(reportContribution(last.summary), reportContribution(null)));
    const [was, none] = [adoptionContribution(last.summary), adoptionContribution(null)];
    accumulate(adoption, difference(was.days, none.days));
    accumulate(transitions, difference(was.transitions, none.transitions));
    removed.add(deletion.uid);
  }
  const to = { cursorAt: cursor.cursorAt, cursorId: cursor.cursorId, rulesEpoch: cursor.rulesEpoch };
  try {
    const committed = await commitChunk(env.ANALYTIC_DB, {
      job: INSTALLATIONS_ROLLUP,
      from: cursor,
      to,
      installations: [],
      removed: [...removed],
      report,
      adoption,
      transitions,
      now,
    });
    result.rowsRead += committed.rowsRead;
    result.rowsWritten += committed.rowsWritten;
  } catch (error) {
    if (!(error instanceof CursorMovedError)) throw error;
    return { ...result, stopped: "raced" };
  }
  result.cursor = { version: cursor.version + 1, ...to };
  result.removed = removed.size;
  const forgotten = await deleteRolledUpDeletions(env.COLLECTOR_DB, pending.value.map((d) => d.id));
  result.rowsWritten += forgotten.rowsWritten;
  return result;
}

export const installationsRollupJob: CronJob = {
  name: INSTALLATIONS_ROLLUP,
  run: async (env) => ({ ...(await runInstallationsRollup(env, rollupConfig(env))) }),
};
