// Paged reads of the collector's raw rows for the JSON exports, mapped to their wire shapes.
import type { ActionLogRow, InstallationInfo, OswlRow, PagingParams, Summary } from "../../schemas/exports";

type Page<T> = { total: number; rows: T[] };

async function page<R, T>(
  db: D1Database,
  from: string,
  where: string,
  args: unknown[],
  columns: string,
  paging: PagingParams,
  map: (row: R) => T,
): Promise<Page<T>> {
  const [count, rows] = await db.batch([
    db.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${where}`).bind(...args),
    db.prepare(`SELECT ${columns} FROM ${from} WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`).bind(...args, paging.limit, paging.offset),
  ]);
  return { total: (count!.results[0] as { n: number }).n, rows: (rows!.results as R[]).map(map) };
}

type InstallationRow = {
  id: number;
  master_node_uid: string;
  structure: string;
  creation_date: string;
  modification_date: string | null;
  is_filtered: number | null;
  release: string | null;
};
const INSTALLATION_COLUMNS = "id, master_node_uid, structure, creation_date, modification_date, is_filtered, release";
const toInstallationInfo = (r: InstallationRow): InstallationInfo => ({
  ...r,
  structure: JSON.parse(r.structure),
  is_filtered: r.is_filtered === null ? null : r.is_filtered === 1,
});

export async function findInstallationInfo(db: D1Database, uid: string): Promise<InstallationInfo | null> {
  const row = await db
    .prepare(`SELECT ${INSTALLATION_COLUMNS} FROM installation_structures WHERE master_node_uid = ?`)
    .bind(uid)
    .first<InstallationRow>();
  return row ? toInstallationInfo(row) : null;
}

export function listFilteredInstallations(db: D1Database, paging: PagingParams) {
  return page(db, "installation_structures", "is_filtered = 1", [], INSTALLATION_COLUMNS, paging, toInstallationInfo);
}

type OswlDbRow = Omit<OswlRow, "resource_data" | "version_info"> & { resource_data: string; version_info: string | null };
export function listOswlRows(db: D1Database, uid: string, resourceType: string | null, paging: PagingParams) {
  const [where, args] = resourceType === null ? ["master_node_uid = ?", [uid]] : ["master_node_uid = ? AND resource_type = ?", [uid, resourceType]];
  const columns =
    "id, master_node_uid, external_id, cluster_id, created_date, updated_time, resource_type, resource_data, resource_checksum, version_info";
  return page(db, "oswl_stats", where, args, columns, paging, (r: OswlDbRow): OswlRow => ({
    ...r,
    resource_data: JSON.parse(r.resource_data),
    version_info: r.version_info === null ? null : JSON.parse(r.version_info),
  }));
}

type ActionLogDbRow = Omit<ActionLogRow, "body"> & { body: string };
export function listActionLogRows(db: D1Database, uid: string, paging: PagingParams) {
  const columns = "id, master_node_uid, external_id, body, action_type, action_name";
  return page(db, "action_logs", "master_node_uid = ?", [uid], columns, paging, (r: ActionLogDbRow): ActionLogRow => ({
    ...r,
    body: JSON.parse(r.body),
  }));
}

export async function summarizeCollector(db: D1Database): Promise<Summary> {
  const row = await db
    .prepare(
      `SELECT (SELECT count(*) FROM installation_structures) AS total,
              (SELECT count(*) FROM installation_structures WHERE is_filtered = 1) AS filtered,
              (SELECT count(*) FROM action_logs) AS action_logs,
              (SELECT count(*) FROM oswl_stats) AS oswl_stats`,
    )
    .first<{ total: number; filtered: number; action_logs: number; oswl_stats: number }>();
  const r = row!;
  return {
    installation_structures: { total: r.total, filtered: r.filtered, not_filtered: r.total - r.filtered },
    action_logs: { total: r.action_logs },
    oswl_stats: { total: r.oswl_stats },
  };
}
