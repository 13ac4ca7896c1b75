// The dashboard in headless Chromium against a real worker on 127.0.0.1 with seeded data: every
// page shows the API's numbers, the release menu changes them, a CSV and the bundle download, and
// each page leaves a screenshot in test-artifacts/e2e/.
import { mkdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_SECRET_KEY } from "../../ui/src/lib/admin-secret";
import type * as Api from "../../ui/src/lib/api";
import type { HealthResponse } from "../../ui/src/lib/api";
import { CHROMIUM_ARGS, chromiumFor } from "./chromium";
import { UPGRADED, seed } from "./seed";
import { type Complete, E2E_ADMIN_TOKEN, type RunningWorker, root, startWorker } from "./worker";

type AdoptionReport = Complete<Api.AdoptionReport>;
type InstallationsReport = Complete<Api.InstallationsReport>;
type ReleasesReport = Complete<Api.ReleasesReport>;

const PORT = Number(process.env.E2E_PORT ?? 8795);
const ARTIFACTS = path.join(root, "test-artifacts/e2e");
const FIRST_LOAD_BUDGET_BYTES = 60 * 1024;
const chromiumPath = chromiumFor("dashboard in Chromium");

if (chromiumPath !== null) {
  describe("dashboard in Chromium", () => {
    let worker: RunningWorker;
    let browser: Browser;
    let page: Page;
    const consoleErrors: string[] = [];

    const api = async <T>(p: string): Promise<T> => {
      const response = await fetch(`${worker.origin}${p}`);
      expect(response.status, p).toBe(200);
      return (await response.json()) as T;
    };
    const shoot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    const text = async (testId: string) => (await page.getByTestId(testId).textContent())?.trim();
    /** A chart's table view as {first column: second column}. */
    async function tableOf(chart: string): Promise<Record<string, number>> {
      const card = page.getByTestId(`chart-${chart}`);
      const toggle = card.getByRole("button", { name: "Table" });
      if (await toggle.count()) await toggle.click();
      const rows = await card.locator("tbody tr").evaluateAll((trs) =>
        trs.map((tr) => [tr.children[0]?.textContent ?? "", Number(tr.children[1]?.textContent)] as const),
      );
      return Object.fromEntries(rows);
    }

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      worker = await startWorker(PORT);
      await seed(worker);
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
      const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await worker?.stop();
    });

    it("loads / within the budget of 60 KB of gzipped JS and CSS", async () => {
      const bodies: Buffer[] = [];
      const onResponse = async (r: import("playwright-core").Response) => {
        if (/\.(js|css)(\?|$)/.test(new URL(r.url()).pathname)) bodies.push(await r.body());
      };
      page.on("response", onResponse);
      await page.goto(`${worker.origin}/`);
      await page.getByTestId("installations-count").waitFor();
      page.off("response", onResponse);
      const total = bodies.reduce((n, b) => n + gzipSync(b).length, 0);
      console.log(`[e2e] first load of /: ${bodies.length} JS/CSS files, ${(total / 1024).toFixed(1)} KB gzipped`);
      expect(bodies.length).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_BYTES);
    });

    it("shows the installations report's numbers on the overview", async () => {
      const report = await api<InstallationsReport>("/api/v1/json/report/installations");
      await page.goto(`${worker.origin}/`);
      await page.getByTestId("installations-count").waitFor();
      await page.locator(".ct-bar").first().waitFor({ state: "attached" });
      await shoot("overview");
      const env = report.environments;
      expect(await text("installations-count")).toBe(String(report.installations.count));
      expect(await text("environments-count")).toBe(String(env.count));
      expect(await text("operable-count")).toBe(String(env.operable_envs_count));
      for (const chart of ["sizes", "hypervisors", "oses"]) {
        expect(await page.getByTestId(`chart-${chart}`).locator(".caption").textContent()).toContain(`Number of environments: ${env.operable_envs_count}`);
      }
      expect(await tableOf("environments-num")).toEqual(report.installations.environments_num);
      expect(await tableOf("statuses")).toEqual(Object.fromEntries(Object.entries(env.statuses).filter(([, n]) => n > 0)));
      expect(await tableOf("oses")).toEqual(env.oses_num);
      const hypervisors = await tableOf("hypervisors");
      const named = Object.values(env.hypervisors_num).reduce((a, b) => a + b, 0);
      expect(hypervisors).toEqual({ ...env.hypervisors_num, unknown: env.operable_envs_count - named });
      expect(hypervisors.unknown).toBeGreaterThan(0);
      const sizes = await tableOf("sizes");
      expect(Object.keys(sizes)).toEqual(["1-5", "5-10", "10-20", "20-50", "50-100", "100+"]);
      const withNodes = Object.entries(env.nodes_num).filter(([k]) => Number(k) >= 1).reduce((n, [, v]) => n + v, 0);
      expect(Object.values(sizes).reduce((a, b) => a + b, 0)).toBe(withNodes);
      expect(sizes["100+"]).toBe(Object.entries(env.nodes_num).filter(([k]) => Number(k) >= 100).reduce((n, [, v]) => n + v, 0));
      await shoot("overview-tables");
    });

    it("switches the release and shows that release's numbers", async () => {
      const releases = await api<ReleasesReport>("/api/v1/json/report/releases");
      expect(releases.releases.map((r) => r.release)).toEqual(["9.0", "8.0", "7.0"]);
      const all = await api<InstallationsReport>("/api/v1/json/report/installations");
      const nine = await api<InstallationsReport>("/api/v1/json/report/installations?release=9.0");
      expect(nine.installations.count).not.toBe(all.installations.count);

      await page.goto(`${worker.origin}/`);
      await page.getByTestId("installations-count").waitFor();
      await page.getByTestId("release-menu").selectOption("9.0");
      await page.waitForURL(/\?release=9\.0$/);
      await expect.poll(() => text("installations-count")).toBe(String(nine.installations.count));
      expect(await text("environments-count")).toBe(String(nine.environments.count));
      expect(await tableOf("statuses")).toEqual(Object.fromEntries(Object.entries(nine.environments.statuses).filter(([, n]) => n > 0)));
      await shoot("overview-release-9.0");

      await page.getByTestId("release-menu").selectOption("");
      await expect.poll(() => text("installations-count")).toBe(String(all.installations.count));
    });

    it("offers the chart's numbers as CSV and the report as JSON", async () => {
      await page.goto(`${worker.origin}/`);
      const card = page.getByTestId("chart-statuses");
      await card.waitFor();
      const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "CSV" }).click()]);
      expect(download.suggestedFilename()).toBe("statuses.csv");
      const csv = await readDownload(download);
      const report = await api<InstallationsReport>("/api/v1/json/report/installations");
      const expected = Object.entries(report.environments.statuses).filter(([, n]) => n > 0);
      const lines = csv.trim().split("\r\n");
      expect(lines[0]).toBe("status,environments");
      expect(Object.fromEntries(lines.slice(1).map((l) => [l.split(",")[0], Number(l.split(",")[1])]))).toEqual(Object.fromEntries(expected));
      expect(await card.getByRole("link", { name: "JSON" }).getAttribute("href")).toBe("/api/v1/json/report/installations");
    });

    it("shows the loading state, then 'service unavailable' when the report fails", async () => {
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route("**/api/v1/json/report/installations*", async (route) => {
        await held;
        await route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ status: "error", message: "down" }) });
      });
      await page.goto(`${worker.origin}/`);
      await page.getByTestId("loading").waitFor();
      await shoot("overview-loading");
      release();
      await page.getByText("Error: Service is unavailable.").waitFor();
      await shoot("overview-error");
      await page.unroute("**/api/v1/json/report/installations*");
    });

    it("shows adoption per release and the upgrade", async () => {
      const report = await api<AdoptionReport>("/api/v1/json/report/adoption");
      await page.goto(`${worker.origin}/adoption`);
      await page.getByTestId("chart-adoption").locator(".ct-line").first().waitFor({ state: "attached" });
      await shoot("adoption");
      const last = report.days[report.days.length - 1]!;
      const card = page.getByTestId("chart-adoption");
      await card.getByRole("button", { name: "Table" }).click();
      const header = await card.locator("thead th").allTextContents();
      expect(header).toEqual(["date", ...report.releases]);
      const lastRow = await card.locator("tbody tr").last().locator("th, td").allTextContents();
      expect(lastRow).toEqual([last.date, ...report.releases.map((r) => String(last.installations[r] ?? 0))]);
      expect(report.transitions).toContainEqual({ from_release: UPGRADED.before, to_release: UPGRADED.after, installations: 1 });
      const transitions = page.getByTestId("chart-transitions");
      await transitions.getByRole("button", { name: "Table" }).click();
      const rows = await transitions.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      expect(rows).toEqual(report.transitions.map((t) => [t.from_release, t.to_release, String(t.installations)]));
    });

    it("asks for a shorter range and re-reads the adoption report", async () => {
      const report = await api<AdoptionReport>("/api/v1/json/report/adoption");
      const from = report.days[report.days.length - 3]!.date;
      await page.goto(`${worker.origin}/adoption`);
      await page.getByTestId("chart-adoption").waitFor();
      await page.locator('input[name="from_date"]').fill(from);
      await page.waitForURL(new RegExp(`from_date=${from}`));
      const card = page.getByTestId("chart-adoption");
      await card.getByRole("button", { name: "Table" }).click();
      await expect.poll(() => card.locator("tbody tr").count()).toBe(3);
    });

    it("downloads a CSV report for the chosen range, and the all-reports bundle", async () => {
      await page.goto(`${worker.origin}/reports`);
      const today = new Date().toISOString().slice(0, 10);
      expect(await page.locator('input[name="to_date"]').inputValue()).toBe(today);
      const from = await page.locator('input[name="from_date"]').inputValue();
      expect(from < today).toBe(true);
      const link = page.getByTestId("csv-clusters");
      const href = await link.getAttribute("href");
      expect(href).toBe(`/api/v1/csv/clusters?from_date=${from}&to_date=${today}`);
      expect(await page.locator('[data-testid^="csv-"]').count()).toBe(9);
      await shoot("reports");

      // An inverted range disables the downloads and says why.
      await page.locator('input[name="from_date"]').fill(`${Number(today.slice(0, 4)) + 1}${today.slice(4)}`);
      await page.getByTestId("range-error").waitFor();
      expect(await page.locator('[data-testid^="csv-"]').count()).toBe(0);
      await page.goto(`${worker.origin}/reports`);

      // Row-level: without the admin secret a download is refused, and the page says why.
      await page.getByTestId("csv-clusters").click();
      expect(await page.getByTestId("download-refused").textContent()).toContain("PUBLIC_ROW_EXPORTS");
      // With the secret this tab keeps (as the /admin page keeps it), every download sends it.
      await page.evaluate(([key, secret]) => sessionStorage.setItem(key!, secret!), [ADMIN_SECRET_KEY, E2E_ADMIN_TOKEN]);
      await page.goto(`${worker.origin}/reports`);
      expect(await page.getByTestId("access-note").textContent()).toContain("This tab sends the admin secret");

      const probe = await fetch(`${worker.origin}${href}`, { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
      expect(probe.status).toBe(200);
      const expected = await probe.text();
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("csv-clusters").click()]);
      const csv = await readDownload(download);
      expect(csv.split("\n")[0]).toBe(expected.split("\n")[0]);
      expect(csv.trim().split("\n").length).toBe(expected.trim().split("\n").length);

      await page.getByTestId("bundle-request").click();
      await page.getByTestId("bundle").waitFor();
      await expect.poll(() => page.getByTestId("bundle-status").textContent(), { timeout: 60_000, interval: 500 }).toBe("done");
      await shoot("reports-bundle");
      const [archive] = await Promise.all([page.waitForEvent("download"), page.getByTestId("bundle-download").click()]);
      const bytes = await readDownloadBytes(archive);
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    }, 120_000);

    it("shows the collector's counters per day", async () => {
      const report = await api<HealthResponse>("/api/v1/json/collector/health");
      const totals: Record<string, number> = {};
      for (const day of report.days) for (const [k, n] of Object.entries(day.totals)) totals[k] = (totals[k] ?? 0) + (n ?? 0);
      expect(totals.accepted).toBeGreaterThan(0);
      expect(totals.rejected_schema).toBeGreaterThan(0);
      await page.goto(`${worker.origin}/health`);
      await page.getByTestId("total-accepted").waitFor();
      await page.locator(".ct-line").first().waitFor({ state: "attached" });
      await shoot("health");
      for (const outcome of Object.keys(report.units)) expect(await text(`total-${outcome}`), outcome).toBe(String(totals[outcome] ?? 0));
      const today = report.days[report.days.length - 1]!;
      const card = page.getByTestId("chart-health-requests");
      await card.getByRole("button", { name: "Table" }).click();
      const header = await card.locator("thead th").allTextContents();
      const lastRow = await card.locator("tbody tr").last().locator("th, td").allTextContents();
      expect(lastRow[0]).toBe(today.date);
      expect(lastRow[header.indexOf("rejected_schema")]).toBe(String(today.totals.rejected_schema));
    });

    // The collector's ping over raw HTTP, on this suite's worker: fetch cannot send a GET with a
    // body, which fuel-stats' ping accepts (any body or none), so test/worker cannot cover it.
    it("answers a GET ping with any body, or none, with 200 and the ok envelope", async () => {
      const bodies = ["", "{}", '{"master_node_uid": "x"}', "[1, 2]", "not json at all", "\u00ff\u0000", "x".repeat(100_000)];
      for (const body of bodies) {
        const { status, text: answer } = await rawGet(`${worker.origin}/api/v1/ping/`, body);
        expect(status, JSON.stringify(body.slice(0, 20))).toBe(200);
        expect(JSON.parse(answer)).toMatchObject({ status: "ok" });
      }
    });

    it("logs no errors in the browser console", () => {
      // The error-state test's 503 and the download refused without the admin secret (403) are the expected failures.
      expect(consoleErrors.filter((e) => !/\b(503|403)\b/.test(e))).toEqual([]);
    });
  });
}

/** A GET carrying a body, with Content-Length, as a Fuel master's HTTP library may send one. */
function rawGet(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "GET", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "master-node-uid": "whatever" } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

async function readDownloadBytes(download: import("playwright-core").Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readDownload(download: import("playwright-core").Download): Promise<string> {
  return (await readDownloadBytes(download)).toString("utf8");
}
