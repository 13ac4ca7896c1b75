// The contribution report pages (issue 16, reference §4.2) in happy-dom, each loaded through the
// route table and fed answers recorded in the API's shapes (checked against schemas/ below): their
// numbers, the punch card's cells, waits in words, "more" in the activity log, and the loading,
// error and empty states.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import type { ComponentType } from "preact";
import { LocationProvider, Route, Router, exec } from "preact-iso/router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UserResponseSchema } from "../../schemas/contrib/api";
import { PUNCH_CARD_WEEKDAYS, PunchCardSchema } from "../../schemas/contrib/reports";
import { ActivityResponseSchema, CompanyResponseSchema, ContributionResponseSchema } from "../../schemas/contrib/stats";
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
    expect(match(reportPaths.activity({ module: "core" }))?.title).toBe("Activity");
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
