// Stackalytics' JSON reports (/api/1.0/reports/...) on a small dataset of our own, each expectation
// counted by hand from the records below. Most records are dated relative to NOW (the test's
// clock when it loads): open reviews' ages, the review report's window and core reviewers (±2
// within 90 days) depend on the server's clock, which runs a few seconds behind ours at most.
import { beforeAll, describe, expect, it } from "vitest";
import type { DefaultData } from "../../../schemas/contrib/default-data";
import type { RawRecord } from "../../../schemas/contrib/records";
import {
  ContributionReportSchema,
  CoresReportSchema,
  LargeCommitsReportSchema,
  OpenReviewsReportSchema,
  SinglePlusTwoReportSchema,
  type WaitingGroup,
} from "../../../schemas/contrib/reports";
import { at } from "../../unit/contrib/fixtures";
import { call } from "../helpers";
import { admin, loadConfig, postRecords, resetAll } from "./helpers";

function config(): DefaultData {
  return {
    users: [
      {
        user_name: "Ada Marsh",
        emails: ["ada@northwind.example"],
        launchpad_id: "ada-marsh",
        gerrit_id: "ada",
        companies: [
          { company_name: "Northwind", end_date: "2024-Feb-10" },
          { company_name: "Southgate", end_date: null },
        ],
      },
      { user_name: "Kai Brandt", emails: ["kai@southgate.example"], launchpad_id: "kai-b", gerrit_id: "kai", companies: [{ company_name: "Southgate", end_date: null }] },
    ],
    companies: [
      { company_name: "Northwind", domains: ["northwind.example"] },
      { company_name: "Southgate", domains: ["southgate.example"] },
      { company_name: "Eastbrook & Co", domains: ["eastbrook.example"] },
    ],
    releases: [
      { release_name: "prehistory", end_date: "2011-Jan-01" },
      { release_name: "Alder", end_date: "2024-Apr-03" },
      { release_name: "Cedar", end_date: "2099-Jan-01" },
    ],
    repos: ["core", "docs", "tools"].map((module) => ({ uri: `https://git.example/demo/${module}.git`, module, organization: "demo" })),
    module_groups: [{ module_group_name: "code-group", modules: ["core", "tools"] }],
    project_types: [
      { id: "all", title: "All", modules: ["core", "docs", "tools"] },
      { id: "code", title: "Code", modules: ["code-group"], child: true },
      { id: "docs", title: "Docs", modules: ["docs"] },
    ],
  };
}

const ADA = { author_email: "ada@northwind.example", gerrit_id: "ada" };
const KAI = { author_email: "kai@southgate.example", gerrit_id: "kai" };
const LOU = { author_email: "lou@gmail.example", gerrit_id: "lou", author_name: "Lou" };
const ZOE = { author_email: "zoe@eastbrook.example", gerrit_id: "zoe", author_name: "Zoe" };

const DAY = 86_400;
const HOUR = 3600;
const NOW = Math.floor(Date.now() / 1000);
/** `days` days and `hours` hours before NOW. */
const ago = (days: number, hours = 0) => NOW - days * DAY - hours * HOUR;

type ReviewFields = Partial<RawRecord> & { status: string };
const review = (key: string, who: object, date: number, fields: ReviewFields, module = "core"): RawRecord => ({
  primary_key: key,
  record_type: "review",
  date,
  ...who,
  module,
  branch: "master",
  url: `https://review.example/${key}`,
  subject: `Change ${key}`,
  review_number: 1000 + key.length,
  ...fields,
});
const patch = (review: string, n: number, who: object, date: number, module = "core"): RawRecord => ({
  primary_key: `${review}:${n}`,
  record_type: "patch",
  date,
  ...who,
  module,
  branch: "master",
  review_id: review,
  patch: n,
});
const mark = (key: string, who: object, date: number, type: string, value: number, on: string, module = "core", branch = "master", n = 1): RawRecord => ({
  primary_key: key,
  record_type: "mark",
  date,
  ...who,
  module,
  branch,
  type,
  value,
  review_id: on,
  patch: n,
});
const commit = (key: string, who: object, date: number, loc: number, module = "core"): RawRecord => ({
  primary_key: key,
  record_type: "commit",
  date,
  ...who,
  module,
  loc,
  commit_id: `sha-${key}`,
  subject: `Commit ${key}`,
});
const email = (key: string, who: object, date: number): RawRecord => ({ primary_key: key, record_type: "email", date, ...who, module: "core" });

