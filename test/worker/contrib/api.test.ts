// Stackalytics' /api/1.0 read endpoints on a small dataset of our own, each expectation counted by
// hand from the records below.
import { beforeAll, describe, expect, it } from "vitest";
import type { DefaultData } from "../../../schemas/contrib/default-data";
import type { RawRecord } from "../../../schemas/contrib/records";
import type { ZodType } from "zod";
import {
  ActivityResponseSchema,
  AffiliationChangesResponseSchema,
  BlueprintStatsResponseSchema,
  CompaniesResponseSchema,
  CompanyResponseSchema,
  ContributionResponseSchema,
  DistinctEngineersResponseSchema,
  EngineersExtendedResponseSchema,
  EngineersResponseSchema,
  LanguagesResponseSchema,
  MetricsResponseSchema,
  ModuleResponseSchema,
  ModulesResponseSchema,
  ProjectTypesResponseSchema,
  ReleasesResponseSchema,
  StatsResponseSchema,
  TimelineResponseSchema,
  UsersResponseSchema,
} from "../../../schemas/contrib/stats";
import { env } from "cloudflare:test";
import { stampDataUpdated } from "../../../worker/db/contrib";
import { MEASURES, metricById } from "../../../worker/domain/contrib/metrics";
import { at } from "../../unit/contrib/fixtures";
import { call } from "../helpers";
import { loadConfig, postRecords, resetAll } from "./helpers";

const PERSON_DAY_TYPES = metricById("person-day")!.types as readonly string[];

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
          { company_name: "Southgate, Inc.", end_date: null },
        ],
      },
      { user_name: "Kai Brandt", emails: ["kai@southgate.example"], launchpad_id: "kai-b", gerrit_id: "kai", companies: [{ company_name: "Southgate", end_date: null }] },
      { user_name: "Bench CI", emails: ["ci@ci.example"], gerrit_id: "ci", companies: [{ company_name: "*robots", end_date: null }] },
    ],
    companies: [
      { company_name: "Northwind", domains: ["northwind.example"] },
      { company_name: "Southgate", domains: ["southgate.example"], aliases: ["Southgate, Inc."] },
      { company_name: "Eastbrook & Co", domains: ["eastbrook.example"] },
    ],
    releases: [
      { release_name: "prehistory", end_date: "2011-Jan-01" },
      { release_name: "Alder", end_date: "2024-Apr-03" },
      { release_name: "Birch", end_date: "2024-Oct-02" },
      { release_name: "Cedar", end_date: "2030-Jan-01" },
    ],
    repos: ["core", "docs", "tools"].map((module) => ({
      uri: `https://git.example/demo/${module}.git`,
      module,
      organization: "demo",
      ...(module === "core" ? { gerrit_uri: "https://review.example" } : {}),
    })),
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
const recent = Math.floor(Date.now() / 1000) - 10 * 86_400;

const mark = (key: string, who: object, date: number, type: string, value: number, review = "r1", module = "core"): RawRecord => ({
  primary_key: key,
  record_type: "mark",
  date,
  ...who,
  module,
  branch: "master",
  type,
  value,
  review_id: review,
  patch: 1,
});

