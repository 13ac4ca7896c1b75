// The Reports page says how long raw rows are kept (docs/operations.md, "Retention"), from
// GET /api/v1/json/report/coverage, and whether the chosen range starts before that.
import { cleanup, render, screen, waitFor } from "@testing-library/preact";
import { LocationProvider } from "preact-iso/router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CoverageReport } from "../../ui/src/lib/api";
import Reports from "../../ui/src/pages/reports";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  history.replaceState(null, "", "/");
});

const csv = (from: string | null) =>
  ({ clusters: from, nodes: null, plugins: null, vm: from, flavor: from, volume: from, image: from, tenant: from, keystone_user: from }) as CoverageReport["csv"];
const coverage = (days: number | null, from: string | null): CoverageReport => ({
  retention_days: days,
  raw_rows_from: from,
  csv: csv(from),
  reports: { installations: null, releases: null, adoption: null, filtering: null },
});

/** fetch answering the coverage and filtering reports (the page's other reads get an empty object). */
function stubApi(answer: CoverageReport) {
  const asked: string[] = [];
  vi.stubGlobal("fetch", (url: string) => {
    const path = url.split("?")[0]!;
    asked.push(path);
    const body =
      path === "/api/v1/json/report/coverage"
        ? answer
        : path === "/api/v1/json/report/filtering"
          ? { filtered: { count: 0, releases: {} }, rules: {}, rules_updated_at: null }
          : {};
    return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } }));
  });
  return asked;
}

const page = () => render(<LocationProvider><Reports /></LocationProvider>);

describe("the Reports page's note on retention", () => {
  it("says how many days raw rows are kept and from which day", async () => {
    history.replaceState(null, "", "/reports?from_date=2026-03-05&to_date=2026-03-20");
    const asked = stubApi(coverage(30, "2026-03-01"));
    page();
    const note = await screen.findByTestId("retention-note");
    expect(note.textContent).toBe("Raw rows are kept for 30 days: from 2026-03-01.");
    expect(asked).toContain("/api/v1/json/report/coverage");
  });

  it("adds that the reports of a range starting earlier are incomplete", async () => {
    history.replaceState(null, "", "/reports?from_date=2026-02-01&to_date=2026-03-20");
    stubApi(coverage(30, "2026-03-01"));
    page();
    expect((await screen.findByTestId("retention-note")).textContent).toBe(
      "Raw rows are kept for 30 days: from 2026-03-01. The OSWL reports and the clusters' verify_networks_status are incomplete before that day.",
    );
  });

  it("says nothing while raw rows are kept for ever", async () => {
    stubApi(coverage(null, null));
    page();
    await screen.findByTestId("filtered-notice");
    await waitFor(() => expect(screen.queryByTestId("retention-note")).toBeNull());
    expect(screen.getByText("CSV reports")).toBeTruthy();
  });
});
