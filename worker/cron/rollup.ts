// The installations roll-up: collector rows changed since the cursor become report counts,
// version adoption and upgrade transitions in ANALYTIC_DB, a bounded chunk at a time.
import { FilteringRulesSchema } from "../../schemas/filtering";
import { type RollupConfig, rollupConfig } from "../config";
import { findFilteringRules } from "../db/analytic";
import {
  commitChunk,
  CursorMovedError,
  type RollupCursor,
  readChangedInstallations,
  readCursor,
  readSummaries,
  updateCollectorClassification,
} from "../db/rollup";
import { type IndexedRules, indexFilteringRules, isFiltered, rulesEpoch } from "../domain/filtering";
import {
  accumulate,
  adoptionContribution,
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

async function loadRules(db: D1Database, now: number): Promise<{ rules: IndexedRules; epoch: string }> {
  const stored = await findFilteringRules(db);
  const parsed = FilteringRulesSchema.safeParse(stored?.rules ?? {});
  if (!parsed.success) console.error("stored filtering rules are invalid; filtering nothing", parsed.error.issues[0]);
  const rules = indexFilteringRules(parsed.success ? parsed.data : {});
  return { rules, epoch: rulesEpoch(rules, stored?.updatedAt ?? null, now) };
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
    rowsRead: 0,
    rowsWritten: 0,
    reclassified: 0,
    fullPass,
    stopped: "done",
    from,
    cursor,
    ms: 0,
  };

  for (;;) {
    if (run.chunks >= (options.maxChunks ?? Number.POSITIVE_INFINITY) || clock() - started >= options.budgetMs) {
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
      };
      const before = previous.value.get(row.uid) ?? null;
      accumulate(report, difference(reportContribution(before), reportContribution(summary)));
      const [was, is] = [adoptionContribution(before), adoptionContribution(summary)];
      accumulate(adoption, difference(was.days, is.days));
      accumulate(transitions, difference(was.transitions, is.transitions));
      return { uid: row.uid, summary, isFiltered: filtered, trust: row.trust, sourceUpdatedAt: row.updatedAt };
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

export const installationsRollupJob: CronJob = {
  name: INSTALLATIONS_ROLLUP,
  run: async (env) => ({ ...(await runInstallationsRollup(env, rollupConfig(env))) }),
};
