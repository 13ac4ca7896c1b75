// /api/1.0/reports/punch_card: a person's or a company's votes, patch sets, emails and blueprints
// per weekday (Monday first) and UTC hour, counted by the database from an index, on records of
// our own whose cells are worked out by hand below.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { DefaultData } from "../../../schemas/contrib/default-data";
import type { RawRecord } from "../../../schemas/contrib/records";
import { PunchCardSchema } from "../../../schemas/contrib/reports";
import { countRecordsByWeekHour } from "../../../worker/db/contrib-reports";
import { meteredD1 } from "../../../worker/db/metered";
import { at } from "../../unit/contrib/fixtures";
import { call } from "../helpers";
import { loadConfig, postRecords, resetAll } from "./helpers";
import { planOf } from "./reports-query-plan";

const config: DefaultData = {
  users: [
    {
      user_name: "Ada Marsh",
      emails: ["ada@northwind.example"],
      launchpad_id: "ada-marsh",
      companies: [
        { company_name: "Northwind", end_date: "2024-Feb-10" },
        { company_name: "Southgate", end_date: null },
      ],
    },
    { user_name: "Kai Brandt", emails: ["kai@southgate.example"], launchpad_id: "kai-b", companies: [{ company_name: "Southgate", end_date: null }] },
    { user_name: "CI Bot", emails: ["ci@southgate.example"], launchpad_id: "ci-bot", companies: [{ company_name: "*robots", end_date: null }] },
  ],
  companies: [
    { company_name: "Northwind", domains: ["northwind.example"] },
    { company_name: "Southgate", domains: ["southgate.example"] },
  ],
  releases: [
    { release_name: "prehistory", end_date: "2011-Jan-01" },
    { release_name: "Alder", end_date: "2024-Apr-03" },
    { release_name: "Cedar", end_date: "2099-Jan-01" },
  ],
  repos: ["core", "docs"].map((module) => ({ uri: `https://git.example/demo/${module}.git`, module, organization: "demo" })),
  module_groups: [],
  project_types: [
    { id: "all", title: "All", modules: ["core", "docs"] },
    { id: "docs", title: "Docs", modules: ["docs"] },
  ],
};

const ADA = { author_email: "ada@northwind.example" };
const KAI = { author_email: "kai@southgate.example" };
const BOT = { author_email: "ci@southgate.example" };

let n = 0;
const rec = (type: RawRecord["record_type"], who: object, iso: string, module = "core"): RawRecord => ({
  primary_key: `${type}-${++n}`,
  record_type: type,
  date: at(iso),
  ...who,
  module,
  ...(type === "mark" ? { type: "Code-Review", value: 1, review_id: "r-1", patch: 1, branch: "master" } : {}),
  ...(type === "patch" ? { review_id: "r-1", patch: n, branch: "master" } : {}),
  ...(type === "bpd" || type === "bpc" ? { id: `core:bp-${n}`, name: `bp-${n}`, title: "A blueprint" } : {}),
});

// 2024-03-04 is a Monday; Alder runs to 2024-04-03, Cedar after it.
const records: RawRecord[] = [
  rec("mark", ADA, "2024-03-04T09:15:00Z"), // Mon 9
  rec("mark", ADA, "2024-03-04T09:50:59Z"), // Mon 9
  rec("patch", ADA, "2024-03-06T23:59:59Z", "docs"), // Wed 23, in docs
  rec("bpd", ADA, "2024-03-09T12:00:00Z"), // Sat 12
  rec("email", ADA, "2024-03-10T00:00:00Z"), // Sun 0
  rec("mark", ADA, "2024-02-01T08:00:00Z"), // Thu 8, at Northwind
  rec("mark", ADA, "2025-01-06T14:00:00Z"), // Mon 14, in Cedar
  // Not counted: commits and reviews.
  rec("commit", ADA, "2024-03-05T10:00:00Z"),
  { ...rec("review", ADA, "2024-03-05T11:00:00Z"), status: "NEW" },
  rec("mark", KAI, "2024-03-08T17:30:00Z"), // Fri 17
  rec("bpc", KAI, "2024-03-08T17:00:00Z"), // Fri 17
  // The robot's votes do not count, its patch sets do (Stackalytics' rule).
  rec("mark", BOT, "2024-03-05T03:00:00Z"),
  rec("patch", BOT, "2024-03-05T04:00:00Z"), // Tue 4
  // Many commits of Kai's: a punch card must not read them.
  ...Array.from({ length: 150 }, (_, i) => rec("commit", KAI, `2024-03-0${1 + (i % 7)}T1${i % 10}:00:00Z`)),
];

beforeAll(async () => {
  await resetAll();
  await loadConfig(config);
  await postRecords(records);
});

/** The non-empty cells of a punch card as `Weekday hour: count`. */
function cells(card: number[][]): string[] {
  const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  return card.flatMap((row, d) => row.flatMap((count, h) => (count ? [`${days[d]} ${h}: ${count}`] : [])));
}