const records: RawRecord[] = [
  // core's open reviews. Waiting on a reviewer (lowest vote +1/+2): o1, o2, o3; on the submitter
  // (−1/−2): o4, o5; on CI (no vote): o6 (no vote time: it counts from its creation), o7.
  review("o1", ADA, ago(10), { status: "NEW", value: 2, updated_on: ago(3, 1) }),
  review("o2", ZOE, ago(6), { status: "NEW", value: 1, updated_on: ago(1, 1) }),
  review("o3", ZOE, ago(20), { status: "NEW", value: 1, updated_on: ago(3, 5) }),
  review("o4", ZOE, ago(8), { status: "NEW", value: -1, updated_on: ago(2, 1) }),
  review("o5", KAI, ago(29), { status: "NEW", value: -2, updated_on: ago(5, 1) }),
  review("o6", ZOE, ago(0, 2), { status: "NEW" }),
  review("o7", KAI, ago(4, 1), { status: "NEW", value: 0, updated_on: ago(4, 1) }),
  // core's closed reviews: one abandoned by Lou in the window, one long ago.
  review("ab1", ZOE, ago(7), { status: "ABANDONED", value: 0 }),
  review("r-old", ZOE, ago(101), { status: "ABANDONED" }),
  // tools' one open review (core and tools make code-group); docs' one, in an old release.
  review("t1", KAI, ago(12), { status: "NEW", value: 1, updated_on: ago(7, 1) }, "tools"),
  review("d1", ZOE, at("2024-03-01"), { status: "NEW" }, "docs"),

  // Patch sets in core in the window: Ada 2, Zoe 5, Kai 2.
  patch("o1", 1, ADA, ago(10)),
  patch("o1", 2, ADA, ago(9)),
  patch("o2", 1, ZOE, ago(6)),
  patch("o3", 1, ZOE, ago(20)),
  patch("o4", 1, ZOE, ago(8)),
  patch("o6", 1, ZOE, ago(0, 2)),
  patch("ab1", 1, ZOE, ago(7)),
  patch("o5", 1, KAI, ago(29)),
  patch("o7", 1, KAI, ago(4, 1)),

  // Votes in core. Kai: +2, +2, −1 and an approval; his +2s make him a core reviewer. Ada: +1 that
  // Kai (core) contradicted later, a self vote, and a +2 too old to make her core. Lou: −2 (core
  // too) and an abandon of Zoe's change.
  mark("k1", KAI, ago(3, 1), "Code-Review", 2, "o1", "core", "master", 2),
  mark("k2", KAI, ago(3, 5), "Code-Review", 2, "o3"),
  mark("k3", KAI, ago(2, 1), "Code-Review", -1, "o4"),
  mark("k4", KAI, ago(3), "Workflow", 1, "o1", "core", "master", 2),
  mark("a1", ADA, ago(3), "Code-Review", 1, "o4"),
  mark("a2", ADA, ago(9), "Self-Code-Review", 1, "o1", "core", "master", 2),
  mark("a-old", ADA, ago(100), "Code-Review", 2, "r-old"),
  mark("l1", LOU, ago(5, 1), "Code-Review", -2, "o5"),
  mark("l2", LOU, ago(6), "Abandon", 0, "ab1"),

  // Commits: two in core in the window; one older (corrected to 1200 lines); one in tools at the
  // default threshold exactly; a large one in docs in an old release.
  commit("c1", ADA, ago(5), 30),
  commit("c2", KAI, ago(6), 1500),
  commit("c-old", ADA, ago(60), 2000),
  commit("c3", LOU, ago(1), 1000, "tools"),
  commit("c4", KAI, at("2024-03-01"), 5000, "docs"),
  // Emails: Kai's two in the window, Lou's one before it.
  email("e1", KAI, ago(2)),
  email("e2", KAI, ago(3)),
  email("e3", LOU, ago(40)),

  // Merged reviews in tools and their +2s: s1 one +2 (listed); s2 two (not); s3 the owner's self
  // +2 and one other (listed); s4 abandoned (not); s5 on a stable branch (not, and Zoe's +2 there
  // makes her core on that branch only); s6 two +2s by the same reviewer (listed: one reviewer).
  review("s1", ADA, ago(15), { status: "MERGED", last_updated: ago(14) }, "tools"),
  mark("s1-k", KAI, ago(14), "Code-Review", 2, "s1", "tools"),
  mark("s1-l", LOU, ago(14), "Code-Review", 1, "s1", "tools"),
  review("s2", ZOE, ago(16), { status: "MERGED", last_updated: ago(13) }, "tools"),
  mark("s2-k", KAI, ago(13), "Code-Review", 2, "s2", "tools"),
  mark("s2-l", LOU, ago(13), "Code-Review", 2, "s2", "tools"),
  review("s3", KAI, ago(17), { status: "MERGED", last_updated: ago(12) }, "tools"),
  mark("s3-k", KAI, ago(12), "Self-Code-Review", 2, "s3", "tools"),
  mark("s3-l", LOU, ago(12), "Code-Review", 2, "s3", "tools"),
  review("s4", ZOE, ago(18), { status: "ABANDONED" }, "tools"),
  mark("s4-k", KAI, ago(17), "Code-Review", 2, "s4", "tools"),
  review("s5", KAI, ago(19), { status: "MERGED", branch: "stable/2024.1", last_updated: ago(11) }, "tools"),
  mark("s5-z", ZOE, ago(11), "Code-Review", 2, "s5", "tools", "stable/2024.1"),
  review("s6", ADA, ago(20), { status: "MERGED", last_updated: ago(10) }, "tools"),
  mark("s6-k1", KAI, ago(19), "Code-Review", 2, "s6", "tools", "master", 1),
  mark("s6-k2", KAI, ago(11), "Code-Review", 2, "s6", "tools", "master", 2),
  // docs, in Alder: one +2, long ago (listed with every release; not a core reviewer now).
  review("s7", ZOE, at("2024-03-01"), { status: "MERGED", last_updated: at("2024-03-03") }, "docs"),
  mark("s7-k", KAI, at("2024-03-02"), "Code-Review", 2, "s7", "docs"),
];

