import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { DefaultData } from "../../../schemas/contrib/default-data";
import type { RawRecord } from "../../../schemas/contrib/records";
import { sumTotals } from "../../../worker/db/contrib";
import { at, smallConfig } from "../../unit/contrib/fixtures";
import { call } from "../helpers";
import { admin, attributions, countRows, loadConfig, postRecords, resetAll } from "./helpers";

beforeEach(resetAll);

let n = 0;
const record = (overrides: Partial<RawRecord> & { date: number }): RawRecord => ({
  primary_key: `c${String(++n).padStart(4, "0")}`,
  record_type: "commit",
  module: "core",
  loc: 10,
  ...overrides,
});

/** One commit a day by Ada, from `from` for `days` days, at 15:00 UTC. */
const dailyCommits = (from: string, days: number, email = "ada@northwind.example") =>
  Array.from({ length: days }, (_, i) => record({ author_email: email, date: at(from) + i * 86_400 + 15 * 3600 }));

const byCompany = async (release?: string) =>
  Object.fromEntries((await sumTotals(env.CONTRIB_DB, "company_name", { release })).map((r) => [r.id, [r.records, r.loc]]));
const byUser = async () => Object.fromEntries((await sumTotals(env.CONTRIB_DB, "user_id")).map((r) => [r.id, r.records]));

