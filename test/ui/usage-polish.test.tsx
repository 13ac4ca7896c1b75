// What a new user tripped over on the dashboard (issue 15): the data's time, what filtering leaves
// out, colours that follow the category, page titles, empty states that say what to do, a day of
// history, and collector health's successes apart from its refusals.
import { cleanup, render, screen, waitFor } from "@testing-library/preact";
import { LocationProvider } from "preact-iso/router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChartCard } from "../../ui/src/components/chart-card";
import { DonutChart } from "../../ui/src/components/charts";
import { LINE_WIDTHS, LineChart } from "../../ui/src/components/line-chart";
import type { HealthResponse, InstallationsReport } from "../../ui/src/lib/api";
import { PALETTE, UNKNOWN_COLOR, categoryColors, donutSlices, healthSeries, hypervisorSlices } from "../../ui/src/lib/chart-data";
import { NO_ROLLUP_YET } from "../../ui/src/lib/freshness";
import Adoption from "../../ui/src/pages/adoption";
import Health from "../../ui/src/pages/health";
import { NotFound } from "../../ui/src/pages/not-found";
import { Overview } from "../../ui/src/pages/overview";
import Reports from "../../ui/src/pages/reports";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ROLLED_UP = "Tue, 03 Mar 2026 14:05:09 GMT";

function json(body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json", ...headers } });
}

const emptyReport: InstallationsReport = {
  installations: { count: 0, environments_num: {} },
  environments: { count: 0, operable_envs_count: 0, statuses: {}, nodes_num: {}, hypervisors_num: {}, oses_num: {} },
};
const report: InstallationsReport = {
  installations: { count: 3, environments_num: { "1": 3 } },
  environments: { count: 3, operable_envs_count: 3, statuses: { operational: 3 }, nodes_num: { "3": 3 }, hypervisors_num: { kvm: 3 }, oses_num: { ubuntu: 3 } },
};
const health: HealthResponse = {
  status: "ok",
  from_date: "2026-03-01",
  to_date: "2026-03-01",
  units: { accepted: "records", bound: "requests", rejected_schema: "requests" } as HealthResponse["units"],
  days: [{ date: "2026-03-01", totals: { accepted: 4, bound: 2, rejected_schema: 1 }, by_endpoint: {} }],
};

/** fetch answering every report; `lastModified` null answers as before any roll-up. */
function stubApi(options: { installations?: InstallationsReport; lastModified?: string | null; filtered?: { count: number; releases: Record<string, number> }; rulesUpdatedAt?: string | null } = {}) {
  const lastModified = options.lastModified === undefined ? ROLLED_UP : options.lastModified;
  const dated: Record<string, string> = lastModified ? { "last-modified": lastModified } : {};
  vi.stubGlobal("fetch", (url: string) => {
    const path = url.split("?")[0];
    const answers: Record<string, unknown> = {
      "/api/v1/json/report/installations": options.installations ?? report,
      "/api/v1/json/report/releases": { releases: [{ release: "9.0", installations: 3 }] },
      "/api/v1/json/report/filtering": {
        filtered: options.filtered ?? { count: 0, releases: {} },
        rules: {},
        rules_updated_at: options.rulesUpdatedAt ?? null,
      },
      "/api/v1/json/report/adoption": { from_date: "2026-03-01", to_date: "2026-03-01", releases: [], days: [{ date: "2026-03-01", installations: {} }], transitions: [], transitions_by_day: [] },
      "/api/v1/json/collector/health": health,
    };
    return Promise.resolve(json(answers[path!] ?? {}, dated));
  });
}

const inApp = (page: preact.ComponentChild) => render(<LocationProvider>{page}</LocationProvider>);

