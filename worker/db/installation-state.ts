// The Installation Durable Object's own SQLite storage: identity, dedup memory and quotas.
import type { IdentityState } from "../domain/identity";
import { COUNT_ACTION_LOG_IDS } from "./action-log-ids";
import { QUOTA_MIGRATION } from "./quota-state";

const ACTION_LOG_KEYS = `CREATE TABLE action_log_keys (external_id INTEGER PRIMARY KEY) WITHOUT ROWID`;
const IDENTITY = `CREATE TABLE identity (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     first_seen INTEGER NOT NULL,
     last_seen INTEGER NOT NULL,
     bound_hash TEXT,
     bound_at INTEGER,
     accepted_at INTEGER
   )`;
const TOKEN_KEY = `CREATE TABLE token_key (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     key BLOB NOT NULL,
     created_at INTEGER NOT NULL
   )`;
const ACTION_LOG_RANGES = `CREATE TABLE action_log_ranges (lo INTEGER PRIMARY KEY, hi INTEGER NOT NULL, CHECK (hi >= lo)) WITHOUT ROWID`;

/** How an object's storage got to its schema, one version per statement; objects made before a version get it on their next start. */
export const INSTALLATION_MIGRATIONS = [
  ACTION_LOG_KEYS,
  IDENTITY,
  `CREATE TABLE issued_tokens (hash TEXT PRIMARY KEY, issued_at INTEGER NOT NULL) WITHOUT ROWID`,
  QUOTA_MIGRATION,
  // Tokens are no longer stored: the object checks them with its key (see worker/crypto.ts).
  `DROP TABLE issued_tokens`,
  TOKEN_KEY,
  // Stored action-log ids as ranges; action_log_keys, one row per id, is only read (see action-log-ids.ts).
  ACTION_LOG_RANGES,
];

/**
 * The schema INSTALLATION_MIGRATIONS leave, made at once by a new object (createObjectSchema):
 * without the steps that later ones undo, and one version row instead of one per step
 * (test/worker/object-schema.test.ts checks that both end the same).
 */
export const INSTALLATION_SCHEMA = [ACTION_LOG_KEYS, IDENTITY, QUOTA_MIGRATION, TOKEN_KEY, ACTION_LOG_RANGES];

/** Whether this object's storage has a schema (made by migrateObjectStorage); a read, no write. */
export function hasObjectSchema(sql: SqlStorage): boolean {
  return sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).toArray().length > 0;
}

/** Applies the statements of `migrations` that this object's storage has not seen yet. */
export function migrateObjectStorage(sql: SqlStorage, migrations: readonly string[]): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`);
  applyNewMigrations(sql, migrations);
}

/**
 * Makes the schema of `migrations` in storage that has none, from `schema` (what those migrations
 * leave), and records it as at their last version.
 */
export function createObjectSchema(sql: SqlStorage, schema: readonly string[], migrations: readonly string[]): void {
  sql.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)`);
  for (const statement of schema) sql.exec(statement);
  sql.exec(`INSERT INTO schema_migrations (version) VALUES (?)`, migrations.length);
}

/**
 * migrateObjectStorage for storage known to have a schema (hasObjectSchema): without the
 * `CREATE TABLE IF NOT EXISTS`, which SQLite counts as a write even when the table exists.
 */
export function applyNewMigrations(sql: SqlStorage, migrations: readonly string[]): void {
  const applied = sql.exec<{ v: number | null }>(`SELECT max(version) AS v FROM schema_migrations`).one().v ?? 0;
  migrations.slice(applied).forEach((statement, i) => {
    sql.exec(statement);
    sql.exec(`INSERT INTO schema_migrations (version) VALUES (?)`, applied + i + 1);
  });
}

export { findStoredActionLogIds, rememberActionLogIds } from "./action-log-ids";

export interface StoredIdentity extends Omit<IdentityState, "presentedIssuedAt"> {
  firstSeen: number | null;
  lastSeen: number | null;
  boundAt: number | null;
}

/** The identity as a write needs it, in one query. */
export function loadIdentity(sql: SqlStorage): StoredIdentity {
  const row = sql
    .exec<{
      first_seen: number | null;
      last_seen: number | null;
      bound_hash: string | null;
      bound_at: number | null;
      accepted_at: number | null;
    }>(
      `SELECT i.first_seen, i.last_seen, i.bound_hash, i.bound_at, i.accepted_at
       FROM (SELECT 1) LEFT JOIN identity AS i ON i.id = 1`,
    )
    .one();
  return {
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    boundHash: row.bound_hash,
    boundAt: row.bound_at,
    acceptedAt: row.accepted_at,
  };
}

/** The key this installation's pending tokens are issued under, if it has one. */
export function loadTokenKey(sql: SqlStorage): { key: Uint8Array; createdAt: number } | null {
  const row = sql.exec<{ key: ArrayBuffer; created_at: number }>(`SELECT key, created_at FROM token_key WHERE id = 1`).toArray()[0];
  return row ? { key: new Uint8Array(row.key), createdAt: row.created_at } : null;
}

export function saveTokenKey(sql: SqlStorage, key: Uint8Array, now: number): void {
  sql.exec(`INSERT OR REPLACE INTO token_key (id, key, created_at) VALUES (1, ?, ?)`, key.slice().buffer, now);
}

/** Forgets the key, which voids every token issued under it. */
function dropTokenKey(sql: SqlStorage): void {
  sql.exec(`DELETE FROM token_key`);
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
  dropTokenKey(sql);
}

export function clearBinding(sql: SqlStorage): void {
  sql.exec(`UPDATE identity SET bound_hash = NULL, bound_at = NULL WHERE id = 1`);
  dropTokenKey(sql);
}

export function acceptInstallation(sql: SqlStorage, now: number): void {
  markSeen(sql, now);
  sql.exec(`UPDATE identity SET accepted_at = coalesce(accepted_at, ?) WHERE id = 1`, now);
}

/** What the object holds about its installation, counted before it forgets all of it. */
export interface ObjectStateCounts {
  identity: boolean;
  token_binding: boolean;
  token_key: boolean;
  action_log_ids: number;
  quota_windows: number;
}

export function countObjectState(sql: SqlStorage): ObjectStateCounts {
  const row = sql
    .exec<{ identity: number; bound: number; token_key: number; action_log_ids: number; quota_windows: number }>(
      `SELECT (SELECT count(*) FROM identity) AS identity,
              (SELECT count(*) FROM identity WHERE bound_hash IS NOT NULL) AS bound,
              (SELECT count(*) FROM token_key) AS token_key,
              ${COUNT_ACTION_LOG_IDS} AS action_log_ids,
              (SELECT count(*) FROM quota_windows) AS quota_windows`,
    )
    .one();
  return {
    identity: row.identity > 0,
    token_binding: row.bound > 0,
    token_key: row.token_key > 0,
    action_log_ids: row.action_log_ids,
    quota_windows: row.quota_windows,
  };
}