async function punchCard(query: string) {
  const res = await call(`/api/1.0/reports/punch_card?${query}`);
  expect(res.status, `${query}: ${res.status}`).toBe(200);
  return PunchCardSchema.parse(await res.json());
}

describe("/reports/punch_card", () => {
  it("counts a person's votes, patch sets, blueprints and emails by weekday and UTC hour, over every release", async () => {
    const card = await punchCard("user_id=ada-marsh");
    expect(card.punch_card).toHaveLength(7);
    expect(card.punch_card.every((row) => row.length === 24)).toBe(true);
    expect(cells(card.punch_card)).toEqual(["Mon 9: 2", "Mon 14: 1", "Wed 23: 1", "Thu 8: 1", "Sat 12: 1", "Sun 0: 1"]);
    expect(card.total).toBe(7);
  });

  it("counts a company's records by who worked there then, robots' votes left out", async () => {
    expect(cells((await punchCard("company=southgate")).punch_card)).toEqual(["Mon 9: 2", "Mon 14: 1", "Wed 23: 1", "Fri 17: 2", "Sat 12: 1", "Sun 0: 1"]);
    expect(cells((await punchCard("company=Northwind")).punch_card)).toEqual(["Thu 8: 1"]);
    expect(cells((await punchCard("company=*robots")).punch_card)).toEqual(["Tue 4: 1"]);
  });

  it("applies the common filters: release, project type, module, dates, and a person within a company", async () => {
    expect((await punchCard("user_id=ada-marsh&release=cedar")).total).toBe(1);
    expect(cells((await punchCard("user_id=ada-marsh&module=docs")).punch_card)).toEqual(["Wed 23: 1"]);
    expect(cells((await punchCard("user_id=ada-marsh&project_type=docs")).punch_card)).toEqual(["Wed 23: 1"]);
    expect(cells((await punchCard("user_id=ada-marsh&start_date=2024-03-06&end_date=2024-03-09")).punch_card)).toEqual(["Wed 23: 1", "Sat 12: 1"]);
    expect(cells((await punchCard("user_id=ada-marsh&company=northwind")).punch_card)).toEqual(["Thu 8: 1"]);
    expect(cells((await punchCard("user_id=ada-marsh,kai-b&metric=commits")).punch_card)).toContain("Fri 17: 2");
  });

  it("answers an empty card for someone without such records", async () => {
    const card = await punchCard("user_id=kai-b&release=cedar");
    expect(card).toEqual({ punch_card: Array.from({ length: 7 }, () => Array(24).fill(0)), total: 0 });
  });

  it.each([
    ["", "user_id"],
    ["release=all", "user_id"],
    ["user_id=ada-marsh&start_date=soon", "start_date"],
    ["company=southgate&callback=1x", "callback"],
  ])("answers 400 to ?%s naming %s", async (query, parameter) => {
    const res = await call(`/api/1.0/reports/punch_card?${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(parameter);
  });

  it.each([
    ["user_id=nobody", "user_id"],
    ["company=nowhere", "company"],
    ["user_id=ada-marsh&release=oak", "release"],
    ["user_id=ada-marsh&module=nothing", "module"],
  ])("answers 404 to ?%s naming %s", async (query, parameter) => {
    const res = await call(`/api/1.0/reports/punch_card?${query}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: "error", parameter });
  });

  it("answers JSONP and carries the read API's caching headers", async () => {
    const res = await call("/api/1.0/reports/punch_card?company=northwind&callback=draw");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("etag")).toBeTruthy();
    expect(await res.text()).toMatch(/^draw\(\{"punch_card":\[\[0,/);
  });
});

describe("the punch card's query", () => {
  const filter = { releases: null, days: null, moduleScope: null, companies: null, users: null };
  const TYPES = ["mark", "patch", "email", "bpd", "bpc"];

  it("reads a person's or a company's index alone, never the records table", async () => {
    const person = await planOf((db) => countRecordsByWeekHour(db, TYPES, { ...filter, users: ["kai-b"] }));
    expect(person).toMatch(/SEARCH records USING COVERING INDEX records_user_type_date_idx \(user_id=\? AND record_type=\?\)/);
    const company = await planOf((db) => countRecordsByWeekHour(db, TYPES, { ...filter, companies: ["Southgate"] }));
    expect(company).toMatch(/SEARCH records USING COVERING INDEX records_company_type_date_idx \(company_name=\? AND record_type=\?\)/);
    expect(`${person}\n${company}`).not.toMatch(/SCAN records/);
  });

  it("reads about as many index rows as it counts, not the person's other records", async () => {
    const { db, meter } = meteredD1(env.CONTRIB_DB);
    const counts = await countRecordsByWeekHour(db, TYPES, { ...filter, users: ["kai-b"] });
    expect(counts.reduce((sum, c) => sum + c.records, 0)).toBe(2);
    // Kai has 152 records, 150 of them commits: a read of his records would count them all.
    expect(meter.rowsRead).toBeLessThan(20);
    expect(meter.queries).toBe(1);
  });
});
