// The contribution report pages (/contrib/reports/…) in headless Chromium against a worker of their
// own on 127.0.0.1, seeded with contrib-seed.ts: each report shows the numbers and rows of the API's
// answer for the same parameters (fetched here), waits in words through the page's own rule
// (format.ts), a chart's table view and CSV equal its data, "More" in the activity log, a filter in
// the page's query reaches the API, an unknown module shows the API's message. Screenshots go to
// test-artifacts/e2e-contrib-reports/.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type Locator, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ActivityPage,
  AffiliationChange,
  BlueprintReport,
  Contribution,
  ContributionReport,
  CoresReport,
  LargeCommit,
  OpenReviewsReport,
  PunchCard,
  RecordReport,
  SinglePlusTwoReview,
  UserProfile,
} from "../../ui/src/contrib/reports/api";
import { formatDay, formatWait, isoDay, ratioText } from "../../ui/src/contrib/reports/format";
import { CHROMIUM_ARGS, chromiumFor } from "./chromium";
import { seedContrib } from "./contrib-seed";
import { type RunningWorker, root, startWorker } from "./worker";

// Apart from the other e2e files' workers (8795–8797, 8820 by default), which may run at the same time.
const PORT = Number(process.env.E2E_CONTRIB_REPORTS_PORT ?? 8822);
const ARTIFACTS = path.join(root, "test-artifacts/e2e-contrib-reports");
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const chromiumPath = chromiumFor("contribution report pages in Chromium");

const nowSeconds = () => Math.floor(Date.now() / 1000);
type Cells = (string | null)[][];

