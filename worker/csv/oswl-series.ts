// The OSWL time series (reference §3.5): one row per resource per day, from the first OSWL's day
// up to to_date, gaps filled from a "horizon" of the latest OSWL per (installation, cluster,
// resource type). Pure: OSWLs go in ordered by (created_date, id), rows come out day by day.
import type { RowOutcome } from "./installation-rows";
import { type CompiledLayout, layoutRow } from "./layout";
import { dayAfter } from "../domain/days";

/** An OSWL row joined to what the series needs from its installation. */
export interface OswlRecord {
  id: number;
  master_node_uid: string;
  cluster_id: number;
  /** YYYY-MM-DD. */
  created_date: string;
  resource_type: string;
  resource_checksum: string;
  resource_data: unknown;
  version_info: unknown;
  /** YYYY-MM-DD of max(creation_date, modification_date) of the installation: its last sync. */
  last_sync_day: string;
  /** The installation's cluster with this id, if it has a fuel_version: `{fuel_version, release}`. */
  cluster_version: unknown;
  /** The installation's structure.fuel_release. */
  fuel_release: unknown;
}

/** A horizon entry shown on a day; `repeated` when that day is not its own created_date. */
export interface SeriesEntry {
  oswl: OswlRecord;
  stats_on_date: string;
  repeated: boolean;
}


const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Equality of parsed JSON values; key order does not matter (Python dict equality). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The gap-filling walk. `add` the OSWLs in (created_date, id) order, draining what each call
 * yields (the days completed before it), then drain `finish`. Memory is the horizon: one OSWL per
 * (installation, cluster, resource type), however many rows and days.
 */
export class OswlSeries {
  private readonly horizon = new Map<string, OswlRecord>();
  private day: string | null = null;

  constructor(private readonly toDate: string) {}

  *add(oswl: OswlRecord): Generator<SeriesEntry> {
    if (this.day === null) this.day = oswl.created_date;
    while (this.day < oswl.created_date) {
      // An empty horizon shows nothing: jump to the next OSWL's day.
      if (this.horizon.size === 0) this.day = oswl.created_date;
      else {
        yield* this.show(this.day);
        this.day = dayAfter(this.day);
      }
    }
    this.remember(oswl);
  }

  *finish(): Generator<SeriesEntry> {
    // Once every installation has stopped reporting nothing more can appear, so a to_date far in
    // the future ends the walk at the last sync instead of looping to it.
    while (this.day !== null && this.day <= this.toDate && this.horizon.size > 0) {
      yield* this.show(this.day);
      this.day = dayAfter(this.day);
    }
  }

  /** A newer OSWL replaces the horizon's unless it is a duplicate: same checksum, same data (bug 1524820). */
  private remember(oswl: OswlRecord): void {
    const key = JSON.stringify([oswl.master_node_uid, oswl.cluster_id, oswl.resource_type]);
    const old = this.horizon.get(key);
    if (!old || old.resource_checksum !== oswl.resource_checksum || !jsonEqual(old.resource_data, oswl.resource_data)) {
      this.horizon.set(key, oswl);
    }
  }

  private *show(day: string): Generator<SeriesEntry> {
    for (const [key, oswl] of this.horizon) {
      // An installation that stopped reporting leaves the series for good.
      if (oswl.last_sync_day < day) this.horizon.delete(key);
      else yield { oswl, stats_on_date: day, repeated: oswl.created_date !== day };
    }
  }
}

/** The whole series of some OSWLs (for tests and small inputs). */
export function* fillDateGaps(oswls: Iterable<OswlRecord>, toDate: string): Generator<SeriesEntry> {
  const series = new OswlSeries(toDate);
  for (const oswl of oswls) yield* series.add(oswl);
  yield* series.finish();
}

/** Python truthiness of a JSON value. */
const truthy = (v: unknown) =>
  Array.isArray(v) ? v.length > 0 : isRecord(v) ? Object.keys(v).length > 0 : v !== null && v !== undefined && v !== false && v !== 0 && v !== "";

