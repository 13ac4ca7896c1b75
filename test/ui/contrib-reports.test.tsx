// The contribution report pages (issue 16, reference §4.2) in happy-dom, each loaded through the
// route table and fed answers recorded in the API's shapes (checked against schemas/ below): their
// numbers, the punch card's cells, waits in words, "more" in the activity log, and the loading,
// error and empty states.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import type { ComponentType } from "preact";
import { LocationProvider, Route, Router, exec } from "preact-iso/router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearAnswers } from "../../ui/src/contrib/lib/use-api";
import { UserResponseSchema } from "../../schemas/contrib/api";
import {
  BlueprintReportSchema,
  ContributionReportSchema,
  CoresReportSchema,
  LargeCommitsReportSchema,
  OpenReviewsReportSchema,
  PUNCH_CARD_WEEKDAYS,
  PunchCardSchema,
  RecordReportSchema,
  SinglePlusTwoReportSchema,
} from "../../schemas/contrib/reports";
import { ActivityResponseSchema, AffiliationChangesResponseSchema, CompanyResponseSchema, ContributionResponseSchema } from "../../schemas/contrib/stats";
import { CONTRIB_REPORT_ROUTES, reportPaths } from "../../ui/src/contrib/reports";
import { formatDay, formatWait } from "../../ui/src/contrib/reports/format";
import { WEEKDAYS } from "../../ui/src/contrib/reports/punch-card";

const DAY = 86_400;
const HOUR = 3600;
/** The page's clock: Wed 06 Mar 2024 12:00 UTC. */
const NOW = Date.UTC(2024, 2, 6, 12) / 1000;
const at = (iso: string) => Date.parse(iso) / 1000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW * 1000 });
});