describe("colours follow the category, not its position", () => {
  it("gives kvm, vcenter and unknown the same colour in the view of all releases and of one", () => {
    const all = categoryColors(hypervisorSlices({ kvm: 5, qemu: 2, vcenter: 1 }, 10).map((s) => s.label));
    const one = categoryColors(hypervisorSlices({ vcenter: 1 }, 2).map((s) => s.label));
    expect(one.get("vcenter")).toBe(all.get("vcenter"));
    expect(all.get("unknown")).toBe(UNKNOWN_COLOR);
    expect(one.get("unknown")).toBe(UNKNOWN_COLOR);
    const onlyKvm = categoryColors(["kvm"]);
    expect(onlyKvm.get("kvm")).toBe(all.get("kvm"));
  });

  it("gives a name it does not know the same colour whatever the order and counts, and each category of a chart its own", () => {
    const a = categoryColors(donutSlices({ "10.0": 9, "9.0": 1, "8.0": 4 }).map((s) => s.label));
    const b = categoryColors(donutSlices({ "8.0": 1, "10.0": 2, "9.0": 7 }).map((s) => s.label));
    expect(a).toEqual(b);
    expect(new Set(a.values()).size).toBe(3);
    expect([...a.values()].every((c) => PALETTE.includes(c))).toBe(true);
  });

  it("draws a donut slice and its legend in the category's colour", () => {
    const colorOfVcenter = (counts: Record<string, number>) => {
      const { container } = render(<DonutChart slices={donutSlices(counts)} label="Hypervisors" />);
      const item = [...container.querySelectorAll(".legend li")].find((li) => li.textContent?.startsWith("vcenter"));
      const color = (item?.querySelector(".swatch") as HTMLElement).style.background;
      cleanup();
      return color;
    };
    expect(colorOfVcenter({ kvm: 3, qemu: 1, vcenter: 1 })).toBe(colorOfVcenter({ vcenter: 1 }));
  });
});

