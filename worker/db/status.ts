// Query functions of the admin status (worker/observability/status.ts): what the cron jobs, bundles
// and processor already record, and each database's size and row counts. Every read is bounded:
// by an index and a time window, by the few rows a table holds, or by a LIMIT.
import { quoteIdent } from "../domain/backup-values";
import { listBackupTables } from "./backup";

const DAY_MS = 86_400_000;
/** How far back the job runs are read: the last failure and the last success are of this window. */
export const JOB_WINDOW_MS = 30 * DAY_MS;

export interface JobRunRow {
  status: "running" | "ok" | "failed" | "abandoned";
  startedAt: number;
  finishedAt: number | null;
  detail: string | null;
}

export interface JobSummary {
  lastRun: JobRunRow | null;
  lastOkAt: number | null;
  lastFailure: JobRunRow | null;
  failures24h: number;
}

type StoredRun = { status: JobRunRow["status"]; started_at: number; finished_at: number | null; detail: string | null };
const toRun = (r: StoredRun | undefined): JobRunRow | null =>
  r ? { status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, detail: r.detail } : null;

/** Each job's newest run, newest success and failure, and failures of the last day, read through (job, started_at). */
export async function listJobSummaries(db: D1Database, jobs: readonly string[], now: number): Promise<Map<string, JobSummary>> {
  if (jobs.length === 0) return new Map();
  const since = now - JOB_WINDOW_MS;
  const run = "SELECT status, started_at, finished_at, detail FROM job_runs WHERE job = ?1 AND started_at >= ?2";
  const statements = jobs.flatMap((job) => [
    db.prepare(`${run} ORDER BY started_at DESC LIMIT 1`).bind(job, since),
    db.prepare(`${run} AND status IN ('failed', 'abandoned') ORDER BY started_at DESC LIMIT 1`).bind(job, since),
    db
      .prepare(
        `SELECT max(CASE WHEN status = 'ok' THEN finished_at END) AS last_ok_at,
                coalesce(sum(status IN ('failed', 'abandoned') AND started_at >= ?3), 0) AS failures
         FROM job_runs WHERE job = ?1 AND started_at >= ?2`,
      )
      .bind(job, since, now - DAY_MS),
  ]);
  const results = await db.batch<Record<string, unknown>>(statements);
  return new Map(
    jobs.map((job, i) => {
      const [last, failure, totals] = results.slice(3 * i, 3 * i + 3).map((r) => r.results[0]);
      const t = totals as { last_ok_at: number | null; failures: number };
      return [job, { lastRun: toRun(last as StoredRun | undefined), lastFailure: toRun(failure as StoredRun | undefined), lastOkAt: t.last_ok_at, failures24h: t.failures }];
    }),
  );
}

export interface BundleBacklog {
  queued: number;
  running: number;
  oldestPendingAt: number | null;
  failed24h: number;
  lastFailure: { id: string; at: number; error: string | null } | null;
}

/**
 * Bundles waiting or being built, and the recent failures. Read among the bundles not yet expired
 * (through bundles_expires_at_idx): a pending one is given up a day after it was asked for, long
 * before it expires.
 */
export async function findBundleBacklog(db: D1Database, now: number): Promise<BundleBacklog> {
  const [counts, failure] = await db.batch<Record<string, unknown>>([
    db
      .prepare(
        `SELECT coalesce(sum(status = 'queued'), 0) AS queued, coalesce(sum(status = 'running'), 0) AS running,
                min(CASE WHEN status IN ('queued', 'running') THEN created_at END) AS oldest,
                coalesce(sum(status = 'failed' AND updated_at >= ?2), 0) AS failed
         FROM bundles WHERE expires_at > ?1`,
      )
      .bind(now, now - DAY_MS),
    db.prepare("SELECT id, updated_at, error FROM bundles WHERE expires_at > ? AND status = 'failed' ORDER BY updated_at DESC LIMIT 1").bind(now),
  ]);
  const c = counts!.results[0] as { queued: number; running: number; oldest: number | null; failed: number };
  const f = failure!.results[0] as { id: string; updated_at: number; error: string | null } | undefined;
  return {
    queued: c.queued,
    running: c.running,
    oldestPendingAt: c.oldest,
    failed24h: c.failed,
    lastFailure: f ? { id: f.id, at: f.updated_at, error: f.error } : null,
  };
}

