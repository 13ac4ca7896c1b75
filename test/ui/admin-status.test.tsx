// The operators' status page (/admin): it asks for the admin secret, keeps it in sessionStorage
// only, sends it as a header (never in the URL), and draws a table per section of the answer.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ADMIN_PAGES, DASHBOARD_PAGES, isDashboardPage } from "../../schemas/pages";
import { type ServiceStatus, ServiceStatusSchema } from "../../schemas/status";
import { ADMIN_SECRET_KEY } from "../../ui/src/lib/admin-secret";
import AdminStatus, { bytesText } from "../../ui/src/pages/admin";

const SECRET = "the-right-secret";

const status: ServiceStatus = ServiceStatusSchema.parse({
  status: "ok",
  generated_at: "2026-03-03T14:05:09.000Z",
  jobs: [
    {
      job: "installations-rollup",
      last_run: { status: "failed", started_at: "2026-03-03T14:00:00.000Z", finished_at: "2026-03-03T14:00:00.500Z", ms: 500, detail: { error: "Error: boom" } },
      last_ok_at: "2026-03-03T13:00:01.200Z",
      last_failure: { status: "failed", started_at: "2026-03-03T14:00:00.000Z", finished_at: "2026-03-03T14:00:00.500Z", ms: 500, detail: { error: "Error: boom" } },
      failures_24h: 3,
    },
    {
      job: "bundles-maintenance",
      last_run: { status: "ok", started_at: "2026-03-03T14:00:01.000Z", finished_at: "2026-03-03T14:00:01.040Z", ms: 40, detail: { expired: 2, resent: 0, failed: 0 } },
      last_ok_at: "2026-03-03T14:00:01.040Z",
      last_failure: null,
      failures_24h: 0,
    },
  ],
  backups: {
    count: 2,
    latest: { id: "20260303T130000Z", status: "running", trigger: "admin", started_at: "2026-03-03T13:00:00.000Z", finished_at: null, databases: [], error: null },
    last_complete: { id: "20260302T030000Z", finished_at: "2026-03-02T03:05:00.000Z" },
  },
  backlog: {
    bundles: { queued: 4, running: 1, oldest_pending_at: "2026-03-03T13:35:00.000Z", failed_24h: 2, last_failure: { id: "b-1", at: "2026-03-03T13:00:00.000Z", error: "step 1 failed 5 times" } },
    processor: { queued: 7, running: 1, failed: 1, oldest_pending_at: "2026-03-03T13:45:00.000Z" },
  },
  databases: [
    {
      name: "collector",
      binding: "COLLECTOR_DB",
      size_bytes: 5 * 1024 * 1024,
      count_cap: 10_000,
      tables: [
        { name: "action_logs", rows: 123_456, count: "rowid_span" },
        { name: "collector_outcomes", rows: 42, count: "exact" },
      ],
    },
    { name: "contrib", binding: "CONTRIB_DB", size_bytes: 2048, count_cap: 10_000, tables: [{ name: "day_totals", rows: 10_001, count: "at_least" }] },
  ],
  refusals: {
    from_date: "2026-03-02",
    to_date: "2026-03-03",
    totals: { rate_limited: 5, rejected_identity: 1, rejected_schema: 0, too_large: 0 },
    days: [
      { date: "2026-03-02", rate_limited: 0, rejected_identity: 1, rejected_schema: 0, too_large: 0 },
      { date: "2026-03-03", rate_limited: 5, rejected_identity: 0, rejected_schema: 0, too_large: 0 },
    ],
  },
  processor: {
    summary: { idle: 12, queued: 7, running: 1, failed: 1 },
    last_step_at: "2026-03-03T14:01:00.000Z",
    failing: [{ id: "gerrit:nova", kind: "gerrit", status: "failed", failures: 2, last_error: "500 from gerrit", last_run_at: "2026-03-03T13:58:00.000Z", next_run_at: "2026-03-03T16:00:00.000Z" }],
  },
});

let requests: { url: string; authorization: string | null }[];

function stubApi() {
  requests = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
    const authorization = new Headers(init.headers).get("authorization");
    requests.push({ url, authorization });
    if (authorization === `Bearer ${SECRET}`) return new Response(JSON.stringify(status), { status: 200, headers: { "content-type": "application/json" } });
    const [code, message] = authorization ? [403, "the admin token is wrong"] : [401, "this route requires Authorization: Bearer <ADMIN_TOKEN>"];
    return new Response(JSON.stringify({ status: "error", message }), { status: code, headers: { "content-type": "application/json" } });
  });
}

