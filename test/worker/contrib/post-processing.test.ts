import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RawRecord } from "../../../schemas/contrib/records";
import giteaText from "../../fixtures/contrib/forges/gitea-commits.json?raw";
import gerritPage1Text from "../../fixtures/contrib/gerrit/changes-page-1.json?raw";
import { syncSources } from "../../../worker/processor/plan";
import { runStep } from "../../../worker/processor/step";
import { at, smallConfig } from "../../unit/contrib/fixtures";
import { loadConfig, postRecords, resetAll } from "./helpers";
import { FakeRemotes, gerritAnswer, gerritJson, jsonAnswer, launchpadKnowsNobody } from "./remotes";
import { nextStep, snapshot, testDeps } from "./steps";

beforeEach(async () => {
  await resetAll();
  await loadConfig(smallConfig());
});
afterEach(() => vi.restoreAllMocks());

const CHANGE = "I1045730000000000000000000000000000000abc";
/** Written in Alder (which ends 2024-04-03), merged in Birch. */
const AUTHORED = at("2024-03-28T10:00:00Z");
const MERGED = at("2024-04-05T16:30:00Z");
const day = (seconds: number) => Math.floor(seconds / 86_400);

const commit = (overrides: Partial<RawRecord> = {}): RawRecord => ({
  primary_key: "5d2c8e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d",
  record_type: "commit",
  date: AUTHORED,
  author_email: "rob@westbay.example",
  author_name: "Rob West",
  module: "core",
  branch: "master",
  branches: ["master"],
  commit_id: "5d2c8e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d",
  loc: 12,
  lines_added: 10,
  lines_deleted: 2,
  subject: "Fix the tide table",
  change_id: [CHANGE],
  ...overrides,
});

const review = (overrides: Partial<RawRecord> = {}): RawRecord => ({
  primary_key: CHANGE,
  record_type: "review",
  date: AUTHORED,
  author_email: "rob@westbay.example",
  author_name: "Rob West",
  module: "core",
  branch: "master",
  change_id: [CHANGE],
  status: "MERGED",
  open: false,
  last_updated: MERGED,
  subject: "Fix the tide table",
  ...overrides,
});

type Row = { primary_key: string; date: number; day: number; release: string; fields: Record<string, unknown> };
async function stored(primaryKey: string): Promise<Row> {
  const row = await env.CONTRIB_DB.prepare("SELECT primary_key, date, day, release, fields FROM records WHERE primary_key = ?").bind(primaryKey).first<Row & { fields: string }>();
  if (!row) throw new Error(`no record ${primaryKey}`);
  return { ...row, fields: JSON.parse(row.fields) as Record<string, unknown> };
}

const commitTotals = async () =>
  (await env.CONTRIB_DB.prepare("SELECT day, release, records, loc FROM daily_totals WHERE record_type = 'commit' ORDER BY day").all()).results;


