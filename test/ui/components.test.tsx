import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { LocationProvider } from "preact-iso/router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChartCard } from "../../ui/src/components/chart-card";
import { DateRangePicker } from "../../ui/src/components/date-range-picker";
import type { InstallationsReport } from "../../ui/src/lib/api";
import { Overview } from "../../ui/src/pages/overview";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const report: InstallationsReport = {
  installations: { count: 7, environments_num: { "1": 5, "2": 2 } },
  environments: {
    count: 9,
    operable_envs_count: 6,
    statuses: { operational: 5, error: 1, new: 3, stopped: 0 },
    nodes_num: { "3": 4, "120": 2 },
    hypervisors_num: { kvm: 4 },
    oses_num: { ubuntu: 6 },
  },
};

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** fetch answering the overview's two calls; `installations` decides the report's answer. */
function stubApi(installations: () => Promise<Response>) {
  const calls: string[] = [];
  vi.stubGlobal("fetch", (url: string) => {
    calls.push(url);
    if (url.startsWith("/api/v1/json/report/releases")) return Promise.resolve(json({ releases: [{ release: "9.0", installations: 7 }] }));
    if (url.startsWith("/api/v1/json/report/filtering")) {
      return Promise.resolve(json({ filtered: { count: 0, releases: {} }, rules: {}, rules_updated_at: null }));
    }
    return installations();
  });
  return calls;
}

describe("ChartCard", () => {
  const table = { columns: ["status", "environments"], rows: [["operational", 5], ["error", 1]] as (string | number)[][] };

  it("switches between the chart and a table of its numbers", () => {
    render(
      <ChartCard id="statuses" title="Environment statuses" table={table} jsonUrl="/api/x">
        <div data-testid="the-chart" />
      </ChartCard>,
    );
    expect(screen.getByTestId("the-chart")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Table" }));
    expect(screen.queryByTestId("the-chart")).toBeNull();
    const cells = screen.getAllByRole("row").map((r) => r.textContent);
    expect(cells).toEqual(["statusenvironments", "operational5", "error1"]);
    fireEvent.click(screen.getByRole("button", { name: "Chart" }));
    expect(screen.getByTestId("the-chart")).toBeTruthy();
  });

  it("links its numbers as CSV and the API answer as JSON", () => {
    render(
      <ChartCard id="statuses" title="Environment statuses" table={table} jsonUrl="/api/v1/json/report/installations?release=9.0">
        <div />
      </ChartCard>,
    );
    const csv = screen.getByRole("link", { name: "CSV" });
    expect(csv.getAttribute("download")).toBe("statuses.csv");
    expect(decodeURIComponent(csv.getAttribute("href")!.split(",").slice(1).join(","))).toBe("status,environments\r\noperational,5\r\nerror,1\r\n");
    expect(screen.getByRole("link", { name: "JSON" }).getAttribute("href")).toBe("/api/v1/json/report/installations?release=9.0");
  });

  it("says there is no data instead of drawing an empty chart", () => {
    render(
      <ChartCard id="x" title="X" table={{ columns: ["a", "b"], rows: [] }} jsonUrl="/api/x">
        <div data-testid="the-chart" />
      </ChartCard>,
    );
    expect(screen.getByText("No data in this view.")).toBeTruthy();
    expect(screen.queryByTestId("the-chart")).toBeNull();
  });
});

describe("DateRangePicker", () => {
  it("bounds the pickers by each other and today, and names a broken rule", () => {
    const onChange = vi.fn();
    render(<DateRangePicker range={{ from: "2026-03-05", to: "2026-03-01" }} today="2026-03-31" maxDays={3660} onChange={onChange} />);
    const [from, to] = [screen.getByLabelText("From"), screen.getByLabelText("To")] as HTMLInputElement[];
    expect(from!.max).toBe("2026-03-01");
    expect([to!.min, to!.max]).toEqual(["2026-03-05", "2026-03-31"]);
    expect(screen.getByTestId("range-error").textContent).toBe("The start date is after the end date.");
    fireEvent.change(to!, { target: { value: "2026-03-20" } });
    expect(onChange).toHaveBeenCalledWith({ from: "2026-03-05", to: "2026-03-20" });
  });
});

describe("Overview", () => {
  const renderOverview = () =>
    render(
      <LocationProvider>
        <Overview />
      </LocationProvider>,
    );

  it("shows a loading state, then the report's numbers", async () => {
    let answer: (r: Response) => void = () => {};
    const calls = stubApi(() => new Promise((resolve) => (answer = resolve)));
    renderOverview();
    expect(screen.getByTestId("loading")).toBeTruthy();
    answer(json(report));
    await waitFor(() => expect(screen.getByTestId("installations-count").textContent).toBe("7"));
    expect(screen.getByTestId("environments-count").textContent).toBe("9");
    expect(calls).toContain("/api/v1/json/report/installations");
    fireEvent.click(screen.getByTestId("chart-hypervisors").querySelector("button")!);
    const rows = [...screen.getByTestId("chart-hypervisors").querySelectorAll("tbody tr")].map((r) => r.textContent);
    expect(rows).toEqual(["kvm466.7", "unknown233.3"]);
  });

  it("says the service is unavailable when the report fails", async () => {
    stubApi(() => Promise.resolve(json({ status: "error", message: "internal error" }, 500)));
    renderOverview();
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Error: Service is unavailable."));
  });

  it("says the service is unavailable when the network fails", async () => {
    stubApi(() => Promise.reject(new TypeError("Failed to fetch")));
    renderOverview();
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Error: Service is unavailable."));
  });
});