beforeAll(async () => {
  await resetAll();
  await loadConfig(config());
  const res = await admin("PUT", "/corrections", { corrections: [{ primary_key: "c-old", correction_comment: "generated tables", loc: 1200 }] });
  expect(res.status).toBe(200);
  await postRecords(records);
});

async function get<T = Record<string, unknown>>(path: string, status = 200): Promise<T> {
  const res = await call(`/api/1.0/reports${path}`);
  expect(res.status, `${path}: ${res.status}`).toBe(status);
  return res.json<T>();
}

describe("/reports/reviews/<module>/open", () => {
  const openReviews = async (path: string) => OpenReviewsReportSchema.parse(await get(path));
  const keys = (g: WaitingGroup) => g.oldest.map((r) => r.primary_key);

  it("splits a module's open reviews by whom they wait on, with ages by whole days since the last vote", async () => {
    const report = await openReviews("/reviews/core/open");
    expect(report.module).toBe("core");
    expect(report.total_open).toBe(7);
    const { waiting_on_reviewer: reviewer, waiting_on_submitter: submitter, waiting_on_ci: ci } = report;
    expect([reviewer.count, submitter.count, ci.count]).toEqual([3, 2, 2]);
    expect(reviewer.ages).toEqual([
      [1, 1],
      [3, 2],
    ]);
    expect(submitter.ages).toEqual([
      [2, 1],
      [5, 1],
    ]);
    expect(ci.ages).toEqual([
      [0, 1],
      [4, 1],
    ]);
    expect(keys(reviewer)).toEqual(["o3", "o1", "o2"]);
    expect(keys(submitter)).toEqual(["o5", "o4"]);
    expect(keys(ci)).toEqual(["o7", "o6"]);
    expect(reviewer.oldest[1]).toEqual({
      primary_key: "o1",
      url: "https://review.example/o1",
      subject: "Change o1",
      author_name: "Ada Marsh",
      user_id: "ada-marsh",
      company_name: "Southgate",
      date: ago(10),
      updated_on: ago(3, 1),
      review_number: 1002,
    });
  });

  it("measures waits since the last vote and since creation against the same clock", async () => {
    const { waiting_on_reviewer: reviewer, waiting_on_submitter: submitter, waiting_on_ci: ci } = await openReviews("/reviews/core/open");
    // How far the server's clock ran past ours; every wait carries the same lag.
    const lag = reviewer.max_wait_since_vote! - (3 * DAY + 5 * HOUR);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(60);
    expect(reviewer).toMatchObject({
      average_wait_since_vote: (3 * DAY + 5 * HOUR + 3 * DAY + HOUR + DAY + HOUR) / 3 + lag,
      max_wait_since_created: 20 * DAY + lag,
      average_wait_since_created: ((20 + 10 + 6) * DAY) / 3 + lag,
    });
    expect(submitter).toMatchObject({
      average_wait_since_vote: (5 * DAY + HOUR + 2 * DAY + HOUR) / 2 + lag,
      max_wait_since_vote: 5 * DAY + HOUR + lag,
      average_wait_since_created: ((29 + 8) * DAY) / 2 + lag,
      max_wait_since_created: 29 * DAY + lag,
    });
    // o6 has no vote: its wait since the last vote is its age.
    expect(ci).toMatchObject({
      average_wait_since_vote: (4 * DAY + HOUR + 2 * HOUR) / 2 + lag,
      max_wait_since_vote: 4 * DAY + HOUR + lag,
      max_wait_since_created: 4 * DAY + HOUR + lag,
    });
  });

  it("lists `limit` oldest reviews per group (5 by default, all with −1)", async () => {
    const two = await openReviews("/reviews/core/open?limit=2");
    expect(keys(two.waiting_on_reviewer)).toEqual(["o3", "o1"]);
    expect(two.waiting_on_reviewer.count).toBe(3);
    expect(keys((await openReviews("/reviews/core/open?limit=0")).waiting_on_submitter)).toEqual([]);
    expect(keys((await openReviews("/reviews/code-group/open?limit=-1")).waiting_on_reviewer)).toEqual(["t1", "o3", "o1", "o2"]);
  });

  it("expands a group to its modules, takes every release by default, and applies the common filters", async () => {
    const group = await openReviews("/reviews/code-group/open");
    expect(group).toMatchObject({ module: "code-group", total_open: 8, waiting_on_reviewer: { count: 4 } });
    const docs = await openReviews("/reviews/docs/open");
    expect(docs).toMatchObject({ total_open: 1, waiting_on_ci: { count: 1 } });
    const empty = await openReviews("/reviews/docs/open?release=cedar");
    expect(empty.total_open).toBe(0);
    expect(empty.waiting_on_ci).toEqual({
      count: 0,
      average_wait_since_vote: null,
      max_wait_since_vote: null,
      average_wait_since_created: null,
      max_wait_since_created: null,
      ages: [],
      oldest: [],
    });
    const kai = await openReviews("/reviews/core/open?user_id=kai-b");
    expect([kai.total_open, keys(kai.waiting_on_submitter), keys(kai.waiting_on_ci)]).toEqual([2, ["o5"], ["o7"]]);
    expect((await openReviews("/reviews/core/open?company=eastbrook %26 co")).total_open).toBe(4);
  });
});