afterEach(() => {
  cleanup();
  // The report pages keep answers by URL (ui/src/contrib/lib/use-api.ts): each test asks afresh.
  clearAnswers();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

type Answer = unknown | ((url: URL) => unknown);
/** fetch answering each API path (decoded; its answer, a function of the URL, or a Response); the URLs asked, in order. */
function stubApi(answers: Record<string, Answer>) {
  const asked: URL[] = [];
  vi.stubGlobal("fetch", (url: string) => {
    const u = new URL(url, "http://dashboard.test");
    asked.push(u);
    const answer = answers[decodeURIComponent(u.pathname)];
    if (answer === undefined) return Promise.resolve(json({ status: "error", message: `no such resource: GET ${u.pathname}` }, 404));
    const body = typeof answer === "function" ? (answer as (u: URL) => unknown)(u) : answer;
    return body instanceof Promise || body instanceof Response ? Promise.resolve(body) : Promise.resolve(json(body));
  });
  return asked;
}

/** Loads a page through the route table and renders it at `url`. */
async function renderPage(title: string, url: string) {
  const route = CONTRIB_REPORT_ROUTES.find((r) => r.title === title);
  expect(route, title).toBeDefined();
  const { default: Page } = await route!.load();
  history.replaceState(null, "", url);
  return render(
    <LocationProvider>
      <Router>{[<Route path={route!.path} component={Page as ComponentType} />]}</Router>
    </LocationProvider>,
  );
}

const rowsOf = (container: HTMLElement) => [...container.querySelectorAll("tbody tr")].map((r) => [...r.children].map((c) => c.textContent));

// ---- recorded answers (each checked against its schema) ----

const emptyCard = () => Array.from({ length: 7 }, () => Array<number>(24).fill(0));
const punchCard = PunchCardSchema.parse({
  punch_card: (() => {
    const g = emptyCard();
    g[0]![9] = 2;
    g[0]![14] = 1;
    g[2]![23] = 1;
    g[3]![8] = 1;
    g[5]![12] = 1;
    g[6]![0] = 1;
    return g;
  })(),
  total: 7,
});

const user = UserResponseSchema.parse({
  user: {
    seq: 1,
    user_id: "ada-marsh",
    user_name: "Ada Marsh",
    emails: ["ada@northwind.example"],
    companies: [
      { company_name: "Northwind", end_date: at("2024-02-10T00:00:00Z") },
      { company_name: "Southgate", end_date: 0 },
    ],
    launchpad_id: "ada-marsh",
    core: [["core", "master"]],
    static: true,
    id: "ada-marsh",
    text: "Ada Marsh",
    company_link: { uri: "/?company=Southgate", title: "Southgate" },
  },
});

const contribution = ContributionResponseSchema.parse({
  contribution: {
    commit_count: 3,
    loc: 120,
    marks: { "-2": 0, "-1": 1, "0": 0, "1": 2, "2": 4, A: 1, WIP: 0, x: 1, s: 1 },
    email_count: 2,
    drafted_blueprint_count: 1,
    completed_blueprint_count: 0,
    filed_bug_count: 0,
    resolved_bug_count: 0,
    patch_set_count: 5,
    change_request_count: 2,
    abandoned_change_requests_count: 0,
    translations: 0,
  },
});

/** An `/activity` record of a commit, as the API extends it. */
function activityRecord(i: number, overrides: Record<string, unknown> = {}) {
  const date = NOW - i * HOUR;
  return {
    primary_key: `c${i}`,
    record_type: "commit",
    date,
    user_id: "ada-marsh",
    author_name: "Ada Marsh",
    company_name: "Southgate",
    module: "core",
    subject: `Commit number ${i}`,
    lines_added: i,
    lines_deleted: 1,
    loc: i + 1,
    message: `Commit number ${i}<br><br>Closes-Bug: <a href="https://bugs.launchpad.net/bugs/123456">123456</a>`,
    branches: "master",
    author_link: { uri: "/?user_id=ada-marsh", title: "Ada Marsh" },
    company_link: { uri: "/?company=Southgate", title: "Southgate" },
    module_link: { uri: "/?module=core", title: "core" },
    date_str: `${formatDay(date)} ${new Date(date * 1000).toISOString().slice(11, 19)} UTC`,
    blueprint_id_count: 0,
    bug_id_count: 1,
    ...overrides,
  };
}
const vote = activityRecord(99, {
  primary_key: "m1",
  record_type: "mark",
  type: "Code-Review",
  value: 2,
  review_id: "r1",
  parent_subject: "Tidy up",
  parent_url: "https://review.example/1",
  message: undefined,
});
/** Pages of 10, 3 and then nothing: 13 records. */
const activity = (u: URL) => {
  const start = Number(u.searchParams.get("start_record"));
  const all = Array.from({ length: 13 }, (_, i) => (i === 1 ? vote : activityRecord(i)));
  return ActivityResponseSchema.parse({ activity: all.slice(start, start + Number(u.searchParams.get("page_size"))) });
};

const group = (count: number, extra: object = {}) => ({
  count,
  average_wait_since_vote: null,
  max_wait_since_vote: null,
  average_wait_since_created: null,
  max_wait_since_created: null,
  ages: [],
  oldest: [],
  ...extra,
});
const openReviews = OpenReviewsReportSchema.parse({
  module: "core",
  total_open: 4,
  waiting_on_reviewer: group(3, {
    average_wait_since_vote: 2 * DAY + 3 * HOUR + 20 * 60,
    max_wait_since_vote: 3 * DAY + 5 * HOUR,
    average_wait_since_created: 12 * DAY,
    max_wait_since_created: 20 * DAY,
    ages: [
      [1, 1],
      [3, 2],
    ],
    oldest: [
      {
        primary_key: "o3",
        url: "https://review.example/o3",
        subject: "Change o3",
        author_name: "Zoe",
        user_id: "zoe@eastbrook.example",
        company_name: "Eastbrook & Co",
        date: NOW - 20 * DAY,
        updated_on: NOW - 3 * DAY - 5 * HOUR,
        review_number: 1002,
      },
    ],
  }),
  waiting_on_submitter: group(1, {
    average_wait_since_vote: 45 * 60,
    max_wait_since_vote: 45 * 60,
    average_wait_since_created: 2 * HOUR + 10 * 60,
    max_wait_since_created: 2 * HOUR + 10 * 60,
    ages: [[0, 1]],
  }),
  waiting_on_ci: group(0),
});

const engineer = (user_id: string, name: string, review: number, extra: object) => ({
  user_id,
  name,
  company: "Southgate",
  review,
  "-2": 0,
  "-1": 0,
  "1": 0,
  "2": 0,
  A: 0,
  x: 0,
  positive_ratio: "&#x221E;",
  mark_ratio: "0|0|0|0|0|0 (&#x221E;)",
  disagreements: 0,
  disagreement_ratio: "&#x221E;",
  patch: 0,
  commit: 0,
  email: 0,
  reviews_per_patch: "&#x221E;",
  core: null,
  ...extra,
});
const reviewReport = ContributionReportSchema.parse({
  engineers: [
    engineer("kai-b", "Kai Brandt", 3, { "-1": 1, "2": 2, A: 1, positive_ratio: "66.7%", mark_ratio: "0|1|0|2|1|0 (66.7%)", disagreement_ratio: "0.0%", patch: 2, commit: 1, email: 2, reviews_per_patch: "150.0%", core: "master" }),
    engineer("lou", "Lou", 2, { "-2": 1, x: 1, positive_ratio: "0.0%", disagreement_ratio: "0.0%", company: "*independent", core: "stable/2024.1" }),
  ],
  summary: { total_reviews: 5, reviews_per_day: 0.2, reviewers: 2, core_reviews: 3, core_team_size: 1, change_requests: 8, patch_sets: 9, commits: 2, emails_per_day: 0.1 },
});

const kai = { user_id: "kai-b", name: "Kai Brandt", company_name: "Southgate" };
const lou = { user_id: "lou", name: "Lou", company_name: "*independent" };
const cores = CoresReportSchema.parse({
  cores: [
    { module: "core", reviewers: [kai, lou] },
    { module: "tools", reviewers: [kai] },
  ],
  total: 2,
});

const affiliationChanges = AffiliationChangesResponseSchema.parse({
  affiliation_changes: [
    { user_id: "ada-marsh", user_name: "Ada Marsh", old_company_name: "Northwind", new_company_name: "Southgate", date: at("2024-02-10T00:00:00Z") },
    { user_id: "bo", user_name: "Bo", old_company_name: "Eastbrook", new_company_name: "Southgate", date: at("2024-02-11T00:00:00Z") },
    { user_id: "cy", user_name: "Cy", old_company_name: "Northwind", new_company_name: "Southgate", date: at("2024-02-12T00:00:00Z") },
  ],
});

const blueprint = BlueprintReportSchema.parse({
  blueprint: {
    id: "core:fast-path",
    module: "core",
    name: "fast-path",
    title: "Make the hot path fast",
    summary: "Cut the hot path's allocations.",
    status: "Implemented",
    lifecycle_status: "Complete",
    web_link: "https://blueprints.launchpad.net/core/+spec/fast-path",
    date_created: at("2024-03-01T00:00:00Z"),
    date_completed: at("2024-03-20T00:00:00Z"),
    drafted_by: { user_id: "ada-marsh", author_name: "Ada Marsh", company_name: "Northwind" },
    completed_by: { user_id: "kai-b", author_name: "Kai Brandt", company_name: "Southgate" },
    mention_count: 2,
    mention_date: at("2024-03-12T09:00:00Z"),
  },
  mentions: [activityRecord(2, { primary_key: "e1", record_type: "email", subject: "fast-path status", message: undefined }), activityRecord(3)],
});

const record = RecordReportSchema.parse({
  record: activityRecord(1, { primary_key: "bugf:core/123456", record_type: "bugf", number: 123456, title: "Crash on start", status: "New", web_link: "https://bugs.example/123456", message: undefined }),
});

const largeCommits = LargeCommitsReportSchema.parse({
  commits: [
    { primary_key: "c2", commit_id: "sha-c2", subject: "Vendor a library", loc: 1500, user_id: "kai-b", author_name: "Kai Brandt", company_name: "Southgate", module: "core", date: at("2024-03-01T00:00:00Z"), release: "cedar" },
    { primary_key: "c-old", commit_id: "sha-old", subject: "Generated tables", loc: 1200, user_id: "ada-marsh", author_name: "Ada Marsh", company_name: "Southgate", module: "core", date: at("2024-01-05T00:00:00Z"), release: "cedar", correction_comment: "generated tables" },
  ],
});

const singlePlusTwo = SinglePlusTwoReportSchema.parse({
  reviews: [
    { primary_key: "s1", url: "https://review.example/s1", subject: "Change s1", author_name: "Ada Marsh", user_id: "ada-marsh", company_name: "Southgate", module: "tools", date: at("2024-02-20T00:00:00Z"), last_updated: at("2024-02-21T00:00:00Z"), plus_two_by: "kai-b" },
  ],
});

// ---- the tests ----

describe("the route table", () => {
  it("loads every page lazily as a component, each under its own path", async () => {
    expect(new Set(CONTRIB_REPORT_ROUTES.map((r) => r.path)).size).toBe(CONTRIB_REPORT_ROUTES.length);
    for (const route of CONTRIB_REPORT_ROUTES) {
      expect(route.path.startsWith("/contrib/reports/")).toBe(true);
      expect(typeof (await route.load()).default).toBe("function");
    }
  });

  it("has a route for every link the pages make, with the values back from the path", () => {
    const match = (url: string) => CONTRIB_REPORT_ROUTES.map((r) => ({ title: r.title, m: exec(url.split("?")[0]!, r.path) })).find((x) => x.m);
    expect(match(reportPaths.user("lou@gmail.example"))).toMatchObject({ title: "User activity", m: { params: { user_id: "lou@gmail.example" } } });
    expect(match(reportPaths.company("Eastbrook & Co"))).toMatchObject({ title: "Company activity", m: { params: { company: "Eastbrook & Co" } } });
    expect(match(reportPaths.openReviews("core"))).toMatchObject({ title: "Open reviews", m: { params: { module: "core" } } });
    expect(match(reportPaths.reviewReport("core", 30))).toMatchObject({ title: "Review report", m: { params: { module: "core", days: "30" } } });
    expect(match(reportPaths.blueprint("core", "fast-path"))).toMatchObject({ title: "Blueprint", m: { params: { module: "core", name: "fast-path" } } });
    expect(match(reportPaths.record("bugf:core/123456"))).toMatchObject({ title: "Record", m: { params: { primary_key: "bugf:core/123456" } } });
    expect(match(reportPaths.activity({ module: "core" }))?.title).toBe("Activity");
    expect(match(reportPaths.cores("all"))?.title).toBe("Core reviewers");
    expect(match(reportPaths.affiliationChanges())?.title).toBe("Affiliation changes");
    expect(match(reportPaths.largeCommits())?.title).toBe("Large commits");
    expect(match(reportPaths.singlePlusTwo())?.title).toBe("Single +2 reviews");
  });
});

describe("waits in words", () => {
  it.each([
    [null, "—"],
    [0, "less than a minute"],
    [59, "less than a minute"],
    [60, "1 minute"],
    [45 * 60, "45 minutes"],
    [HOUR, "1 hour"],
    [2 * HOUR + 10 * 60 + 30, "2 hours 10 minutes"],
    [DAY, "1 day"],
    [DAY + 59 * 60, "1 day"],
    [3 * DAY + 5 * HOUR + 120, "3 days 5 hours"],
    [400 * DAY, "400 days"],
  ])("%s seconds: %s", (seconds, text) => {
    expect(formatWait(seconds)).toBe(text);
  });
});

describe("user activity", () => {
  const api = () =>
    stubApi({
      "/api/1.0/users/ada-marsh": user,
      "/api/1.0/reports/punch_card": punchCard,
      "/api/1.0/contribution": contribution,
      "/api/1.0/activity": activity,
    });

  it("shows the profile, the punch card's cells, the summary and the activity of every release", async () => {
    const asked = api();
    await renderPage("User activity", "/contrib/reports/users/ada-marsh");
    await screen.findByTestId("punch-card");
    expect(document.title).toContain("Ada Marsh: activity report");
    const profile = screen.getByTestId("profile");
    expect(within(profile).getByRole("link", { name: "Southgate" }).getAttribute("href")).toBe("/contrib/reports/companies/Southgate");
    expect(profile.textContent).toContain("Northwind until 10 Feb 2024");
    expect(profile.textContent).toContain("core (master ✻)");

    const card = screen.getByTestId("punch-card");
    expect(card.getAttribute("aria-label")).toBe("Punch card: 7 records, busiest Monday 09:00 UTC with 2");
    expect([...card.querySelectorAll("circle")].map((c) => c.getAttribute("data-cell"))).toEqual(["0-9", "0-14", "2-23", "3-8", "5-12", "6-0"]);
    expect(card.querySelector('[data-cell="0-9"] title')!.textContent).toBe("Monday 09:00 UTC: 2");
    // The biggest count has the biggest circle.
    const r = (cell: string) => Number(card.querySelector(`[data-cell="${cell}"]`)!.getAttribute("r"));
    expect(r("0-9")).toBeGreaterThan(r("0-14"));

    const chart = screen.getByTestId("chart-punch-card");
    fireEvent.click(within(chart).getByRole("button", { name: "Table" }));
    const rows = rowsOf(chart);
    expect(rows.map((row) => row[0])).toEqual(WEEKDAYS);
    expect(rows[0]![10]).toBe("2");
    expect(rows[6]![1]).toBe("1");
    expect(rows.flat().slice(1).filter((v) => v !== "0" && !WEEKDAYS.includes(v!)).length).toBe(6);
    const csv = decodeURIComponent(within(chart).getByRole("link", { name: "CSV" }).getAttribute("href")!.split(",").slice(1).join(","));
    expect(csv.split("\r\n")[1]).toBe("Monday,0,0,0,0,0,0,0,0,0,2,0,0,0,0,1,0,0,0,0,0,0,0,0,0");
    expect(within(chart).getByRole("link", { name: "JSON" }).getAttribute("href")).toBe("/api/1.0/reports/punch_card?release=all&user_id=ada-marsh");

    const summary = screen.getByTestId("table-contribution");
    expect(rowsOf(summary)).toContainEqual(["Commits", "3"]);
    expect(rowsOf(summary)).toContainEqual(["Reviews (−2, −1, +1, +2 and others' abandons)", "8"]);

    const urls = asked.map((u) => `${u.pathname}${u.search}`);
    expect(urls).toContain("/api/1.0/contribution?release=all&user_id=ada-marsh");
    expect(urls).toContain("/api/1.0/activity?release=all&user_id=ada-marsh&start_record=0&page_size=10");
  });

  it("shows the activity ten at a time, and more on request until there is no more", async () => {
    const asked = api();
    await renderPage("User activity", "/contrib/reports/users/ada-marsh?release=cedar");
    await waitFor(() => expect(screen.getAllByTestId("activity-item")).toHaveLength(10));
    const items = screen.getAllByTestId("activity-item");
    expect(items[0]!.textContent).toContain("Commit Commit number 0 (+0 −1)");
    expect(within(items[0]!).getByRole("link", { name: "123456" }).getAttribute("href")).toBe("https://bugs.launchpad.net/bugs/123456");
    expect(items[1]!.textContent).toContain("Code-Review +2 on Tidy up");
    expect(within(items[1]!).getByRole("link", { name: "Tidy up" }).getAttribute("href")).toBe("https://review.example/1");
    expect(within(items[1]!).getByRole("link", { name: /Link to this record/ }).getAttribute("href")).toBe("/contrib/reports/record/m1");

    fireEvent.click(screen.getByRole("button", { name: /More/ }));
    await waitFor(() => expect(screen.getAllByTestId("activity-item")).toHaveLength(13));
    expect(screen.queryByRole("button", { name: /More/ })).toBeNull();
    const pages = asked.filter((u) => u.pathname === "/api/1.0/activity").map((u) => [u.searchParams.get("release"), u.searchParams.get("start_record")]);
    expect(pages).toEqual([
      ["cedar", "0"],
      ["cedar", "10"],
    ]);
  });

  it("says what failed for an unknown person, and shows nothing else", async () => {
    stubApi({ "/api/1.0/users/nobody": () => json({ status: "error", message: 'no user with user_id "nobody"', parameter: "user_id" }, 404) });
    await renderPage("User activity", "/contrib/reports/users/nobody");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain('no user with user_id "nobody"'));
    expect(screen.queryByTestId("punch-card")).toBeNull();
  });

  it("says there is nothing to show for someone without records", async () => {
    stubApi({
      "/api/1.0/users/ada-marsh": user,
      "/api/1.0/reports/punch_card": { punch_card: emptyCard(), total: 0 },
      "/api/1.0/contribution": { contribution: { ...contribution.contribution, commit_count: 0, loc: 0, marks: Object.fromEntries(Object.keys(contribution.contribution.marks).map((k) => [k, 0])), email_count: 0, drafted_blueprint_count: 0, patch_set_count: 0, change_request_count: 0 } },
      "/api/1.0/activity": { activity: [] },
    });
    await renderPage("User activity", "/contrib/reports/users/ada-marsh");
    await screen.findByText("No votes, patch sets, emails or blueprints of Ada Marsh under these filters.");
    expect(screen.queryByTestId("punch-card")).toBeNull();
    await screen.findByText("No records of Ada Marsh under these filters.");
    await screen.findByText("No activity of Ada Marsh under these filters.");
    expect(screen.queryByRole("button", { name: /More/ })).toBeNull();
  });
});

describe("company activity", () => {
  it("names the company as the configuration spells it and asks for its punch card", async () => {
    const asked = stubApi({
      "/api/1.0/companies/southgate": CompanyResponseSchema.parse({ company: { id: "southgate", text: "Southgate" } }),
      "/api/1.0/reports/punch_card": punchCard,
      "/api/1.0/contribution": contribution,
      "/api/1.0/activity": activity,
    });
    await renderPage("Company activity", "/contrib/reports/companies/southgate?module=core");
    await screen.findByTestId("punch-card");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Southgate: activity report");
    const punch = asked.find((u) => u.pathname === "/api/1.0/reports/punch_card")!;
    expect(Object.fromEntries(punch.searchParams)).toEqual({ release: "all", module: "core", company: "southgate" });
  });
});

describe("open reviews", () => {
  it("shows the waiting groups with their waits in words, the ages chart and the oldest changes", async () => {
    const asked = stubApi({ "/api/1.0/reports/reviews/core/open": openReviews });
    await renderPage("Open reviews", "/contrib/reports/open-reviews/core?release=cedar");
    const reviewer = await screen.findByTestId("group-reviewer");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Open reviews of core");
    expect(screen.getByLabelText("Open changes").textContent).toBe("Open changes4Waiting on reviewers3Waiting on submitters1Waiting on CI0");
    expect(within(reviewer).getByRole("heading", { level: 2, name: "Waiting on reviewers: 3" })).toBeTruthy();
    const waits = within(reviewer).getByLabelText("Waiting on reviewers: waits");
    expect(waits.textContent).toBe("Average wait since the last vote2 days 3 hoursLongest wait since the last vote3 days 5 hoursAverage age12 daysOldest20 days");
    expect(within(screen.getByTestId("group-submitter")).getByLabelText("Waiting on submitters: waits").textContent).toContain("45 minutes");
    expect(within(screen.getByTestId("group-submitter")).getByLabelText("Waiting on submitters: waits").textContent).toContain("2 hours 10 minutes");
    // An empty group says so rather than showing zeros.
    const ci = screen.getByTestId("group-ci");
    expect(within(ci).getByLabelText("Waiting on CI: waits").textContent).toBe("Average wait since the last vote—Longest wait since the last vote—Average age—Oldest—");
    expect(within(ci).getAllByText("No open changes in this group.")).toHaveLength(2);

    const ages = within(reviewer).getByTestId("chart-ages-reviewer");
    expect(within(ages).getByRole("img").getAttribute("aria-label")).toBe("Waiting on reviewers: changes by days since the last vote: 1 day 1, 3 days 2");
    fireEvent.click(within(ages).getByRole("button", { name: "Table" }));
    expect(rowsOf(ages)).toEqual([
      ["1", "1"],
      ["3", "2"],
    ]);

    const oldest = within(reviewer).getByTestId("table-oldest-reviewer");
    expect(rowsOf(oldest)).toEqual([["Change o3", "Zoe", "Eastbrook & Co", "15 Feb 2024", "03 Mar 2024", "3 days 5 hours"]]);
    expect(within(oldest).getByRole("link", { name: "Change o3" }).getAttribute("href")).toBe("https://review.example/o3");
    expect(within(oldest).getByRole("link", { name: "Zoe" }).getAttribute("href")).toBe("/contrib/reports/users/zoe%40eastbrook.example");
    expect(`${asked[0]!.pathname}${asked[0]!.search}`).toBe("/api/1.0/reports/reviews/core/open?release=cedar&limit=5");
  });

  it("lists as many oldest changes as chosen, in the URL", async () => {
    const asked = stubApi({ "/api/1.0/reports/reviews/core/open": openReviews });
    await renderPage("Open reviews", "/contrib/reports/open-reviews/core");
    await screen.findByTestId("group-reviewer");
    fireEvent.change(screen.getByLabelText("Oldest changes listed"), { target: { value: "-1" } });
    await waitFor(() => expect(asked.at(-1)!.searchParams.get("limit")).toBe("-1"));
    expect(location.search).toBe("?limit=-1");
  });

  it("says a module has no open changes", async () => {
    stubApi({ "/api/1.0/reports/reviews/docs/open": { ...openReviews, module: "docs", total_open: 0, waiting_on_reviewer: group(0), waiting_on_submitter: group(0), waiting_on_ci: group(0) } });
    await renderPage("Open reviews", "/contrib/reports/open-reviews/docs");
    await screen.findByText(/No open changes in docs under these filters/);
    expect(screen.queryByTestId("group-reviewer")).toBeNull();
  });

  it("shows a loading state until the answer, and the API's message when it fails", async () => {
    let answer: (r: Response) => void = () => {};
    stubApi({ "/api/1.0/reports/reviews/core/open": () => new Promise<Response>((resolve) => (answer = resolve)) });
    await renderPage("Open reviews", "/contrib/reports/open-reviews/core");
    expect(screen.getByRole("status").textContent).toContain("Loading");
    answer(json({ status: "error", message: 'no module "core" (parameter module)', parameter: "module" }, 404));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain('no module "core" (parameter module)'));
  });
});

