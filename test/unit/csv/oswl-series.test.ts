import { describe, expect, it } from "vitest";
import { layoutOf } from "../../../worker/csv/layout";
import { fillDateGaps, jsonEqual, type OswlRecord, resolveVersionInfo, type SeriesEntry, seriesEntryRows } from "../../../worker/csv/oswl-series";

let nextId = 0;
const oswl = (overrides: Partial<OswlRecord> = {}): OswlRecord => ({
  id: ++nextId,
  master_node_uid: "x",
  cluster_id: 1,
  created_date: "2016-03-01",
  resource_type: "vm",
  resource_checksum: "checksum",
  resource_data: { current: [{ id: 1, status: "ACTIVE" }], added: [], modified: [], removed: [] },
  version_info: { fuel_version: "9.0" },
  last_sync_day: "2016-12-31",
  cluster_version: null,
  fuel_release: null,
  ...overrides,
});

const days = (entries: SeriesEntry[]) => entries.map((e) => e.stats_on_date);
const layout = layoutOf("vm");

/** The rows of a series as objects, for readable expectations. */
function rowsOf(entries: Iterable<SeriesEntry>, type = "vm") {
  const l = layoutOf(type as "vm");
  return [...entries].flatMap((entry) =>
    seriesEntryRows(l, entry).map((o) => {
      if (!("row" in o)) throw new Error(o.bad);
      return Object.fromEntries(l.columns.map((c, i) => [c, o.row[i]!]));
    }),
  );
}
const flags = (r: Record<string, string>) => [r["vm.is_added"], r["vm.is_modified"], r["vm.is_removed"]].map((f) => f === "True");