describe("merge dates", () => {
  it("counts a commit from when its review merged, whichever arrives first", async () => {
    await postRecords([commit()]);
    expect(await stored(commit().primary_key)).toMatchObject({ date: AUTHORED, release: "alder" });
    expect(await commitTotals()).toEqual([{ day: day(AUTHORED), release: "alder", records: 1, loc: 12 }]);

    await postRecords([review()]);
    const moved = await stored(commit().primary_key);
    expect(moved).toMatchObject({ date: MERGED, day: day(MERGED), release: "birch" });
    expect(moved.fields).toMatchObject({ date: MERGED, commit_date: AUTHORED, release: "birch" });
    expect(await commitTotals()).toEqual([{ day: day(MERGED), release: "birch", records: 1, loc: 12 }]);
    const commitFirst = await snapshot();

    await resetAll();
    await loadConfig(smallConfig());
    await postRecords([review()]);
    await postRecords([commit()]);
    expect(await snapshot()).toEqual(commitFirst);
  });

  it("takes the merge date of a review and a commit that arrive together", async () => {
    await postRecords([commit(), review()]);
    expect(await stored(commit().primary_key)).toMatchObject({ date: MERGED, release: "birch" });
  });

  it("does not move a commit for a review of its Change-Id merged on another branch, nor for one still open", async () => {
    await postRecords([commit(), review({ primary_key: `${CHANGE}@stable/alder`, branch: "stable/alder" }), review({ status: "NEW", open: true })]);
    expect(await stored(commit().primary_key)).toMatchObject({ date: AUTHORED, release: "alder" });
    expect((await stored(commit().primary_key)).fields).not.toHaveProperty("commit_date");
  });

  it("moves the commit again when its review's last update moves", async () => {
    await postRecords([commit(), review()]);
    const later = MERGED + 86_400;
    await postRecords([review({ last_updated: later })]);
    expect(await stored(commit().primary_key)).toMatchObject({ date: later, day: day(later) });
    expect(await commitTotals()).toEqual([{ day: day(later), release: "birch", records: 1, loc: 12 }]);
  });

  it("keeps a commit's merge date when the commit is seen again on a branch where it has no review", async () => {
    await postRecords([commit(), review()]);
    await postRecords([commit({ branch: "stable/alder", branches: ["stable/alder"] })]);
    const seen = await stored(commit().primary_key);
    expect(seen.fields.branches).toEqual(["master", "stable/alder"]);
    expect(seen).toMatchObject({ date: MERGED, release: "birch" });
  });

  it("sums the daily totals of several commits by the days their reviews merged", async () => {
    const other = "I2222220000000000000000000000000000000def";
    await postRecords([
      commit(),
      commit({ primary_key: "c2", commit_id: "c2", change_id: [other], date: AUTHORED + 3600, loc: 5 }),
      commit({ primary_key: "c3", commit_id: "c3", change_id: undefined, date: AUTHORED + 7200, loc: 1 }),
    ]);
    await postRecords([review(), review({ primary_key: other, change_id: [other], last_updated: MERGED + 600 })]);
    expect(await commitTotals()).toEqual([
      { day: day(AUTHORED), release: "alder", records: 1, loc: 1 },
      { day: day(MERGED), release: "birch", records: 2, loc: 17 },
    ]);
  });
});

describe("merge dates through the processor's steps", () => {
  const GERRIT = "gerrit:https://review.example:harbor/ferry:master";
  const GITEA = "git:https://git.harbor.example/harbor/ferry.git:master";
  const MERGED_CHANGE = "Ib170ff3dd72cd32fd34172b41a593acaa82df97b";

  const runOnce = async (id: string) => (await runStep(env, await nextStep(id), testDeps().deps)).outcome;

  it("dates a commit read from its forge by the merge of its review read from Gerrit, in either order", { timeout: 30_000 }, async () => {
    const forgeCommit = (JSON.parse(giteaText) as { sha: string; commit: { author: { date: string }; message: string } }[])[3]!;
    forgeCommit.sha = "7e57ab1e00000000000000000000000000000001";
    forgeCommit.commit.author.date = "2024-02-19T10:00:00Z";
    forgeCommit.commit.message = `Check the ferry's berth before boarding\n\nChange-Id: ${MERGED_CHANGE}\n`;
    const remotes = launchpadKnowsNobody(new FakeRemotes())
      .on("https://review.example/changes/", (_request, url) => gerritAnswer(url.searchParams.get("S") === "0" ? gerritJson(gerritPage1Text) : []))
      .on("https://git.harbor.example/api/v1/repos/harbor/ferry/commits?", jsonAnswer([forgeCommit]))
      .install();

    const dated = async (order: string[]) => {
      await resetAll();
      await loadConfig(
        smallConfig({ repos: [{ uri: "https://git.harbor.example/harbor/ferry.git", module: "ferry", organization: "harbor", gerrit_uri: "https://review.example" }] }),
      );
      await syncSources(env, Date.now());
      for (const id of order) expect(await runOnce(id)).toBe("done");
      return stored(forgeCommit.sha);
    };
    const gerritFirst = await dated([GERRIT, GITEA]);
    expect(gerritFirst).toMatchObject({ date: at("2024-02-21T16:05:12Z"), day: day(at("2024-02-21T16:05:12Z")) });
    expect(gerritFirst.fields).toMatchObject({ commit_date: at("2024-02-19T10:00:00Z"), change_id: [MERGED_CHANGE] });
    expect(await dated([GITEA, GERRIT])).toEqual(gerritFirst);
    expect(remotes.unanswered).toEqual([]);
  });
});

