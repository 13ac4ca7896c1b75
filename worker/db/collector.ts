// Query functions over COLLECTOR_DB. Bulk writes pass the records as one JSON parameter and expand
// it with json_each, so a request of 100 action logs is one statement and one round trip.
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { ActionLog, Oswl } from "../../schemas/collector";
import type { Outcome } from "../../schemas/health";
import type { Trust } from "../domain/identity";
import { chunkJson, chunkJsonTexts } from "./chunk";
import { installationStructures } from "./collector-schema";

/** Records per statement (fuel-stats used chunks of 1000) and characters of JSON per parameter. */
export const CHUNK_ITEMS = 1000;
export const CHUNK_CHARS = 512 * 1024;

export interface InstallationStructureWrite {
  masterNodeUid: string;
  structure: string;
  release: string | null;
  country: string | null;
  trust: Trust;
  isFiltered: boolean;
  now: number;
}

// An update that keeps the release and the filtering verdict names neither column: SQLite then
// leaves their indexes and the release-history trigger alone, and D1 writes 2 rows (the row and its
// updated_at entry) instead of 5. It changes nothing when the row is missing or either column moves.
const UPDATE_KEEPING_RELEASE = `
UPDATE installation_structures
SET structure = ?2, modification_date = ?3, country = coalesce(?4, country), trust = ?5, updated_at = ?6
WHERE master_node_uid = ?1 AND release IS ?7 AND is_filtered IS ?8`;

/**
 * Inserts or replaces an installation's structure; `created` tells which of the two it was. With
 * `stored` (the installation has written before), it first tries the update that keeps the release
 * and the filtering verdict, the usual re-post, and falls back to the upsert when that changes nothing.
 */
export async function upsertInstallationStructure(
  db: D1Database,
  write: InstallationStructureWrite,
  stored: boolean,
): Promise<{ created: boolean }> {
  const at = new Date(write.now).toISOString();
  if (stored) {
    const { meta } = await db
      .prepare(UPDATE_KEEPING_RELEASE)
      .bind(write.masterNodeUid, write.structure, at, write.country, write.trust, write.now, write.release, write.isFiltered ? 1 : 0)
      .run();
    if (meta.changes > 0) return { created: false };
  }
  const rows = await drizzle(db)
    .insert(installationStructures)
    .values({
      masterNodeUid: write.masterNodeUid,
      structure: write.structure,
      creationDate: at,
      release: write.release,
      country: write.country,
      trust: write.trust,
      isFiltered: write.isFiltered,
      updatedAt: write.now,
    })
    .onConflictDoUpdate({
      target: installationStructures.masterNodeUid,
      set: {
        structure: sql`excluded.structure`,
        modificationDate: at,
        release: sql`excluded.release`,
        country: sql`coalesce(excluded.country, ${installationStructures.country})`,
        trust: sql`excluded.trust`,
        isFiltered: write.isFiltered,
        updatedAt: write.now,
      },
    })
    .returning({ modificationDate: installationStructures.modificationDate });
  return { created: rows[0]?.modificationDate == null };
}

export async function findInstallation(db: D1Database, masterNodeUid: string) {
  const rows = await drizzle(db)
    .select()
    .from(installationStructures)
    .where(eq(installationStructures.masterNodeUid, masterNodeUid))
    .limit(1);
  return rows[0] ?? null;
}

// ?2 is a JSON array of rows `[external_id, action_type, action_name, body]` (actionLogRow).
const INSERT_ACTION_LOGS = `
INSERT INTO action_logs (master_node_uid, external_id, action_type, action_name, body, received_at, trust)
SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value -> 3, ?3, ?4
FROM json_each(?2) AS j WHERE true
ON CONFLICT (master_node_uid, external_id) DO NOTHING
RETURNING external_id`;