describe("line charts", () => {
  it("draw a single day as bars, not as a line", async () => {
    const { container } = render(<LineChart data={{ labels: ["2026-03-01"], series: [{ name: "9.0", values: [3] }, { name: "8.0", values: [2] }] }} label="Adoption" />);
    await waitFor(() => expect(container.querySelectorAll(".ct-bar")).toHaveLength(2));
    expect(container.querySelector(".ct-line")).toBeNull();
    expect(container.querySelector(".ct-bar title")?.textContent).toBe("9.0: 3");
  });

  it("draw two days and more as lines", async () => {
    const { container } = render(<LineChart data={{ labels: ["2026-03-01", "2026-03-02"], series: [{ name: "9.0", values: [3, 4] }] }} label="Adoption" />);
    await waitFor(() => expect(container.querySelectorAll(".ct-line")).toHaveLength(1));
    expect(container.querySelector(".ct-bar")).toBeNull();
  });

  it("keep lines with equal values visible: each later one narrower, on top of the wider ones", async () => {
    const { container } = render(
      <LineChart
        data={{ labels: ["a", "b", "c"], series: [{ name: "rejected_schema", values: [1, 2, 1] }, { name: "rate_limited", values: [1, 2, 1] }, { name: "too_large", values: [1, 2, 1] }] }}
        label="Turned away"
      />,
    );
    await waitFor(() => expect(container.querySelectorAll(".ct-line")).toHaveLength(3));
    const widths = [...container.querySelectorAll(".ct-line")].map((l) => Number(/stroke-width: ([\d.]+)px/.exec(l.getAttribute("style") ?? "")?.[1]));
    expect(widths).toEqual(LINE_WIDTHS.slice(0, 3));
    expect(new Set([...container.querySelectorAll(".ct-line")].map((l) => /stroke: (#\w+)/.exec(l.getAttribute("style")!)?.[1])).size).toBe(3);
  });
});

describe("collector health", () => {
  it("does not count bound (a success) among the requests turned away", () => {
    const h = healthSeries(health);
    expect(h.requests.series.map((s) => s.name)).toEqual(["rejected_schema"]);
    expect(h.bound.series).toEqual([{ name: "bound", values: [2] }]);
  });

  it("shows bound apart from the requests turned away", async () => {
    stubApi();
    inApp(<Health />);
    const turnedAway = await screen.findByLabelText("Requests turned away");
    expect(turnedAway.textContent).toContain("rejected schema");
    expect(turnedAway.textContent).not.toContain("bound");
    expect(screen.getByLabelText("Requests that bound a token").textContent).toContain("bound");
  });
});

describe("the data's time", () => {
  it("is on a chart: 'Data as of' the roll-up, or 'No roll-up yet'", () => {
    const table = { columns: ["a", "b"], rows: [["x", 1]] as (string | number)[][] };
    render(
      <ChartCard id="c" title="C" table={table} jsonUrl="/api/x" asOf={new Date(ROLLED_UP)}>
        <div />
      </ChartCard>,
    );
    expect(screen.getByTestId("c-as-of").textContent).toBe("Data as of 2026-03-03 14:05 UTC");
    cleanup();
    render(
      <ChartCard id="c" title="C" table={table} jsonUrl="/api/x" asOf={null}>
        <div />
      </ChartCard>,
    );
    expect(screen.getByTestId("c-as-of").textContent).toBe("No roll-up yet");
  });

  for (const [name, page, chart] of [
    ["overview", <Overview />, "hypervisors"],
    ["adoption", <Adoption />, "adoption"],
    ["collector health", <Health />, "health-records"],
  ] as const) {
    it(`is on the ${name} page and each of its charts, from the answer's Last-Modified`, async () => {
      stubApi();
      inApp(page);
      await waitFor(() => expect(screen.getByTestId("as-of").textContent).toBe("Data as of 2026-03-03 14:05 UTC"));
      expect(screen.getByTestId(`${chart}-as-of`).textContent).toBe("Data as of 2026-03-03 14:05 UTC");
    });
  }

  it("is on the reports page", async () => {
    stubApi();
    inApp(<Reports />);
    await waitFor(() => expect(screen.getByTestId("as-of").textContent).toBe("Data as of 2026-03-03 14:05 UTC"));
  });
});

describe("empty states", () => {
  it("say to run the roll-up or wait for it when none has run", async () => {
    stubApi({ installations: emptyReport, lastModified: null });
    inApp(<Overview />);
    await waitFor(() => expect(screen.getByTestId("as-of").textContent).toBe("No roll-up yet"));
    const chart = screen.getByTestId("chart-environments-num");
    expect(chart.querySelector(".empty")?.textContent).toBe(NO_ROLLUP_YET);
    expect(NO_ROLLUP_YET).toContain("run the hourly job");
  });

  it("say what a view lacks and what to do once a roll-up has run", async () => {
    stubApi({ installations: emptyReport });
    inApp(<Overview />);
    await waitFor(() => expect(screen.getByTestId("chart-environments-num").querySelector(".empty")).toBeTruthy());
    expect(screen.getByTestId("chart-environments-num").querySelector(".empty")!.textContent).toMatch(/^No installation is counted yet: point a Fuel master/);
  });
});

describe("filtered installations", () => {
  it("are counted on the overview with a link to the rules, for all releases and for one", async () => {
    stubApi({ filtered: { count: 4, releases: { "8.0": 3, "6.1.1": 1 } } });
    inApp(<Overview />);
    const notice = await screen.findByTestId("filtered-notice");
    expect(notice.textContent).toBe("4 installations are left out by the filtering rules in force (test and development builds).");
    expect(screen.getByRole("link", { name: "filtering rules in force" }).getAttribute("href")).toBe("/api/v1/json/report/filtering");
    cleanup();
    history.replaceState(null, "", "/?release=8.0");
    inApp(<Overview />);
    expect((await screen.findByTestId("filtered-notice")).textContent).toMatch(/^3 installations of 8\.0 are left out/);
    history.replaceState(null, "", "/");
  });

  it("are counted on the reports page, and rules newer than the roll-up are pointed out", async () => {
    stubApi({ filtered: { count: 1, releases: { "8.0": 1 } }, rulesUpdatedAt: "2026-03-03T15:00:00.000Z" });
    inApp(<Reports />);
    const notice = await screen.findByTestId("filtered-notice");
    expect(notice.textContent).toContain("1 installation is left out by the filtering rules in force");
    expect(notice.textContent).toContain("the CSV reports leave them out too");
    expect(notice.textContent).toContain("The rules changed at 2026-03-03 15:00 UTC, after the last roll-up");
  });
});

describe("filtered installations, when there are none or the count fails", () => {
  it("say that no installation is left out", async () => {
    stubApi();
    inApp(<Overview />);
    expect((await screen.findByTestId("filtered-notice")).textContent).toBe("No installation is left out by the filtering rules in force.");
  });

  it("say the count is unavailable when its answer fails", async () => {
    vi.stubGlobal("fetch", (url: string) =>
      Promise.resolve(
        url.startsWith("/api/v1/json/report/filtering")
          ? new Response(JSON.stringify({ status: "error", message: "internal error" }), { status: 500 })
          : json({ filtered: { count: 0, releases: {} }, rules: {}, rules_updated_at: null }),
      ),
    );
    inApp(<Reports />);
    expect((await screen.findByText(/filtering rules leave out is unavailable/)).textContent).toContain("internal error");
  });
});

describe("document titles", () => {
  for (const [page, title] of [
    [<Overview />, "Overview · edgestats"],
    [<Adoption />, "Adoption · edgestats"],
    [<Reports />, "Reports · edgestats"],
    [<Health />, "Collector health · edgestats"],
    [<NotFound />, "Not found · edgestats"],
  ] as const) {
    it(`is "${title}" on its page`, async () => {
      stubApi();
      document.title = "edgestats";
      inApp(page);
      await waitFor(() => expect(document.title).toBe(title));
    });
  }
});
