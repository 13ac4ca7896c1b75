// The bundles table of ANALYTIC_DB: requested all-reports archives and how far each got.
import type { BundleStatus } from "../../schemas/bundles";

export interface BundleRow {
  id: string;
  fromDate: string;
  toDate: string;
  status: BundleStatus;
  reports: { report: string; bytes: number | null }[];
  step: number;
  size: number | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  expiresAt: number;
}

interface StoredRow {
  id: string;
  from_date: string;
  to_date: string;
  status: BundleStatus;
  reports: string;
  step: number;
  size: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  expires_at: number;
}

const COLUMNS = "id, from_date, to_date, status, reports, step, size, error, created_at, updated_at, finished_at, expires_at";

const fromStored = (row: StoredRow): BundleRow => ({
  id: row.id,
  fromDate: row.from_date,
  toDate: row.to_date,
  status: row.status,
  reports: JSON.parse(row.reports),
  step: row.step,
  size: row.size,
  error: row.error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  finishedAt: row.finished_at,
  expiresAt: row.expires_at,
});

/** A bundle just asked for: queued at its first step, every report still to write. */
export function queuedBundle(range: { fromDate: string; toDate: string }, reports: readonly string[], now: number, ttlMs: number): BundleRow {
  return {
    id: crypto.randomUUID(),
    ...range,
    status: "queued",
    reports: reports.map((report) => ({ report, bytes: null })),
    step: 0,
    size: null,
    error: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    expiresAt: now + ttlMs,
  };
}

export async function insertBundle(db: D1Database, bundle: BundleRow): Promise<void> {
  await db
    .prepare(`INSERT INTO bundles (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .bind(
      bundle.id,
      bundle.fromDate,
      bundle.toDate,
      bundle.status,
      JSON.stringify(bundle.reports),
      bundle.step,
      bundle.size,
      bundle.error,
      bundle.createdAt,
      bundle.updatedAt,
      bundle.finishedAt,
      bundle.expiresAt,
    )
    .run();
}

export async function findBundle(db: D1Database, id: string): Promise<BundleRow | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM bundles WHERE id = ?`).bind(id).first<StoredRow>();
  return row ? fromStored(row) : null;
}

/** A bundle of the same range asked for since `since` that is still coming or ready. */
export async function findReusableBundle(db: D1Database, fromDate: string, toDate: string, since: number): Promise<BundleRow | null> {
  const row = await db
    .prepare(
      `SELECT ${COLUMNS} FROM bundles WHERE from_date = ? AND to_date = ? AND created_at >= ?
         AND status IN ('queued', 'running', 'done') ORDER BY created_at DESC LIMIT 1`,
    )
    .bind(fromDate, toDate, since)
    .first<StoredRow>();
  return row ? fromStored(row) : null;
}

export async function countActiveBundles(db: D1Database): Promise<number> {
  const row = await db.prepare(`SELECT count(*) AS n FROM bundles WHERE status IN ('queued', 'running')`).first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Records that `step` is done, only if it was still the bundle's next step: of two deliveries of
 * the same step, one advances it. Returns whether this call did.
 */
export async function advanceBundle(
  db: D1Database,
  id: string,
  step: number,
  change: { reports: BundleRow["reports"]; done?: { size: number }; now: number },
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE bundles SET step = step + 1, reports = ?, status = ?, size = ?, finished_at = ?, updated_at = ?
       WHERE id = ? AND step = ? AND status IN ('queued', 'running')`,
    )
    .bind(
      JSON.stringify(change.reports),
      change.done ? "done" : "running",
      change.done?.size ?? null,
      change.done ? change.now : null,
      change.now,
      id,
      step,
    )
    .run();
  return result.meta.changes === 1;
}

export async function markBundleRunning(db: D1Database, id: string, now: number): Promise<void> {
  await db.prepare(`UPDATE bundles SET status = 'running', updated_at = ? WHERE id = ? AND status = 'queued'`).bind(now, id).run();
}

export async function markBundleFailed(db: D1Database, id: string, error: string, now: number): Promise<void> {
  await db
    .prepare(`UPDATE bundles SET status = 'failed', error = ?, updated_at = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')`)
    .bind(error, now, now, id)
    .run();
}

/** Bundles past their expiry that still hold files. */
export async function listExpiredBundles(db: D1Database, now: number, limit: number): Promise<BundleRow[]> {
  const rows = await db
    .prepare(`SELECT ${COLUMNS} FROM bundles WHERE expires_at < ? AND status != 'expired' ORDER BY expires_at LIMIT ?`)
    .bind(now, limit)
    .all<StoredRow>();
  return rows.results.map(fromStored);
}

export async function markBundleExpired(db: D1Database, id: string, now: number): Promise<void> {
  await db.prepare(`UPDATE bundles SET status = 'expired', updated_at = ? WHERE id = ?`).bind(now, id).run();
}

/** Queued or running bundles that have not moved since `before` (a lost message, say). */
export async function listStalledBundles(db: D1Database, before: number, limit: number): Promise<BundleRow[]> {
  const rows = await db
    .prepare(`SELECT ${COLUMNS} FROM bundles WHERE status IN ('queued', 'running') AND updated_at < ? ORDER BY updated_at LIMIT ?`)
    .bind(before, limit)
    .all<StoredRow>();
  return rows.results.map(fromStored);
}

export async function touchBundle(db: D1Database, id: string, now: number): Promise<void> {
  await db.prepare(`UPDATE bundles SET updated_at = ? WHERE id = ?`).bind(now, id).run();
}
