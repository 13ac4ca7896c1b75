// /api/1.0/reports/blueprint/<module>/<name> (a blueprint and the records mentioning it) and
// /api/1.0/reports/record/<primary_key> (one record, shareable), on records of our own.
import { beforeAll, describe, expect, it } from "vitest";
import type { DefaultData } from "../../../schemas/contrib/default-data";
import type { RawRecord } from "../../../schemas/contrib/records";
import { BlueprintReportSchema, RecordReportSchema } from "../../../schemas/contrib/reports";
import { at } from "../../unit/contrib/fixtures";
import { listBlueprintMentions } from "../../../worker/db/contrib-reports";
import { call } from "../helpers";
import { loadConfig, postRecords, resetAll } from "./helpers";
import { planOf } from "./reports-query-plan";

const config: DefaultData = {
  users: [
    { user_name: "Ada Marsh", emails: ["ada@northwind.example"], launchpad_id: "ada-marsh", companies: [{ company_name: "Northwind", end_date: null }] },
    { user_name: "Kai Brandt", emails: ["kai@southgate.example"], launchpad_id: "kai-b", companies: [{ company_name: "Southgate", end_date: null }] },
  ],
  companies: [
    { company_name: "Northwind", domains: ["northwind.example"] },
    { company_name: "Southgate", domains: ["southgate.example"] },
  ],
  releases: [
    { release_name: "prehistory", end_date: "2011-Jan-01" },
    { release_name: "Alder", end_date: "2099-Jan-01" },
  ],
  repos: [
    { uri: "https://git.example/demo/core.git", module: "core", organization: "demo", gerrit_uri: "https://review.example" },
    { uri: "https://git.example/demo/docs.git", module: "docs", organization: "demo" },
  ],
  module_groups: [],
  project_types: [{ id: "all", title: "All", modules: ["core", "docs"] }],
};

const blueprint = (type: "bpd" | "bpc", id: string, who: string, date: string, extra: Partial<RawRecord> = {}): RawRecord => ({
  primary_key: `${type}:${id}`,
  record_type: type,
  launchpad_id: who,
  date: at(date),
  module: id.split(":")[0]!,
  id,
  name: id.split(":")[1]!,
  title: `Blueprint ${id.split(":")[1]}`,
  web_link: `https://blueprints.example/${id.replace(":", "/+spec/")}`,
  date_created: at("2024-03-01"),
  ...extra,
});

const records: RawRecord[] = [
  blueprint("bpd", "core:fast-path", "ada-marsh", "2024-03-01", { summary: "Make the hot path fast", status: "Implemented", lifecycle_status: "Complete", date_completed: at("2024-03-20") }),
  blueprint("bpc", "core:fast-path", "kai-b", "2024-03-20", { summary: "Make the hot path fast", status: "Implemented", lifecycle_status: "Complete", date_completed: at("2024-03-20") }),
  blueprint("bpd", "core:lonely", "kai-b", "2024-03-02", { status: "Not started", lifecycle_status: "Not started" }),
  blueprint("bpc", "docs:done-only", "kai-b", "2024-03-03", { status: "Implemented" }),
  {
    primary_key: "c1",
    record_type: "commit",
    date: at("2024-03-10T08:00:00Z"),
    author_email: "ada@northwind.example",
    module: "core",
    loc: 12,
    commit_id: "sha-c1",
    subject: "Faster path",
    message: "Faster path\n\nImplements blueprint fast-path\nChange-Id: I0123456789abcdef0123456789abcdef01234567",
    blueprint_id: ["core:fast-path"],
    branches: ["master"],
  },
  { primary_key: "e1", record_type: "email", date: at("2024-03-12T09:00:00Z"), author_email: "kai@southgate.example", module: "core", subject: "fast-path status", blueprint_id: ["core:fast-path"], body: "See blueprint fast-path" },
  { primary_key: "c2", record_type: "commit", date: at("2024-03-15T08:00:00Z"), author_email: "kai@southgate.example", module: "core", loc: 3, commit_id: "sha-c2", subject: "Other", blueprint_id: ["core:other"] },
  // A review with its patch set and a vote on it; a vote whose review is not stored; a bug (its key has a slash).
  { primary_key: "r1", record_type: "review", date: at("2024-03-05T10:00:00Z"), author_email: "ada@northwind.example", module: "core", branch: "master", status: "NEW", subject: "Tidy up", url: "https://review.example/1" },
  { primary_key: "r1:1", record_type: "patch", date: at("2024-03-05T10:00:00Z"), author_email: "ada@northwind.example", module: "core", branch: "master", review_id: "r1", patch: 1 },
  { primary_key: "m1", record_type: "mark", date: at("2024-03-06T11:30:00Z"), author_email: "kai@southgate.example", module: "core", branch: "master", type: "Code-Review", value: 2, review_id: "r1", patch: 1 },
  { primary_key: "m2", record_type: "mark", date: at("2024-03-07T11:30:00Z"), author_email: "kai@southgate.example", module: "core", branch: "master", type: "Code-Review", value: -1, review_id: "r-gone", patch: 3 },
  { primary_key: "bugf:core/123456", record_type: "bugf", date: at("2024-03-08"), launchpad_id: "ada-marsh", module: "core", id: "core/123456", title: 'Bug #123456 in Core: "Crash on start"', status: "New", number: 123456 },
];

beforeAll(async () => {
  await resetAll();
  await loadConfig(config);
  await postRecords(records);
});

