// Quota windows kept in a Durable Object's own SQLite storage (installations and client addresses).
import type { QuotaWindow } from "../domain/rate";

export const QUOTA_MIGRATION = `CREATE TABLE quota_windows (name TEXT PRIMARY KEY, started_at INTEGER NOT NULL, used INTEGER NOT NULL) WITHOUT ROWID`;

export function loadQuotaWindow(sql: SqlStorage, name: string): QuotaWindow | null {
  const row = sql
    .exec<{ started_at: number; used: number }>(`SELECT started_at, used FROM quota_windows WHERE name = ?`, name)
    .toArray()[0];
  return row ? { startedAt: row.started_at, used: row.used } : null;
}

export function saveQuotaWindow(sql: SqlStorage, name: string, window: QuotaWindow): void {
  sql.exec(
    `INSERT INTO quota_windows (name, started_at, used) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at, used = excluded.used`,
    name,
    window.startedAt,
    window.used,
  );
}

/** Several windows in one query; a window never used is absent. */
export function loadQuotaWindows(sql: SqlStorage, names: readonly string[]): Map<string, QuotaWindow> {
  const rows = sql
    .exec<{ name: string; started_at: number; used: number }>(
      `SELECT name, started_at, used FROM quota_windows WHERE name IN (SELECT value FROM json_each(?))`,
      JSON.stringify(names),
    )
    .toArray();
  return new Map(rows.map((r) => [r.name, { startedAt: r.started_at, used: r.used }]));
}

/** Several windows in one statement. */
export function saveQuotaWindows(sql: SqlStorage, windows: Readonly<Record<string, QuotaWindow>>): void {
  const rows = Object.entries(windows).map(([name, w]) => ({ name, started_at: w.startedAt, used: w.used }));
  sql.exec(
    `INSERT INTO quota_windows (name, started_at, used)
     SELECT j.value ->> '$.name', j.value ->> '$.started_at', j.value ->> '$.used' FROM json_each(?) AS j WHERE true
     ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at, used = excluded.used`,
    JSON.stringify(rows),
  );
}
