// Retention's deletes from COLLECTOR_DB: the oldest raw rows, a bounded chunk per statement.
// Action logs are found by id: a log's received_at is the time of its insert and ids grow in
// insert order, so the old logs are the lowest ids, and a bisection over the primary key finds
// where they end without an index on received_at (which would cost a row written per log).
// OSWL rows are found through the index on created_date, the sender's date, which ids do not
// follow (a row keeps its id when posted again).

/**
 * The first action log at or after the id `mid` is older than ?1 (epoch ms): a point lookup on
 * the primary key.
 */
const olderAt = (mid: string) => `(SELECT received_at FROM action_logs WHERE id >= ${mid} ORDER BY id LIMIT 1) < ?1`;

/**
 * ?1 received before (epoch ms). Bisects [lo, hi) over the id range, keeping the first row at or
 * after lo older than ?1 and every row from hi on newer (none past the greatest id), until hi is
 * lo + 1: lo is then a log older than ?1 whose next log is not. About 2 × log2(id range) point
 * lookups; no row when the table is empty. If received_at does not follow the ids (rows stored
 * out of order), lo is still a log whose next one is newer, just not necessarily the last old one.
 */
export const FIND_ACTION_LOG_BOUNDARY = `
WITH RECURSIVE bisect(lo, hi) AS (
  SELECT (SELECT min(id) FROM action_logs), (SELECT max(id) FROM action_logs) + 1
  UNION ALL
  SELECT iif(${olderAt("(lo + hi) / 2")}, (lo + hi) / 2, lo), iif(${olderAt("(lo + hi) / 2")}, hi, (lo + hi) / 2)
  FROM bisect WHERE hi - lo > 1)
SELECT lo AS id FROM bisect WHERE hi - lo = 1`;

/**
 * ?1 greatest id (the boundary), ?2 received before (epoch ms), ?3 rows at most. The received_at
 * condition keeps a newer log stored with a lower id than an older one.
 */
export const DELETE_OLD_ACTION_LOGS = `
DELETE FROM action_logs WHERE id IN (
  SELECT id FROM action_logs WHERE id <= ?1 AND received_at < ?2 ORDER BY id LIMIT ?3)`;

/** ?1 first kept day (created_date compares as text, as the CSV exports compare it), ?2 rows at most. */
export const DELETE_OLD_OSWL_STATS = `
DELETE FROM oswl_stats WHERE id IN (
  SELECT id FROM oswl_stats INDEXED BY oswl_stats_created_date_idx
  WHERE created_date < ?1 ORDER BY created_date LIMIT ?2)`;

export interface DeletedChunk {
  deleted: number;
  /** D1's rows_written: the rows and their index entries. */
  rowsWritten: number;
}

/**
 * The id through which action logs stored before `beforeMs` lie: the last old log before the first
 * newer one, by id. Null when there is no action log at all.
 */
export async function findActionLogBoundary(db: D1Database, beforeMs: number): Promise<number | null> {
  const row = await db.prepare(FIND_ACTION_LOG_BOUNDARY).bind(beforeMs).first<{ id: number }>();
  return row?.id ?? null;
}

/** Deletes at most `limit` action logs stored before `beforeMs` with an id up to `throughId`, the lowest ids first. */
export async function deleteActionLogsBefore(db: D1Database, throughId: number, beforeMs: number, limit: number): Promise<DeletedChunk> {
  const { meta } = await db.prepare(DELETE_OLD_ACTION_LOGS).bind(throughId, beforeMs, limit).run();
  return { deleted: meta.changes, rowsWritten: meta.rows_written ?? 0 };
}

/** Deletes at most `limit` OSWL rows whose created_date is before the day `beforeDay`, the oldest first. */
export async function deleteOswlStatsBefore(db: D1Database, beforeDay: string, limit: number): Promise<DeletedChunk> {
  const { meta } = await db.prepare(DELETE_OLD_OSWL_STATS).bind(beforeDay, limit).run();
  return { deleted: meta.changes, rowsWritten: meta.rows_written ?? 0 };
}
