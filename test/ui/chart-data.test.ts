import { describe, expect, it } from "vitest";
import { CSV_REPORT_IDS } from "../../schemas/csv";
import type { AdoptionReport, HealthResponse, InstallationsReport } from "../../ui/src/lib/api";
import {
  OTHER_STATUS_COLOR,
  STATUS_COLORS,
  adoptionSeries,
  donutSlices,
  environmentsNumBars,
  healthSeries,
  hypervisorSlices,
  multiSeriesTable,
  overviewCharts,
  sizeBuckets,
  sliceLabel,
  sliceTitle,
  statusBars,
  transitionBars,
} from "../../ui/src/lib/chart-data";
import { toCsv } from "../../ui/src/lib/csv";
import { CSV_REPORTS } from "../../ui/src/lib/csv-reports";

describe("installations by number of environments", () => {
  it("puts the bars in numeric order of the environment count", () => {
    expect(environmentsNumBars({ "10": 1, "2": 4, "0": 3, "1": 7 })).toEqual([
      { label: "0", value: 3 },
      { label: "1", value: 7 },
      { label: "2", value: 4 },
      { label: "10", value: 1 },
    ]);
  });
});

describe("environment statuses", () => {
  it("draws only non-zero statuses, each in fuel-stats' colour, in a fixed order", () => {
    const bars = statusBars({ error: 1, operational: 3, new: 1, deployment: 0, update_error: 2 });
    expect(bars).toEqual([
      { label: "new", value: 1, color: "#999999" },
      { label: "operational", value: 3, color: "#51851A" },
      { label: "error", value: 1, color: "#FF7372" },
      { label: "update_error", value: 2, color: "#F5007B" },
    ]);
  });

  it("keeps the original's eight colours", () => {
    expect(STATUS_COLORS).toEqual({
      new: "#999999",
      operational: "#51851A",
      error: "#FF7372",
      deployment: "#2783C0",
      remove: "#000000",
      stopped: "#FFB014",
      update: "#775575",
      update_error: "#F5007B",
    });
  });

  it("shows a status the original never had, last, in a neutral colour", () => {
    expect(statusBars({ operational: 1, partially_deployed: 2 }).at(-1)).toEqual({ label: "partially_deployed", value: 2, color: OTHER_STATUS_COLOR });
  });
});

