// Retention's deletes from COLLECTOR_DB: the oldest raw rows, a bounded chunk per statement, each
// chunk found through the index on its date column (INDEXED BY: a statement fails rather than
// scan the table if the index is missing).

/** ?1 received before (epoch ms), ?2 rows at most. */
export const DELETE_OLD_ACTION_LOGS = `
DELETE FROM action_logs WHERE id IN (
  SELECT id FROM action_logs INDEXED BY action_logs_received_at_idx
  WHERE received_at < ?1 ORDER BY received_at LIMIT ?2)`;

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

/** Deletes at most `limit` action logs stored before `beforeMs`, the oldest first. */
export async function deleteActionLogsBefore(db: D1Database, beforeMs: number, limit: number): Promise<DeletedChunk> {
  const { meta } = await db.prepare(DELETE_OLD_ACTION_LOGS).bind(beforeMs, limit).run();
  return { deleted: meta.changes, rowsWritten: meta.rows_written ?? 0 };
}

/** Deletes at most `limit` OSWL rows whose created_date is before the day `beforeDay`, the oldest first. */
export async function deleteOswlStatsBefore(db: D1Database, beforeDay: string, limit: number): Promise<DeletedChunk> {
  const { meta } = await db.prepare(DELETE_OLD_OSWL_STATS).bind(beforeDay, limit).run();
  return { deleted: meta.changes, rowsWritten: meta.rows_written ?? 0 };
}