const REVIEW = "I9f00000000000000000000000000000000000001";
const T = at("2024-03-12T09:00:00Z");
const PEOPLE = {
  homer: { gerrit_id: "homer", author_name: "Homer Plain", author_email: "homer@plant.example" },
  bart: { gerrit_id: "bart", author_name: "Bart Lane", author_email: "bart@school.example" },
  john: { gerrit_id: "john", author_name: "John Core", author_email: "john@core.example" },
};

/** A Code-Review vote as the Gerrit source makes it. */
function vote(voter: keyof typeof PEOPLE, value: number, date: number, patch: number, overrides: Partial<RawRecord> = {}): RawRecord {
  const reviewId = overrides.review_id ?? REVIEW;
  return {
    primary_key: `${reviewId}:${date}:Code-Review:${voter}`,
    record_type: "mark",
    date,
    ...PEOPLE[voter],
    module: "core",
    branch: "master",
    type: "Code-Review",
    value,
    review_id: reviewId,
    patch,
    ...overrides,
  };
}

/** primary key → whether the stored mark disagrees. */
async function disagreements(): Promise<Record<string, boolean>> {
  const { results } = await env.CONTRIB_DB.prepare("SELECT primary_key, fields FROM records WHERE record_type = 'mark' ORDER BY primary_key").all<{ primary_key: string; fields: string }>();
  return Object.fromEntries(results.map((r) => [r.primary_key, (JSON.parse(r.fields) as { disagreement?: boolean }).disagreement === true]));
}

describe("disagreements", () => {
  it("flags a vote a core reviewer contradicted later on the same patch set (both scenarios of the reference)", async () => {
    const homer1 = vote("homer", 2, T - 1, 1);
    const john1 = vote("john", -2, T, 1);
    const homer2 = vote("homer", 1, T + 100, 2);
    const bart2 = vote("bart", -1, T + 200, 2);
    const john2 = vote("john", 2, T + 300, 2);
    await postRecords([homer1, john1, homer2, bart2, john2]);
    expect(await disagreements()).toEqual({
      [homer1.primary_key]: true,
      [john1.primary_key]: false,
      [homer2.primary_key]: false,
      [bart2.primary_key]: true,
      [john2.primary_key]: false,
    });
  });

  it("flags the votes when the core reviewer's vote comes in a later batch", async () => {
    const homer = vote("homer", 1, T + 100, 2);
    const bart = vote("bart", -1, T + 200, 2);
    await postRecords([homer, bart]);
    expect(await disagreements()).toEqual({ [homer.primary_key]: false, [bart.primary_key]: false });

    const john = vote("john", 2, T + 300, 2);
    await postRecords([john]);
    expect(await disagreements()).toEqual({ [homer.primary_key]: false, [bart.primary_key]: true, [john.primary_key]: false });
  });

  it("looks again at a reviewer's earlier reviews once they become core", async () => {
    const bart = vote("bart", -1, T, 1);
    const johnPlusOne = vote("john", 1, T + 60, 1);
    await postRecords([bart, johnPlusOne]);
    expect((await disagreements())[bart.primary_key]).toBe(false);

    // John's first +2, on another review, makes him core in core/master: his +1 now stands against Bart's -1.
    await postRecords([vote("john", 2, T + 86_400, 1, { review_id: "I9f00000000000000000000000000000000000002" })]);
    expect((await disagreements())[bart.primary_key]).toBe(true);
  });

  it("does not count a ±2 given on another branch or in another module", async () => {
    const bart = vote("bart", -1, T, 1);
    const johnPlusOne = vote("john", 1, T + 60, 1);
    await postRecords([
      bart,
      johnPlusOne,
      vote("john", 2, T + 86_400, 1, { review_id: "I9f00000000000000000000000000000000000003@stable/alder", branch: "stable/alder" }),
      vote("john", 2, T + 86_400, 1, { review_id: "I9f00000000000000000000000000000000000004", module: "ferry" }),
    ]);
    expect((await disagreements())[bart.primary_key]).toBe(false);
  });
});