describe("environment size", () => {
  it("counts node numbers into 1-5, 5-10, 10-20, 20-50, 50-100 and 100+, lower bound included", () => {
    const counts = { "1": 1, "4": 2, "5": 3, "9": 4, "10": 5, "19": 6, "20": 7, "49": 8, "50": 9, "99": 10, "100": 11, "1000": 12 };
    expect(sizeBuckets(counts)).toEqual({
      bars: [
        { label: "1-5", value: 3 },
        { label: "5-10", value: 7 },
        { label: "10-20", value: 11 },
        { label: "20-50", value: 15 },
        { label: "50-100", value: 19 },
        { label: "100+", value: 23 },
      ],
      withoutNodes: 0,
    });
  });

  it("keeps every bucket, empty ones as 0, and counts environments without nodes apart", () => {
    const { bars, withoutNodes } = sizeBuckets({ "0": 2, "3": 1 });
    expect(bars.map((b) => b.value)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(withoutNodes).toBe(2);
  });
});

describe("hypervisor donut", () => {
  it("adds an 'unknown' slice of the operable environments with no hypervisor", () => {
    const slices = hypervisorSlices({ kvm: 3, vcenter: 1 }, 6);
    expect(slices.map((s) => [s.label, s.value])).toEqual([
      ["kvm", 3],
      ["vcenter", 1],
      ["unknown", 2],
    ]);
    expect(slices.reduce((n, s) => n + s.value, 0)).toBe(6);
    expect(slices.find((s) => s.label === "unknown")?.percent).toBeCloseTo(33.33, 1);
  });

  it("has no 'unknown' slice when every operable environment named its hypervisor (or more did)", () => {
    expect(hypervisorSlices({ kvm: 2 }, 2).map((s) => s.label)).toEqual(["kvm"]);
    expect(hypervisorSlices({ kvm: 3 }, 2).map((s) => s.label)).toEqual(["kvm"]);
  });

  it("is only 'unknown' when no hypervisor was reported", () => {
    expect(hypervisorSlices({}, 4)).toEqual([{ label: "unknown", value: 4, percent: 100 }]);
  });

  it("prints no share inside slices under 5%, but the title always reads 'label: value pcs, share'", () => {
    const slices = donutSlices({ kvm: 97, qemu: 3 });
    expect(slices.map(sliceLabel)).toEqual(["97%", ""]);
    expect(sliceTitle(slices[1]!)).toBe("qemu: 3 pcs, 3.0%");
  });
});

describe("operating-system donut", () => {
  it("orders slices largest first and drops zero counts", () => {
    expect(donutSlices({ ubuntu: 1, centos: 3, rhel: 0 }).map((s) => [s.label, s.value, s.percent])).toEqual([
      ["centos", 3, 75],
      ["ubuntu", 1, 25],
    ]);
  });
});

describe("the overview as a whole", () => {
  it("maps the report of docs/analytics.md", () => {
    const report: InstallationsReport = {
      installations: { count: 2, environments_num: { "3": 2 } },
      environments: {
        count: 6,
        operable_envs_count: 4,
        statuses: { new: 1, deployment: 1, error: 1, operational: 3 },
        nodes_num: { "3": 1, "0": 1, "5": 2 },
        hypervisors_num: { kvm: 3 },
        oses_num: { ubuntu: 1, centos: 3 },
      },
    };
    const c = overviewCharts(report);
    expect([c.installations, c.environments, c.operable]).toEqual([2, 6, 4]);
    expect(c.sizes.bars.slice(0, 2).map((b) => b.value)).toEqual([1, 2]);
    expect(c.sizes.withoutNodes).toBe(1);
    expect(c.hypervisors.map((s) => [s.label, s.value])).toEqual([
      ["kvm", 3],
      ["unknown", 1],
    ]);
  });
});

describe("adoption", () => {
  const report: AdoptionReport = {
    from_date: "2026-03-01",
    to_date: "2026-03-03",
    releases: ["9.0", "8.0"],
    days: [
      { date: "2026-03-01", installations: { "8.0": 1 } },
      { date: "2026-03-02", installations: { "8.0": 2 } },
      { date: "2026-03-03", installations: { "9.0": 1, "8.0": 1 } },
    ],
    transitions: [{ from_release: "8.0", to_release: "9.0", installations: 1 }],
    transitions_by_day: [{ date: "2026-03-03", from_release: "8.0", to_release: "9.0", installations: 1 }],
  };

  it("gives one series per release with a value for every day (0 when absent)", () => {
    const series = adoptionSeries(report);
    expect(series.labels).toEqual(["2026-03-01", "2026-03-02", "2026-03-03"]);
    expect(series.series).toEqual([
      { name: "9.0", values: [0, 0, 1] },
      { name: "8.0", values: [1, 2, 1] },
    ]);
    expect(multiSeriesTable(series, "date").rows[2]).toEqual(["2026-03-03", 1, 1]);
  });

  it("labels upgrades 'from → to'", () => {
    expect(transitionBars(report)).toEqual([{ label: "8.0 → 9.0", value: 1 }]);
  });
});

describe("collector health", () => {
  it("splits outcomes by unit and keeps only those seen in the range", () => {
    const report: HealthResponse = {
      status: "ok",
      from_date: "2026-03-01",
      to_date: "2026-03-02",
      units: { accepted: "records", existed: "records", rejected_schema: "requests", rate_limited: "requests" } as HealthResponse["units"],
      days: [
        { date: "2026-03-01", totals: { accepted: 5, rejected_schema: 1 }, by_endpoint: {} },
        { date: "2026-03-02", totals: { accepted: 2, rate_limited: 3 }, by_endpoint: {} },
      ],
    };
    const h = healthSeries(report);
    expect(h.records.series).toEqual([{ name: "accepted", values: [5, 2] }]);
    expect(h.requests.series).toEqual([
      { name: "rejected_schema", values: [1, 0] },
      { name: "rate_limited", values: [0, 3] },
    ]);
    expect(h.totals).toEqual({ accepted: 7, rejected_schema: 1, rate_limited: 3 });
  });
});

describe("downloads", () => {
  it("writes CSV with quoting where a cell needs it", () => {
    expect(toCsv({ columns: ["release", "n"], rows: [["8.0 → 9.0", 1], ['a,"b"', 2]] })).toBe('release,n\r\n8.0 → 9.0,1\r\n"a,""b""",2\r\n');
  });

  it("lists every CSV report of the API, in its order", () => {
    expect(CSV_REPORTS.map((r) => r.id)).toEqual([...CSV_REPORT_IDS]);
  });
});
