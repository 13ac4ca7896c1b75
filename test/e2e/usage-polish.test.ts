// What a new user tripped over on the usage dashboard (issue 15), in Chromium against a worker of
// its own on 127.0.0.1: numbers that stayed stale after a roll-up, the data's time, installations
// hidden by filtering, colours that moved with a release, page titles, and the 404 page.
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Api from "../../ui/src/lib/api";
import { CHROMIUM_ARGS, chromiumFor } from "./chromium";
import { STRUCTURES, seed } from "./seed";
import { type Complete, E2E_ADMIN_TOKEN, type RunningWorker, root, startWorker } from "./worker";

type FilteringReport = Complete<Api.FilteringReport>;
type InstallationsReport = Complete<Api.InstallationsReport>;

// One above the dashboard's file, which may run at the same time.
const PORT = Number(process.env.E2E_PORT ?? 8795) + 1;
const chromiumPath = chromiumFor("usage dashboard polish in Chromium");
const admin = { authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

if (chromiumPath !== null) {
  describe("usage dashboard polish in Chromium", () => {
    let worker: RunningWorker;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const consoleErrors: string[] = [];

    const api = async <T>(p: string): Promise<{ body: T; lastModified: string | null }> => {
      const response = await fetch(`${worker.origin}${p}`);
      expect(response.status, p).toBe(200);
      return { body: (await response.json()) as T, lastModified: response.headers.get("last-modified") };
    };
    const refresh = async () => {
      const response = await fetch(`${worker.origin}/api/v1/json/report/installations?refresh=1`, { headers: admin });
      expect(response.status).toBe(200);
    };
    const postStructure = async (uid: string, release: string) => {
      const response = await fetch(`${worker.origin}/api/v1/installation_structure/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          installation_structure: {
            master_node_uid: uid,
            clusters_num: 0,
            allocated_nodes_num: 0,
            unallocated_nodes_num: 1,
            clusters: [],
            fuel_release: { release, build_id: "ga", api: "1", feature_groups: [] },
          },
        }),
      });
      expect(response.status).toBeLessThan(300);
    };
    const shownCount = () => page.getByTestId("installations-count").textContent();
    /** "Data as of 2026-03-03 14:05 UTC" for an answer's Last-Modified. */
    const asOfText = (lastModified: string) => `Data as of ${new Date(lastModified).toISOString().slice(0, 16).replace("T", " ")} UTC`;
    const nav = (name: string) => page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name, exact: true }).click();

    beforeAll(async () => {
      worker = await startWorker(PORT, "e2e-polish-state");
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(`${m.text()} ${m.location().url}`));
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await worker?.stop();
    });

    it("says there was no roll-up yet, and what to do, before the first one", async () => {
      await page.goto(`${worker.origin}/`);
      await page.getByTestId("installations-count").waitFor();
      expect(await shownCount()).toBe("0");
      expect(await page.getByTestId("as-of").textContent()).toBe("No roll-up yet");
      expect(await page.getByTestId("chart-environments-num").locator(".empty").textContent()).toContain(
        "No roll-up yet: run the hourly job",
      );
    });

    it("shows an admin's refresh after a reload, and after in-app navigation, with the roll-up's time", async () => {
      // The browser keeps the answers of the first visit (and of a page visited in between).
      await nav("Adoption");
      await page.getByTestId("chart-adoption").waitFor();
      await nav("Overview");
      await page.getByTestId("installations-count").waitFor();
      expect(await shownCount()).toBe("0");

      await postStructure("polish-a", "9.0");
      await postStructure("polish-b", "8.0");
      await postStructure("polish-c", "8.0");
      await refresh();
      await page.reload();
      await expect.poll(shownCount, { timeout: 15_000 }).toBe("3");
      const first = await api<InstallationsReport>("/api/v1/json/report/installations");
      expect(first.body.installations.count).toBe(3);
      expect(await page.getByTestId("as-of").textContent()).toBe(asOfText(first.lastModified!));
      expect(await page.getByTestId("hypervisors-as-of").textContent()).toBe(asOfText(first.lastModified!));

      await postStructure("polish-d", "9.0");
      await refresh();
      await nav("Adoption");
      await page.getByTestId("chart-adoption").waitFor();
      const adoption = await api<unknown>("/api/v1/json/report/adoption");
      expect(await page.getByTestId("as-of").textContent()).toBe(asOfText(adoption.lastModified!));
      await nav("Overview");
      await expect.poll(shownCount, { timeout: 15_000 }).toBe("4");
    });

    it("keeps a hypervisor's colour between all releases and one", async () => {
      await seed(worker);
      const swatchOf = async (url: string, label: string) => {
        await page.goto(`${worker.origin}${url}`);
        const item = page.getByTestId("chart-hypervisors").locator(".legend li", { hasText: `${label}:` });
        return item.locator(".swatch").evaluate((el) => getComputedStyle(el).backgroundColor);
      };
      // vcenter is third of three under "All" and the only one under 8.0.
      const all = await swatchOf("/", "vcenter");
      expect(await swatchOf("/?release=8.0", "vcenter")).toBe(all);
      expect(await swatchOf("/?release=9.0", "kvm")).toBe(await swatchOf("/", "kvm"));
    });

    it("says how many installations the example filtering rules leave out, with a link to the rules", async () => {
      const rules = readFileSync(path.join(root, "docs/examples/filtering-rules.json"), "utf8");
      const put = await fetch(`${worker.origin}/api/v1/admin/filtering-rules`, { method: "PUT", headers: admin, body: rules });
      expect(put.status).toBe(200);
      await refresh();
      const { body } = await api<FilteringReport>("/api/v1/json/report/filtering");
      expect(body.filtered.count).toBeGreaterThan(0);

      await page.goto(`${worker.origin}/`);
      const notice = page.getByTestId("filtered-notice");
      await expect.poll(() => notice.getAttribute("data-count"), { timeout: 15_000 }).toBe(String(body.filtered.count));
      expect(await notice.textContent()).toContain(`${body.filtered.count} installations are left out by the filtering rules in force`);
      const link = notice.getByRole("link", { name: "filtering rules in force" });
      expect(await link.getAttribute("href")).toBe("/api/v1/json/report/filtering");

      await page.goto(`${worker.origin}/?release=8.0`);
      await expect.poll(() => page.getByTestId("filtered-notice").getAttribute("data-count"), { timeout: 15_000 }).toBe(String(body.filtered.releases["8.0"] ?? 0));

      await nav("Reports");
      await expect.poll(() => page.getByTestId("filtered-notice").getAttribute("data-count"), { timeout: 15_000 }).toBe(String(body.filtered.count));
      const counted = await api<InstallationsReport>("/api/v1/json/report/installations");
      expect(counted.body.installations.count + body.filtered.count).toBe(STRUCTURES.length + 1 + 4);
    });

    it("draws a one-day range as bars", async () => {
      const today = new Date().toISOString().slice(0, 10);
      await page.goto(`${worker.origin}/adoption?from_date=${today}&to_date=${today}`);
      const chart = page.getByTestId("chart-adoption").locator("[data-shape]");
      await expect.poll(() => chart.getAttribute("data-shape"), { timeout: 15_000 }).toBe("bars");
      // Chartist draws its SVG after the chart is created (a frame later): wait for the bars.
      await expect.poll(() => page.getByTestId("chart-adoption").locator(".ct-bar").count(), { timeout: 15_000 }).toBeGreaterThan(0);
    });

    it("gives each page its own title", async () => {
      for (const [url, title] of [
        ["/", "Overview · edgestats"],
        ["/adoption", "Adoption · edgestats"],
        ["/reports", "Reports · edgestats"],
        ["/health", "Collector health · edgestats"],
      ]) {
        const response = await page.goto(`${worker.origin}${url}`);
        expect(response?.status(), url).toBe(200);
        await expect.poll(() => page.title(), { timeout: 15_000 }).toBe(title);
      }
    });

    it("logs no errors in the browser console on the pages (no /favicon.ico asked for, now that it would be a 404)", () => {
      expect(consoleErrors).toEqual([]);
    });

    it("answers an unknown path with a 404 page", async () => {
      const response = await page.goto(`${worker.origin}/no-such-page`);
      expect(response?.status()).toBe(404);
      await page.getByTestId("not-found").waitFor();
      await expect.poll(() => page.title()).toBe("Not found · edgestats");
      const api404 = await fetch(`${worker.origin}/api/v1/no-such-thing`);
      expect(api404.status).toBe(404);
      expect(await api404.json()).toMatchObject({ status: "error" });
    });
  });
}