type CoreRow = { profile_seq: number; module: string; branch: string; last_date: number };
const coreMarks = async () => (await env.CONTRIB_DB.prepare("SELECT profile_seq, module, branch, last_date FROM core_marks ORDER BY profile_seq, module, branch").all<CoreRow>()).results;
const seqOf = async (email: string) =>
  (await env.CONTRIB_DB.prepare("SELECT seq FROM profiles, json_each(profiles.emails) AS e WHERE e.value = ?").bind(email).first<{ seq: number }>())!.seq;

describe("core reviewers", () => {
  it("keeps the newest ±2 per person, module and branch, and makes nobody core by a ±1", async () => {
    await postRecords([
      vote("john", 2, T, 1),
      vote("john", -2, T + 500, 2),
      vote("john", 1, T + 900, 3),
      vote("john", 2, T + 50, 1, { review_id: "I9f00000000000000000000000000000000000005@stable/alder", branch: "stable/alder" }),
      vote("bart", 1, T + 600, 2),
      vote("bart", -1, T + 700, 3),
    ]);
    // An older ±2 arriving later does not take the date back.
    await postRecords([vote("john", 2, T - 86_400, 1, { review_id: "I9f00000000000000000000000000000000000006" })]);
    const john = await seqOf("john@core.example");
    expect(await coreMarks()).toEqual([
      { profile_seq: john, module: "core", branch: "master", last_date: T + 500 },
      { profile_seq: john, module: "core", branch: "stable/alder", last_date: T + 50 },
    ]);
  });

  it("keeps one row per module and branch, with the newest date, when two profiles of a reviewer merge", async () => {
    const byUsername = { gerrit_id: "homer", author_name: "Homer Plain", author_email: undefined };
    const byEmail = { gerrit_id: undefined, author_name: "Homer Plain", author_email: "homer@plant.example" };
    await postRecords([
      vote("homer", 2, T, 1, byUsername),
      vote("homer", -2, T + 1000, 2, { ...byEmail, review_id: "I9f00000000000000000000000000000000000007" }),
      vote("homer", 2, T + 2000, 1, { ...byUsername, review_id: "I9f00000000000000000000000000000000000008", branch: "stable/alder" }),
    ]);
    expect(await coreMarks()).toHaveLength(3);

    // A record naming both keys: the two profiles are one person.
    await postRecords([review({ primary_key: "I9f00000000000000000000000000000000000009", change_id: undefined, status: "NEW", open: true, ...PEOPLE.homer })]);
    const homer = await seqOf("homer@plant.example");
    expect(await coreMarks()).toEqual([
      { profile_seq: homer, module: "core", branch: "master", last_date: T + 1000 },
      { profile_seq: homer, module: "core", branch: "stable/alder", last_date: T + 2000 },
    ]);
  });
});

