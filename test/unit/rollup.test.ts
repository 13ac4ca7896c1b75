import { describe, expect, it } from "vitest";
import { indexFilteringRules, rulesEpoch } from "../../worker/domain/filtering";
import {
  accumulate,
  adoptionContribution,
  buildAdoption,
  type ClusterFacts,
  compareReleasesNewestFirst,
  countKey,
  difference,
  type InstallationSummary,
  releaseStays,
  reportContribution,
  reportFromRows,
  splitKey,
} from "../../worker/domain/rollup";

const facts = (status: string | null, nodesNum: string | null = "1", hypervisor: string | null = "kvm", os: string | null = "CentOS"): ClusterFacts => ({
  status,
  nodesNum,
  hypervisor,
  os,
});
const summary = (overrides: Partial<InstallationSummary> = {}): InstallationSummary => ({
  release: "9.0",
  clustersNum: "1",
  clusters: [facts("operational")],
  counted: true,
  history: [{ day: "2026-01-01", release: "9.0" }],
  ...overrides,
});
/** The contribution as rows of [scope, metric, key, n], for readable expectations. */
const rows = (counts: Map<string, number>) => [...counts].map(([k, n]) => [...splitKey(k), n]).sort();
/** The all-releases report of some installations, as the roll-up would store and serve it. */
function reportOf(...summaries: InstallationSummary[]) {
  const total = new Map<string, number>();
  for (const s of summaries) accumulate(total, reportContribution(s));
  const stored = [...total].map(([key, n]) => ({ key: splitKey(key), n }));
  return reportFromRows(stored.filter((r) => r.key[0] === "all").map((r) => ({ metric: r.key[1]!, key: r.key[2]!, n: r.n })));
}

describe("reportContribution (fuel-stats report semantics)", () => {
  it("counts an installation once in all releases and once in its own", () => {
    expect(rows(reportContribution(summary({ clusters: [], clustersNum: "0" })))).toEqual([
      ["all", "installations.count", "", 1],
      ["all", "installations.environments_num", "0", 1],
      ["release:9.0", "installations.count", "", 1],
      ["release:9.0", "installations.environments_num", "0", 1],
    ]);
  });

  it("counts nothing for a filtered or quarantined installation, or none at all", () => {
    expect(reportContribution(summary({ counted: false })).size).toBe(0);
    expect(reportContribution(null).size).toBe(0);
  });

  it("counts an installation without a release only in all releases", () => {
    expect(new Set(rows(reportContribution(summary({ release: null }))).map((r) => r[0]))).toEqual(new Set(["all"]));
  });

  it("gives the statuses of fuel-stats' fixture, and lower-cases hypervisors and OSes", () => {
    const report = reportOf(
      summary({ clustersNum: "3", clusters: [facts("new"), facts("operational", "3", "Kvm", "Ubuntu"), facts("error", "0")] }),
      summary({ clustersNum: "3", clusters: [facts("deployment"), facts("operational"), facts("operational", "5", "kvm")] }),
    );
    expect(report.environments.statuses).toEqual({ new: 1, deployment: 1, error: 1, operational: 3 });
    expect(report.environments.hypervisors_num).toEqual({ kvm: 4 });
    expect(report.environments.oses_num).toEqual({ ubuntu: 1, centos: 3 });
    expect(report.environments.nodes_num).toEqual({ "3": 1, "0": 1, "1": 1, "5": 1 });
    expect(report.environments.operable_envs_count).toBe(4);
    expect(report.environments.count).toBe(6);
    expect(report.installations).toEqual({ count: 2, environments_num: { "3": 2 } });
  });

  it("counts nodes, hypervisor and OS only for operational and error clusters, and only when present", () => {
    const report = reportOf(
      summary({ clustersNum: "4", clusters: [facts("new", "7", "qemu", "x"), facts("error", null, null, null), facts("operational", "", "", ""), facts(null)] }),
    );
    expect(report.environments.operable_envs_count).toBe(0);
    expect(report.environments.nodes_num).toEqual({});
    expect(report.environments.hypervisors_num).toEqual({});
    expect(report.environments.oses_num).toEqual({});
    expect(report.environments.statuses).toEqual({ new: 1, error: 1, operational: 1 });
    expect(report.environments.count).toBe(4);
  });

  it("counts an environment per cluster row only when clusters_num is a non-zero number, as fuel-stats did", () => {
    expect(reportOf(summary({ clustersNum: "0", clusters: [facts("new"), facts("new")] })).environments.count).toBe(0);
    // clusters_num says 2 but the list is empty: the pseudo-cluster still counts one environment.
    expect(reportOf(summary({ clustersNum: "2", clusters: [] })).environments.count).toBe(1);
    expect(reportOf(summary({ clustersNum: null, clusters: [] })).installations.environments_num).toEqual({ null: 1 });
  });
});

