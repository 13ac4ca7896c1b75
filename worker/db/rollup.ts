// The roll-up's reads of COLLECTOR_DB and its writes to ANALYTIC_DB. A chunk's writes, its
// cursor and the claim of the next cursor version go to D1 in one batch, which is one
// transaction: a chunk is either wholly counted or not at all.
import {
  type ClusterFacts,
  type Counts,
  type InstallationSummary,
  type ReleaseEntry,
  splitKey,
} from "../domain/rollup";

export interface RollupCursor {
  version: number;
  cursorAt: number;
  cursorId: number;
  rulesEpoch: string;
}

/** A changed installation as the collector holds it, with only the fields the roll-up uses. */
export interface ChangedInstallation {
  id: number;
  uid: string;
  updatedAt: number;
  release: string | null;
  trust: string;
  storedIsFiltered: boolean | null;
  clustersNum: string | null;
  clusters: ClusterFacts[];
  history: ReleaseEntry[];
  build: { release: string | null; buildId: string | null; packages: string[] | null };
}

export interface Metered<T> {
  value: T;
  rowsRead: number;
  rowsWritten: number;
}

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === "string" ? value : JSON.stringify(value);

// Clusters and release history come back as JSON arrays built in SQL, so a chunk is one query
// and the structures' JSON never leaves D1.
const CHANGED_INSTALLATIONS = `
SELECT s.id, s.master_node_uid AS uid, s.updated_at, s.release, s.trust, s.is_filtered,
       s.structure ->> '$.clusters_num' AS clusters_num,
       s.structure ->> '$.fuel_release.release' AS build_release,
       s.structure ->> '$.fuel_release.build_id' AS build_id,
       s.structure -> '$.fuel_packages' AS fuel_packages,
       (SELECT json_group_array(json_array(c.value ->> '$.status', c.value ->> '$.nodes_num',
                                           c.value ->> '$.attributes.libvirt_type', c.value ->> '$.release.os'))
          FROM json_each(s.structure, '$.clusters') AS c) AS clusters,
       (SELECT json_group_array(json_array(h.day, h.release))
          FROM (SELECT day, release FROM installation_release_days
                WHERE master_node_uid = s.master_node_uid ORDER BY day, id) AS h) AS history
FROM installation_structures AS s
WHERE (s.updated_at, s.id) > (?1, ?2)
ORDER BY s.updated_at, s.id
LIMIT ?3`;

interface ChangedRow {
  id: number;
  uid: string;
  updated_at: number;
  release: string | null;
  trust: string;
  is_filtered: number | null;
  clusters_num: unknown;
  build_release: unknown;
  build_id: unknown;
  fuel_packages: string | null;
  clusters: string;
  history: string;
}

/** Installations changed after `cursor`, in cursor order. */
export async function readChangedInstallations(
  db: D1Database,
  cursor: { cursorAt: number; cursorId: number },
  limit: number,
): Promise<Metered<ChangedInstallation[]>> {
  const result = await db.prepare(CHANGED_INSTALLATIONS).bind(cursor.cursorAt, cursor.cursorId, limit).all<ChangedRow>();
  const value = result.results.map((row): ChangedInstallation => {
    const packages: unknown = row.fuel_packages === null ? null : JSON.parse(row.fuel_packages);
    return {
      id: row.id,
      uid: row.uid,
      updatedAt: row.updated_at,
      release: row.release,
      trust: row.trust,
      storedIsFiltered: row.is_filtered === null ? null : row.is_filtered === 1,
      clustersNum: text(row.clusters_num),
      clusters: (JSON.parse(row.clusters) as unknown[][]).map(([status, nodesNum, hypervisor, os]) => ({
        status: text(status),
        nodesNum: text(nodesNum),
        hypervisor: text(hypervisor),
        os: text(os),
      })),
      history: (JSON.parse(row.history) as [string, string | null][]).map(([day, release]) => ({ day, release })),
      build: {
        release: typeof row.build_release === "string" ? row.build_release : null,
        buildId: typeof row.build_id === "string" ? row.build_id : null,
        packages: Array.isArray(packages) ? packages.filter((p): p is string => typeof p === "string") : null,
      },
    };
  });
  return { value, rowsRead: result.meta.rows_read, rowsWritten: 0 };
}