describe("blueprint mentions", () => {
  const BLUEPRINT = "core:tide-alerts";
  const bpd: RawRecord = {
    primary_key: `bpd:${BLUEPRINT}`,
    record_type: "bpd",
    date: 1234500000,
    launchpad_id: "ada-marsh",
    module: "core",
    id: BLUEPRINT,
    name: "tide-alerts",
    title: "Alert on spring tides",
    status: "Started",
  };
  const email = (key: string, date: number, blueprints = [BLUEPRINT]): RawRecord => ({
    primary_key: key,
    record_type: "email",
    date,
    author_email: "rob@westbay.example",
    module: "core",
    subject: "[core] Tide alerts",
    message_id: key,
    mailing_list: "core-dev",
    ...(blueprints.length > 0 ? { blueprint_id: blueprints, body: `See https://blueprints.launchpad.net/core/+spec/tide-alerts` } : {}),
  });
  const mentions = async () => {
    const { fields } = await stored(bpd.primary_key);
    return [fields.mention_count, fields.mention_date];
  };

  it("counts the emails and commits that mention a blueprint, and dates the newest, whichever arrives first", async () => {
    await postRecords([bpd]);
    expect(await mentions()).toEqual([0, 0]);
    await postRecords([email("m1@westbay.example", 1234567890), email("m2@westbay.example", 1234567895), email("m3@westbay.example", 1234567899, ["core:other"])]);
    expect(await mentions()).toEqual([2, 1234567895]);
    const blueprintFirst = await snapshot();

    await resetAll();
    await loadConfig(smallConfig());
    await postRecords([email("m1@westbay.example", 1234567890), email("m2@westbay.example", 1234567895), email("m3@westbay.example", 1234567899, ["core:other"])]);
    await postRecords([bpd]);
    expect(await snapshot()).toEqual(blueprintFirst);
  });

  it("counts a later mention, and stops counting a record that no longer mentions it", async () => {
    await postRecords([bpd, email("m1@westbay.example", 1234567890), email("m2@westbay.example", 1234567895)]);
    await postRecords([commit({ primary_key: "c-bp", commit_id: "c-bp", change_id: undefined, date: 1234567900, blueprint_id: [BLUEPRINT] })]);
    expect(await mentions()).toEqual([3, 1234567900]);

    await postRecords([commit({ primary_key: "c-bp", commit_id: "c-bp", change_id: undefined, date: 1234567900 })]);
    expect(await mentions()).toEqual([2, 1234567895]);
    await postRecords([email("m2@westbay.example", 1234567895, [])]);
    expect(await mentions()).toEqual([1, 1234567890]);
  });
});

describe("posting the same records again", () => {
  const blueprint: RawRecord = {
    primary_key: "bpd:core:tide-alerts",
    record_type: "bpd",
    date: 1234500000,
    launchpad_id: "ada-marsh",
    module: "core",
    id: "core:tide-alerts",
    name: "tide-alerts",
    title: "Alert on spring tides",
  };
  const records = [
    commit(),
    review(),
    vote("homer", 2, T - 1, 1),
    vote("john", -2, T, 1),
    vote("bart", -1, T + 200, 2),
    vote("john", 2, T + 300, 2),
    commit({ primary_key: "c-bp", commit_id: "c-bp", change_id: undefined, date: 1234567900, blueprint_id: ["core:tide-alerts"] }),
  ];

  it("changes no record, total, link or core reviewer", async () => {
    await postRecords(records);
    const once = await snapshot();
    expect(await postRecords(records)).toMatchObject({ added: 0, updated: 0, unchanged: records.length, profiles_created: 0, profiles_merged: 0 });
    expect(await snapshot()).toEqual(once);
    expect(await postRecords([...records].reverse())).toMatchObject({ added: 0, updated: 0, unchanged: records.length });
    expect(await snapshot()).toEqual(once);
  });

  it("changes nothing when a blueprint's record is posted again", async () => {
    await postRecords([...records, blueprint]);
    const once = await snapshot();
    expect(await postRecords([...records, blueprint])).toMatchObject({ added: 0, updated: 0, unchanged: records.length + 1 });
    expect(await snapshot()).toEqual(once);
  });
});
