// The Reports page's row-level exports (docs/privacy.md): they want the admin secret unless the
// deployment made them public, so the page says so, sends the secret the /admin page keeps in this
// tab, and shows why a download was refused instead of saving the refusal.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { LocationProvider } from "preact-iso/router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ADMIN_SECRET_KEY } from "../../ui/src/lib/admin-secret";
import Reports from "../../ui/src/pages/reports";

const SECRET = "s3cret-of-this-tab";
const REFUSAL = 'row-level exports require the admin secret: send Authorization: Bearer <ADMIN_TOKEN>, or the operator sets PUBLIC_ROW_EXPORTS = "true" to make them public';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const bundle = { id: "b-1", status: "queued", from_date: "2026-03-05", to_date: "2026-03-20", progress: { done: 0, total: 9, current: null }, reports: [], created_at: "2026-03-20T10:00:00.000Z", finished_at: null, expires_at: "2026-03-23T10:00:00.000Z", file_name: "reports_from2026-03-05_to2026-03-20.tar.gz", size: null, download: null, error: null };

/** fetch for the page: the reports it reads, and the exports answered by `exports` (which sees each request's headers). */
function stubApi(exports: (path: string, headers: Headers) => Response) {
  const asked: { path: string; method: string; authorization: string | null }[] = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit = {}) => {
    const path = url.split("?")[0]!;
    const headers = new Headers(init.headers);
    asked.push({ path, method: init.method ?? "GET", authorization: headers.get("authorization") });
    if (path.startsWith("/api/v1/csv/") || path.startsWith("/api/v1/exports")) return Promise.resolve(exports(path, headers));
    if (path === "/api/v1/json/report/filtering") return Promise.resolve(json({ filtered: { count: 0, releases: {} }, rules: {}, rules_updated_at: null }));
    return Promise.resolve(json({ retention_days: null, raw_rows_from: null, csv: {}, reports: {} }));
  });
  return asked;
}

/** What the page saved: the file names handed to a download link. */
function capturedSaves() {
  const saved: string[] = [];
  vi.spyOn(URL, "createObjectURL").mockReturnValue("blob:saved");
  vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(this.download);
  });
  return saved;
}

const page = () => render(<LocationProvider><Reports /></LocationProvider>);

beforeEach(() => history.replaceState(null, "", "/reports?from_date=2026-03-05&to_date=2026-03-20"));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  sessionStorage.clear();
  history.replaceState(null, "", "/");
});

describe("the Reports page's row-level exports", () => {
  it("say they are for the admin and where to enter the secret, and show the refusal of a download without it", async () => {
    const asked = stubApi(() => json({ status: "error", message: REFUSAL }, 403));
    const saved = capturedSaves();
    page();
    const note = screen.getByTestId("access-note");
    expect(note.textContent).toContain("for the admin, unless this deployment made them public (PUBLIC_ROW_EXPORTS)");
    expect(note.textContent).toContain("enter the admin secret on the Service status page first");
    expect(screen.getByRole("link", { name: "Service status" }).getAttribute("href")).toBe("/admin");

    fireEvent.click(screen.getByTestId("csv-nodes"));
    expect((await screen.findByTestId("download-refused")).textContent).toBe(REFUSAL);
    expect(asked.filter((a) => a.path === "/api/v1/csv/nodes")).toEqual([{ path: "/api/v1/csv/nodes", method: "GET", authorization: null }]);
    expect(saved).toEqual([]);
  });

  it("send the secret this tab keeps with each CSV report and with the bundle's request, progress and download", async () => {
    sessionStorage.setItem(ADMIN_SECRET_KEY, SECRET);
    const asked = stubApi((path) =>
      path.startsWith("/api/v1/csv/")
        ? new Response("id\r\n", { status: 200, headers: { "content-type": "text/csv" } })
        : path.endsWith("/download")
          ? new Response("tar", { status: 200 })
          : json(path === "/api/v1/exports" ? bundle : { ...bundle, status: "done", download: "/api/v1/exports/b-1/download", size: 3 }, path === "/api/v1/exports" ? 202 : 200),
    );
    const saved = capturedSaves();
    page();
    expect(screen.getByTestId("access-note").textContent).toContain("This tab sends the admin secret entered on the Service status page.");

    fireEvent.click(screen.getByTestId("csv-clusters"));
    await waitFor(() => expect(saved).toEqual(["clusters.csv"]));
    fireEvent.click(screen.getByTestId("bundle-request"));
    fireEvent.click(await screen.findByTestId("bundle-download", {}, { timeout: 3000 }));
    await waitFor(() => expect(saved).toEqual(["clusters.csv", "reports_from2026-03-05_to2026-03-20.tar.gz"]));

    const exports = asked.filter((a) => !a.path.startsWith("/api/v1/json/"));
    expect(exports.map((a) => `${a.method} ${a.path}`)).toEqual([
      "GET /api/v1/csv/clusters",
      "POST /api/v1/exports",
      "GET /api/v1/exports/b-1",
      "GET /api/v1/exports/b-1/download",
    ]);
    expect(exports.every((a) => a.authorization === `Bearer ${SECRET}`)).toBe(true);
    expect(screen.queryByTestId("download-refused")).toBeNull();
  });

  it("save a download without the secret where the deployment made them public", async () => {
    stubApi(() => new Response("id\r\n", { status: 200, headers: { "content-type": "text/csv" } }));
    const saved = capturedSaves();
    page();
    fireEvent.click(screen.getByTestId("csv-vm"));
    await waitFor(() => expect(saved).toEqual(["vm.csv"]));
    expect(screen.queryByTestId("download-refused")).toBeNull();
  });
});