const records: RawRecord[] = [
  // Alder (until 2024-04-03)
  { primary_key: "c1", record_type: "commit", date: at("2024-02-01"), ...ADA, module: "core", loc: 20, subject: "Start the core" },
  { primary_key: "c2", record_type: "commit", date: at("2024-03-01"), ...ADA, module: "core", loc: 10, message: "Fixes bug 1234567 in the tide table" },
  { primary_key: "c3", record_type: "commit", date: at("2024-03-05"), ...KAI, module: "docs", loc: 4, message: "Document the fix for the tides", blueprint_id: ["docs:tides"] },
  { primary_key: "r1", record_type: "review", date: at("2024-03-01"), ...ADA, module: "core", branch: "master", status: "NEW", subject: "Tide table" },
  { primary_key: "r1:1", record_type: "patch", date: at("2024-03-01"), ...ADA, module: "core", branch: "master", review_id: "r1", patch: 1 },
  mark("m1", KAI, at("2024-03-02"), "Code-Review", 2),
  mark("m2", LOU, at("2024-03-02"), "Code-Review", -1),
  mark("m3", KAI, at("2024-03-03"), "Workflow", 1),
  mark("m4", ADA, at("2024-03-03"), "Self-Code-Review", 1),
  { primary_key: "r2", record_type: "review", date: at("2024-03-04"), ...LOU, module: "tools", branch: "master", status: "ABANDONED", subject: "Old tools" },
  { primary_key: "r2:1", record_type: "patch", date: at("2024-03-04"), ...LOU, module: "tools", branch: "master", review_id: "r2", patch: 1 },
  mark("m5", KAI, at("2024-03-04"), "Abandon", 0, "r2", "tools"),
  { primary_key: "e1", record_type: "email", date: at("2024-03-06"), ...KAI, module: "core", subject: "[core] tides", blueprint_id: ["docs:tides"] },
  // Birch
  { primary_key: "c4", record_type: "commit", date: at("2024-05-01"), ...LOU, module: "tools", loc: 7 },
  { primary_key: "bugf:core/1", record_type: "bugf", date: at("2024-05-02"), launchpad_id: "ada-marsh", module: "core" },
  { primary_key: "bugr:core/1", record_type: "bugr", date: at("2024-05-03"), launchpad_id: "kai-b", module: "core" },
  { primary_key: "bpd:docs:tides", record_type: "bpd", date: at("2024-06-01"), launchpad_id: "kai-b", module: "docs", id: "docs:tides" },
  // A robot's vote does not count; its patch sets count as patch sets, never as anyone's effort.
  mark("ci-1", { gerrit_id: "ci" }, at("2024-06-02"), "Code-Review", 1, "r1"),
  { primary_key: "ci:1", record_type: "patch", date: at("2024-06-02"), gerrit_id: "ci", module: "core", branch: "master", review_id: "r9", patch: 1 },
  { primary_key: "tr:1", record_type: "tr", date: at("2024-06-10"), zanata_id: "kai-z", module: "docs", loc: 100, language: "German" },
  { primary_key: "tr:2", record_type: "tr", date: at("2024-06-11"), zanata_id: "kai-z", module: "docs", loc: 50, language: "French" },
  // Cedar, the current release
  { primary_key: "c5", record_type: "commit", date: at("2025-01-15"), ...KAI, module: "core", loc: 3 },
  { primary_key: "r3", record_type: "review", date: recent, ...KAI, module: "core", branch: "master", status: "NEW" },
  { primary_key: "r3:1", record_type: "patch", date: recent, ...KAI, module: "core", branch: "master", review_id: "r3", patch: 1 },
  mark("m6", ADA, recent, "Code-Review", 2, "r3"),
];

beforeAll(async () => {
  await resetAll();
  await loadConfig(config());
  await postRecords(records);
});