describe("the OSWL horizon and gap filling", () => {
  it("repeats the latest OSWL on every day up to to_date, dates never decreasing and without gaps", () => {
    const entries = [...fillDateGaps([oswl({ created_date: "2016-03-01" })], "2016-03-05")];
    expect(days(entries)).toEqual(["2016-03-01", "2016-03-02", "2016-03-03", "2016-03-04", "2016-03-05"]);
    expect(entries.map((e) => e.repeated)).toEqual([false, true, true, true, true]);
  });

  it("starts at the earliest OSWL, and shows each (installation, cluster) once a day", () => {
    const input = [
      oswl({ master_node_uid: "a", cluster_id: 1, created_date: "2016-03-01" }),
      oswl({ master_node_uid: "a", cluster_id: 2, created_date: "2016-03-01" }),
      oswl({ master_node_uid: "b", cluster_id: 1, created_date: "2016-03-03" }),
    ];
    const entries = [...fillDateGaps(input, "2016-03-04")];
    expect(days(entries)).toEqual(["2016-03-01", "2016-03-01", "2016-03-02", "2016-03-02", "2016-03-03", "2016-03-03", "2016-03-03", "2016-03-04", "2016-03-04", "2016-03-04"]);
  });

  it("replaces an entry by the newer OSWL of the same installation, cluster and type", () => {
    const first = oswl({ created_date: "2016-03-01", resource_checksum: "a" });
    const second = oswl({ created_date: "2016-03-03", resource_checksum: "b" });
    const entries = [...fillDateGaps([first, second], "2016-03-04")];
    expect(entries.map((e) => [e.stats_on_date, e.oswl.id, e.repeated])).toEqual([
      ["2016-03-01", first.id, false],
      ["2016-03-02", first.id, true],
      ["2016-03-03", second.id, false],
      ["2016-03-04", second.id, true],
    ]);
  });

  it("keeps other resource types and clusters apart", () => {
    const a = oswl({ cluster_id: 1 });
    const b = oswl({ cluster_id: 2, resource_checksum: "other" });
    const c = oswl({ cluster_id: 1, resource_type: "image" });
    expect([...fillDateGaps([a, b, c], "2016-03-01")].map((e) => e.oswl.id)).toEqual([a.id, b.id, c.id]);
  });

  it("skips a duplicate OSWL with the same checksum and the same data (bug 1524820)", () => {
    const data = () => ({ current: [{ id: 1 }], added: [{ id: 1 }] });
    const old = oswl({ created_date: "2016-03-01", resource_data: data() });
    const duplicate = oswl({ created_date: "2016-03-03", resource_data: { added: [{ id: 1 }], current: [{ id: 1 }] } });
    const entries = [...fillDateGaps([old, duplicate], "2016-03-04")];
    expect(entries.map((e) => e.oswl.id)).toEqual([old.id, old.id, old.id, old.id]);
    // Shown from the old one, so on the duplicate's own day its lists are already emptied.
    expect(rowsOf(entries).map(flags)).toEqual([[true, false, false], [false, false, false], [false, false, false], [false, false, false]]);
  });

  it("takes an OSWL with the same checksum but other data, or another checksum and the same data", () => {
    const a = oswl({ created_date: "2016-03-01", resource_data: { current: [{ id: 1 }] } });
    const b = oswl({ created_date: "2016-03-02", resource_data: { current: [{ id: 1 }], added: [{ id: 1 }] } });
    const c = oswl({ created_date: "2016-03-03", resource_checksum: "new", resource_data: { current: [{ id: 1 }], added: [{ id: 1 }] } });
    expect([...fillDateGaps([a, b, c], "2016-03-03")].map((e) => e.oswl.id)).toEqual([a.id, b.id, c.id]);
  });

  it("drops an installation for good once the day is past its last sync", () => {
    const stopped = oswl({ master_node_uid: "stopped", created_date: "2016-03-01", last_sync_day: "2016-03-02" });
    const alive = oswl({ master_node_uid: "alive", created_date: "2016-03-01", last_sync_day: "2016-03-10" });
    const entries = [...fillDateGaps([stopped, alive], "2016-03-04")];
    expect(entries.map((e) => [e.stats_on_date, e.oswl.master_node_uid])).toEqual([
      ["2016-03-01", "stopped"],
      ["2016-03-01", "alive"],
      ["2016-03-02", "stopped"],
      ["2016-03-02", "alive"],
      ["2016-03-03", "alive"],
      ["2016-03-04", "alive"],
    ]);
  });

  it("shows nothing of an installation whose last sync is before its OSWL", () => {
    expect([...fillDateGaps([oswl({ created_date: "2016-03-05", last_sync_day: "2016-03-01" })], "2016-03-10")]).toEqual([]);
  });

  it("ends a walk towards a far future to_date once every installation has stopped reporting", () => {
    const entries = [...fillDateGaps([oswl({ created_date: "2016-03-01", last_sync_day: "2016-03-03" })], "9999-12-31")];
    expect(days(entries)).toEqual(["2016-03-01", "2016-03-02", "2016-03-03"]);
  });

  it("walks to the very last day without overflowing", () => {
    const entries = [...fillDateGaps([oswl({ created_date: "9999-12-30", last_sync_day: "9999-12-31" })], "9999-12-31")];
    expect(days(entries)).toEqual(["9999-12-30", "9999-12-31"]);
  });

  it("gives nothing for no OSWLs", () => {
    expect([...fillDateGaps([], "2016-03-01")]).toEqual([]);
  });

  it("crosses a stretch with nothing to show directly to the next OSWL", () => {
    const a = oswl({ master_node_uid: "a", created_date: "2000-01-01", last_sync_day: "2000-01-01" });
    const b = oswl({ master_node_uid: "b", created_date: "2016-03-01" });
    expect(days([...fillDateGaps([a, b], "2016-03-01")])).toEqual(["2000-01-01", "2016-03-01"]);
  });
});