describe("/reports/contribution/<module>/<days>", () => {
  it("tallies each person's reviews, votes, ratios, patch sets, commits and emails of the window, most reviews first", async () => {
    const { engineers } = ContributionReportSchema.parse(await get("/contribution/core/30"));
    expect(engineers).toEqual([
      {
        user_id: "kai-b",
        name: "Kai Brandt",
        company: "Southgate",
        review: 3,
        "-2": 0,
        "-1": 1,
        "1": 0,
        "2": 2,
        A: 1,
        x: 0,
        positive_ratio: "66.7%",
        mark_ratio: "0|1|0|2|1|0 (66.7%)",
        disagreements: 0,
        disagreement_ratio: "0.0%",
        patch: 2,
        commit: 1,
        email: 2,
        reviews_per_patch: "150.0%",
        core: "master",
      },
      {
        user_id: "lou@gmail.example",
        name: "Lou",
        company: "*independent",
        review: 2,
        "-2": 1,
        "-1": 0,
        "1": 0,
        "2": 0,
        A: 0,
        x: 1,
        positive_ratio: "0.0%",
        mark_ratio: "1|0|0|0|0|1 (0.0%)",
        disagreements: 0,
        disagreement_ratio: "0.0%",
        patch: 0,
        commit: 0,
        email: 0,
        reviews_per_patch: "&#x221E;",
        core: "master",
      },
      {
        user_id: "ada-marsh",
        name: "Ada Marsh",
        company: "Southgate",
        review: 1,
        "-2": 0,
        "-1": 0,
        "0": 1,
        "1": 1,
        "2": 0,
        A: 0,
        x: 0,
        positive_ratio: "100.0%",
        mark_ratio: "0|0|1|0|0|0 (100.0%)",
        disagreements: 1,
        disagreement_ratio: "100.0%",
        patch: 2,
        commit: 1,
        email: 0,
        reviews_per_patch: "50.0%",
        core: null,
      },
      {
        user_id: "zoe@eastbrook.example",
        name: "Zoe",
        company: "Eastbrook & Co",
        review: 0,
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
        patch: 5,
        commit: 0,
        email: 0,
        reviews_per_patch: "0.0%",
        core: null,
      },
    ]);
  });

  it("sums up the window: reviews per day, reviewers, the core team's share, change requests, patch sets, commits, emails per day", async () => {
    const { summary } = ContributionReportSchema.parse(await get("/contribution/core/30"));
    expect(summary).toEqual({
      total_reviews: 6,
      reviews_per_day: 0.2,
      reviewers: 3,
      core_reviews: 5,
      core_team_size: 2,
      change_requests: 8,
      patch_sets: 9,
      commits: 2,
      emails_per_day: 0.1,
    });
  });

  it("takes its window from the path, not from the query's dates, and its module as a group too", async () => {
    const wide = ContributionReportSchema.parse(await get("/contribution/core/90?start_date=2000-01-01&end_date=2000-01-02"));
    const ada = wide.engineers.find((e) => e.user_id === "ada-marsh")!;
    const lou = wide.engineers.find((e) => e.user_id === "lou@gmail.example")!;
    expect([ada.commit, lou.email]).toEqual([2, 1]);
    expect(wide.summary.emails_per_day).toBe(0);
    const group = ContributionReportSchema.parse(await get("/contribution/code-group/30"));
    // tools adds s1–s6's votes: Kai 5 (s4's too), Lou 3, Zoe's stable +2.
    expect(group.engineers.map((e) => [e.user_id, e.review])).toEqual([
      ["kai-b", 8],
      ["lou@gmail.example", 5],
      ["ada-marsh", 1],
      ["zoe@eastbrook.example", 1],
    ]);
  });
});