/** Writes back the classification the roll-up made, where the collector holds another one. */
export async function updateCollectorClassification(
  db: D1Database,
  changes: readonly { uid: string; updatedAt: number; isFiltered: boolean }[],
): Promise<{ changed: number; rowsWritten: number }> {
  if (changes.length === 0) return { changed: 0, rowsWritten: 0 };
  // Only the row version that was classified: a newer write is classified by its own roll-up.
  const result = await db
    .prepare(
      `UPDATE installation_structures SET is_filtered = j.value ->> '$.f'
       FROM json_each(?) AS j
       WHERE installation_structures.master_node_uid = j.value ->> '$.u' AND installation_structures.updated_at = j.value ->> '$.a'`,
    )
    .bind(JSON.stringify(changes.map((c) => ({ u: c.uid, a: c.updatedAt, f: c.isFiltered ? 1 : 0 }))))
    .run();
  return { changed: result.meta.changes, rowsWritten: result.meta.rows_written };
}

export async function readCursor(db: D1Database, job: string): Promise<RollupCursor | null> {
  const row = await db
    .prepare(
      `SELECT version, cursor_at, cursor_id, rules_epoch FROM rollup_cursors WHERE job = ? ORDER BY version DESC LIMIT 1`,
    )
    .bind(job)
    .first<{ version: number; cursor_at: number; cursor_id: number; rules_epoch: string }>();
  return row && { version: row.version, cursorAt: row.cursor_at, cursorId: row.cursor_id, rulesEpoch: row.rules_epoch };
}

/** What the roll-up last counted for an installation, and the collector row it counted. */
export interface CountedSummary {
  summary: InstallationSummary;
  /** installation_structures.id; null when rolled up before the roll-up kept it. */
  sourceId: number | null;
}

/** The summaries last counted for these installations. */
export async function readSummaries(db: D1Database, uids: readonly string[]): Promise<Metered<Map<string, CountedSummary>>> {
  const result = await db
    .prepare(
      `SELECT master_node_uid AS uid, summary, source_id FROM rollup_installations WHERE master_node_uid IN (SELECT value FROM json_each(?))`,
    )
    .bind(JSON.stringify(uids))
    .all<{ uid: string; summary: string; source_id: number | null }>();
  const value = new Map(
    result.results.map((r) => [r.uid, { summary: JSON.parse(r.summary) as InstallationSummary, sourceId: r.source_id }]),
  );
  return { value, rowsRead: result.meta.rows_read, rowsWritten: 0 };
}

/** A deleted installation whose contribution the roll-up has yet to take out. */
export interface PendingDeletion {
  id: number;
  uid: string;
  /** installation_structures.id of the deleted row. */
  structureId: number;
}

/** The oldest deletions not yet rolled up. */
export async function readPendingDeletions(db: D1Database, limit: number): Promise<Metered<PendingDeletion[]>> {
  const result = await db
    .prepare(`SELECT id, master_node_uid AS uid, structure_id FROM installation_deletions ORDER BY id LIMIT ?`)
    .bind(limit)
    .all<{ id: number; uid: string; structure_id: number }>();
  return {
    value: result.results.map((r) => ({ id: r.id, uid: r.uid, structureId: r.structure_id })),
    rowsRead: result.meta.rows_read,
    rowsWritten: 0,
  };
}

/** Forgets deletions the roll-up has committed (the last trace of those installations' uids). */
export async function deleteRolledUpDeletions(db: D1Database, ids: readonly number[]): Promise<Metered<null>> {
  if (ids.length === 0) return { value: null, rowsRead: 0, rowsWritten: 0 };
  const result = await db
    .prepare(`DELETE FROM installation_deletions WHERE id IN (SELECT value FROM json_each(?))`)
    .bind(JSON.stringify(ids))
    .run();
  return { value: null, rowsRead: result.meta.rows_read, rowsWritten: result.meta.rows_written };
}