describe("releases over time", () => {
  it("sorts by day and keeps one stay per run of the same release", () => {
    expect(
      releaseStays([
        { day: "2026-01-03", release: "9.0" },
        { day: "2026-01-01", release: "8.0" },
        { day: "2026-01-02", release: "8.0" },
        { day: "2026-01-05", release: "9.0" },
        { day: "2026-01-06", release: null },
      ]),
    ).toEqual([
      { day: "2026-01-01", release: "8.0" },
      { day: "2026-01-03", release: "9.0" },
      { day: "2026-01-06", release: null },
    ]);
  });

  it("keeps several changes of one day in their order: an upgrade and its revert are two transitions", () => {
    const history = [
      { day: "2026-01-01", release: "8.0" },
      { day: "2026-01-02", release: "9.0" },
      { day: "2026-01-02", release: "8.0" },
    ];
    expect(releaseStays(history)).toEqual(history);
    const { days, transitions } = adoptionContribution(summary({ history }));
    expect(rows(transitions)).toEqual([
      ["2026-01-02", "8.0", "9.0", 1],
      ["2026-01-02", "9.0", "8.0", 1],
    ]);
    // The day nets out: 8.0 left and came back, 9.0 came and left.
    expect(rows(days).filter(([, , n]) => n !== 0)).toEqual([["2026-01-01", "8.0", 1]]);
  });

  it("turns stays into adoption changes and transitions", () => {
    const { days, transitions } = adoptionContribution(
      summary({
        history: [
          { day: "2026-01-01", release: "8.0" },
          { day: "2026-02-01", release: "9.0" },
          { day: "2026-03-01", release: null },
          { day: "2026-04-01", release: "10.0" },
        ],
      }),
    );
    expect(rows(days)).toEqual([
      ["2026-01-01", "8.0", 1],
      ["2026-02-01", "8.0", -1],
      ["2026-02-01", "9.0", 1],
      ["2026-03-01", "9.0", -1],
      ["2026-04-01", "10.0", 1],
    ]);
    expect(rows(transitions)).toEqual([["2026-02-01", "8.0", "9.0", 1]]);
    expect(adoptionContribution(summary({ counted: false })).days.size).toBe(0);
  });
});

describe("differences", () => {
  it("are zero for an unchanged summary, and undo the old contribution for a changed one", () => {
    const before = summary();
    expect(difference(reportContribution(before), reportContribution(summary())).size).toBe(0);
    const moved = difference(reportContribution(before), reportContribution(summary({ release: "10.0" })));
    expect(moved.get(countKey("release:9.0", "installations.count", ""))).toBe(-1);
    expect(moved.get(countKey("release:10.0", "installations.count", ""))).toBe(1);
    expect(moved.has(countKey("all", "installations.count", ""))).toBe(false);
  });
});

describe("buildAdoption", () => {
  it("sums changes into a value for every day of the range, with the moves", () => {
    const report = buildAdoption({
      from: "2026-01-02",
      to: "2026-01-04",
      before: [{ release: "8.0", n: 3 }],
      changes: [
        { day: "2026-01-03", release: "8.0", n: -1 },
        { day: "2026-01-03", release: "9.0", n: 1 },
        { day: "2026-01-04", release: "8.0", n: -2 },
        { day: "2026-01-04", release: "10.0", n: 2 },
      ],
      transitions: [
        { day: "2026-01-04", fromRelease: "8.0", toRelease: "10.0", n: 2 },
        { day: "2026-01-03", fromRelease: "8.0", toRelease: "9.0", n: 1 },
      ],
    });
    expect(report.days).toEqual([
      { date: "2026-01-02", installations: { "8.0": 3 } },
      { date: "2026-01-03", installations: { "9.0": 1, "8.0": 2 } },
      { date: "2026-01-04", installations: { "10.0": 2, "9.0": 1 } },
    ]);
    expect(report.releases).toEqual(["10.0", "9.0", "8.0"]);
    expect(report.transitions).toEqual([
      { from_release: "8.0", to_release: "10.0", installations: 2 },
      { from_release: "8.0", to_release: "9.0", installations: 1 },
    ]);
    expect(report.transitions_by_day.map((t) => t.date)).toEqual(["2026-01-03", "2026-01-04"]);
  });
});

describe("compareReleasesNewestFirst", () => {
  it("orders release names by their numbers, newest first", () => {
    expect(["6.1", "10.0", "9.0", "9.0-dev", "2014.2-6.0", "8.0", "7.0", "7.0.1", "mitaka-9.0"].sort(compareReleasesNewestFirst)).toEqual([
      "2014.2-6.0",
      "10.0",
      "9.0",
      "9.0-dev",
      "8.0",
      "7.0.1",
      "7.0",
      "6.1",
      "mitaka-9.0",
    ]);
    // Both ways round, whichever comes first in the input.
    expect(compareReleasesNewestFirst("7.0", "7.0.1")).toBeGreaterThan(0);
    expect(compareReleasesNewestFirst("7.0.1", "7.0")).toBeLessThan(0);
    expect(compareReleasesNewestFirst("9.0", "9.0-dev")).toBeLessThan(0);
    expect(compareReleasesNewestFirst("9.0-dev", "9.0")).toBeGreaterThan(0);
    expect(compareReleasesNewestFirst("5.1", "5.1")).toBe(0);
  });
});

describe("rulesEpoch", () => {
  it("changes when the rules are saved again or one of their dates passes", () => {
    const rules = indexFilteringRules({ "9.0": [{ build_id: "a", from_date: "2026-06-01" }, { build_id: "b" }], "8.0": null });
    const before = rulesEpoch(rules, 100, Date.parse("2026-05-31T23:59:59Z"));
    expect(rulesEpoch(rules, 100, Date.parse("2026-05-01T00:00:00Z"))).toBe(before);
    expect(rulesEpoch(rules, 100, Date.parse("2026-06-01T00:00:00Z"))).not.toBe(before);
    expect(rulesEpoch(rules, 101, Date.parse("2026-05-01T00:00:00Z"))).not.toBe(before);
  });
});