beforeEach(() => {
  sessionStorage.clear();
  stubApi();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The cells of the table with this caption, row by row. */
function rowsOf(caption: string): string[][] {
  const table = screen.getByText(caption, { selector: "caption" }).closest("table")!;
  return [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent ?? ""));
}

function enterSecret(secret: string) {
  fireEvent.input(screen.getByLabelText(/Admin secret/), { target: { value: secret } });
  fireEvent.click(screen.getByRole("button", { name: "Show status" }));
}

describe("the admin status page", () => {
  it("asks for the secret first, and asks nothing of the API before", () => {
    render(<AdminStatus />);
    expect(screen.getByLabelText(/Admin secret/).getAttribute("type")).toBe("password");
    expect(requests).toEqual([]);
    expect(document.title).toBe("Service status · edgestats");
  });

  it("sends the secret as a header, keeps it in sessionStorage, and draws a table per section", async () => {
    render(<AdminStatus />);
    enterSecret(SECRET);
    await screen.findByRole("heading", { name: "Scheduled jobs" });
    expect(requests).toEqual([{ url: "/api/v1/admin/status", authorization: `Bearer ${SECRET}` }]);
    expect(sessionStorage.getItem(ADMIN_SECRET_KEY)).toBe(SECRET);
    expect(localStorage.length).toBe(0);
    expect(location.href).not.toContain(SECRET);

    expect(rowsOf("Scheduled jobs")).toEqual([
      ["installations-rollup", "failed", "2026-03-03 14:00 UTC", "500", "Error: boom", "2026-03-03 13:00 UTC", "2026-03-03 14:00 UTC: Error: boom", "3"],
      ["bundles-maintenance", "ok", "2026-03-03 14:00 UTC", "40", "expired 2, resent 0, failed 0", "2026-03-03 14:00 UTC", "—", "0"],
    ]);
    expect(rowsOf("Backups")).toEqual([
      ["newest", "20260303T130000Z", "running", "2026-03-03 13:00 UTC", "—", ""],
      ["newest complete", "20260302T030000Z", "complete", "", "2026-03-02 03:05 UTC", ""],
    ]);
    expect(rowsOf("Backlog")).toEqual([
      ["all-reports bundles", "4", "1", "2026-03-03 13:35 UTC", "2 in 24 h", "2026-03-03 13:00 UTC: step 1 failed 5 times"],
      ["processor sources", "7", "1", "2026-03-03 13:45 UTC", "1 sources", "—"],
    ]);
    expect(rowsOf("Collector refusals").at(-1)).toEqual(["total", "5", "1", "0", "0"]);
    expect(rowsOf("Sources by status")).toEqual([["idle", "12"], ["queued", "7"], ["running", "1"], ["failed", "1"]]);
    expect(rowsOf("Sources that fail")).toEqual([["gerrit:nova", "gerrit", "failed", "2", "2026-03-03 13:58 UTC", "2026-03-03 16:00 UTC", "500 from gerrit"]]);
    expect(rowsOf("Tables of collector")).toEqual([["action_logs", "≈ 123,456"], ["collector_outcomes", "42"]]);
    expect(rowsOf("Tables of contrib")).toEqual([["day_totals", "> 10,000"]]);
    expect(screen.getByTestId("database-collector").textContent).toContain("collector (COLLECTOR_DB): 5.0 MiB");
  });

  it("forgets a refused secret and asks again, saying why", async () => {
    render(<AdminStatus />);
    enterSecret("a-wrong-secret");
    expect((await screen.findByTestId("refused")).textContent).toContain("the admin token is wrong");
    expect(sessionStorage.getItem(ADMIN_SECRET_KEY)).toBeNull();
    expect(screen.getByLabelText(/Admin secret/)).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Scheduled jobs" })).toBeNull();
  });

  it("uses the secret of this tab's session, and forgets it on request", async () => {
    sessionStorage.setItem(ADMIN_SECRET_KEY, SECRET);
    render(<AdminStatus />);
    await screen.findByRole("heading", { name: "Scheduled jobs" });
    fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(requests).toHaveLength(2));
    fireEvent.click(screen.getByRole("button", { name: "Forget the secret" }));
    expect(sessionStorage.getItem(ADMIN_SECRET_KEY)).toBeNull();
    expect(screen.getByLabelText(/Admin secret/)).toBeTruthy();
  });

  it("is a page of the dashboard, but not in its navigation", () => {
    expect(isDashboardPage("/admin")).toBe(true);
    expect(isDashboardPage("/admin/")).toBe(true);
    expect(Object.keys(DASHBOARD_PAGES)).not.toContain("/admin");
    expect(ADMIN_PAGES["/admin"]).toBe("Service status");
  });

  it("writes sizes in binary units", () => {
    expect([bytesText(512), bytesText(2048), bytesText(5 * 1024 * 1024), bytesText(3 * 1024 ** 3)]).toEqual(["512 B", "2.0 KiB", "5.0 MiB", "3.0 GiB"]);
  });
});
