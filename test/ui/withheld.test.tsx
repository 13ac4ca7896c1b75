// Numbers a public report withheld (null; docs/privacy.md) as the dashboard shows them: "<5" in
// the charts, their tables and their CSV, "withheld" for the ones held back with them.
import { cleanup, render, screen, waitFor } from "@testing-library/preact";
import { LocationProvider } from "preact-iso/router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BarChart } from "../../ui/src/components/charts";
import type { AdoptionReport, InstallationsReport } from "../../ui/src/lib/api";
import { adoptionSeries, barsTable, multiSeriesTable, overviewCharts, slicesTable, transitionBars } from "../../ui/src/lib/chart-data";
import { toCsv } from "../../ui/src/lib/csv";
import { Overview } from "../../ui/src/pages/overview";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A public answer with numbers withheld below k and with them, in headline figures and maps. */
const report: InstallationsReport = {
  installations: { count: 31, environments_num: { "1": 22, "2": null, "4": null } },
  environments: {
    count: null,
    operable_envs_count: 42,
    statuses: { operational: 38, error: null },
    nodes_num: { "3": 42, "4": null },
    hypervisors_num: { kvm: 38, xen: null },
    oses_num: { centos: 42 },
  },
  suppressed: {
    k: 5,
    below_k: ["/installations/environments_num/4", "/environments/statuses/error", "/environments/hypervisors_num/xen", "/environments/nodes_num/4"],
    complementary: ["/environments/count", "/installations/environments_num/2"],
  },
};

describe("the overview's charts of a report with withheld numbers", () => {
  const c = overviewCharts(report);

  it("draws a withheld count as no bar, labelled <5, or withheld when it was held back with one", () => {
    expect(c.environmentsNum).toEqual([
      { label: "1", value: 22 },
      { label: "2", value: 0, text: "withheld" },
      { label: "4", value: 0, text: "<5" },
    ]);
    expect(c.statuses.map((b) => [b.label, b.text ?? b.value])).toEqual([
      ["operational", 38],
      ["error", "<5"],
    ]);
  });

  it("writes the stand-in text in the table and in the CSV download", () => {
    const csv = toCsv(barsTable(c.environmentsNum, "environments", "installations"));
    expect(csv).toBe("environments,installations\r\n1,22\r\n2,withheld\r\n4,<5\r\n");
    expect(toCsv(slicesTable(c.hypervisors, "hypervisor", c.hypervisorsWithheld))).toBe("hypervisor,environments,percent\r\nkvm,38,100\r\nxen,<5,\r\n");
  });

  it("gives a withheld count no slice, and then no 'unknown' rest, which it would make up", () => {
    expect(c.hypervisors.map((s) => s.label)).toEqual(["kvm"]);
    expect(c.hypervisorsWithheld).toEqual([{ label: "xen", value: 0, text: "<5" }]);
  });

  it("withholds a size range that holds a withheld count", () => {
    expect(c.sizes.bars.find((b) => b.label === "1-5")).toEqual({ label: "1-5", value: 0, text: "withheld" });
  });

  it("puts the text beside the bar, in its title and in the chart's label", async () => {
    const { container } = render(<BarChart bars={c.environmentsNum} label="Installations by number of environments" />);
    await waitFor(() => expect(container.querySelectorAll(".ct-bar")).toHaveLength(3));
    expect([...container.querySelectorAll(".ct-bar-value")].map((t) => t.textContent)).toEqual(["22", "withheld", "<5"]);
    expect(container.querySelector(".chart")?.getAttribute("aria-label")).toBe("Installations by number of environments: 1 22, 2 withheld, 4 <5");
  });

  it("shows withheld headline numbers and says what <5 and withheld mean", async () => {
    const answers: Record<string, unknown> = {
      "/api/v1/json/report/installations": report,
      "/api/v1/json/report/releases": { releases: [{ release: "9.0", installations: 30 }, { release: "8.0", installations: null }], suppressed: { k: 5, below_k: ["/releases/1/installations"], complementary: [] } },
      "/api/v1/json/report/filtering": { filtered: { count: null, releases: { "6.1": null } }, rules: {}, rules_updated_at: null, suppressed: { k: 5, below_k: ["/filtered/count", "/filtered/releases/6.1"], complementary: [] } },
    };
    vi.stubGlobal("fetch", (url: string) =>
      Promise.resolve(new Response(JSON.stringify(answers[url.split("?")[0]!] ?? {}), { status: 200, headers: { "content-type": "application/json" } })),
    );
    render(
      <LocationProvider>
        <Overview />
      </LocationProvider>,
    );
    await waitFor(() => expect(screen.getByTestId("installations-count").textContent).toBe("31"));
    expect(screen.getByTestId("environments-count").textContent).toBe("withheld");
    expect(screen.getByTestId("operable-count").textContent).toBe("42");
    expect(screen.getByTestId("withheld-legend").textContent).toContain("<5: from fewer than 5 installations");
    await waitFor(() => expect(screen.getByRole("option", { name: "8.0 (<5)" })).toBeTruthy());
    await waitFor(() => expect(screen.getByTestId("filtered-notice").textContent).toContain("<5 installations are left out"));
    const csv = decodeURIComponent(screen.getByTestId("chart-environments-num").querySelector('a[download="environments-num.csv"]')!.getAttribute("href")!.split(",").slice(1).join(","));
    expect(csv).toContain("4,<5\r\n");
  });
});

describe("the adoption page's charts of a report with withheld numbers", () => {
  const adoption: AdoptionReport = {
    from_date: "2026-03-01",
    to_date: "2026-03-02",
    releases: ["9.0", "8.0"],
    days: [
      { date: "2026-03-01", installations: { "9.0": 30, "8.0": 6 } },
      { date: "2026-03-02", installations: { "9.0": 31, "8.0": null } },
    ],
    transitions: [{ from_release: "8.0", to_release: "9.0", installations: null }],
    transitions_by_day: [{ date: "2026-03-02", from_release: "8.0", to_release: "9.0", installations: null }],
    suppressed: { k: 5, below_k: ["/days/1/installations/8.0", "/transitions_by_day/0/installations", "/transitions/0/installations"], complementary: [] },
  };

  it("leaves a gap in the line where a day's number was withheld, and writes <5 in its table", () => {
    const series = adoptionSeries(adoption);
    expect(series.series[1]!.values).toEqual([6, Number.NaN]);
    expect(toCsv(multiSeriesTable(series, "date"))).toBe("date,9.0,8.0\r\n2026-03-01,30,6\r\n2026-03-02,31,<5\r\n");
    expect(transitionBars(adoption)).toEqual([{ label: "8.0 → 9.0", value: 0, text: "<5" }]);
  });
});