describe("POST /api/1.0/admin/records", () => {
  it("answers 409 before any config is loaded", async () => {
    const res = await admin("POST", "/records", { records: [record({ author_email: "a@b.example", date: at("2024-01-01") })] });
    expect(res.status).toBe(409);
  });

  it.each<[unknown, RegExp]>([
    [{ records: [{ primary_key: "x", record_type: "commit", module: "core", author_email: "a@b.example" }] }, /records\[0\]\.date: required field is missing/],
    [{ records: [{ primary_key: "x", record_type: "commit", module: "core", date: 1 }] }, /records\[0\]\.author_email: a record needs an author/],
    [{ records: [{ primary_key: "x", record_type: "push", module: "core", date: 1, author_email: "a@b.example" }] }, /records\[0\]\.record_type/],
    [{ records: [{ primary_key: "x", record_type: "commit", module: "core", date: "2024-01-01", author_email: "a@b.example" }] }, /records\[0\]\.date/],
    [{ records: [] }, /records: /],
    [{ rows: [] }, /unknown field "rows"/],
  ])("refuses %j with a 400 naming the field", async (body, message) => {
    await loadConfig(smallConfig());
    const res = await admin("POST", "/records", body);
    expect(res.status).toBe(400);
    expect((await res.json<{ message: string }>()).message).toMatch(message);
  });

  it("stores records once: posting them again changes nothing", async () => {
    await loadConfig(smallConfig());
    const records = dailyCommits("2024-03-01", 3);
    expect(await postRecords(records)).toMatchObject({ added: 3, updated: 0, unchanged: 0, profiles_created: 0 });
    expect(await postRecords(records)).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
    expect(await byCompany()).toEqual({ Southgate: [3, 30] });
  });

  it("credits a person who changes company mid-release to each company for the right days", async () => {
    await loadConfig(smallConfig());
    // Alder runs from 2011-01-01 to 2024-04-03; Ada leaves Northwind for Southgate on 2024-02-10.
    await postRecords(dailyCommits("2024-01-31", 20));
    expect(await byCompany("alder")).toEqual({ Northwind: [10, 100], Southgate: [10, 100] });
    const days = await env.CONTRIB_DB.prepare(
      "SELECT company_name, min(day) AS first, max(day) AS last FROM records GROUP BY company_name ORDER BY first",
    ).all<{ company_name: string; first: number; last: number }>();
    expect(days.results).toEqual([
      { company_name: "Northwind", first: at("2024-01-31") / 86_400, last: at("2024-02-09") / 86_400 },
      { company_name: "Southgate", first: at("2024-02-10") / 86_400, last: at("2024-02-19") / 86_400 },
    ]);
  });

  it("merges two profiles of one person: their records and counts move to the one that stays", async () => {
    await loadConfig(smallConfig());
    await postRecords([
      record({ author_email: "rob@westbay.example", author_name: "Rob", date: at("2024-03-01") }),
      record({ author_email: "rob@westbay.example", date: at("2024-03-02") }),
      record({ record_type: "review", gerrit_id: "rob-w", author_email: "rob.w@gmail.example", date: at("2024-03-03"), loc: 0 }),
    ]);
    expect(await countRows("profiles")).toBe(3);
    expect(await byUser()).toEqual({ "rob@westbay.example": 2, "rob.w@gmail.example": 1 });

    const tie = await postRecords([record({ record_type: "review", gerrit_id: "rob-w", author_email: "rob@westbay.example", date: at("2024-03-04"), loc: 0 })]);
    expect(tie).toMatchObject({ added: 1, profiles_created: 0, profiles_merged: 1, records_reattributed: 1 });
    expect(await countRows("profiles")).toBe(2);
    expect(await byUser()).toEqual({ "rob@westbay.example": 4 });
    const profile = await (await call("/api/1.0/users/rob%40westbay.example")).json<{ user: { emails: string[]; gerrit_id: string } }>();
    expect(profile.user).toMatchObject({ emails: ["rob@westbay.example", "rob.w@gmail.example"], gerrit_id: "rob-w" });
    const pointed = await env.CONTRIB_DB.prepare("SELECT count(DISTINCT profile_seq) AS n FROM records").first<{ n: number }>();
    expect(pointed!.n).toBe(1);
  });

  it("re-attributes exactly the affected records when a new config moves a person's end date", async () => {
    const v1 = smallConfig();
    await loadConfig(v1);
    const commits = dailyCommits("2024-02-01", 20);
    const other = record({ author_email: "zed@northwind.example", date: at("2024-02-15") });
    await postRecords([...commits, other]);
    const before = await attributions();

    const v2: DefaultData = structuredClone(v1);
    v2.users[0]!.companies[0]!.end_date = "2024-Feb-14";
    const loaded = await loadConfig(v2);
    expect(loaded).toMatchObject({ changed: true, records_reattributed: 4 });

    const after = await attributions();
    const moved = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
    expect(moved).toEqual(commits.slice(9, 13).map((c) => c.primary_key));
    expect(moved.map((k) => after[k]![1])).toEqual(["Northwind", "Northwind", "Northwind", "Northwind"]);
    expect(await byCompany()).toEqual({ Northwind: [14, 140], Southgate: [7, 70] });
  });

  it("re-attributes a made-up profile's records when the config claims the person", async () => {
    await loadConfig(smallConfig());
    await postRecords([record({ author_email: "mo@gmail.example", date: at("2024-03-01") })]);
    expect(await byCompany()).toEqual({ "*independent": [1, 10] });
    const v2 = smallConfig();
    v2.users.push({ user_name: "Mo", emails: ["mo@gmail.example"], launchpad_id: "mo", companies: [{ company_name: "Northwind", end_date: null }] });
    expect(await loadConfig(v2)).toMatchObject({ profiles_updated: 1, records_reattributed: 1 });
    expect(await byCompany()).toEqual({ Northwind: [1, 10] });
    expect(await byUser()).toEqual({ mo: 1 });
  });

  it("follows a company's new domain for made-up profiles only", async () => {
    await loadConfig(smallConfig());
    await postRecords([record({ author_email: "li@eastbrook.example", date: at("2024-03-01") }), ...dailyCommits("2024-03-01", 1)]);
    const v2 = smallConfig();
    v2.companies.push({ company_name: "Eastbrook", domains: ["eastbrook.example"] });
    expect(await loadConfig(v2)).toMatchObject({ records_reattributed: 1 });
    expect(await byCompany()).toEqual({ Eastbrook: [1, 10], Southgate: [1, 10] });
  });

  it("applies corrections whenever a record is processed, and undoes a removed one", async () => {
    await loadConfig(smallConfig());
    const [big, small] = [record({ author_email: "ada@northwind.example", date: at("2024-03-01"), loc: 5000 }), record({ author_email: "ada@northwind.example", date: at("2024-03-02") })];
    await postRecords([big, small]);
    const corrections = { corrections: [{ primary_key: big.primary_key, correction_comment: "generated code", loc: 0 }] };
    expect(await (await admin("PUT", "/corrections", corrections)).json()).toMatchObject({ records_reattributed: 1 });
    expect(await byCompany()).toEqual({ Southgate: [2, 10] });

    expect(await postRecords([big])).toMatchObject({ unchanged: 1 });
    const late = record({ author_email: "ada@northwind.example", date: at("2024-03-03"), loc: 900 });
    await admin("PUT", "/corrections", { corrections: [...corrections.corrections, { primary_key: late.primary_key, correction_comment: "vendored", loc: 1 }] });
    await postRecords([late]);
    expect(await byCompany()).toEqual({ Southgate: [3, 11] });

    expect(await (await admin("PUT", "/corrections", { corrections: [] })).json()).toMatchObject({ records_reattributed: 2 });
    expect(await byCompany()).toEqual({ Southgate: [3, 5910] });
  });

  it("keeps commits of *robots out of the totals but counts their reviews", async () => {
    const config = smallConfig();
    config.users.push({ user_name: "CI", emails: ["ci@bots.example"], gerrit_id: "ci", companies: [{ company_name: "*robots", end_date: null }] });
    await loadConfig(config);
    await postRecords([
      record({ author_email: "ci@bots.example", date: at("2024-03-01") }),
      record({ record_type: "review", gerrit_id: "ci", date: at("2024-03-01"), loc: 0 }),
    ]);
    expect(await countRows("records")).toBe(2);
    expect(await sumTotals(env.CONTRIB_DB, "company_name", { recordType: "commit" })).toEqual([]);
    expect(await sumTotals(env.CONTRIB_DB, "company_name", { recordType: "review" })).toEqual([{ id: "*robots", records: 1, loc: 0 }]);
  });
});