export interface FailingSource {
  id: string;
  kind: string;
  status: string;
  failures: number;
  lastError: string | null;
  lastRunAt: number | null;
  nextRunAt: number;
}

type StoredSource = {
  id: string;
  kind: string;
  status: string;
  failures: number;
  last_error: string | null;
  last_run_at: number | null;
  next_run_at: number;
};

export interface ProcessorOverview {
  /** Sources per status, and the oldest queued_at of each. */
  statuses: { status: string; n: number; oldestQueuedAt: number | null }[];
  lastStepAt: number | null;
  failing: FailingSource[];
}

/** The processor's sources by status (a source per followed repo: hundreds, not millions), its newest step, and what fails. */
export async function findProcessorOverview(db: D1Database, failingLimit = 20): Promise<ProcessorOverview> {
  const [statuses, step, failing] = await db.batch<Record<string, unknown>>([
    db.prepare("SELECT status, count(*) AS n, min(queued_at) AS oldest FROM processor_sources GROUP BY status ORDER BY status"),
    db.prepare("SELECT max(started_at) AS at FROM processor_steps"),
    db
      .prepare(
        `SELECT id, kind, status, failures, last_error, last_run_at, next_run_at FROM processor_sources
         WHERE status <> 'retired' AND (status = 'failed' OR last_error IS NOT NULL)
         ORDER BY last_run_at DESC, id LIMIT ?`,
      )
      .bind(failingLimit),
  ]);
  return {
    statuses: (statuses!.results as { status: string; n: number; oldest: number | null }[]).map((r) => ({ status: r.status, n: r.n, oldestQueuedAt: r.oldest })),
    lastStepAt: (step!.results[0] as { at: number | null }).at,
    failing: (failing!.results as StoredSource[]).map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      failures: r.failures,
      lastError: r.last_error,
      lastRunAt: r.last_run_at,
      nextRunAt: r.next_run_at,
    })),
  };
}

export interface TableCount {
  name: string;
  rows: number;
  count: "exact" | "rowid_span" | "at_least";
}

/**
 * The database's size as D1 reports it, and each table's rows: counted up to `cap` (a count reads
 * every row it counts, and D1 charges rows read), past it estimated from the span of its rowids,
 * which costs two index lookups; a table without rowid past the cap is "more than cap".
 */
export async function countTables(db: D1Database, cap: number): Promise<{ sizeBytes: number; tables: TableCount[] }> {
  const tables = await listBackupTables(db);
  const [probe, ...counted] = await db.batch<{ n: number }>([
    db.prepare("SELECT 1 AS n"),
    ...tables.map((t) => db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM ${quoteIdent(t.name)} LIMIT ?)`).bind(cap + 1)),
  ]);
  const counts: TableCount[] = tables.map((t, i) => {
    const n = counted[i]!.results[0]!.n;
    return { name: t.name, rows: n, count: n > cap ? "at_least" : "exact" };
  });
  const spanned = counts.filter((c, i) => c.count === "at_least" && tables[i]!.key.kind === "rowid");
  if (spanned.length > 0) {
    const spans = await db.batch<{ n: number }>(
      spanned.map((c) => db.prepare(`SELECT coalesce(max(rowid) - min(rowid) + 1, 0) AS n FROM ${quoteIdent(c.name)}`)),
    );
    spanned.forEach((c, i) => {
      c.rows = Math.max(spans[i]!.results[0]!.n, cap + 1);
      c.count = "rowid_span";
    });
  }
  return { sizeBytes: probe!.meta.size_after, tables: counts };
}