describe("the review report", () => {
  it("shows the summary and each engineer's marks, ratios and core mark", async () => {
    const asked = stubApi({ "/api/1.0/reports/contribution/core/30": reviewReport });
    await renderPage("Review report", "/contrib/reports/contribution/core/30?company=southgate&start_date=2024-01-01");
    const table = await screen.findByTestId("table-engineers");
    expect(screen.getByLabelText("Summary").textContent).toBe(
      "Reviews5Reviews per day0.2Reviewers2Reviews by core reviewers3Core reviewers1Change requests8Patch sets9Commits2Emails per day0.1",
    );
    expect(rowsOf(table)).toEqual([
      ["1", "Kai Brandt", "Southgate", "3", "0", "1", "0", "2", "1", "0", "66.7%", "0", "0.0%", "150.0%", "1", "2", "✻ core"],
      ["2", "Lou", "*independent", "2", "1", "0", "0", "0", "0", "1", "0.0%", "0", "0.0%", "∞", "0", "0", "✬ core on stable/2024.1"],
    ]);
    // Under 60% positive is flagged in text styling and a title, not by colour alone.
    expect(within(table).getByText("0.0%", { selector: ".low-ratio" }).getAttribute("title")).toBe("under 60% positive");
    expect(within(table).getByText("66.7%").className).not.toContain("low-ratio");
    // The window is the path's: the URL's dates are not passed on.
    expect(Object.fromEntries(asked[0]!.searchParams)).toEqual({ company: "southgate" });
  });

  it("moves to another period from its labelled selector", async () => {
    const asked = stubApi({ "/api/1.0/reports/contribution/core/30": reviewReport, "/api/1.0/reports/contribution/core/90": reviewReport });
    await renderPage("Review report", "/contrib/reports/contribution/core/30");
    await screen.findByTestId("table-engineers");
    fireEvent.change(screen.getByLabelText("Period"), { target: { value: "90" } });
    await waitFor(() => expect(asked.at(-1)!.pathname).toBe("/api/1.0/reports/contribution/core/90"));
    expect(location.pathname).toBe("/contrib/reports/contribution/core/90");
  });

  it("passes a malformed period to the API and shows its message", async () => {
    stubApi({ "/api/1.0/reports/contribution/core/month": () => json({ status: "error", message: "invalid request: days: Invalid input: expected number, received NaN" }, 400) });
    await renderPage("Review report", "/contrib/reports/contribution/core/month");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("invalid request: days"));
  });
});