/**
 * Stores the action logs of one installation, given as their rows (actionLogRow), in one
 * transaction (a D1 batch) and returns the external ids that were new. Keys already in the table
 * are left untouched, as in fuel-stats. Either every row is stored or, if the batch throws, none is.
 */
export async function insertActionLogs(
  db: D1Database,
  masterNodeUid: string,
  rows: readonly string[],
  trust: Trust,
  now: number,
): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const statements = chunkJsonTexts(rows, CHUNK_ITEMS, CHUNK_CHARS).map((json) =>
    db.prepare(INSERT_ACTION_LOGS).bind(masterNodeUid, json, now, trust),
  );
  const results = await db.batch<{ external_id: number }>(statements);
  return new Set(results.flatMap((r) => r.results.map((row) => row.external_id)));
}

const SELECT_EXISTING_OSWL = `
SELECT o.external_id AS id, o.resource_type AS resource_type
FROM json_each(?2) AS j
JOIN oswl_stats AS o
  ON o.master_node_uid = ?1 AND o.external_id = j.value ->> '$.id' AND o.resource_type = j.value ->> '$.resource_type'`;

const UPSERT_OSWL = `
INSERT INTO oswl_stats (master_node_uid, external_id, cluster_id, created_date, updated_time, resource_type,
                        resource_data, resource_checksum, version_info, updated_at, trust)
SELECT ?1, j.value ->> '$.id', j.value ->> '$.cluster_id', j.value ->> '$.created_date', j.value ->> '$.updated_time',
       j.value ->> '$.resource_type', j.value -> '$.resource_data', j.value ->> '$.resource_checksum',
       nullif(j.value -> '$.version_info', 'null'), ?3, ?4
FROM json_each(?2) AS j WHERE true
ON CONFLICT (master_node_uid, external_id, resource_type) DO UPDATE SET
  cluster_id = excluded.cluster_id, created_date = excluded.created_date, updated_time = excluded.updated_time,
  resource_data = excluded.resource_data, resource_checksum = excluded.resource_checksum,
  version_info = excluded.version_info, updated_at = excluded.updated_at, trust = excluded.trust`;

/**
 * Inserts or updates one installation's OSWL rows in one transaction, keyed by
 * (master_node_uid, id, resource_type). Returns the keys that already existed before the write.
 */
export async function upsertOswlStats(
  db: D1Database,
  masterNodeUid: string,
  items: readonly Oswl[],
  trust: Trust,
  now: number,
): Promise<{ id: number; resource_type: string }[]> {
  if (items.length === 0) return [];
  const statements = chunkJson(items, CHUNK_ITEMS, CHUNK_CHARS).flatMap((json) => [
    db.prepare(SELECT_EXISTING_OSWL).bind(masterNodeUid, json),
    db.prepare(UPSERT_OSWL).bind(masterNodeUid, json, now, trust),
  ]);
  const results = await db.batch<{ id: number; resource_type: string }>(statements);
  return results.filter((_, i) => i % 2 === 0).flatMap((r) => r.results);
}

/** An operator accepted a quarantined installation: its data joins the reports (as unverified). */
export async function releaseQuarantinedRows(db: D1Database, masterNodeUid: string, now: number): Promise<number> {
  // The structure's updated_at moves too, so that the next roll-up counts the installation.
  const results = await db.batch(
    (["installation_structures", "action_logs", "oswl_stats"] as const).map((table) =>
      db
        .prepare(
          `UPDATE ${table} SET trust = 'unverified'${table === "installation_structures" ? ", updated_at = ?2" : ""}
           WHERE master_node_uid = ?1 AND trust = 'quarantined'`,
        )
        .bind(masterNodeUid, ...(table === "installation_structures" ? [now] : [])),
    ),
  );
  return results.reduce((n, r) => n + r.meta.changes, 0);
}