describe("/reports/cores", () => {
  it("lists each module's core reviewers on master (a ±2 within 90 days) with their current company", async () => {
    const kai = { user_id: "kai-b", name: "Kai Brandt", company_name: "Southgate" };
    const lou = { user_id: "lou@gmail.example", name: "Lou", company_name: "*independent" };
    // Ada's +2 is 100 days old; Zoe's is on a stable branch; Kai's in docs is from 2024.
    const all = CoresReportSchema.parse(await get("/cores"));
    expect(all).toEqual({
      cores: [
        { module: "core", reviewers: [kai, lou] },
        { module: "tools", reviewers: [kai, lou] },
      ],
      total: 2,
    });
    expect(await get("/cores?project_type=code&module=tools")).toEqual({ cores: [{ module: "tools", reviewers: [kai, lou] }], total: 2 });
    expect(await get("/cores?project_type=docs")).toEqual({ cores: [], total: 0 });
  });
});

describe("/reports/large_commits", () => {
  it("lists the current release's commits above 1000 lines, largest first, with a correction's comment", async () => {
    const { commits } = LargeCommitsReportSchema.parse(await get("/large_commits"));
    expect(commits).toEqual([
      {
        primary_key: "c2",
        commit_id: "sha-c2",
        subject: "Commit c2",
        loc: 1500,
        user_id: "kai-b",
        author_name: "Kai Brandt",
        company_name: "Southgate",
        module: "core",
        date: ago(6),
        release: "cedar",
      },
      {
        primary_key: "c-old",
        commit_id: "sha-c-old",
        subject: "Commit c-old",
        loc: 1200,
        user_id: "ada-marsh",
        author_name: "Ada Marsh",
        company_name: "Southgate",
        module: "core",
        date: ago(60),
        release: "cedar",
        correction_comment: "generated tables",
      },
    ]);
  });

  it("takes a threshold and the common filters", async () => {
    const locs = async (query: string) => (await get<{ commits: { primary_key: string; loc: number }[] }>(`/large_commits?${query}`)).commits.map((c) => [c.primary_key, c.loc]);
    expect(await locs("loc_threshold=999")).toEqual([
      ["c2", 1500],
      ["c-old", 1200],
      ["c3", 1000],
    ]);
    expect(await locs("release=all&loc_threshold=1200")).toEqual([
      ["c4", 5000],
      ["c2", 1500],
    ]);
    expect(await locs("release=all&module=code-group&company=southgate&loc_threshold=0")).toEqual([
      ["c2", 1500],
      ["c-old", 1200],
      ["c1", 30],
    ]);
  });
});

