// The contribution dashboard (/contrib/) in headless Chromium against a worker of its own on
// 127.0.0.1, first empty, then seeded with a config and records of our own (contrib-seed.ts): the
// numbers on the page equal the API's, each selector changes the URL and the data, a drill-down
// from the company donut, "More" in the activity log, the data's time, the first-load budget.
// Screenshots go to test-artifacts/e2e-contrib/.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActivityAnswer, ContributionAnswer, StatsAnswer, TimelineAnswer } from "../../ui/src/contrib/lib/contrib-api";
import { CHROMIUM_ARGS, chromiumFor } from "./chromium";
import { SMALL_COMPANIES, seedContrib } from "./contrib-seed";
import { type RunningWorker, root, startWorker } from "./worker";

// Apart from the usage dashboard's files (E2E_PORT, 8795 and 8796 by default), which may run at the same time.
const PORT = Number(process.env.E2E_CONTRIB_PORT ?? 8820);
const ARTIFACTS = path.join(root, "test-artifacts/e2e-contrib");
const FIRST_LOAD_BUDGET_BYTES = 60 * 1024;
const chromiumPath = chromiumFor("contribution dashboard in Chromium");

if (chromiumPath !== null) {
  describe("contribution dashboard in Chromium", () => {
    let worker: RunningWorker;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    const api = async <T>(p: string): Promise<{ body: T; lastModified: string | null }> => {
      const response = await fetch(`${worker.origin}/api/1.0/${p}`);
      expect(response.status, p).toBe(200);
      return { body: (await response.json()) as T, lastModified: response.headers.get("last-modified") };
    };
    const stats = async (p: string) => (await api<StatsAnswer>(p)).body.stats;
    const shoot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    const params = () => Object.fromEntries(new URL(page.url()).searchParams);
    const open = async (query = "") => {
      await page.goto(`${worker.origin}/contrib/${query}`);
      await page.getByTestId("contrib-title").waitFor();
    };
    /** A ranking's table, all rows: {name: metric} ({} when it says there is nothing). */
    async function rankingOf(id: string): Promise<Record<string, number>> {
      const table = page.getByTestId(`table-${id}`);
      await table.waitFor();
      if (await table.locator(".empty").count()) return {};
      await table.getByLabel("Rows").selectOption("0");
      const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [tr.children[1]!.textContent!, Number(tr.children[2]!.textContent)] as const));
      return Object.fromEntries(rows);
    }
    const asRanking = (rows: StatsAnswer["stats"]) => Object.fromEntries(rows.map((r) => [r.name, r.metric]));
    const select = (name: string) => page.getByTestId(`select-${name}`);

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      worker = await startWorker(PORT, "e2e-contrib-state");
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.on("pageerror", (e) => pageErrors.push(String(e)));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await worker?.stop();
    });

    describe("before any configuration is loaded", () => {
      it("says how to load one instead of drawing empty charts", async () => {
        await page.goto(`${worker.origin}/contrib/`);
        const empty = page.getByTestId("empty-no-config");
        await empty.waitFor();
        expect(await empty.textContent()).toContain("npm run contrib:config");
        expect(await page.locator(".chart").count()).toBe(0);
        await shoot("empty-deployment");
      });
    });

    describe("with a config and records", () => {
      beforeAll(async () => {
        await seedContrib(worker.origin);
      }, 60_000);

      it("loads /contrib/ within the budget of 60 KB of gzipped JS and CSS", async () => {
        const context = await browser.newContext();
        const fresh = await context.newPage();
        const bodies: Buffer[] = [];
        fresh.on("response", async (r) => {
          if (/\.(js|css)(\?|$)/.test(new URL(r.url()).pathname)) bodies.push(await r.body());
        });
        await fresh.goto(`${worker.origin}/contrib/`);
        await fresh.getByTestId("table-companies").waitFor();
        await fresh.waitForLoadState("networkidle");
        const total = bodies.reduce((n, b) => n + gzipSync(b).length, 0);
        console.log(`[e2e] first load of /contrib/: ${bodies.length} JS/CSS files, ${(total / 1024).toFixed(1)} KB gzipped`);
        expect(bodies.length).toBeGreaterThan(0);
        expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_BYTES);
        await context.close();
      });

      it("shows the API's numbers: the summary, the three rankings with the marks columns, the timeline and the activity", async () => {
        await open();
        expect(await page.getByTestId("contrib-title").textContent()).toBe("All community contribution in Cedar release");
        // The document title follows the heading in an effect, after the render that drew it.
        await expect.poll(() => page.title()).toBe("All community contribution in Cedar release · edgestats");
        expect(await rankingOf("companies")).toEqual(asRanking(await stats("stats/companies")));
        expect(await rankingOf("modules")).toEqual(asRanking(await stats("stats/modules")));
        const engineers = await stats("stats/engineers");
        expect(await rankingOf("engineers")).toEqual(asRanking(engineers));
        const kai = engineers.find((r) => r.id === "kai-b")!;
        const kaiRow = page.getByTestId("table-engineers").locator('tr[data-id="kai-b"] td');
        expect((await kaiRow.allTextContents()).slice(3, 10)).toEqual([...["-2", "-1", "1", "2", "A", "x"].map((k) => String(kai[k])), `${kai.positive_ratio} (under 60%)`]);
        expect(await kaiRow.nth(9).locator(".low-ratio").count()).toBe(1);
        expect(await kaiRow.nth(11).textContent()).toBe("✻ core reviewer on master");

        const { contribution: c } = (await api<ContributionAnswer>("contribution")).body;
        expect(await page.getByTestId("summary-commits").textContent()).toBe(String(c.commit_count));
        expect(await page.getByTestId("summary-loc").textContent()).toBe(String(c.loc));
        expect(await page.getByTestId("summary-reviews").textContent()).toBe(String(c.marks["-2"] + c.marks["-1"] + c.marks["1"] + c.marks["2"] + c.marks.x));
        expect(await page.getByTestId("summary-patch-sets").textContent()).toBe(String(c.patch_set_count));

        const timeline = (await api<TimelineAnswer>("stats/timeline")).body.timeline;
        const card = page.getByTestId("chart-timeline");
        await card.getByRole("button", { name: "Table" }).click();
        const weeks = await card.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
        expect(weeks).toEqual(timeline[0].map(([week, value], i) => [week.slice(0, 10), String(value), String(timeline[1][i]![1]), String(timeline[2][i]![1])]));
        await card.getByRole("button", { name: "Chart" }).click();

        const activity = (await api<ActivityAnswer>("activity?start_record=0&page_size=10")).body.activity;
        expect(await page.getByTestId("activity").locator("li.activity-item").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-key")))).toEqual(activity.map((a) => a.primary_key));
        await page.locator(".ct-slice-donut").first().waitFor({ state: "attached" });
        await shoot("overview");
      });

      it("changes the URL and the numbers with each selector, and the back button returns", async () => {
        await open();
        const summaryCommits = async (query: string) => {
          const c = (await api<ContributionAnswer>(`contribution?${query}`)).body.contribution;
          await expect.poll(() => page.getByTestId("summary-commits").textContent()).toBe(String(c.commit_count));
        };
        const ranking = async (id: string, query: string) => {
          const expected = asRanking(await stats(`stats/${id}?${query}`));
          expect(Object.keys(expected).length, `${id}?${query}`).toBeGreaterThan(0);
          await expect.poll(() => rankingOf(id)).toEqual(expected);
        };
        const steps: [string, string, (query: string) => Promise<void>][] = [
          ["release", "birch", (q) => summaryCommits(q)],
          ["metric", "commits", (q) => ranking("companies", q)],
          ["release", "all", (q) => ranking("modules", q)],
          ["project_type", "docs", (q) => ranking("companies", q)],
          ["project_type", "all", (q) => ranking("engineers", q)],
          ["module", "core", (q) => ranking("companies", q)],
          ["company", "northwind", (q) => ranking("engineers", q)],
          ["user_id", "ada-marsh", async (q) => {
            await summaryCommits(q);
            await page.getByTestId("user-panel").getByRole("heading", { name: "Ada Marsh" }).waitFor();
          }],
          ["period", "30", (q) => summaryCommits(q.replace("period=30", `start_date=${new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10)}`))],
        ];
        const before: Record<string, string>[] = [];
        for (const [name, value, check] of steps) {
          before.push(params());
          await select(name).selectOption(value);
          await expect.poll(() => params()[name]).toBe(value);
          await check(new URL(page.url()).searchParams.toString());
        }
        const full = { release: "all", project_type: "all", module: "core", company: "northwind", user_id: "ada-marsh", metric: "commits", period: "30" };
        expect(params()).toEqual(full);
        expect(await page.getByTestId("contrib-title").textContent()).toBe("Ada Marsh (Northwind) contribution to core in the last 30 days");
        await shoot("selected-person-module-period");

        // A new project type clears the module.
        await select("project_type").selectOption("docs");
        await expect.poll(() => params()).toEqual({ ...full, project_type: "docs", module: undefined });
        await page.goBack();
        await expect.poll(() => params()).toEqual(full);
        await page.goBack();
        await expect.poll(() => params()).toEqual(before.at(-1));
        await expect.poll(() => select("period").inputValue()).toBe("");
        await summaryCommits(new URL(page.url()).searchParams.toString());
      });

      it("drills down from the company donut to the company", async () => {
        await open("?release=all&metric=commits");
        const donut = page.getByTestId("chart-companies-donut");
        await donut.locator(".ct-slice-donut").first().waitFor({ state: "attached" });
        expect(await donut.locator(".legend li").count()).toBe(10);
        expect(await donut.locator(".legend li").last().textContent()).toMatch(/^others: \d+/);
        await shoot("companies-donut");
        const slice = donut.locator(".ct-slice-donut", { has: page.locator("title", { hasText: /^Ironbridge:/ }) });
        await slice.dispatchEvent("click");
        await expect.poll(() => params()).toEqual({ release: "all", company: "Ironbridge", metric: "commits" });
        await expect.poll(() => page.getByTestId("contrib-title").textContent()).toBe("Ironbridge contribution");
        expect(await page.getByTestId("breakdown-companies").count()).toBe(0);
        expect(await rankingOf("engineers")).toEqual(asRanking(await stats("stats/engineers?release=all&company=Ironbridge&metric=commits")));
        expect(SMALL_COMPANIES).toContain("Ironbridge");
        await shoot("drill-down-ironbridge");
      });

      it("shows 10 more records of the activity log with 'More'", async () => {
        await open("?release=all");
        const log = page.getByTestId("activity");
        await expect.poll(() => log.locator("li.activity-item").count()).toBe(10);
        const next = (await api<ActivityAnswer>("activity?release=all&start_record=10&page_size=10")).body.activity;
        await log.getByRole("button", { name: "More" }).click();
        await expect.poll(() => log.locator("li.activity-item").count()).toBe(20);
        const keys = await log.locator("li.activity-item").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-key")));
        expect(keys.slice(10)).toEqual(next.map((a) => a.primary_key));
        await log.scrollIntoViewIfNeeded();
        await shoot("activity-more");
      });

      it("shows the module panel and the user panel", async () => {
        await open("?module=code-group&user_id=kai-b");
        const modulePanel = page.getByTestId("module-panel");
        await modulePanel.getByRole("heading", { name: "Code-group" }).waitFor();
        expect(await modulePanel.getByRole("listitem").allTextContents()).toEqual(["core https://git.example/demo/core.git", "tools https://git.example/demo/tools.git"]);
        const userPanel = page.getByTestId("user-panel");
        await userPanel.getByRole("heading", { name: "Kai Brandt" }).waitFor();
        expect(await userPanel.getByTestId("user-company").textContent()).toBe("Southgate");
        await shoot("module-and-user-panels");
      });

      it("says when the data was last updated, and warns when that is older than the hourly processor allows", async () => {
        const { lastModified } = await api<unknown>("releases");
        expect(lastModified).not.toBeNull();
        await open();
        const footer = page.getByTestId("last-updated");
        await footer.waitFor();
        expect(await footer.textContent()).toContain(`Last updated ${new Date(lastModified!).toISOString().slice(0, 16).replace("T", " ")} UTC`);
        expect(await page.getByTestId("freshness-banner").count()).toBe(0);

        const threeHoursAgo = Math.floor(Date.now() / 1000) - 3 * 3600;
        const stamp = Math.floor(Date.parse(lastModified!) / 1000);
        worker.d1("CONTRIB_DB", `UPDATE counters SET value = ${threeHoursAgo} WHERE name = 'data_updated_at'`);
        try {
          await open();
          const banner = page.getByTestId("freshness-banner");
          await banner.waitFor();
          expect(await banner.textContent()).toContain(`The data was last updated on ${new Date(threeHoursAgo * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`);
          await shoot("stale-banner");
        } finally {
          worker.d1("CONTRIB_DB", `UPDATE counters SET value = ${stamp} WHERE name = 'data_updated_at'`);
        }
      });

      it("serves the report pages from the app's router: a person's punch card and the core reviewers, with the API's numbers", async () => {
        await open("?module=code-group");
        await page.getByTestId("report-links").getByRole("link", { name: "Open reviews of this module" }).click();
        await page.getByRole("heading", { level: 1, name: /open reviews/i }).waitFor();
        expect(new URL(page.url()).pathname).toBe("/contrib/reports/open-reviews/code-group");

        const card = (await api<{ total: number }>("reports/punch_card?user_id=kai-b")).body;
        expect(card.total).toBeGreaterThan(0);
        const response = await page.goto(`${worker.origin}/contrib/reports/users/kai-b`);
        expect(response?.status()).toBe(200);
        const punchCard = page.getByTestId("punch-card");
        await punchCard.waitFor();
        expect(await punchCard.getAttribute("aria-label")).toContain(`Punch card: ${card.total} records`);
        // The data's time, as on the overview (every answer's Last-Modified is the same).
        const { lastModified } = await api<unknown>("releases");
        await expect.poll(() => page.getByTestId("last-updated").textContent()).toContain(`Last updated ${new Date(lastModified!).toISOString().slice(0, 16).replace("T", " ")} UTC`);
        await shoot("report-user-activity");

        const { cores } = (await api<{ cores: { module: string }[] }>("reports/cores")).body;
        await page.goto(`${worker.origin}/contrib/reports/cores`);
        await page.getByRole("heading", { level: 1, name: /Core reviewers/ }).waitFor();
        for (const { module } of cores) await page.getByText(module, { exact: true }).first().waitFor();
        await shoot("report-cores");

        const unknown = await page.goto(`${worker.origin}/contrib/reports/no-such-report`);
        expect(unknown?.status()).toBe(200);
        await page.getByRole("heading", { name: /not found/i }).waitFor();
      });

      it("threw no error in the page", () => {
        expect(pageErrors).toEqual([]);
      });
    });
  });
}