async function get(path: string, status = 200): Promise<Record<string, unknown>> {
  const res = await call(`/api/1.0/reports${path}`);
  expect(res.status, `${path}: ${res.status}`).toBe(status);
  return res.json();
}

describe("/reports/blueprint/<module>/<name>", () => {
  it("answers the blueprint, who drafted and completed it, and its mentions newest first as activity records", async () => {
    const report = BlueprintReportSchema.parse(await get("/blueprint/core/fast-path"));
    expect(report.blueprint).toEqual({
      id: "core:fast-path",
      module: "core",
      name: "fast-path",
      title: "Blueprint fast-path",
      summary: "Make the hot path fast",
      status: "Implemented",
      lifecycle_status: "Complete",
      web_link: "https://blueprints.example/core/+spec/fast-path",
      date_created: at("2024-03-01"),
      date_completed: at("2024-03-20"),
      drafted_by: { user_id: "ada-marsh", author_name: "Ada Marsh", company_name: "Northwind" },
      completed_by: { user_id: "kai-b", author_name: "Kai Brandt", company_name: "Southgate" },
      mention_count: 2,
      mention_date: at("2024-03-12T09:00:00Z"),
    });
    expect(report.mentions.map((m) => m.primary_key)).toEqual(["e1", "c1"]);
    const commit = report.mentions[1]!;
    expect(commit).toMatchObject({ record_type: "commit", date_str: "10 Mar 2024 08:00:00 UTC", author_link: { title: "Ada Marsh" }, branches: "master" });
    expect(commit.message).toContain('<a href="https://blueprints.launchpad.net/core/+spec/fast-path">fast-path</a>');
    expect(commit.message).toContain('<a href="https://review.example/#/q/I0123456789abcdef0123456789abcdef01234567">');
  });

  it("answers a blueprint nobody mentioned, and one with only its completed record", async () => {
    const lonely = BlueprintReportSchema.parse(await get("/blueprint/core/lonely"));
    expect(lonely.blueprint).toMatchObject({ mention_count: 0, mention_date: null, completed_by: null, date_completed: null, summary: null, status: "Not started" });
    expect(lonely.mentions).toEqual([]);
    const done = BlueprintReportSchema.parse(await get("/blueprint/DOCS/done-only"));
    expect(done.blueprint).toMatchObject({ id: "docs:done-only", drafted_by: null, completed_by: { user_id: "kai-b" }, status: "Implemented" });
  });

  it.each([
    ["/blueprint/nothing/fast-path", "module"],
    ["/blueprint/core/missing", "name"],
    ["/blueprint/docs/fast-path", "name"],
  ])("answers 404 to %s naming %s", async (path, parameter) => {
    expect(await get(path, 404)).toMatchObject({ status: "error", parameter });
  });

  it("answers 400 naming name for a name longer than a blueprint's", async () => {
    expect(((await get(`/blueprint/core/${"x".repeat(300)}`, 400)) as { message: string }).message).toContain("name");
  });

  it("finds the mentions through the blueprint's refs and each record by its key, not by reading records", async () => {
    const plan = await planOf((db) => listBlueprintMentions(db, "core:fast-path", 10));
    expect(plan).toMatch(/SEARCH f USING (COVERING INDEX|PRIMARY KEY) .*\(ref=\?\)/);
    expect(plan).toMatch(/SEARCH r USING INDEX sqlite_autoindex_records_1 \(primary_key=\?\)/);
    expect(plan).not.toMatch(/SCAN (r|f)\b/);
  });
});

describe("/reports/record/<primary_key>", () => {
  it("answers a vote with its review's and patch set's fields, as the activity log shows it", async () => {
    const { record } = RecordReportSchema.parse(await get("/record/m1"));
    expect(record).toMatchObject({
      primary_key: "m1",
      record_type: "mark",
      value: 2,
      user_id: "kai-b",
      company_name: "Southgate",
      date_str: "06 Mar 2024 11:30:00 UTC",
      parent_subject: "Tidy up",
      parent_url: "https://review.example/1",
      patch_primary_key: "r1:1",
      module_link: { uri: "/?module=core", title: "core" },
    });
  });

  it("answers a vote whose review is not stored, without the review's fields (the activity log leaves it out)", async () => {
    const { record } = RecordReportSchema.parse(await get("/record/m2"));
    expect(record).toMatchObject({ primary_key: "m2", value: -1, review_id: "r-gone" });
    expect(Object.keys(record).filter((k) => k.startsWith("parent_") || k.startsWith("patch_"))).toEqual([]);
  });

  it("takes a key with a slash, as it is or encoded", async () => {
    for (const path of ["/record/bugf:core/123456", `/record/${encodeURIComponent("bugf:core/123456")}`]) {
      const { record } = RecordReportSchema.parse(await get(path));
      expect(record).toMatchObject({ primary_key: "bugf:core/123456", title: "Crash on start", status_class: "new" });
    }
  });

  it("answers 400 naming primary_key for a key longer than any record's", async () => {
    expect(((await get(`/record/${"k".repeat(600)}`, 400)) as { message: string }).message).toContain("primary_key");
  });

  it("answers 404 naming primary_key for a record that is not stored", async () => {
    expect(await get("/record/nothing-here", 404)).toMatchObject({ status: "error", parameter: "primary_key", value: "nothing-here" });
  });

  it("answers JSONP like the rest of /api/1.0", async () => {
    const res = await call("/api/1.0/reports/record/c2?callback=show");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.text()).toMatch(/^show\(\{"record":\{.*"primary_key":"c2"/);
  });
});
