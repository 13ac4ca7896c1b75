// Reads for the CSV exports: keyset pages of installations and OSWL rows, bounded by row count and
// by bytes (one query per page), plus the verify_networks statuses of a page of installations. The
// structures are shaved in SQL to what a report reads, so the clusters report never carries nodes.
import type { OswlRecord } from "../csv/oswl-series";
import { type DayRange, dayAfter } from "../domain/days";

/** A page holds at most this many rows, and stops once its JSON passes `PAGE_BYTES`. */
export const PAGE_ROWS = 200;
export const PAGE_BYTES = 4 * 1024 * 1024;

/** The day after `to` at midnight, as stored ISO timestamps compare (fuel-stats' to + 1 day). */
export const endOfRange = (to: string) => `${dayAfter(to)}T00:00:00.000Z`;

// Reports read installations that are not filtered (false or NULL) and not quarantined, and that
// were created or modified on or after `from` and created or modified by the end of `to`
// (fuel-stats compared with to + 1 day at midnight).
const INSTALLATION_FILTER = `
  (s.is_filtered = 0 OR s.is_filtered IS NULL) AND s.trust != 'quarantined'
  AND (s.creation_date >= ?1 OR s.modification_date >= ?1)
  AND (s.creation_date <= ?2 OR s.modification_date <= ?2)`;

export type InstallationProjection = "clusters" | "nodes" | "plugins";

/**
 * Installations with at most this many clusters (nearly all) lose the fields a report does not
 * read in one json_remove over the whole structure, 3.5 times as fast as rebuilding the list
 * cluster by cluster (SQLite's function arguments are limited, so larger lists are rebuilt).
 */
export const REMOVE_IN_PLACE_CLUSTERS = 30;

/** The structure without the cluster fields a report does not read (invalid JSON passes as is). */
function projection(kind: InstallationProjection): string {
  if (kind === "nodes") return "s.structure";
  const fields = kind === "clusters" ? ["nodes", "installed_plugins"] : ["nodes"];
  const drop = fields.map((f) => `'$.${f}'`).join(", ");
  const inPlace = Array.from({ length: REMOVE_IN_PLACE_CLUSTERS }, (_, i) => fields.map((f) => `'$.clusters[${i}].${f}'`)).flat().join(", ");
  // CASE evaluates lazily: no JSON function ever sees invalid JSON and fails the whole query.
  // json_array_length is NULL when clusters is not a list, which then passes as it is.
  return `CASE WHEN NOT json_valid(s.structure) THEN s.structure
    WHEN json_array_length(s.structure, '$.clusters') <= ${REMOVE_IN_PLACE_CLUSTERS} THEN json_remove(s.structure, ${inPlace})
    WHEN json_type(s.structure, '$.clusters') = 'array' THEN
    json_set(json_remove(s.structure, '$.clusters'), '$.clusters', json((
      SELECT json_group_array(CASE WHEN c.type = 'object' THEN json(json_remove(c.value, ${drop})) ELSE c.value END)
      FROM json_each(s.structure, '$.clusters') AS c)))
    ELSE s.structure END`;
}

export interface CsvInstallationRow {
  id: number;
  master_node_uid: string;
  creation_date: string;
  modification_date: string | null;
  /** JSON text. */
  structure: string;
}

/**
 * The query of a page of report installations: ?1 from, ?2 end, ?3 after id, ?4 rows, ?5 bytes.
 * The candidates are limited before the running total is taken, so a page reads only its rows.
 * NOT INDEXED keeps SQLite on the rowid walk from `after`: left to itself it answers the
 * is_filtered OR with the is_filtered index, reads every remaining row and sorts them, on every
 * page (an export then reads N²/200 rows; bench:csv found it, test/worker/csv/query-plan.test.ts
 * holds the plan).
 */
export const installationPageQuery = (kind: InstallationProjection) =>
  `WITH candidates AS (
         SELECT s.id, length(s.structure) AS size FROM installation_structures AS s NOT INDEXED
         WHERE ${INSTALLATION_FILTER} AND s.id > ?3 ORDER BY s.id LIMIT ?4),
       page AS (SELECT id, sum(size) OVER (ORDER BY id) - size AS before FROM candidates)
       SELECT s.id, s.master_node_uid, s.creation_date, s.modification_date, ${projection(kind)} AS structure
       FROM page JOIN installation_structures AS s ON s.id = page.id
       WHERE page.before < ?5 ORDER BY s.id`;

/** The next page of report installations after id `after`, by id, in one query. */
export async function listCsvInstallations(
  db: D1Database,
  kind: InstallationProjection,
  range: DayRange,
  after: number,
  limits = { rows: PAGE_ROWS, bytes: PAGE_BYTES },
): Promise<CsvInstallationRow[]> {
  const { results } = await db
    .prepare(installationPageQuery(kind))
    .bind(range.from, endOfRange(range.to), after, limits.rows, limits.bytes)
    .all<CsvInstallationRow>();
  return results;
}

export interface VerifyNetworksStatusRow {
  master_node_uid: string;
  cluster_id: unknown;
  status: unknown;
}

