// Rows of the clusters, nodes and plugins reports from one installation. Pure: a malformed part
// of a structure gives a `bad` outcome for the rows it spoils, and the other rows still come.
import { type CompiledLayout, layoutRow } from "./layout";

/** An installation_structures row, its structure parsed. */
export interface InstallationRecord {
  id: number;
  master_node_uid: string;
  creation_date: string;
  modification_date: string | null;
  structure: unknown;
}

/** A row, or why a record gave none (for the log). */
export type RowOutcome = { row: string[] } | { bad: string };

export type InstallationReport = "clusters" | "nodes" | "plugins";

export interface InstallationRowOptions {
  /** Write the contact columns (CONTACT_COLUMNS). */
  contacts: boolean;
  /** clusters: the latest verify_networks status of a cluster, by cluster id. */
  verifyStatus?: (clusterId: unknown) => unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A list field that may be absent (no rows) but not of another kind. */
function listField(owner: Record<string, unknown>, key: string): unknown[] | null {
  const value = owner[key];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : null;
}

export function* installationRows(
  report: InstallationReport,
  layout: CompiledLayout,
  installation: InstallationRecord,
  options: InstallationRowOptions,
): Generator<RowOutcome> {
  const { structure } = installation;
  if (!isRecord(structure)) {
    yield { bad: "structure is not an object" };
    return;
  }
  const clusters = listField(structure, "clusters");
  if (clusters === null) {
    yield { bad: "structure.clusters is not a list" };
    return;
  }
  const source = { ...installation, structure };
  for (const [index, cluster] of clusters.entries()) {
    if (!isRecord(cluster)) {
      yield { bad: `clusters[${index}] is not an object` };
      continue;
    }
    if (report === "clusters") {
      const extra = { verify_networks_status: options.verifyStatus?.(cluster.id) ?? null };
      yield { row: layoutRow(layout, { cluster, installation: source, extra }, options.contacts) };
      continue;
    }
    const field = report === "nodes" ? "nodes" : "installed_plugins";
    const items = listField(cluster, field);
    if (items === null) {
      yield { bad: `clusters[${index}].${field} is not a list` };
      continue;
    }
    const owner = { cluster_id: cluster.id, cluster_fuel_version: cluster.fuel_version };
    for (const [i, item] of items.entries()) {
      if (!isRecord(item)) yield { bad: `clusters[${index}].${field}[${i}] is not an object` };
      else yield { row: layoutRow(layout, { item, cluster: owner, installation: source }, options.contacts) };
    }
  }
}
