// The Installation Durable Object's own SQLite storage: identity, dedup memory and quotas.
import { type IdentityState, ISSUED_TOKEN_TTL_MS, MAX_PENDING_TOKENS } from "../domain/identity";
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

export interface StoredIdentity extends IdentityState {
  firstSeen: number | null;
  lastSeen: number | null;
  boundAt: number | null;
  /** Issued tokens still kept (live or not yet pruned). */
  pendingTokens: number;
}

/** The identity as a write needs it, in one query: only the presented token is looked up. */
export function loadIdentity(sql: SqlStorage, presentedHash: string | null): StoredIdentity {
  const row = sql
    .exec<{
      first_seen: number | null;
      last_seen: number | null;
      bound_hash: string | null;
      bound_at: number | null;
      accepted_at: number | null;
      presented_issued_at: number | null;
      pending: number;
    }>(
      `SELECT i.first_seen, i.last_seen, i.bound_hash, i.bound_at, i.accepted_at,
              (SELECT issued_at FROM issued_tokens WHERE hash = ?1) AS presented_issued_at,
              (SELECT count(*) FROM issued_tokens) AS pending
       FROM (SELECT 1) LEFT JOIN identity AS i ON i.id = 1`,
      presentedHash ?? "",
    )
    .one();
  return {
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    boundHash: row.bound_hash,
    boundAt: row.bound_at,
    acceptedAt: row.accepted_at,
    presentedIssuedAt: presentedHash === null ? null : row.presented_issued_at,
    pendingTokens: row.pending,
  };
}

export function countPendingTokens(sql: SqlStorage, now: number): number {
  return sql.exec<{ n: number }>(`SELECT count(*) AS n FROM issued_tokens WHERE issued_at > ?`, now - ISSUED_TOKEN_TTL_MS).one().n;
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

/**
 * Records an issued token. Once more than the newest few are kept, forgets the ones that expired
 * unused and all but the newest few (`pendingBefore` saves a count on every write).
 */
export function addIssuedToken(sql: SqlStorage, hash: string, now: number, pendingBefore: number): void {
  sql.exec(`INSERT OR REPLACE INTO issued_tokens (hash, issued_at) VALUES (?, ?)`, hash, now);
  if (pendingBefore < MAX_PENDING_TOKENS) return;
  sql.exec(
    `DELETE FROM issued_tokens WHERE issued_at <= ?
       OR hash NOT IN (SELECT hash FROM issued_tokens ORDER BY issued_at DESC LIMIT ?)`,
    now - ISSUED_TOKEN_TTL_MS,
    MAX_PENDING_TOKENS,
  );
}

export function acceptInstallation(sql: SqlStorage, now: number): void {
  markSeen(sql, now);
  sql.exec(`UPDATE identity SET accepted_at = coalesce(accepted_at, ?) WHERE id = 1`, now);
}