const ADD_OUTCOMES = `
INSERT INTO collector_outcomes (day, endpoint, outcome, count)
SELECT j.value ->> '$.day', j.value ->> '$.endpoint', j.value ->> '$.outcome', j.value ->> '$.count'
FROM json_each(?1) AS j WHERE true
ON CONFLICT (day, endpoint, outcome) DO UPDATE SET count = count + excluded.count`;

export interface OutcomeRow {
  /** YYYY-MM-DD, UTC. */
  day: string;
  endpoint: string;
  outcome: Outcome;
  count: number;
}

/** Adds to the counters, in one statement. */
export async function addOutcomes(db: D1Database, rows: readonly OutcomeRow[]): Promise<void> {
  if (rows.length > 0) await db.prepare(ADD_OUTCOMES).bind(JSON.stringify(rows)).run();
}

export async function listOutcomes(db: D1Database, fromDay: string, toDay: string) {
  const { results } = await db
    .prepare(
      `SELECT day, endpoint, outcome, count FROM collector_outcomes WHERE day BETWEEN ? AND ? ORDER BY day, endpoint, outcome`,
    )
    .bind(fromDay, toDay)
    .all<{ day: string; endpoint: string; outcome: Outcome; count: number }>();
  return results;
}

/** When the collector last stored anything for an installation (epoch ms), or null. */
export async function lastWriteAt(db: D1Database, masterNodeUid: string): Promise<number | null> {
  const row = await db
    .prepare(
      `SELECT max(t) AS at FROM (
         SELECT updated_at AS t FROM installation_structures WHERE master_node_uid = ?1
         UNION ALL SELECT max(received_at) FROM action_logs WHERE master_node_uid = ?1
         UNION ALL SELECT max(updated_at) FROM oswl_stats WHERE master_node_uid = ?1)`,
    )
    .bind(masterNodeUid)
    .first<{ at: number | null }>();
  return row?.at ?? null;
}

/** Rows of one installation a statement deletes at most: a deletion never holds D1 for long. */
export const DELETE_CHUNK_ROWS = 1000;

/** What deleting an installation's rows removed, table by table. */
export interface DeletedRows {
  installation_structures: number;
  action_logs: number;
  oswl_stats: number;
  installation_release_days: number;
  /** Statements run (the chunks), for the log and the tests. */
  statements: number;
}

const CHUNKED_TABLES = ["action_logs", "oswl_stats", "installation_release_days"] as const;

/**
 * Deletes everything COLLECTOR_DB holds of one installation. Its action logs, OSWL rows and
 * release history go `chunkRows` at a time (each chunk commits on its own; the caller, the
 * installation's object, lets no write in meanwhile, so running it again after a failure
 * finishes the job). Last, in one transaction, the structure goes and a row of
 * installation_deletions tells the roll-up to take the installation out of the reports.
 */
export async function deleteInstallationRows(
  db: D1Database,
  masterNodeUid: string,
  now: number,
  chunkRows = DELETE_CHUNK_ROWS,
): Promise<DeletedRows> {
  const deleted: DeletedRows = { installation_structures: 0, action_logs: 0, oswl_stats: 0, installation_release_days: 0, statements: 0 };
  for (const table of CHUNKED_TABLES) {
    for (;;) {
      const result = await db
        .prepare(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE master_node_uid = ? LIMIT ?)`)
        .bind(masterNodeUid, chunkRows)
        .run();
      deleted.statements++;
      deleted[table] += result.meta.changes;
      if (result.meta.changes < chunkRows) break;
    }
  }
  const [, structures] = await db.batch([
    db
      .prepare(
        `INSERT INTO installation_deletions (master_node_uid, structure_id, deleted_at)
         SELECT master_node_uid, id, ?2 FROM installation_structures WHERE master_node_uid = ?1`,
      )
      .bind(masterNodeUid, now),
    db.prepare(`DELETE FROM installation_structures WHERE master_node_uid = ?`).bind(masterNodeUid),
  ]);
  deleted.statements++;
  deleted.installation_structures = structures!.meta.changes;
  return deleted;
}
