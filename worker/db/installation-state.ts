// The Installation Durable Object's own SQLite storage: identity, dedup memory and quotas.
import { ISSUED_TOKEN_TTL_MS, type IdentityState } from "../domain/identity";
import { QUOTA_MIGRATION } from "./quota-state";

export const INSTALLATION_MIGRATIONS = [
  `CREATE TABLE action_log_keys (external_id INTEGER PRIMARY KEY) WITHOUT ROWID`,
  `CREATE TABLE identity (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     first_seen INTEGER NOT NULL,
     last_seen INTEGER NOT NULL,
     bound_hash TEXT,
     bound_at INTEGER,
     accepted_at INTEGER
   )`,
  `CREATE TABLE issued_tokens (hash TEXT PRIMARY KEY, issued_at INTEGER NOT NULL) WITHOUT ROWID`,
  QUOTA_MIGRATION,
];

/** Applies the statements of `migrations` that this object's storage has not seen yet. */
export function migrateObjectStorage(sql: SqlStorage, migrations: readonly string[]): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`);
  const applied = sql.exec<{ v: number | null }>(`SELECT max(version) AS v FROM schema_migrations`).one().v ?? 0;
  migrations.slice(applied).forEach((statement, i) => {
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

export interface StoredIdentity extends IdentityState {
  firstSeen: number | null;
  lastSeen: number | null;
  boundAt: number | null;
}

export function loadIdentity(sql: SqlStorage): StoredIdentity {
  const row = sql
    .exec<{ first_seen: number; last_seen: number; bound_hash: string | null; bound_at: number | null; accepted_at: number | null }>(
      `SELECT first_seen, last_seen, bound_hash, bound_at, accepted_at FROM identity WHERE id = 1`,
    )
    .toArray()[0];
  const issued = sql
    .exec<{ hash: string; issued_at: number }>(`SELECT hash, issued_at FROM issued_tokens ORDER BY issued_at`)
    .toArray()
    .map((t) => ({ hash: t.hash, issuedAt: t.issued_at }));
  return {
    firstSeen: row?.first_seen ?? null,
    lastSeen: row?.last_seen ?? null,
    boundHash: row?.bound_hash ?? null,
    boundAt: row?.bound_at ?? null,
    acceptedAt: row?.accepted_at ?? null,
    issued,
  };
}

export function markSeen(sql: SqlStorage, now: number): void {
  sql.exec(
    `INSERT INTO identity (id, first_seen, last_seen) VALUES (1, ?1, ?1)
     ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen`,
    now,
  );
}

/** Binds to a token hash; tokens issued before are void from now on. */
export function bindToken(sql: SqlStorage, hash: string, now: number): void {
  markSeen(sql, now);
  sql.exec(`UPDATE identity SET bound_hash = ?, bound_at = ? WHERE id = 1`, hash, now);
  sql.exec(`DELETE FROM issued_tokens`);
}

export function clearBinding(sql: SqlStorage): void {
  sql.exec(`UPDATE identity SET bound_hash = NULL, bound_at = NULL WHERE id = 1`);
  sql.exec(`DELETE FROM issued_tokens`);
}

/** Records an issued token and forgets the ones that expired unused. */
export function addIssuedToken(sql: SqlStorage, hash: string, now: number): void {
  sql.exec(`DELETE FROM issued_tokens WHERE issued_at <= ?`, now - ISSUED_TOKEN_TTL_MS);
  sql.exec(`INSERT OR REPLACE INTO issued_tokens (hash, issued_at) VALUES (?, ?)`, hash, now);
}

export function acceptInstallation(sql: SqlStorage, now: number): void {
  markSeen(sql, now);
  sql.exec(`UPDATE identity SET accepted_at = coalesce(accepted_at, ?) WHERE id = 1`, now);
}