describe("the resources of an OSWL entry", () => {
  const entry = (o: OswlRecord, day = o.created_date): SeriesEntry => ({ oswl: o, stats_on_date: day, repeated: day !== o.created_date });

  it("shows every current resource with the common columns and its own", () => {
    const o = oswl({ resource_data: { current: [{ id: "a", status: "ACTIVE", tenant_id: "t", power_state: 1 }, { id: "b" }], added: [{ id: "b", time: 1 }] } });
    const rows = rowsOf([entry(o)]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      master_node_uid: "x",
      cluster_id: "1",
      resource_type: "vm",
      stats_on_date: "2016-03-01",
      "version_info.fuel_version": "9.0",
      "vm.id": "a",
      "vm.status": "ACTIVE",
      "vm.power_state": "1",
      "vm.host_id": "",
      "vm.is_added": "False",
    });
    expect(rows[1]).toMatchObject({ "vm.id": "b", "vm.is_added": "True", "vm.is_modified": "False", "vm.is_removed": "False" });
  });

  it("sets the flags by membership of the id in added, modified and removed", () => {
    const o = oswl({
      resource_data: {
        current: [{ id: 1 }, { id: 2 }, { id: 3 }],
        added: [{ id: 1, time: 1 }],
        modified: [{ id: 2, time: 1, status: "old" }],
        removed: [{ id: 3, status: "x", time: 1 }],
      },
    });
    expect(rowsOf([entry(o)]).map(flags)).toEqual([[true, false, false], [false, true, false], [false, false, true]]);
  });

  it("shows a resource removed and added back the same day once, as added and removed", () => {
    const o = oswl({ resource_data: { current: [{ id: 1, status: "on" }], added: [{ id: 1, time: 2 }], removed: [{ id: 1, status: "on", time: 1 }] } });
    expect(rowsOf([entry(o)]).map(flags)).toEqual([[true, false, true]]);
  });

  it("adds the items removed for good after the current ones", () => {
    const o = oswl({ resource_data: { current: [{ id: 1 }], removed: [{ id: 9, status: "gone", time: 1 }] } });
    const rows = rowsOf([entry(o)]);
    expect(rows.map((r) => [r["vm.id"], r["vm.status"], ...flags(r)])).toEqual([["1", "", false, false, false], ["9", "gone", false, false, true]]);
  });

  it("ignores removed items of two keys or fewer (the malformed format of old Fuel versions)", () => {
    const o = oswl({ resource_data: { current: [{ id: 1 }], removed: [{ id: 1, time: 1 }, { id: 7, time: 1 }, { id: 8 }] } });
    expect(rowsOf([entry(o)]).map((r) => [r["vm.id"], ...flags(r)])).toEqual([["1", false, false, false]]);
  });

  it("empties added, modified and removed on a repeated day, so the flags are false and removed items vanish", () => {
    const o = oswl({ resource_data: { current: [{ id: 1 }], added: [{ id: 1 }], modified: [{ id: 1 }], removed: [{ id: 9, a: 1, b: 2 }] } });
    expect(rowsOf([entry(o, "2016-03-02")]).map((r) => [r["vm.id"], r.stats_on_date, ...flags(r)])).toEqual([["1", "2016-03-02", false, false, false]]);
  });

  it("compares ids as JSON values: 1 and \"1\" are different resources", () => {
    const o = oswl({ resource_data: { current: [{ id: 1 }], added: [{ id: "1" }] } });
    expect(rowsOf([entry(o)]).map(flags)).toEqual([[false, false, false]]);
  });

  it("counts a volume's attachments", () => {
    const o = oswl({ resource_type: "volume", resource_data: { current: [{ id: "v", attachments: [{ id: 1 }, { id: 2 }], host: "h" }] } });
    const [row] = rowsOf([entry(o)], "volume");
    expect(row).toMatchObject({ "volume.attachments.count": "2", "volume.id": "v" });
    expect(row).not.toHaveProperty("volume.host");
  });

  it("answers a malformed entry with one bad outcome and no rows", () => {
    for (const resource_data of [[], "x", { current: "x" }, { current: [{ status: "no id" }] }, { current: [], added: [1] }, { current: [7] }]) {
      const outcomes = seriesEntryRows(layout, entry(oswl({ resource_data })));
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toHaveProperty("bad");
    }
  });

  it("takes missing lists as empty", () => {
    expect(rowsOf([entry(oswl({ resource_data: {} }))])).toEqual([]);
    expect(rowsOf([entry(oswl({ resource_data: { current: [{ id: 1 }] } }))])).toHaveLength(1);
  });
});