export interface ChunkWrite {
  job: string;
  /** The version this chunk read the cursor at; it commits `from.version + 1`. */
  from: RollupCursor;
  to: Omit<RollupCursor, "version">;
  installations: {
    uid: string;
    summary: InstallationSummary;
    isFiltered: boolean;
    trust: string;
    sourceUpdatedAt: number;
    sourceId: number;
  }[];
  /** Deleted installations: their summaries go (their contribution is in the counts below). */
  removed?: readonly string[];
  report: Counts;
  adoption: Counts;
  transitions: Counts;
  now: number;
}

export class CursorMovedError extends Error {
  constructor(job: string) {
    super(`another ${job} roll-up committed first; this chunk was rolled back`);
  }
}

const rowsOf = (counts: Counts, width: number) =>
  JSON.stringify([...counts].map(([key, n]) => [...splitKey(key).slice(0, width), n]));

/** Commits one chunk; throws CursorMovedError (writing nothing) if another run got there first. */
export async function commitChunk(db: D1Database, write: ChunkWrite): Promise<Metered<null>> {
  const statements = [
    // The claim comes first: if the version exists, the batch fails here and nothing is written.
    db
      .prepare(
        `INSERT INTO rollup_cursors (job, version, cursor_at, cursor_id, rules_epoch, committed_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .bind(write.job, write.from.version + 1, write.to.cursorAt, write.to.cursorId, write.to.rulesEpoch, write.now),
    db.prepare(`DELETE FROM rollup_cursors WHERE job = ? AND version < ?`).bind(write.job, write.from.version + 1),
    db
      .prepare(
        `INSERT INTO rollup_installations (master_node_uid, release, counted, is_filtered, trust, summary, source_updated_at, source_id, rolled_at)
         SELECT j.value ->> '$[0]', j.value ->> '$[1]', j.value ->> '$[2]', j.value ->> '$[3]', j.value ->> '$[4]',
                j.value ->> '$[5]', j.value ->> '$[6]', j.value ->> '$[7]', ?2
         FROM json_each(?1) AS j WHERE true
         ON CONFLICT (master_node_uid) DO UPDATE SET release = excluded.release, counted = excluded.counted,
           is_filtered = excluded.is_filtered, trust = excluded.trust, summary = excluded.summary,
           source_updated_at = excluded.source_updated_at, source_id = excluded.source_id, rolled_at = excluded.rolled_at`,
      )
      .bind(
        JSON.stringify(
          write.installations.map((i) => [
            i.uid,
            i.summary.release,
            i.summary.counted ? 1 : 0,
            i.isFiltered ? 1 : 0,
            i.trust,
            JSON.stringify(i.summary),
            i.sourceUpdatedAt,
            i.sourceId,
          ]),
        ),
        write.now,
      ),
  ];
  if (write.removed && write.removed.length > 0) {
    statements.push(
      db.prepare(`DELETE FROM rollup_installations WHERE master_node_uid IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(write.removed)),
    );
  }
  const addCounts = (table: string, columns: string[], counts: Counts) => {
    if (counts.size === 0) return;
    const list = columns.join(", ");
    const values = columns.map((_, i) => `j.value ->> '$[${i}]'`).join(", ");
    statements.push(
      db
        .prepare(
          `INSERT INTO ${table} (${list}, n) SELECT ${values}, j.value ->> '$[${columns.length}]' FROM json_each(?) AS j WHERE true
           ON CONFLICT (${list}) DO UPDATE SET n = n + excluded.n`,
        )
        .bind(rowsOf(counts, columns.length)),
      db
        .prepare(`DELETE FROM ${table} WHERE n = 0 AND (${list}) IN (SELECT ${values} FROM json_each(?) AS j)`)
        .bind(rowsOf(counts, columns.length)),
    );
  };
  addCounts("report_counts", ["scope", "metric", "key"], write.report);
  addCounts("adoption_changes", ["day", "release"], write.adoption);
  addCounts("release_transitions", ["day", "from_release", "to_release"], write.transitions);
  try {
    const results = await db.batch(statements);
    return {
      value: null,
      rowsRead: results.reduce((n, r) => n + r.meta.rows_read, 0),
      rowsWritten: results.reduce((n, r) => n + r.meta.rows_written, 0),
    };
  } catch (error) {
    if (String(error).includes("UNIQUE constraint failed: rollup_cursors")) throw new CursorMovedError(write.job);
    throw error;
  }
}
