// The Installation Durable Object's own SQLite storage: its dedup memory (and, later, identity).
const MIGRATIONS = [
  `CREATE TABLE action_log_keys (external_id INTEGER PRIMARY KEY) WITHOUT ROWID`,
];

export function migrateInstallationState(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`);
  const applied = sql.exec<{ v: number | null }>(`SELECT max(version) AS v FROM schema_migrations`).one().v ?? 0;
  MIGRATIONS.slice(applied).forEach((statement, i) => {
    sql.exec(statement);
    sql.exec(`INSERT INTO schema_migrations (version) VALUES (?)`, applied + i + 1);
  });
}

export function findStoredActionLogIds(sql: SqlStorage, externalIds: readonly number[]): Set<number> {
  if (externalIds.length === 0) return new Set();
  const rows = sql.exec<{ external_id: number }>(
    `SELECT external_id FROM action_log_keys WHERE external_id IN (SELECT value FROM json_each(?))`,
    JSON.stringify(externalIds),
  );
  return new Set(rows.toArray().map((r) => r.external_id));
}

export function rememberActionLogIds(sql: SqlStorage, externalIds: readonly number[]): void {
  if (externalIds.length === 0) return;
  sql.exec(
    `INSERT OR IGNORE INTO action_log_keys (external_id) SELECT value FROM json_each(?)`,
    JSON.stringify(externalIds),
  );
}

export function countStoredActionLogIds(sql: SqlStorage): number {
  return sql.exec<{ n: number }>(`SELECT count(*) AS n FROM action_log_keys`).one().n;
}