/** Each endpoint's answer checked against its schema (§5.2's shapes). */
const SHAPES: [RegExp, ZodType][] = [
  [/^\/stats\/engineers_extended/, EngineersExtendedResponseSchema],
  [/^\/stats\/engineers/, EngineersResponseSchema],
  [/^\/stats\/distinct_engineers/, DistinctEngineersResponseSchema],
  [/^\/stats\/bp/, BlueprintStatsResponseSchema],
  [/^\/stats\/timeline/, TimelineResponseSchema],
  [/^\/stats\//, StatsResponseSchema],
  [/^\/contribution/, ContributionResponseSchema],
  [/^\/activity/, ActivityResponseSchema],
  [/^\/releases/, ReleasesResponseSchema],
  [/^\/metrics/, MetricsResponseSchema],
  [/^\/project_types/, ProjectTypesResponseSchema],
  [/^\/companies\//, CompanyResponseSchema],
  [/^\/companies/, CompaniesResponseSchema],
  [/^\/modules\//, ModuleResponseSchema],
  [/^\/modules/, ModulesResponseSchema],
  [/^\/users\?|^\/users$/, UsersResponseSchema],
  [/^\/languages/, LanguagesResponseSchema],
  [/^\/affiliation_changes/, AffiliationChangesResponseSchema],
];

async function get<T = Record<string, unknown>>(path: string, status = 200): Promise<T> {
  const res = await call(`/api/1.0${path}`);
  expect(res.status, `${path}: ${res.status}`).toBe(status);
  const body = await res.json<T>();
  const shape = SHAPES.find(([pattern]) => pattern.test(path))?.[1];
  if (status === 200) {
    expect(shape, `a schema for ${path}`).toBeDefined();
    const checked = shape!.safeParse(body);
    expect(checked.success, `${path}: ${checked.error?.message}`).toBe(true);
  }
  return body;
}
type Stats = { stats: Record<string, unknown>[] };
const metrics = async (path: string) => (await get<Stats>(path)).stats.map((r) => [r.id, r.metric, r.index]);

describe("stats/companies, stats/modules, stats/engineers", () => {
  it("ranks companies by commits and by lines of code in a release", async () => {
    expect(await metrics("/stats/companies?release=alder&metric=commits")).toEqual([
      ["Southgate", 2, 1],
      ["Northwind", 1, 2],
    ]);
    expect(await metrics("/stats/companies?release=alder&metric=loc")).toEqual([
      ["Northwind", 20, 1],
      ["Southgate", 14, 2],
    ]);
  });

  it("counts Code-Review votes and others' abandons as reviews, with the distribution and ratios; *independent has no index", async () => {
    const { stats } = await get<Stats>("/stats/companies?release=alder&metric=marks");
    expect(stats).toEqual([
      {
        id: "Southgate",
        name: "Southgate",
        metric: 2,
        index: 1,
        "-2": 0,
        "-1": 0,
        "0": 1,
        "1": 0,
        "2": 1,
        A: 1,
        x: 1,
        positive_ratio: "100.0%",
        mark_ratio: "0|0|0|1|1|1 (100.0%)",
        disagreements: 0,
        disagreement_ratio: "0.0%",
      },
      {
        id: "*independent",
        name: "*independent",
        metric: 1,
        index: "",
        "-2": 0,
        "-1": 1,
        "1": 0,
        "2": 0,
        A: 0,
        x: 0,
        positive_ratio: "0.0%",
        mark_ratio: "0|1|0|0|0|0 (0.0%)",
        disagreements: 0,
        disagreement_ratio: "0.0%",
      },
    ]);
  });

  it("counts person-days: distinct (person, day) pairs over marks, patch sets, emails, drafted blueprints and filed bugs", async () => {
    // Southgate: Kai on 03-02, 03-03, 03-04, 03-06; Ada (at Southgate from 02-10) on 03-01 and 03-03. Lou: 03-02, 03-04.
    expect(await metrics("/stats/companies?release=alder&metric=person-day")).toEqual([
      ["Southgate", 6, 1],
      ["*independent", 2, ""],
    ]);
  });

  it("ranks modules and people, drops those with nothing, names people and shows where they are core", async () => {
    expect(await metrics("/stats/modules?release=all&metric=commits")).toEqual([
      ["core", 3, 1],
      ["docs", 1, 2],
      ["tools", 1, 3],
    ]);
    const { stats } = await get<Stats>("/stats/engineers?release=all&metric=marks");
    expect(stats.map((r) => [r.id, r.name, r.metric, r.core])).toEqual([
      ["kai-b", "Kai Brandt", 2, null],
      ["ada-marsh", "Ada Marsh", 1, "master"],
      ["lou@gmail.example", "Lou", 1, null],
    ]);
  });

  it("filters by project type (through module groups), module, company (any case), person and days in three formats", async () => {
    expect(await metrics("/stats/companies?release=alder&metric=commits&project_type=docs")).toEqual([["Southgate", 1, 1]]);
    expect(await metrics("/stats/companies?release=alder&metric=commits&project_type=code")).toEqual([
      ["Northwind", 1, 1],
      ["Southgate", 1, 2],
    ]);
    expect(await metrics("/stats/companies?release=all&metric=commits&module=tools")).toEqual([["*independent", 1, ""]]);
    expect(await metrics("/stats/engineers?release=all&metric=commits&company=southgate")).toEqual([
      ["kai-b", 2, 1],
      ["ada-marsh", 1, 2],
    ]);
    expect(await metrics("/stats/modules?release=all&metric=commits&user_id=kai-b")).toEqual([
      ["core", 1, 1],
      ["docs", 1, 2],
    ]);
    for (const [from, to] of [
      ["2024-03-01", "2024-03-05"],
      ["20240301", "20240305"],
      [String(at("2024-03-01") + 3600), String(at("2024-03-05") + 7200)],
    ]) {
      expect(await metrics(`/stats/companies?release=all&metric=commits&start_date=${from}&end_date=${to}`)).toEqual([["Southgate", 2, 1]]);
    }
    // A release and a date range: their intersection.
    expect(await metrics("/stats/companies?release=birch&metric=commits&start_date=2024-03-01")).toEqual([["*independent", 1, ""]]);
  });

  it("takes comma-separated lists, and the current release when none is named", async () => {
    // A tie's order is not defined (Stackalytics'); here it is by name.
    expect(await metrics("/stats/companies?release=alder,birch&metric=commits&module=docs,tools")).toEqual([
      ["*independent", 1, ""],
      ["Southgate", 1, 1],
    ]);
    expect(await metrics("/stats/companies?metric=commits")).toEqual([["Southgate", 1, 1]]);
  });
});

describe("stats/engineers_extended, distinct_engineers, bp, languages, timeline", () => {
  it("shows each person's reviews, change requests, commits, emails and patch sets whatever the metric, keeping those without reviews", async () => {
    const { stats } = await get<Stats>("/stats/engineers_extended?release=alder&metric=commits");
    expect(stats.map((r) => [r.id, r.name, r.company, r.mark, r.review, r.commit, r.email, r.patch, r.metric, r.index])).toEqual([
      ["kai-b", "Kai Brandt", "Southgate", 2, 0, 1, 1, 0, 2, 1],
      ["lou@gmail.example", "Lou", "*independent", 1, 1, 0, 0, 1, 1, 2],
      ["ada-marsh", "Ada Marsh", "Southgate", 0, 1, 2, 0, 1, 0, 3],
    ]);
    expect(stats[0]).toMatchObject({ "2": 1, x: 1, A: 1, positive_ratio: "100.0%" });
  });

  it("lists the distinct people of the filter with a name and an email", async () => {
    expect(await get("/stats/distinct_engineers?release=alder&metric=commits")).toEqual({
      stats: { "ada-marsh": { author_name: "Ada Marsh", author_email: "ada@northwind.example" }, "kai-b": { author_name: "Kai Brandt", author_email: "kai@southgate.example" } },
    });
  });

  it("ranks blueprints by their mentions, with the date of the newest", async () => {
    expect(await get("/stats/bp?release=all")).toEqual({
      stats: [{ id: "tides", name: "tides", status: null, date: "06 Mar 2024", metric: 2, link: '<a href="/report/blueprint/docs/tides">tides</a>', index: 1 }],
    });
  });

  it("ranks languages by words translated, and lists them", async () => {
    expect(await metrics("/stats/languages?release=all")).toEqual([
      ["German", 100, 1],
      ["French", 50, 2],
    ]);
    expect(await metrics("/stats/languages?release=all&language=French")).toEqual([["French", 50, 1]]);
    expect(await get("/languages?release=all")).toEqual({ data: [{ id: "French", text: "French" }, { id: "German", text: "German" }] });
  });

  it("counts the metric per Sunday-based week over a release, widened to a year, with the release highlighted and lines of code", async () => {
    type Timeline = { timeline: [string, number][][] };
    const { timeline } = await get<Timeline>("/stats/timeline?release=birch&metric=commits");
    const [all, highlighted, loc] = timeline as [[string, number][], [string, number][], [string, number][]];
    expect(all.length).toBe(highlighted.length);
    expect(new Date(`${all[0]![0].slice(0, 10)}T00:00:00Z`).getUTCDay()).toBe(0);
    expect(all.at(-1)![0] <= "2024-10-02 00:00:00").toBe(true);
    expect(all.length).toBeGreaterThanOrEqual(52);
    // Commits of the year up to Birch's end: c1..c4; Birch's own weeks (from 2024-04-03) hold c4 only.
    expect(all.reduce((n, [, v]) => n + v, 0)).toBe(4);
    expect(highlighted.reduce((n, [, v]) => n + v, 0)).toBe(1);
    expect(highlighted.find(([, v]) => v > 0)![0]).toBe("2024-04-28 00:00:00");
    expect(loc.reduce((n, [, v]) => n + v, 0)).toBe(41);
  });

  it("counts person-days per week as the rankings do: a robot's patch set is no one's day", async () => {
    type Timeline = { timeline: [string, number][][] };
    const { timeline } = await get<Timeline>("/stats/timeline?release=birch&metric=person-day");
    // Birch: Ada's filed bug (05-02; at Southgate since February) and Kai's drafted blueprint (06-01); the robot's patch set (06-02) is not a day.
    expect(timeline[1]!.reduce((n, [, v]) => n + v, 0)).toBe(2);
    expect(await metrics("/stats/companies?release=birch&metric=person-day")).toEqual([["Southgate", 2, 1]]);
  });

  it("lists who moved from one company to another within a window", async () => {
    expect(await get("/affiliation_changes?start_days=2024-01-01&end_days=2024-12-31")).toEqual({
      affiliation_changes: [{ user_id: "ada-marsh", user_name: "Ada Marsh", old_company_name: "Northwind", new_company_name: "Southgate", date: at("2024-02-10") }],
    });
    expect(await get("/affiliation_changes?start_days=2023-01-01&end_days=2023-12-31")).toEqual({ affiliation_changes: [] });
  });
});

describe("the totals without dates", () => {
  it.each(["commits", "loc", "marks", "person-day", "emails", "patches"])("give every ranking of %s the same as the daily totals do", async (metric) => {
    for (const endpoint of ["companies", "modules", "engineers"]) {
      for (const scope of ["", "&module=core", "&project_type=code", "&company=southgate", "&user_id=kai-b", "&company=southgate&module=core", "&user_id=ada-marsh&module=core,tools"]) {
        const days = await get(`/stats/${endpoint}?release=all&metric=${metric}${scope}&start_date=2000-01-01&end_date=2099-12-31`);
        expect(await get(`/stats/${endpoint}?release=all&metric=${metric}${scope}`), `${endpoint} ${scope}`).toEqual(days);
      }
    }
    for (const scope of ["release=alder", "release=all", "release=birch&module=core", "release=all&company=southgate", "release=all&user_id=kai-b"]) {
      const days = await get(`/contribution?${scope}&start_date=2000-01-01`);
      expect(await get(`/contribution?${scope}`), scope).toEqual(days);
    }
  });
});

describe("/contribution", () => {
  it("adds up every kind of record of the filter, whatever the metric", async () => {
    expect(await get("/contribution?release=alder&metric=commits")).toEqual({
      contribution: {
        commit_count: 3,
        loc: 34,
        marks: { "-2": 0, "-1": 1, "0": 0, "1": 0, "2": 1, A: 1, WIP: 0, x: 1, s: 1 },
        email_count: 1,
        drafted_blueprint_count: 0,
        completed_blueprint_count: 0,
        filed_bug_count: 0,
        resolved_bug_count: 0,
        patch_set_count: 2,
        change_request_count: 2,
        abandoned_change_requests_count: 1,
        translations: 0,
      },
    });
    expect(await get("/contribution?release=birch&user_id=kai-b")).toMatchObject({ contribution: { resolved_bug_count: 1, drafted_blueprint_count: 1, filed_bug_count: 0 } });
  });
});

describe("the selectors' lists", () => {
  it("lists releases newest first after All, without prehistory, with the current one as default", async () => {
    expect(await get("/releases")).toEqual({
      data: [
        { id: "all", text: "All" },
        { id: "cedar", text: "Cedar" },
        { id: "birch", text: "Birch" },
        { id: "alder", text: "Alder" },
      ],
      default: "cedar",
    });
  });

  it("lists metrics by label with marks the default, and project types with their children", async () => {
    const m = await get<{ data: { id: string; text: string }[]; default: string }>("/metrics");
    expect(m.default).toBe("marks");
    expect(m.data.map((d) => d.text)).toEqual([...m.data.map((d) => d.text)].sort());
    expect(m.data.map((d) => d.id)).not.toContain("members");
    expect(await get("/project_types")).toEqual({
      data: [
        { id: "all", text: "All", child: false },
        { id: "code", text: "Code", child: true },
        { id: "docs", text: "Docs", child: false },
      ],
      default: "all",
    });
  });

  it("lists the companies with records under the filter, and the one selected; finds a company by any spelling", async () => {
    expect(await get("/companies?release=alder&metric=commits")).toEqual({ data: [{ id: "northwind", text: "Northwind" }, { id: "southgate", text: "Southgate" }] });
    expect(await get("/companies?release=alder&metric=commits&company=eastbrook %26 co")).toEqual({
      data: [
        { id: "eastbrook  co", text: "Eastbrook & Co" },
        { id: "northwind", text: "Northwind" },
        { id: "southgate", text: "Southgate" },
      ],
    });
    expect(await get("/companies/southgate")).toEqual({ company: { id: "southgate", text: "Southgate" } });
    expect(await get("/companies/nobody%20inc", 404)).toMatchObject({ status: "error", parameter: "company", value: "nobody inc" });
  });

  it("lists the modules with records and the groups that hold them, by tag; a module's detail with what the filter shows", async () => {
    expect(await get("/modules?release=alder&metric=commits")).toEqual({
      data: [
        { id: "code-group", text: "code-group", tag: "group" },
        { id: "core", text: "core", tag: "module" },
        { id: "docs", text: "docs", tag: "module" },
      ],
    });
    expect(await get("/modules?release=alder&metric=commits&tags=module")).toEqual({ data: [{ id: "core", text: "core", tag: "module" }, { id: "docs", text: "docs", tag: "module" }] });
    expect(await get("/modules/code-group?project_type=docs")).toEqual({
      module: {
        id: "code-group",
        name: "Code-group",
        tag: "group",
        modules: [
          { module_name: "core", visible: false, repo_uri: "https://git.example/demo/core.git" },
          { module_name: "tools", visible: false, repo_uri: "https://git.example/demo/tools.git" },
        ],
      },
    });
  });

  it("lists the people with records under the filter, with their current company, and the core reviewers of a branch", async () => {
    expect(await get("/users?release=alder&metric=commits")).toEqual({
      data: [
        { id: "ada-marsh", text: "Ada Marsh", company_name: "Southgate" },
        { id: "kai-b", text: "Kai Brandt", company_name: "Southgate" },
      ],
    });
    expect(await get("/users?release=all&core_in=master")).toEqual({ data: [{ id: "ada-marsh", text: "Ada Marsh", company_name: "Southgate", core: ["core"] }] });
  });
});

describe("/activity", () => {
  it("pages the records newest first, with links, dates and a vote's review and patch set", async () => {
    const { activity } = await get<{ activity: Record<string, unknown>[] }>("/activity?release=alder&page_size=5");
    // Records of one time come in the reverse order of their keys.
    expect(activity.map((a) => a.primary_key)).toEqual(["e1", "c3", "r2:1", "r2", "m5"]);
    expect(activity[4]).toMatchObject({
      record_type: "mark",
      type: "Abandon",
      date_str: "04 Mar 2024 00:00:00 UTC",
      author_link: { uri: "/?user_id=kai-b", title: "Kai Brandt" },
      company_link: { uri: "/?company=Southgate", title: "Southgate" },
      parent_subject: "Old tools",
      parent_status: "ABANDONED",
      patch_patch: 1,
    });
    const next = await get<{ activity: Record<string, unknown>[] }>("/activity?release=alder&page_size=3&start_record=4");
    expect(next.activity.map((a) => a.primary_key)).toEqual(["m5", "m4", "m3"]);
  });

  it("finds records by a text of their message, at its very start too (the original missed position 0)", async () => {
    const found = await get<{ activity: Record<string, unknown>[] }>("/activity?release=all&query_message=Fixes");
    expect(found.activity.map((a) => a.primary_key)).toEqual(["c2"]);
    expect(found.activity[0]!.message).toBe('Fixes bug <a href="https://bugs.launchpad.net/bugs/1234567">1234567</a> in the tide table');
  });
});

describe("errors, JSONP and caching", () => {
  it.each([
    ["release", "/stats/companies?release=oak"],
    ["project_type", "/stats/companies?project_type=nothing"],
    ["module", "/stats/modules?module=nothing"],
    ["company", "/stats/engineers?company=nobody"],
    ["user_id", "/stats/modules?user_id=nobody"],
    ["metric", "/stats/companies?metric=karma"],
  ])("answers 404 naming an unknown %s and its value", async (parameter, path) => {
    const body = await get<{ status: string; message: string; parameter: string }>(path, 404);
    expect(body).toMatchObject({ status: "error", parameter });
    expect(body.message).toMatch(new RegExp(`parameter ${parameter}`));
  });

  it.each([
    ["start_date", "/stats/companies?start_date=yesterday"],
    ["page_size", "/activity?page_size=many"],
    ["callback", "/stats/companies?callback=alert(1)"],
  ])("answers 400 naming a malformed %s", async (parameter, path) => {
    const body = await get<{ message: string }>(path, 400);
    expect(body.message).toContain(parameter);
  });

  it("wraps the answer for JSONP, allows any origin, and caches until the next hour with an ETag that a repeat matches", async () => {
    const res = await call("/api/1.0/stats/companies?release=alder&metric=commits&callback=jQuery.cb_1");
    expect(res.headers.get("content-type")).toMatch(/^application\/javascript/);
    expect(await res.text()).toBe('jQuery.cb_1({"stats":[{"id":"Southgate","name":"Southgate","metric":2,"index":1},{"id":"Northwind","name":"Northwind","metric":1,"index":2}]});');
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get("cache-control")!)![1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(3600);
    expect(Date.parse(res.headers.get("expires")!) % 3_600_000).toBe(0);
    const etag = res.headers.get("etag")!;
    const again = await call("/api/1.0/stats/companies?release=alder&metric=commits", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });
});

describe("the data's time", () => {
  it("says when the data last changed (Last-Modified), and carries a later time on a 304 too", async () => {
    const res = await call("/api/1.0/stats/companies?release=alder&metric=commits");
    const changed = Date.parse(res.headers.get("last-modified")!);
    expect(Date.now() - changed).toBeGreaterThanOrEqual(0);
    expect(Date.now() - changed).toBeLessThan(10 * 60_000);
    await env.CONTRIB_DB.batch([stampDataUpdated(env.CONTRIB_DB, changed + 5000)]);
    const again = await call("/api/1.0/stats/companies?release=alder&metric=commits", { headers: { "if-none-match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("last-modified")).toBe(new Date(changed + 5000).toUTCString());
    // An earlier time never moves it back.
    await env.CONTRIB_DB.batch([stampDataUpdated(env.CONTRIB_DB, changed - 60_000)]);
    expect((await call("/api/1.0/metrics")).headers.get("last-modified")).toBe(new Date(changed + 5000).toUTCString());
  });
});

describe("changes show in the next answer", () => {
  it("moves a person's records when the config moves their end date, and merges two profiles' counts", { timeout: 30_000 }, async () => {
    const before = await call("/api/1.0/stats/companies?release=alder&metric=commits");
    const v2 = config();
    v2.users[0]!.companies[0]!.end_date = "2024-Mar-15";
    await loadConfig(v2);
    const after = await call("/api/1.0/stats/companies?release=alder&metric=commits", { headers: { "if-none-match": before.headers.get("etag")! } });
    expect(after.status).toBe(200);
    expect((await after.json<Stats>()).stats.map((r) => [r.id, r.metric])).toEqual([
      ["Northwind", 2],
      ["Southgate", 1],
    ]);

    await postRecords([
      { primary_key: "x1", record_type: "email", date: at("2024-07-01"), author_email: "lee@eastbrook.example", module: "core" },
      mark("x2", { gerrit_id: "lee", author_name: "Lee" }, at("2024-07-02"), "Code-Review", 1),
    ]);
    const apart = await get<Stats>("/stats/engineers?release=birch&metric=person-day");
    expect(apart.stats.map((r) => r.id).sort()).toEqual(["ada-marsh", "gerrit:lee", "kai-b", "lee@eastbrook.example"].sort());
    await postRecords([mark("x3", { gerrit_id: "lee", author_email: "lee@eastbrook.example" }, at("2024-07-03"), "Code-Review", 1)]);
    const merged = await get<Stats>("/stats/engineers?release=birch&metric=person-day");
    expect(merged.stats.filter((r) => String(r.id).includes("lee")).map((r) => [r.id, r.metric])).toEqual([["lee@eastbrook.example", 3]]);
    expect((await get<Stats>("/stats/companies?release=birch&metric=marks")).stats.map((r) => [r.id, r.metric])).toEqual([["Eastbrook & Co", 2]]);
  });

  it("keeps release_totals what the daily totals define, at every level, per release and over all releases", async () => {
    // After the ingests, the config change and the merge above: release_totals, recomputed here
    // from daily_totals by its definition (worker/db/contrib-schema.ts), not by the worker's SQL.
    const { results: daily } = await env.CONTRIB_DB.prepare("SELECT * FROM daily_totals").all<Record<string, string | number>>();
    const { results: stored } = await env.CONTRIB_DB.prepare("SELECT * FROM release_totals").all<Record<string, string | number>>();
    expect(daily.length).toBeGreaterThan(10);
    const expected = new Map<string, Record<string, number>>();
    const add = (key: unknown[], values: Record<string, number>) => {
      const k = JSON.stringify(key);
      const sum = expected.get(k) ?? {};
      for (const [m, v] of Object.entries(values)) sum[m] = (sum[m] ?? 0) + v;
      expected.set(k, sum);
    };
    const days = new Map<string, Set<number>>();
    const dayOf = (key: unknown[]) => days.get(JSON.stringify(key)) ?? days.set(JSON.stringify(key), new Set()).get(JSON.stringify(key))!;
    for (const d of daily) {
      const measures = Object.fromEntries(MEASURES.map((m) => [m, Number(d[m])]));
      const robots = d.company_name === "*robots" && d.record_type !== "patch" && d.record_type !== "review";
      add([0, d.release, d.module, d.company_name, d.user_id, d.record_type], measures);
      for (const release of [d.release, "*"]) {
        add([1, release, "*", d.company_name, d.user_id, d.record_type], measures);
        add([2, release, "*", d.company_name, "*", d.record_type], measures);
        if (robots) continue;
        add([3, release, d.module, "*", "*", d.record_type], measures);
        add([4, release, "*", "*", "*", d.record_type], measures);
      }
      if (!PERSON_DAY_TYPES.includes(String(d.record_type))) continue;
      dayOf([0, d.release, d.module, d.company_name, d.user_id]).add(Number(d.day));
      dayOf([1, d.release, "*", d.company_name, d.user_id]).add(Number(d.day));
    }
    for (const [k, set] of days) {
      const [level, release, module, company, user] = JSON.parse(k) as [number, string, string, string, string];
      add([level, release, module, company, user, "pd"], { days: set.size });
      if (level === 1) {
        add([1, "*", "*", company, user, "pd"], { days: set.size });
        for (const r of [release, "*"]) add([2, r, "*", company, "*", "pd"], { days: set.size });
      } else if (company !== "*robots") for (const r of [release, "*"]) add([3, r, module, "*", "*", "pd"], { days: set.size });
    }
    const nonZero = (values: Record<string, number>) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== 0));
    const want = Object.fromEntries([...expected].map(([k, v]) => [k, nonZero(v)] as const).filter(([, v]) => Object.keys(v).length > 0));
    const have = Object.fromEntries(
      stored
        .map((r) => [
          JSON.stringify([r.level, r.release, r.module, r.company_name, r.user_id, r.record_type]),
          nonZero(Object.fromEntries([...MEASURES, "days"].map((m) => [m, Number(r[m])]))),
        ] as const)
        .filter(([, v]) => Object.keys(v).length > 0),
    );
    expect(Object.keys(want).some((k) => k.startsWith('[1,"*"'))).toBe(true);
    expect(have).toEqual(want);
  });

  it("keeps day_totals what the daily totals define: everyone's measures and people per day", async () => {
    const { results: daily } = await env.CONTRIB_DB.prepare("SELECT * FROM daily_totals").all<Record<string, string | number>>();
    const { results: stored } = await env.CONTRIB_DB.prepare("SELECT * FROM day_totals").all<Record<string, string | number>>();
    const want: Record<string, Record<string, number>> = {};
    const people = new Map<number, Set<string>>();
    for (const d of daily) {
      if (d.company_name === "*robots" && d.record_type !== "patch" && d.record_type !== "review") continue;
      const sum = (want[`${d.record_type}:${d.day}`] ??= {});
      for (const m of MEASURES) sum[m] = (sum[m] ?? 0) + Number(d[m]);
      if (PERSON_DAY_TYPES.includes(String(d.record_type)) && d.company_name !== "*robots") {
        people.set(Number(d.day), (people.get(Number(d.day)) ?? new Set()).add(String(d.user_id)));
      }
    }
    for (const [day, set] of people) want[`pd:${day}`] = { people: set.size };
    const nonZero = (values: Record<string, number>) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== 0));
    const have = Object.fromEntries(stored.map((r) => [`${r.record_type}:${r.day}`, nonZero(Object.fromEntries([...MEASURES, "people"].map((m) => [m, Number(r[m])])))]));
    expect(Object.keys(want).length).toBeGreaterThan(5);
    expect(have).toEqual(Object.fromEntries(Object.entries(want).map(([k, v]) => [k, nonZero(v)])));
  });
});