describe("the cores matrix", () => {
  it("marks each person's modules with text for screen readers, and counts them", async () => {
    stubApi({ "/api/1.0/reports/cores": cores });
    await renderPage("Core reviewers", "/contrib/reports/cores?project_type=all");
    const table = await screen.findByTestId("table-cores");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Core reviewers of all");
    expect([...table.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual(["engineer", "company", "core", "tools", "modules"]);
    expect(rowsOf(table)).toEqual([
      ["Kai Brandt", "Southgate", "✻core in core", "✻core in tools", "2"],
      ["Lou", "*independent", "✻core in core", "", "1"],
    ]);
    expect(screen.getByLabelText("Core reviewers").textContent).toBe("Core reviewers2Modules with core reviewers2");
    const csv = decodeURIComponent(within(table).getByRole("link", { name: "CSV" }).getAttribute("href")!.split(",").slice(1).join(","));
    expect(csv).toBe("engineer,company,core,tools,modules\r\nKai Brandt,Southgate,core,core,2\r\nLou,*independent,core,,1\r\n");
  });

  it("says when nobody is core", async () => {
    stubApi({ "/api/1.0/reports/cores": { cores: [], total: 0 } });
    await renderPage("Core reviewers", "/contrib/reports/cores");
    await screen.findByText("Nobody gave a +2 or −2 on master in these modules in the last 90 days.");
  });
});

describe("affiliation changes", () => {
  it("groups the moves of the last 365 days by default, and takes another window from its form", async () => {
    const asked = stubApi({ "/api/1.0/affiliation_changes": affiliationChanges });
    await renderPage("Affiliation changes", "/contrib/reports/affiliation-changes");
    const moves = await screen.findByTestId("chart-moves");
    expect(Object.fromEntries(asked[0]!.searchParams)).toEqual({ start_days: "2023-03-07", end_days: "2024-03-06" });
    fireEvent.click(within(moves).getByRole("button", { name: "Table" }));
    expect(rowsOf(moves)).toEqual([
      ["Northwind", "Southgate", "2", "Ada Marsh; Cy"],
      ["Eastbrook", "Southgate", "1", "Bo"],
    ]);
    expect(rowsOf(screen.getByTestId("table-affiliation-changes"))[0]).toEqual(["Ada Marsh", "Northwind", "Southgate", "10 Feb 2024"]);

    fireEvent.input(screen.getByLabelText("From"), { target: { value: "2024-02-11" } });
    fireEvent.submit(screen.getByRole("form", { name: "Window" }));
    await waitFor(() => expect(asked.at(-1)!.searchParams.get("start_days")).toBe("2024-02-11"));
    expect(location.search).toBe("?start_days=2024-02-11&end_days=2024-03-06");
  });

  it("says nobody moved in an empty window", async () => {
    stubApi({ "/api/1.0/affiliation_changes": { affiliation_changes: [] } });
    await renderPage("Affiliation changes", "/contrib/reports/affiliation-changes?start_days=2024-01-01&end_days=2024-01-02");
    expect(await screen.findAllByText("Nobody changed company in this window: choose a wider one.")).toHaveLength(2);
  });
});

describe("a blueprint", () => {
  it("shows its details, who drafted and completed it, and the records that mention it", async () => {
    stubApi({ "/api/1.0/reports/blueprint/core/fast-path": blueprint });
    await renderPage("Blueprint", "/contrib/reports/blueprint/core/fast-path");
    const panel = await screen.findByTestId("blueprint");
    expect(within(panel).getByRole("heading", { name: "Make the hot path fast" })).toBeTruthy();
    expect(panel.textContent).toContain("Drafted01 Mar 2024 by Ada Marsh (Northwind)");
    expect(panel.textContent).toContain("Completed20 Mar 2024 by Kai Brandt (Southgate)");
    expect(panel.textContent).toContain("Mentions2, the latest on 12 Mar 2024");
    expect(within(panel).getByRole("link", { name: "On Launchpad" }).getAttribute("href")).toBe("https://blueprints.launchpad.net/core/+spec/fast-path");
    const mentions = within(screen.getByTestId("mentions")).getAllByTestId("activity-item");
    expect(mentions.map((m) => m.getAttribute("data-key"))).toEqual(["e1", "c3"]);
    expect(mentions[0]!.textContent).toContain("Email “fast-path status”");
  });

  it("says what the API said of an unknown blueprint", async () => {
    stubApi({ "/api/1.0/reports/blueprint/core/missing": () => json({ status: "error", message: 'no blueprint "missing" in core (parameter name)', parameter: "name" }, 404) });
    await renderPage("Blueprint", "/contrib/reports/blueprint/core/missing");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain('no blueprint "missing" in core'));
  });
});

describe("a record's permalink", () => {
  it("takes a key with a slash from the path, and shows the record and its fields", async () => {
    const asked = stubApi({ "/api/1.0/reports/record/bugf:core/123456": record });
    await renderPage("Record", reportPaths.record("bugf:core/123456"));
    const fields = await screen.findByTestId("record-fields");
    // Encoded whole: the API takes the key as the rest of its path either way.
    expect(asked[0]!.pathname).toBe("/api/1.0/reports/record/bugf%3Acore%2F123456");
    expect(screen.getByTestId("activity-item").textContent).toContain("Filed bug #123456 Crash on start (New)");
    expect(fields.textContent).toContain("primary_keybugf:core/123456");
    expect(fields.textContent).not.toContain("author_link");
  });
});

describe("large commits and single +2 reviews", () => {
  it("lists the large commits with their corrections, and takes a threshold", async () => {
    const asked = stubApi({ "/api/1.0/reports/large_commits": largeCommits });
    await renderPage("Large commits", "/contrib/reports/large-commits?release=all");
    const table = await screen.findByTestId("table-large-commits");
    expect(rowsOf(table)).toEqual([
      ["Vendor a library", "1500", "Kai Brandt", "Southgate", "core", "01 Mar 2024", "cedar", ""],
      ["Generated tables", "1200", "Ada Marsh", "Southgate", "core", "05 Jan 2024", "cedar", "generated tables"],
    ]);
    expect(within(table).getByRole("link", { name: "Vendor a library" }).getAttribute("href")).toBe("/contrib/reports/record/c2");
    expect(Object.fromEntries(asked[0]!.searchParams)).toEqual({ release: "all", loc_threshold: "1000" });
    fireEvent.input(screen.getByLabelText("More lines than"), { target: { value: "5000" } });
    fireEvent.submit(screen.getByRole("form", { name: "Threshold" }));
    await waitFor(() => expect(asked.at(-1)!.searchParams.get("loc_threshold")).toBe("5000"));
  });

  it("lists merged changes with a single +2 and who gave it", async () => {
    stubApi({ "/api/1.0/reports/single_plus_two_reviews": singlePlusTwo });
    await renderPage("Single +2 reviews", "/contrib/reports/single-plus-two-reviews");
    const table = await screen.findByTestId("table-single-plus-two");
    expect(rowsOf(table)).toEqual([["Change s1", "Ada Marsh", "Southgate", "tools", "21 Feb 2024", "kai-b"]]);
    expect(within(table).getByRole("link", { name: "kai-b" }).getAttribute("href")).toBe("/contrib/reports/users/kai-b");
  });
});

describe("the activity report", () => {
  it("passes the URL's filters to /activity and titles itself by them", async () => {
    const asked = stubApi({ "/api/1.0/activity": activity });
    await renderPage("Activity", "/contrib/reports/activity?module=core&release=cedar&page=2");
    await waitFor(() => expect(screen.getAllByTestId("activity-item")).toHaveLength(10));
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Activity in core, release cedar");
    expect(Object.fromEntries(asked[0]!.searchParams)).toEqual({ release: "cedar", module: "core", start_record: "0", page_size: "10" });
  });

  it("shows an error in place of the log when /activity fails", async () => {
    stubApi({ "/api/1.0/activity": () => Promise.reject(new TypeError("Failed to fetch")) });
    await renderPage("Activity", "/contrib/reports/activity");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("Failed to fetch"));
  });
});

it("keeps the punch card's weekdays in the API's order", () => {
  expect(WEEKDAYS).toEqual([...PUNCH_CARD_WEEKDAYS]);
});