// ?1 a JSON array of installations' uids; ?2 and ?3 the range's first and last day. The kind's terms
// match the partial index action_logs_verify_networks_idx, which holds only these tasks.
export const VERIFY_NETWORKS_STATUSES_QUERY = `SELECT master_node_uid, cluster_id, status FROM (
     SELECT a.master_node_uid, a.body ->> '$.cluster_id' AS cluster_id,
            a.body ->> '$.additional_info.ended_with_status' AS status,
            row_number() OVER (PARTITION BY a.master_node_uid, a.body ->> '$.cluster_id' ORDER BY a.external_id DESC) AS n
     FROM action_logs AS a
     WHERE a.master_node_uid IN (SELECT value FROM json_each(?1))
       AND a.action_type = 'nailgun_task' AND a.action_name = 'verify_networks' AND a.trust != 'quarantined'
       AND substr(a.body ->> '$.end_timestamp', 1, 10) BETWEEN ?2 AND ?3)
   WHERE n = 1`;

/**
 * For each (installation, cluster) of the given installations, `ended_with_status` of the
 * verify_networks task with the highest external_id among those that ended within the range.
 */
export async function listVerifyNetworksStatuses(db: D1Database, uids: readonly string[], range: DayRange): Promise<VerifyNetworksStatusRow[]> {
  if (uids.length === 0) return [];
  const { results } = await db
    .prepare(VERIFY_NETWORKS_STATUSES_QUERY)
    .bind(JSON.stringify(uids), range.from, range.to)
    .all<VerifyNetworksStatusRow>();
  return results;
}

/** Where an OSWL page ends: the keyset (created_date, id). */
export interface OswlCursor {
  created_date: string;
  id: number;
}

/** An OSWL row as the query returns it: OswlRecord with its JSON fields still as text. */
export interface CsvOswlRow extends Omit<OswlRecord, "resource_data" | "version_info" | "cluster_version" | "fuel_release"> {
  resource_data: string;
  version_info: string | null;
  /** `{fuel_version, release}` of the installation's cluster with this id, or null. */
  cluster_version: string | null;
  fuel_release: string | null;
}

// OSWL rows of one type created within the range (created_date may carry a time: compared as
// text against [from, day after to)), of report installations (inner join, any dates).
// The OSWL rows of the type in (created_date, id) order straight from their index, each joined to
// its installation by uid (CROSS JOIN keeps that order): a page reads its own rows, where SQLite
// left to itself took the type's rows and sorted all of them on every page.
const OSWL_FROM = `
  FROM oswl_stats AS o INDEXED BY oswl_stats_resource_type_created_date_idx
  CROSS JOIN installation_structures AS s ON s.master_node_uid = o.master_node_uid
  WHERE o.resource_type = ?1 AND o.created_date >= ?2 AND o.created_date < ?3 AND o.trust != 'quarantined'
    AND (s.is_filtered = 0 OR s.is_filtered IS NULL) AND s.trust != 'quarantined'
    AND (o.created_date, o.id) > (?4, ?5)`;

const VALID_STRUCTURE = "CASE WHEN json_valid(s.structure) THEN s.structure ELSE '{}' END";

/** The query of a page of OSWL rows: ?1 type, ?2 from, ?3 day after to, ?4/?5 after, ?6 rows, ?7 bytes. */
export const OSWL_PAGE_QUERY = `WITH candidates AS (
         SELECT o.id, o.created_date, length(o.resource_data) AS size ${OSWL_FROM}
         ORDER BY o.created_date, o.id LIMIT ?6),
       page AS (SELECT id, sum(size) OVER (ORDER BY created_date, id) - size AS before FROM candidates)
       SELECT o.id, o.master_node_uid, o.cluster_id, o.created_date, o.resource_type, o.resource_checksum,
              o.resource_data, o.version_info,
              substr(max(s.creation_date, coalesce(s.modification_date, s.creation_date)), 1, 10) AS last_sync_day,
              (${VALID_STRUCTURE}) -> '$.fuel_release' AS fuel_release,
              (SELECT json_object('fuel_version', c.value -> '$.fuel_version', 'release', c.value -> '$.release')
               FROM json_each(${VALID_STRUCTURE}, '$.clusters') AS c
               WHERE (CASE WHEN c.type = 'object' THEN c.value ->> '$.id' END) = o.cluster_id
                 AND coalesce(CASE WHEN c.type = 'object' THEN c.value ->> '$.fuel_version' END, '') NOT IN ('', 0)
               ORDER BY c.key DESC LIMIT 1) AS cluster_version
       FROM page JOIN oswl_stats AS o ON o.id = page.id JOIN installation_structures AS s ON s.master_node_uid = o.master_node_uid
       WHERE page.before < ?7
       ORDER BY o.created_date, o.id`;

/** The next page of OSWL rows of a type after `after`, by (created_date, id), in one query. */
export async function listCsvOswls(
  db: D1Database,
  resourceType: string,
  range: DayRange,
  after: OswlCursor | null,
  limits = { rows: PAGE_ROWS, bytes: PAGE_BYTES },
): Promise<CsvOswlRow[]> {
  const { results } = await db
    .prepare(OSWL_PAGE_QUERY)
    .bind(resourceType, range.from, dayAfter(range.to), after?.created_date ?? "", after?.id ?? 0, limits.rows, limits.bytes)
    .all<CsvOswlRow>();
  return results;
}