if (chromiumPath !== null) {
  describe("contribution report pages in Chromium", () => {
    let worker: RunningWorker;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    /** The `/api/1.0` URLs the page asked for (path and query), since the last `open`. */
    let asked: string[] = [];

    const api = async <T>(p: string, status = 200): Promise<T> => {
      const response = await fetch(`${worker.origin}/api/1.0/${p}`);
      expect(response.status, p).toBe(status);
      return (await response.json()) as T;
    };
    const shoot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    /** Opens a report page and waits for its heading. */
    const open = async (report: string) => {
      asked = [];
      const response = await page.goto(`${worker.origin}/contrib/reports/${report}`);
      expect(response?.status(), report).toBe(200);
      await page.getByRole("heading", { level: 1 }).waitFor();
    };
    const heading = () => page.getByRole("heading", { level: 1 }).textContent();
    /** The requests for one API path, as path and query. */
    const requestsFor = (apiPath: string) => asked.filter((u) => u.split("?")[0] === `/api/1.0/${apiPath}`);
    /** A table's body, cell by cell (the row's header cell first). */
    const rowsOf = async (table: Locator): Promise<Cells> => {
      await table.waitFor();
      return table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    };
    const columnsOf = (table: Locator) => table.locator("thead th").allTextContents();
    /** A row of figures (`<dl aria-label>`): {label: value}. */
    const figuresOf = async (scope: Locator | Page, label: string): Promise<Record<string, string>> => {
      const dl = scope.locator(`dl[aria-label="${label}"]`);
      await dl.waitFor();
      const pairs = await dl.locator("div").evaluateAll((divs) => divs.map((d) => [d.querySelector("dt")!.textContent, d.querySelector("dd")!.textContent]));
      return Object.fromEntries(pairs);
    };
    /** The `<dt>`/`<dd>` pairs of a `.fields` list, in order. */
    const fieldsOf = (list: Locator) =>
      list.evaluate((dl) => [...dl.querySelectorAll(":scope > dt")].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent] as [string, string]));
    /** The CSV of a card's download link, as rows of cells (none of ours holds a comma or a quote). */
    const csvOf = async (card: Locator): Promise<string[][]> => {
      const href = (await card.getByRole("link", { name: "CSV" }).getAttribute("href"))!;
      expect(href.startsWith("data:text/csv;charset=utf-8,")).toBe(true);
      const text = decodeURIComponent(href.slice(href.indexOf(",") + 1));
      return text
        .split("\r\n")
        .filter(Boolean)
        .map((line) => line.split(","));
    };
    const activityKeys = (scope: Locator) => scope.locator("li[data-testid=activity-item]").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-key")));
    /** What the activity log shows of each record: its key, author, company and time. */
    const activityItems = (scope: Locator) =>
      scope.locator("li[data-testid=activity-item]").evaluateAll((lis) =>
        lis.map((li) => {
          const meta = li.querySelector(".meta")!;
          return [li.getAttribute("data-key"), meta.children[0]!.textContent, meta.querySelector("time")!.textContent];
        }),
      );
    const asItems = (records: ActivityPage["activity"]) => records.map((r) => [r.primary_key, (r.author_name as string) || r.user_id, r.date_str]);

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      worker = await startWorker(PORT, "e2e-contrib-reports-state");
      await seedContrib(worker.origin);
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.on("pageerror", (e) => pageErrors.push(String(e)));
      page.on("request", (r) => {
        const u = new URL(r.url());
        if (u.pathname.startsWith("/api/1.0/")) asked.push(`${u.pathname}${u.search}`);
      });
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await worker?.stop();
    });

    it("activity: the API's first ten records, ten more with 'More', and none after the last", async () => {
      await open("activity");
      expect(await heading()).toBe("Activity");
      const log = page.getByTestId("activity");
      const first = (await api<ActivityPage>("activity?start_record=0&page_size=10")).activity;
      await expect.poll(() => activityItems(log)).toEqual(asItems(first));
      expect(requestsFor("activity")).toEqual(["/api/1.0/activity?start_record=0&page_size=10"]);

      const second = (await api<ActivityPage>("activity?start_record=10&page_size=10")).activity;
      await log.getByRole("button", { name: "More" }).click();
      await expect.poll(() => activityKeys(log)).toEqual([...first, ...second].map((r) => r.primary_key));
      expect(requestsFor("activity").at(-1)).toBe("/api/1.0/activity?start_record=10&page_size=10");
      await shoot("activity");
    });

    it("activity with a release and a module in its query: passes them to the API and titles itself by them", async () => {
      await open("activity?release=birch&module=docs");
      expect(await heading()).toBe("Activity in docs, release birch");
      const records = (await api<ActivityPage>("activity?release=birch&module=docs&start_record=0&page_size=10")).activity;
      expect(records.length).toBeGreaterThan(0);
      const log = page.getByTestId("activity");
      await expect.poll(() => activityItems(log)).toEqual(asItems(records));
      const [url] = requestsFor("activity");
      expect(Object.fromEntries(new URL(url!, worker.origin).searchParams)).toEqual({ release: "birch", module: "docs", start_record: "0", page_size: "10" });
      // Fewer than ten: nothing more to ask for.
      expect(await log.getByRole("button", { name: "More" }).count()).toBe(0);

      await open("activity?release=birch");
      expect(await heading()).toBe("Activity, release birch");
      await shoot("activity-birch");
    });

    /** The rows of the contribution summary as the page should show them for an API answer. */
    const summaryRows = (c: Contribution): Cells => {
      const m = c.marks;
      return [
        ["Commits", c.commit_count],
        ["Lines of code", c.loc],
        ["Reviews (−2, −1, +1, +2 and others' abandons)", m["-2"] + m["-1"] + m["1"] + m["2"] + m.x],
        ["Review −2", m["-2"]],
        ["Review −1", m["-1"]],
        ["Review +1", m["1"]],
        ["Review +2", m["2"]],
        ["Approved (Workflow +1)", m.A],
        ["Work in progress (Workflow −1)", m.WIP],
        ["Abandoned others' changes", m.x],
        ["Self and other votes", m["0"] + m.s],
        ["Change requests", c.change_request_count],
        ["Abandoned change requests", c.abandoned_change_requests_count],
        ["Patch sets", c.patch_set_count],
        ["Emails", c.email_count],
        ["Drafted blueprints", c.drafted_blueprint_count],
        ["Completed blueprints", c.completed_blueprint_count],
        ["Filed bugs", c.filed_bug_count],
        ["Resolved bugs", c.resolved_bug_count],
        ["Translated words", c.translations],
      ].map(([label, n]) => [String(label), String(n)]);
    };

    it("a person: the profile, the punch card's total and cells, its table view and CSV, the summary and the activity", async () => {
      await open("users/kai-b");
      const { user } = await api<{ user: UserProfile }>("users/kai-b");
      await expect.poll(heading).toBe(`${user.user_name}: activity report`);
      const profile = Object.fromEntries(await fieldsOf(page.getByTestId("profile").locator("dl.fields")));
      expect(profile.Company).toContain(user.company_link.title);
      expect(profile["Core reviewer in"]).toBe(user.core.map(([module, branch]) => `${module} (${branch === "master" ? "master ✻" : `${branch} ✬`})`).join(", "));
      expect(profile.Launchpad).toBe(user.launchpad_id);

      const card = await api<PunchCard>("reports/punch_card?release=all&user_id=kai-b");
      expect(card.total).toBeGreaterThan(0);
      expect(requestsFor("reports/punch_card")).toEqual(["/api/1.0/reports/punch_card?release=all&user_id=kai-b"]);
      const chart = page.getByTestId("chart-punch-card");
      const svg = chart.getByTestId("punch-card");
      await svg.waitFor();
      let busiest = { d: 0, h: 0, n: 0 };
      card.punch_card.forEach((row, d) => row.forEach((n, h) => n > busiest.n && (busiest = { d, h, n })));
      const at = `${WEEKDAYS[busiest.d]} ${String(busiest.h).padStart(2, "0")}:00 UTC`;
      expect(await svg.getAttribute("aria-label")).toBe(`Punch card: ${card.total} records, busiest ${at} with ${busiest.n}`);
      expect(await chart.locator(".caption").textContent()).toContain(`: ${card.total} records.`);
      const cells = card.punch_card.flatMap((row, d) => row.flatMap((n, h) => (n > 0 ? [`${WEEKDAYS[d]} ${String(h).padStart(2, "0")}:00 UTC: ${n}`] : [])));
      expect(await svg.locator("circle title").allTextContents()).toEqual(cells);

      // The table view and the CSV are the API's grid: a row per weekday, a column per hour.
      const hours = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`);
      const grid = card.punch_card.map((row, d) => [WEEKDAYS[d]!, ...row.map(String)]);
      await chart.getByRole("button", { name: "Table" }).click();
      expect(await columnsOf(chart)).toEqual(["weekday", ...hours]);
      expect(await rowsOf(chart)).toEqual(grid);
      expect(await csvOf(chart)).toEqual([["weekday", ...hours], ...grid]);
      await chart.getByRole("button", { name: "Chart" }).click();
      await svg.waitFor();

      const { contribution } = await api<{ contribution: Contribution }>("contribution?release=all&user_id=kai-b");
      expect(await rowsOf(page.getByTestId("table-contribution"))).toEqual(summaryRows(contribution));
      const activity = (await api<ActivityPage>("activity?release=all&user_id=kai-b&start_record=0&page_size=10")).activity;
      await expect.poll(() => activityItems(page.getByTestId("activity"))).toEqual(asItems(activity));
      await shoot("user-kai-b");
    });

    it("a person who moved: the affiliations with the date of the move, and the punch card's total", async () => {
      await open("users/mia-stone");
      const { user } = await api<{ user: UserProfile }>("users/mia-stone");
      expect(user.companies.length).toBe(2);
      await expect.poll(heading).toBe(`${user.user_name}: activity report`);
      const profile = Object.fromEntries(await fieldsOf(page.getByTestId("profile").locator("dl.fields")));
      expect(profile.Affiliations).toBe(user.companies.map((c) => `${c.company_name} ${c.end_date ? `until ${formatDay(c.end_date)}` : "now"}`).join("; "));
      expect(profile.Company).toContain(user.company_link.title);
      expect(profile["Core reviewer in"]).toBe("none");
      const card = await api<PunchCard>("reports/punch_card?release=all&user_id=mia-stone");
      await expect.poll(() => page.getByTestId("punch-card").getAttribute("aria-label")).toContain(`Punch card: ${card.total} records`);
      const { contribution } = await api<{ contribution: Contribution }>("contribution?release=all&user_id=mia-stone");
      expect(await rowsOf(page.getByTestId("table-contribution"))).toEqual(summaryRows(contribution));
      await shoot("user-mia-stone");
    });

    it("a company, asked in lower case or with a space in its name: the configuration's spelling, its punch card (or that it is empty), summary and activity", async () => {
      await open("companies/southgate");
      const { company } = await api<{ company: { text: string } }>("companies/southgate");
      await expect.poll(heading).toBe(`${company.text}: activity report`);
      const card = await api<PunchCard>("reports/punch_card?release=all&company=southgate");
      expect(card.total).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId("punch-card").getAttribute("aria-label")).toContain(`Punch card: ${card.total} records`);
      expect(await page.getByTestId("punch-card").locator("circle").count()).toBe(card.punch_card.flat().filter((n) => n > 0).length);
      expect(requestsFor("reports/punch_card")).toEqual(["/api/1.0/reports/punch_card?release=all&company=southgate"]);
      const { contribution } = await api<{ contribution: Contribution }>("contribution?release=all&company=southgate");
      expect(await rowsOf(page.getByTestId("table-contribution"))).toEqual(summaryRows(contribution));
      const activity = (await api<ActivityPage>("activity?release=all&company=southgate&start_record=0&page_size=10")).activity;
      await expect.poll(() => activityItems(page.getByTestId("activity"))).toEqual(asItems(activity));
      await shoot("company-southgate");

      // A name with a space, and no votes, patch sets, emails or blueprints: an empty punch card, and its commits.
      await open(`companies/${encodeURIComponent("Harbor Labs")}`);
      await expect.poll(heading).toBe("Harbor Labs: activity report");
      expect((await api<PunchCard>("reports/punch_card?release=all&company=Harbor%20Labs")).total).toBe(0);
      await expect.poll(() => page.getByTestId("chart-punch-card").locator(".empty").textContent()).toBe("No votes, patch sets, emails or blueprints of Harbor Labs under these filters.");
      const harbor = (await api<{ contribution: Contribution }>("contribution?release=all&company=Harbor%20Labs")).contribution;
      expect(harbor.commit_count).toBeGreaterThan(0);
      expect(await rowsOf(page.getByTestId("table-contribution"))).toEqual(summaryRows(harbor));
      const harborActivity = (await api<ActivityPage>("activity?release=all&company=Harbor%20Labs&start_record=0&page_size=10")).activity;
      await expect.poll(() => activityItems(page.getByTestId("activity"))).toEqual(asItems(harborActivity));
      await shoot("company-harbor-labs");
    });

    it("open reviews of a module: the three groups' counts, waits in words, ages and oldest changes", async () => {
      const GROUPS = [
        ["reviewer", "waiting_on_reviewer", "Waiting on reviewers"],
        ["submitter", "waiting_on_submitter", "Waiting on submitters"],
        ["ci", "waiting_on_ci", "Waiting on CI"],
      ] as const;
      // Waits are counted to the second at each answer's time: the page's answer lies between these two.
      const t0 = nowSeconds();
      const before = await api<OpenReviewsReport>("reports/reviews/core/open?limit=5");
      await open("open-reviews/core");
      expect(await heading()).toBe("Open reviews of core");
      await page.getByTestId("group-ci").waitFor();
      const after = await api<OpenReviewsReport>("reports/reviews/core/open?limit=5");
      const t1 = nowSeconds();
      expect(requestsFor("reports/reviews/core/open")).toEqual(["/api/1.0/reports/reviews/core/open?limit=5"]);
      for (const [, key] of GROUPS) expect(after[key].count, key).toBeGreaterThan(0);

      expect(await figuresOf(page, "Open changes")).toEqual({
        "Open changes": String(after.total_open),
        "Waiting on reviewers": String(after.waiting_on_reviewer.count),
        "Waiting on submitters": String(after.waiting_on_submitter.count),
        "Waiting on CI": String(after.waiting_on_ci.count),
      });
      for (const [id, key, title] of GROUPS) {
        const section = page.getByTestId(`group-${id}`);
        const group = after[key];
        expect(await section.getByRole("heading", { level: 2 }).first().textContent()).toBe(`${title}: ${group.count}`);
        const waits = await figuresOf(section, `${title}: waits`);
        const inWords = (field: "average_wait_since_vote" | "max_wait_since_vote" | "average_wait_since_created" | "max_wait_since_created") => [
          formatWait(before[key][field]),
          formatWait(after[key][field]),
        ];
        expect(inWords("average_wait_since_vote"), `${id} average wait`).toContain(waits["Average wait since the last vote"]);
        expect(inWords("max_wait_since_vote"), `${id} longest wait`).toContain(waits["Longest wait since the last vote"]);
        expect(inWords("average_wait_since_created"), `${id} average age`).toContain(waits["Average age"]);
        expect(inWords("max_wait_since_created"), `${id} oldest`).toContain(waits.Oldest);

        const ages = section.getByTestId(`chart-ages-${id}`);
        const bars = group.ages.map(([days, n]) => `${days === 1 ? "1 day" : `${days} days`} ${n}`).join(", ");
        expect(await ages.locator(".chart").getAttribute("aria-label")).toBe(`${title}: changes by days since the last vote: ${bars}`);

        const oldest = await rowsOf(section.getByTestId(`table-oldest-${id}`));
        expect(oldest.map((row) => row.slice(0, 5))).toEqual(
          group.oldest.map((r) => [r.subject ?? r.primary_key, r.author_name, r.company_name, formatDay(r.date), formatDay(r.updated_on)]),
        );
        oldest.forEach((row, i) => {
          const votedAt = group.oldest[i]!.updated_on;
          expect([formatWait(t0 - votedAt), formatWait(t1 - votedAt)], `${id} waiting of row ${i}`).toContain(row[5]);
        });
      }
      // One group's ages as a table too: [days since the last vote, changes].
      const ages = page.getByTestId("chart-ages-reviewer");
      await ages.getByRole("button", { name: "Table" }).click();
      expect(await rowsOf(ages)).toEqual(after.waiting_on_reviewer.ages.map(([d, n]) => [String(d), String(n)]));
      await shoot("open-reviews-core");
    });

    it("the review report of a module over 30 days: the summary and each engineer's row", async () => {
      await open("contribution/core/30");
      expect(await heading()).toBe("Review report of core, last 30 days");
      const table = page.getByTestId("table-engineers");
      await table.waitFor();
      const report = await api<ContributionReport>("reports/contribution/core/30");
      expect(requestsFor("reports/contribution/core/30")).toEqual(["/api/1.0/reports/contribution/core/30"]);
      const s = report.summary;
      expect(await figuresOf(page, "Summary")).toEqual({
        Reviews: String(s.total_reviews),
        "Reviews per day": String(s.reviews_per_day),
        Reviewers: String(s.reviewers),
        "Reviews by core reviewers": String(s.core_reviews),
        "Core reviewers": String(s.core_team_size),
        "Change requests": String(s.change_requests),
        "Patch sets": String(s.patch_sets),
        Commits: String(s.commits),
        "Emails per day": String(s.emails_per_day),
      });
      expect(report.engineers.some((e) => e.core === "master")).toBe(true);
      const core = (c: string | null) => (!c ? "" : c === "master" ? "✻ core" : `✬ core on ${c}`);
      expect(await rowsOf(table)).toEqual(
        report.engineers.map((e, i) =>
          [
            i + 1,
            e.name,
            e.company,
            e.review,
            e["-2"],
            e["-1"],
            e["1"],
            e["2"],
            e.A,
            e.x,
            ratioText(e.positive_ratio),
            e.disagreements,
            ratioText(e.disagreement_ratio),
            ratioText(e.reviews_per_patch),
            e.commit,
            e.email,
            core(e.core),
          ].map(String),
        ),
      );
      // A share of positive votes under 60% is marked.
      const low = report.engineers.filter((e) => Number.parseFloat(e.positive_ratio) < 60).map((e) => e.name);
      expect(low.length).toBeGreaterThan(0);
      expect(await table.locator("tbody tr", { has: page.locator(".low-ratio") }).evaluateAll((trs) => trs.map((tr) => tr.children[1]!.textContent))).toEqual(low);
      await shoot("review-report-core-30");
    });

    /** The cores matrix as the page should show it: people by name, a ✻ (and its words) per module, their count. */
    const coresRows = (report: CoresReport): Cells => {
      const modules = report.cores.map((c) => c.module);
      const people = new Map<string, { name: string; company: string; modules: Set<string> }>();
      for (const { module, reviewers } of report.cores) {
        for (const r of reviewers) {
          const p = people.get(r.user_id) ?? { name: r.name, company: r.company_name, modules: new Set<string>() };
          p.modules.add(module);
          people.set(r.user_id, p);
        }
      }
      return [...people.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((p) => [p.name, p.company, ...modules.map((m) => (p.modules.has(m) ? `✻core in ${m}` : "")), String(p.modules.size)]);
    };

    it("the core reviewers: the totals and the matrix, and a project type in the query reaches the API", async () => {
      await open("cores");
      expect(await heading()).toBe("Core reviewers");
      const report = await api<CoresReport>("reports/cores");
      const table = page.getByTestId("table-cores");
      await table.waitFor();
      expect(requestsFor("reports/cores")).toEqual(["/api/1.0/reports/cores"]);
      expect(await figuresOf(page, "Core reviewers")).toEqual({ "Core reviewers": String(report.total), "Modules with core reviewers": String(report.cores.length) });
      expect(await columnsOf(table)).toEqual(["engineer", "company", ...report.cores.map((c) => c.module), "modules"]);
      expect(await rowsOf(table)).toEqual(coresRows(report));
      await shoot("cores");

      await open("cores?project_type=code");
      expect(await heading()).toBe("Core reviewers of code");
      const code = await api<CoresReport>("reports/cores?project_type=code");
      expect(code.cores.length).toBeLessThan(report.cores.length);
      await expect.poll(() => columnsOf(page.getByTestId("table-cores"))).toEqual(["engineer", "company", ...code.cores.map((c) => c.module), "modules"]);
      expect(requestsFor("reports/cores")).toEqual(["/api/1.0/reports/cores?project_type=code"]);
      expect(await rowsOf(page.getByTestId("table-cores"))).toEqual(coresRows(code));
      await shoot("cores-code");
    });

    it("affiliation changes of the last 365 days: the counts, the moves chart's table and every change", async () => {
      await open("affiliation-changes");
      expect(await heading()).toBe("Affiliation changes");
      const today = nowSeconds();
      const query = `start_days=${isoDay(today - 365 * 86_400)}&end_days=${isoDay(today)}`;
      const { affiliation_changes: changes } = await api<{ affiliation_changes: AffiliationChange[] }>(`affiliation_changes?${query}`);
      expect(changes.length).toBeGreaterThan(0);
      const table = page.getByTestId("table-affiliation-changes");
      await table.waitFor();
      expect(requestsFor("affiliation_changes")).toEqual([`/api/1.0/affiliation_changes?${query}`]);
      expect(await figuresOf(page, "Affiliation changes")).toEqual({ Changes: String(changes.length), People: String(new Set(changes.map((c) => c.user_id)).size) });
      expect(await rowsOf(table)).toEqual(changes.map((c) => [c.user_name, c.old_company_name, c.new_company_name, formatDay(c.date)]));
      const moves = page.getByTestId("chart-moves");
      await moves.locator(".ct-bar").first().waitFor({ state: "attached" });
      await shoot("affiliation-changes");
      await moves.getByRole("button", { name: "Table" }).click();
      // The seed has one move of one person.
      const [c] = changes;
      expect(await rowsOf(moves)).toEqual([[c!.old_company_name, c!.new_company_name, "1", c!.user_name]]);
    });

    it("a blueprint: its fields, who drafted it, and the records that mention it, newest first", async () => {
      await open("blueprint/core/tide-tables");
      expect(await heading()).toBe("Blueprint tide-tables");
      const { blueprint: bp, mentions } = await api<BlueprintReport>("reports/blueprint/core/tide-tables");
      expect(mentions.map((m) => m.record_type).sort()).toEqual(["commit", "email"]);
      const card = page.getByTestId("blueprint");
      await card.waitFor();
      expect(await card.getByRole("heading", { level: 2 }).textContent()).toBe(bp.title ?? bp.name);
      const who = (p: typeof bp.drafted_by) => (p ? `${p.author_name} (${p.company_name})` : "unknown");
      expect(await fieldsOf(card.locator("dl.fields"))).toEqual([
        ["Module", bp.module],
        ["Status", bp.status ?? "unknown"],
        ["Lifecycle", bp.lifecycle_status ?? "unknown"],
        ["Drafted", `${bp.date_created ? formatDay(bp.date_created) : "date unknown"} by ${who(bp.drafted_by)}`],
        ["Completed", bp.date_completed ? `${formatDay(bp.date_completed)} by ${who(bp.completed_by)}` : "not yet"],
        ["Mentions", `${bp.mention_count}${bp.mention_date ? `, the latest on ${formatDay(bp.mention_date)}` : ""}`],
      ]);
      expect(bp.mention_count).toBe(mentions.length);
      expect(await activityItems(page.getByTestId("mentions"))).toEqual(asItems(mentions));
      await shoot("blueprint-core-tide-tables");
    });

    it("a record whose key holds a slash, written as it is or encoded: the record and its fields", async () => {
      const { record } = await api<RecordReport>("reports/record/bugf:core/1");
      const scalar = Object.entries(record)
        .filter(([k, v]) => ["string", "number", "boolean"].includes(typeof v) && k !== "message" && !k.endsWith("_link"))
        .map(([k, v]) => [k, String(v)])
        .sort(([a], [b]) => a!.localeCompare(b!));
      for (const written of ["record/bugf:core/1", `record/${encodeURIComponent("bugf:core/1")}`]) {
        await open(written);
        expect(await heading()).toBe("Record bugf:core/1");
        const fields = page.getByTestId("record-fields").locator("dl.fields");
        await fields.waitFor();
        expect(await fieldsOf(fields)).toEqual(scalar);
        expect(await activityItems(page.locator("section[aria-label='The record']"))).toEqual(asItems([record]));
        expect(requestsFor(`reports/record/${encodeURIComponent("bugf:core/1")}`)).toHaveLength(1);
      }
      await shoot("record-bugf-core-1");
    });

    const largeRows = (commits: LargeCommit[]): Cells =>
      commits.map((c) => [c.subject ?? c.commit_id ?? c.primary_key, String(c.loc), c.author_name, c.company_name, c.module, formatDay(c.date), c.release, c.correction_comment ?? ""]);

    it("large commits: the current release's over 1000 lines, another release from the query, another threshold from the form", async () => {
      await open("large-commits");
      expect(await heading()).toBe("Large commits");
      const table = page.getByTestId("table-large-commits");
      const { commits } = await api<{ commits: LargeCommit[] }>("reports/large_commits?loc_threshold=1000");
      expect(commits.length).toBeGreaterThan(0);
      expect(await table.getByRole("heading", { level: 2 }).textContent()).toBe("Commits of more than 1000 lines");
      expect(await rowsOf(table)).toEqual(largeRows(commits));
      expect(requestsFor("reports/large_commits")).toEqual(["/api/1.0/reports/large_commits?loc_threshold=1000"]);
      await shoot("large-commits");

      await open("large-commits?release=birch");
      const birch = (await api<{ commits: LargeCommit[] }>("reports/large_commits?release=birch&loc_threshold=1000")).commits;
      expect(birch.map((c) => c.release)).toEqual(["birch"]);
      await expect.poll(() => rowsOf(page.getByTestId("table-large-commits"))).toEqual(largeRows(birch));
      expect(requestsFor("reports/large_commits")).toEqual(["/api/1.0/reports/large_commits?release=birch&loc_threshold=1000"]);

      await page.getByLabel("More lines than").fill("20");
      await page.getByRole("button", { name: "Show" }).click();
      await expect.poll(() => new URL(page.url()).search).toBe("?release=birch&loc_threshold=20");
      const twenty = (await api<{ commits: LargeCommit[] }>("reports/large_commits?release=birch&loc_threshold=20")).commits;
      expect(twenty.length).toBeGreaterThan(birch.length);
      await expect.poll(() => rowsOf(page.getByTestId("table-large-commits"))).toEqual(largeRows(twenty));
      await shoot("large-commits-birch-20");
    });

    it("single +2 reviews: the merged changes that one reviewer alone approved", async () => {
      await open("single-plus-two-reviews");
      expect(await heading()).toBe("Single +2 reviews");
      const { reviews } = await api<{ reviews: SinglePlusTwoReview[] }>("reports/single_plus_two_reviews");
      expect(reviews.length).toBeGreaterThan(0);
      expect(await rowsOf(page.getByTestId("table-single-plus-two"))).toEqual(
        reviews.map((r) => [r.subject ?? r.primary_key, r.author_name, r.company_name, r.module, formatDay(r.last_updated ?? r.date), r.plus_two_by]),
      );
      expect(requestsFor("reports/single_plus_two_reviews")).toEqual(["/api/1.0/reports/single_plus_two_reviews"]);
      await shoot("single-plus-two-reviews");
    });

    it("an unknown module: the API's 404 message in the error state, not a blank page", async () => {
      for (const [report, endpoint] of [
        ["open-reviews/no-such-module", "reports/reviews/no-such-module/open?limit=5"],
        ["contribution/no-such-module/30", "reports/contribution/no-such-module/30"],
        ["blueprint/no-such-module/tide-tables", "reports/blueprint/no-such-module/tide-tables"],
      ] as const) {
        const { message } = await api<{ message: string }>(endpoint, 404);
        expect(message).toContain("no-such-module");
        await open(report);
        const error = page.getByTestId("error");
        await error.waitFor();
        expect(await error.locator("strong").textContent()).toBe("Error: Service is unavailable.");
        expect(await error.locator(".detail").textContent(), report).toBe(message);
      }
      await shoot("unknown-module");
    });

    it("threw no error in any page", () => {
      expect(pageErrors).toEqual([]);
    });
  });
}