describe("/reports/single_plus_two_reviews", () => {
  it("lists merged master reviews that one reviewer alone gave +2, newest merge first, over every release by default", async () => {
    const { reviews } = SinglePlusTwoReportSchema.parse(await get("/single_plus_two_reviews"));
    expect(reviews.map((r) => [r.primary_key, r.plus_two_by])).toEqual([
      ["s6", "kai-b"],
      ["s3", "lou@gmail.example"],
      ["s1", "kai-b"],
      ["s7", "kai-b"],
    ]);
    expect(reviews[2]).toEqual({
      primary_key: "s1",
      url: "https://review.example/s1",
      subject: "Change s1",
      author_name: "Ada Marsh",
      user_id: "ada-marsh",
      company_name: "Southgate",
      module: "tools",
      date: ago(15),
      last_updated: ago(14),
      plus_two_by: "kai-b",
    });
  });

  it("applies the common filters to the reviews", async () => {
    const keys = async (query: string) => (await get<{ reviews: { primary_key: string }[] }>(`/single_plus_two_reviews?${query}`)).reviews.map((r) => r.primary_key);
    expect(await keys("release=cedar")).toEqual(["s6", "s3", "s1"]);
    expect(await keys("project_type=docs")).toEqual(["s7"]);
    expect(await keys("user_id=ada-marsh")).toEqual(["s6", "s1"]);
  });
});

describe("errors and the read API's envelope", () => {
  it.each([
    ["/reviews/nothing/open", "module"],
    ["/contribution/nothing/30", "module"],
    ["/cores?project_type=nothing", "project_type"],
    ["/large_commits?release=oak", "release"],
    ["/single_plus_two_reviews?company=nobody", "company"],
  ])("answers 404 naming the unknown value of %s", async (path, parameter) => {
    expect(await get(path, 404)).toMatchObject({ status: "error", parameter });
  });

  it.each([
    ["/reviews/core/open?limit=some", "limit"],
    ["/reviews/core/open?limit=-2", "limit"],
    ["/reviews/core/open?limit=1.5", "limit"],
    ["/contribution/core/0", "days"],
    ["/contribution/core/366", "days"],
    ["/contribution/core/month", "days"],
    ["/large_commits?loc_threshold=-1", "loc_threshold"],
    ["/large_commits?loc_threshold=big", "loc_threshold"],
    ["/single_plus_two_reviews?start_date=yesterday", "start_date"],
  ])("answers 400 to %s naming %s", async (path, parameter) => {
    const body = await get<{ status: string; message: string }>(path, 400);
    expect(body.status).toBe("error");
    expect(body.message).toContain(parameter);
  });

  it("answers JSONP, allows any origin and carries the data's ETag, as the rest of /api/1.0", async () => {
    const res = await call("/api/1.0/reports/cores?project_type=docs&callback=cb");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.text()).toBe('cb({"cores":[],"total":0});');
    const again = await call("/api/1.0/reports/cores?project_type=docs", { headers: { "if-none-match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });
});

describe("a module outside the default project type", () => {
  beforeAll(async () => {
    await resetAll();
    const data = config();
    data.repos.push({ uri: "https://git.example/demo/labs.git", module: "labs", organization: "demo" });
    await loadConfig(data);
    await postRecords([
      { primary_key: "labs-1", record_type: "review", date: at("2024-03-01"), ...KAI, module: "labs", branch: "master", status: "NEW", subject: "Try it", value: 0 },
      { primary_key: "labs-c", record_type: "commit", date: Math.floor(Date.now() / 1000) - DAY, ...KAI, module: "labs", loc: 3 },
    ]);
  });

  it("has its open reviews and its review report without a project type in the query", async () => {
    expect(await get<{ total_open: number }>("/reviews/labs/open")).toMatchObject({ total_open: 1 });
    expect(await get<{ summary: { commits: number } }>("/contribution/labs/30")).toMatchObject({ summary: { commits: 1 } });
  });
});