describe("version info", () => {
  const cluster_version = { fuel_version: "8.0", release: { version: "liberty-8.0", os: "Ubuntu", name: "Liberty on Ubuntu 14.04" } };
  const fuel_release = { release: "9.0", openstack_version: "mitaka-9.0", api: "1" };

  it("is the OSWL's own when it is not empty", () => {
    const own = { fuel_version: "7.0", release_version: "2015.1.0-7.0", release_os: "CentOS", release_name: "Kilo", environment_version: "7.0" };
    expect(resolveVersionInfo({ version_info: own, cluster_version, fuel_release })).toEqual(own);
  });

  it("else comes from the installation's cluster, when that has a fuel_version", () => {
    const expected = { fuel_version: "8.0", release_version: "liberty-8.0", release_os: "Ubuntu", release_name: "Liberty on Ubuntu 14.04" };
    expect(resolveVersionInfo({ version_info: {}, cluster_version, fuel_release })).toEqual(expected);
    expect(resolveVersionInfo({ version_info: null, cluster_version, fuel_release })).toEqual(expected);
    expect(resolveVersionInfo({ version_info: null, cluster_version: { fuel_version: "8.0", release: null }, fuel_release })).toEqual({ fuel_version: "8.0" });
  });

  it("else comes from the installation's fuel_release", () => {
    const expected = { fuel_version: "9.0", release_version: "mitaka-9.0" };
    expect(resolveVersionInfo({ version_info: null, cluster_version: { fuel_version: "", release: cluster_version.release }, fuel_release })).toEqual(expected);
    expect(resolveVersionInfo({ version_info: null, cluster_version: null, fuel_release })).toEqual(expected);
    expect(resolveVersionInfo({ version_info: null, cluster_version: null, fuel_release: null })).toEqual({ fuel_version: undefined, release_version: undefined });
  });

  it("is written into the common columns", () => {
    const o = oswl({ version_info: null, cluster_version: null, fuel_release });
    expect(rowsOf([{ oswl: o, stats_on_date: o.created_date, repeated: false }])[0]).toMatchObject({
      "version_info.fuel_version": "9.0",
      "version_info.release_version": "mitaka-9.0",
      "version_info.release_os": "",
    });
  });
});

// fuel-stats' test_all_resource_statuses_are_shown: four OSWLs over eight days, one resource.
describe("the four-day scenario", () => {
  const day = (n: number) => new Date(Date.UTC(2016, 2, 10 + n)).toISOString().slice(0, 10);
  const time = "10:00:00";
  const input = [
    oswl({ created_date: day(-8), resource_data: { current: [{ id: 1, status: "enabled", tenant_id: "first" }], added: [{ id: 1, time }], modified: [], removed: [] } }),
    // Removed and added back the same day.
    oswl({
      created_date: day(-6),
      resource_data: {
        current: [{ id: 1, status: "enabled", tenant_id: "second" }],
        added: [{ id: 1, time }],
        modified: [],
        removed: [{ id: 1, status: "enabled", time, tenant_id: "second" }],
      },
    }),
    // Changed and changed back.
    oswl({
      created_date: day(-4),
      resource_data: {
        current: [{ id: 1, enabled: true, tenant_id: "third" }],
        added: [],
        modified: [{ id: 1, enabled: false, time }, { id: 1, enabled: true, time }],
        removed: [],
      },
    }),
    // Modified, then removed for good.
    oswl({
      created_date: day(-2),
      resource_checksum: "another_checksum",
      resource_data: {
        current: [],
        added: [],
        modified: [{ id: 1, enabled: false, time }, { id: 1, enabled: true, time }],
        removed: [{ id: 1, enabled: true, tenant_id: "fourth" }],
      },
    }),
  ].map((o) => ({ ...o, last_sync_day: day(0) }));

  it("shows every status of the resource in 7 rows", () => {
    const rows = rowsOf(fillDateGaps(input, day(0)));
    expect(rows.map((r) => [r.stats_on_date, r["vm.tenant_id"], ...flags(r)])).toEqual([
      [day(-8), "first", true, false, false],
      [day(-7), "first", false, false, false],
      [day(-6), "second", true, false, true],
      [day(-5), "second", false, false, false],
      [day(-4), "third", false, true, false],
      [day(-3), "third", false, false, false],
      [day(-2), "fourth", false, true, true],
    ]);
  });
});

describe("jsonEqual", () => {
  it("compares parsed JSON by value, ignoring key order", () => {
    expect(jsonEqual({ a: [1, { b: null }], c: "x" }, { c: "x", a: [1, { b: null }] })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, [1])).toBe(false);
  });
});