/**
 * The version info of a row: the OSWL's own if non-empty; else its cluster's fuel_version and
 * release; else the installation's fuel_release (release, openstack_version).
 */
export function resolveVersionInfo(oswl: Pick<OswlRecord, "version_info" | "cluster_version" | "fuel_release">): Record<string, unknown> {
  if (isRecord(oswl.version_info) && truthy(oswl.version_info)) return oswl.version_info;
  const cluster = oswl.cluster_version;
  if (isRecord(cluster) && truthy(cluster.fuel_version)) {
    const info: Record<string, unknown> = { fuel_version: cluster.fuel_version };
    if (isRecord(cluster.release) && truthy(cluster.release)) {
      info.release_version = cluster.release.version;
      info.release_os = cluster.release.os;
      info.release_name = cluster.release.name;
    }
    return info;
  }
  const release = isRecord(oswl.fuel_release) ? oswl.fuel_release : {};
  return { fuel_version: release.release, release_version: release.openstack_version };
}

class MalformedOswl extends Error {}

/** A list of resource_data; absent is empty. */
function resourceList(data: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const list = data[key] ?? [];
  if (!Array.isArray(list)) throw new MalformedOswl(`resource_data.${key} is not a list`);
  return list.map((item, i) => {
    if (!isRecord(item)) throw new MalformedOswl(`resource_data.${key}[${i}] is not an object`);
    return item;
  });
}

/** Ids compare as JSON values: 1 and "1" differ, as they did in Python. */
const idKey = (item: Record<string, unknown>, where: string) => {
  if (!Object.hasOwn(item, "id")) throw new MalformedOswl(`an item of resource_data.${where} has no id`);
  return JSON.stringify(item.id);
};

/**
 * The resources of an entry: all of `current`, then items of `removed` not in `current` (removed
 * for good), each flagged by membership in added, modified and removed. On a repeated day the
 * three lists count as empty. Items of `removed` with 2 keys or fewer are the malformed format of
 * old Fuel versions and are ignored. A malformed entry gives one `bad` outcome and no rows.
 */
export function seriesEntryRows(layout: CompiledLayout, entry: SeriesEntry): RowOutcome[] {
  const { oswl } = entry;
  try {
    if (!isRecord(oswl.resource_data)) throw new MalformedOswl("resource_data is not an object");
    const data = oswl.resource_data;
    const current = resourceList(data, "current");
    const [added, modified, removed] = entry.repeated
      ? [[], [], []]
      : [resourceList(data, "added"), resourceList(data, "modified"), resourceList(data, "removed").filter((r) => Object.keys(r).length > 2)];
    const ids = (items: Record<string, unknown>[], where: string) => new Set(items.map((item) => idKey(item, where)));
    const addedIds = ids(added, "added");
    const modifiedIds = ids(modified, "modified");
    const removedIds = ids(removed, "removed");
    const currentIds = ids(current, "current");
    const finallyRemoved = removed.filter((r) => !currentIds.has(idKey(r, "removed")));

    const common = {
      master_node_uid: oswl.master_node_uid,
      cluster_id: oswl.cluster_id,
      stats_on_date: entry.stats_on_date,
      resource_type: oswl.resource_type,
      version_info: resolveVersionInfo(oswl),
    };
    return [...current, ...finallyRemoved].map((resource) => {
      const id = JSON.stringify(resource.id);
      const flags = { is_added: addedIds.has(id), is_modified: modifiedIds.has(id), is_removed: removedIds.has(id) };
      const sources = { oswl: common, resource: { [oswl.resource_type]: resource }, extra: { [oswl.resource_type]: flags } };
      return { row: layoutRow(layout, sources, true) };
    });
  } catch (error) {
    if (error instanceof MalformedOswl) return [{ bad: error.message }];
    throw error;
  }
}
