import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DefaultData } from "../../../schemas/contrib/default-data";
import giteaText from "../../fixtures/contrib/forges/gitea-commits.json?raw";
import githubColoursText from "../../fixtures/contrib/forges/github-commit-beacon-colours.json?raw";
import githubFixBlinkText from "../../fixtures/contrib/forges/github-commit-fix-blink.json?raw";
import githubListText from "../../fixtures/contrib/forges/github-commits.json?raw";
import githubReposText from "../../fixtures/contrib/forges/github-org-repos.json?raw";
import gerritErrorPage from "../../fixtures/contrib/gerrit/error-page.html?raw";
import projectsText from "../../fixtures/contrib/gerrit/projects.json?raw";
import specificationsText from "../../fixtures/contrib/launchpad/all-specifications.json?raw";
import launchpadErrorPage from "../../fixtures/contrib/launchpad/error.html?raw";
import tasksPage1Text from "../../fixtures/contrib/launchpad/search-tasks-page-1.json?raw";
import tasksPage2Text from "../../fixtures/contrib/launchpad/search-tasks-page-2.json?raw";
import hyperkittyText from "../../fixtures/contrib/mail/hyperkitty-2024-02.mbox?raw";
import pipermailJulyText from "../../fixtures/contrib/mail/pipermail-2012-July.txt?raw";
import pipermailIndexText from "../../fixtures/contrib/mail/pipermail-index.html?raw";
import { findProcessorSource, listProcessorSources } from "../../../worker/db/processor";
import { SourceFormatError } from "../../../worker/domain/contrib/sources/common";
import { syncSources } from "../../../worker/processor/plan";
import { type ProcessorMessage, consumeProcessorMessages, runStep } from "../../../worker/processor/step";
import { smallConfig } from "../../unit/contrib/fixtures";
import { loadConfig, resetAll } from "./helpers";
import { FakeRemotes, gerritAnswer, gerritJson, gzip, jsonAnswer, launchpadKnowsNobody } from "./remotes";
import { type RunOptions, countByType, nextStep, runToEnd, snapshot, testDeps } from "./steps";

const TIDES = "git:https://git.harbor.example/harbor/tides.git:main";
const TIDES_REVIEWS = "gerrit:https://review.example:harbor/tides:main";
const BEACON = "git:https://github.com/lighthouse-labs/beacon.git:main";
const SAHARA_BUGS = "launchpad-bugs:sahara";
const SAHARA_BLUEPRINTS = "launchpad-blueprints:sahara";
const GHOST_BUGS = "launchpad-bugs:ghost";
const PIPERMAIL_URL = "https://lists.openstack.example/pipermail/openstack-dev/";
const PIPERMAIL = `mail:${PIPERMAIL_URL}`;
const HYPERKITTY_URL = "https://lists.example/archives/list/demo-dev@lists.example/";
const HYPERKITTY = `mail:${HYPERKITTY_URL}`;
const HARBOR_PROJECTS = "projects:gerrit://review.example:29418:harbor";
const LIGHTHOUSE_PROJECTS = "projects:github://:lighthouse-labs";

/** Every kind the processor reads: one Gitea and one GitHub repo, Launchpad projects, two lists. */
function config(overrides: Partial<DefaultData> = {}): DefaultData {
  return smallConfig({
    releases: [
      { release_name: "prehistory", end_date: "2023-Dec-15" },
      { release_name: "Alder", end_date: "2024-Apr-03" },
      { release_name: "Birch", end_date: "2024-Oct-02" },
    ],
    repos: [
      { uri: "git://git.example/demo/core.git", module: "core", organization: "demo" },
      { uri: "https://git.harbor.example/harbor/tides.git", module: "tides", organization: "harbor", default_branch: "main", gerrit_uri: "https://review.example" },
      { uri: "https://github.com/lighthouse-labs/beacon.git", module: "beacon", organization: "lighthouse-labs", default_branch: "main" },
      { uri: "git://git.example/openstack/sahara.git", module: "sahara", organization: "openstack", launchpad_name: "sahara", aliases: ["savanna"] },
      { uri: "git://git.example/harbor/ghost.git", module: "ghost", organization: "harbor", launchpad_name: "ghost" },
      { uri: "git://git.example/openstack/nova.git", module: "nova", organization: "openstack" },
      { uri: "git://git.example/openstack/quantum.git", module: "quantum", organization: "openstack" },
    ],
    mail_lists: [PIPERMAIL_URL, HYPERKITTY_URL],
    ...overrides,
  });
}

let remotes: FakeRemotes;
beforeEach(async () => {
  await resetAll();
  remotes = launchpadKnowsNobody(new FakeRemotes()).install();
});
afterEach(() => vi.restoreAllMocks());

async function setUp(data: DefaultData = config()) {
  await loadConfig(data);
  await syncSources(env, Date.now());
}

/** Stored records (as the API shows them: `fields`) by primary key. */
async function storedRecords(): Promise<Record<string, Record<string, unknown>>> {
  const { results } = await env.CONTRIB_DB.prepare("SELECT primary_key, fields FROM records ORDER BY primary_key").all<{ primary_key: string; fields: string }>();
  return Object.fromEntries(results.map((r) => [r.primary_key, JSON.parse(r.fields) as Record<string, unknown>]));
}

const cursorOf = async (id: string) => (await findProcessorSource(env.CONTRIB_DB, id))!.cursor;
const query = (url: string) => new URL(url).searchParams;

type ForgeCommit = {
  sha: string;
  url: string;
  created: string;
  commit: { author: { name: string; email: string; date: string }; committer: unknown; message: string };
  parents: { sha: string }[];
  [field: string]: unknown;
};

const giteaFixture = () => JSON.parse(giteaText) as ForgeCommit[];
const [MERGE, SUBMODULES, COAUTHORED, TIDY] = giteaFixture().map((c) => c.sha) as [string, string, string, string];

/** A made-up sha: `prefix` then `n` in hex. */
const shaOf = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(40 - prefix.length, "0")}`;

/** A commit in the recorded shape (the README tidy-up), one hour older for each n. */
function generatedCommit(prefix: string, n: number, base = Date.parse("2024-04-08T12:00:00Z")): ForgeCommit {
  const commit = structuredClone(giteaFixture()[3]!);
  const date = new Date(base - n * 3_600_000).toISOString().replace(".000Z", "Z");
  commit.sha = shaOf(prefix, n);
  commit.url = commit.url.replace(TIDY, commit.sha);
  commit.created = date;
  commit.commit.author = { ...commit.commit.author, date };
  commit.commit.message = `Tidy part ${n} of the README\n\nNo functional change.\n`;
  return commit;
}

/** A linear history, newest first: the recorded page, then 51 older commits (a full page of 50, then a short one). */
const giteaHistory = () => [...giteaFixture(), ...Array.from({ length: 51 }, (_, i) => generatedCommit("aa", i + 1))];

/**
 * Gitea's commit list over a linear history held by `branch` (newest first): `sha` is the branch or
 * a commit to list from, `not` leaves out what it reaches (unless the forge ignores it).
 */
function giteaServer(branch: { commits: ForgeCommit[] }, { honoursNot = true } = {}) {
  return remotes.on("https://git.harbor.example/api/v1/repos/harbor/tides/commits?", (_request, url) => {
    const ref = url.searchParams.get("sha");
    const start = ref === "main" ? 0 : branch.commits.findIndex((c) => c.sha === ref);
    if (start < 0) return jsonAnswer({ message: "sha not found" }, { status: 404 });
    let reachable = branch.commits.slice(start);
    const not = url.searchParams.get("not");
    if (not && honoursNot) {
      const at = reachable.findIndex((c) => c.sha === not);
      if (at >= 0) reachable = reachable.slice(0, at);
    }
    const limit = Number(url.searchParams.get("limit"));
    const page = Number(url.searchParams.get("page"));
    return jsonAnswer(reachable.slice((page - 1) * limit, page * limit));
  });
}

const giteaCalls = () => remotes.callsTo("https://git.harbor.example/api/v1/").map((c) => query(c.url));

describe("a Gitea repository", () => {
  it("reads a branch's history over a full page and a short one, skipping merges and submodule updates and crediting each co-author", { timeout: 30_000 }, async () => {
    await setUp();
    giteaServer({ commits: giteaHistory() });
    expect(await runToEnd(TIDES)).toEqual(["done"]);

    const calls = giteaCalls();
    expect(calls.map((q) => [q.get("sha"), q.get("page"), q.get("limit"), q.get("stat"), q.get("not")])).toEqual([
      ["main", "1", "50", "true", null],
      [MERGE, "2", "50", "true", null],
    ]);
    const records = await storedRecords();
    expect(await countByType()).toEqual({ commit: 55 });
    expect(Object.keys(records).filter((k) => k.startsWith(MERGE) || k.startsWith(SUBMODULES))).toEqual([]);
    expect(Object.keys(records).filter((k) => k.startsWith(COAUTHORED))).toEqual([
      `${COAUTHORED}ikaika@reef.example`,
      `${COAUTHORED}ren@eastwater.example`,
      `${COAUTHORED}sol@lighthouse.example`,
    ]);
    expect(records[`${COAUTHORED}sol@lighthouse.example`]).toMatchObject({ loc: 128, module: "tides", branch: "main", bug_id: ["2051234", "2051240"] });
    expect(records[TIDY]).toMatchObject({ author_email: "ada.brook@southgate.example", company_name: "Southgate", loc: 8 });
    expect(records[shaOf("aa", 51)]).toMatchObject({ subject: "Tidy part 51 of the README" });
    expect(await cursorOf(TIDES)).toEqual({ head: MERGE, walk: null });
  });

  it("asks the next run only for what is new since the last walk's tip, and stores only that", { timeout: 30_000 }, async () => {
    await setUp();
    const branch = { commits: giteaHistory() };
    giteaServer(branch);
    await runToEnd(TIDES);
    const before = await snapshot();

    branch.commits = [generatedCommit("bb", 1, Date.parse("2024-04-14T12:00:00Z")), generatedCommit("bb", 2, Date.parse("2024-04-14T12:00:00Z")), ...branch.commits];
    const { deps: d } = testDeps();
    expect(await runStep(env, await nextStep(TIDES), d)).toMatchObject({ outcome: "done", stored: 2, fetched: 2 });
    const asked = giteaCalls().at(-1)!;
    expect([asked.get("sha"), asked.get("not"), asked.get("page")]).toEqual(["main", MERGE, "1"]);
    expect(await countByType()).toEqual({ commit: 57 });
    expect((await snapshot()).records.filter((r) => !before.records.some((b) => b.primary_key === r.primary_key)).map((r) => r.primary_key)).toEqual([
      shaOf("bb", 1),
      shaOf("bb", 2),
    ]);
    expect(await cursorOf(TIDES)).toEqual({ head: shaOf("bb", 1), walk: null });

    // Nothing new: an empty first page ends the run, the cursor stays.
    expect(await runStep(env, await nextStep(TIDES), d)).toMatchObject({ outcome: "done", fetched: 0 });
    expect(await cursorOf(TIDES)).toEqual({ head: shaOf("bb", 1), walk: null });
  });

  it("stops at the last walk's tip when the forge ignores not= and lists the old commits too", { timeout: 30_000 }, async () => {
    await setUp();
    const branch = { commits: giteaHistory() };
    giteaServer(branch, { honoursNot: false });
    await runToEnd(TIDES);

    branch.commits = [generatedCommit("bb", 1, Date.parse("2024-04-14T12:00:00Z")), ...branch.commits];
    const { deps: d } = testDeps();
    expect(await runStep(env, await nextStep(TIDES), d)).toMatchObject({ outcome: "done", stored: 1, fetched: 1 });
    expect(giteaCalls()).toHaveLength(3);
    expect(await cursorOf(TIDES)).toEqual({ head: shaOf("bb", 1), walk: null });

    // Unchanged: the first commit listed is the tip already.
    expect(await runStep(env, await nextStep(TIDES), d)).toMatchObject({ outcome: "done", fetched: 0 });
    expect(await countByType()).toEqual({ commit: 56 });
  });

  it("stores the same records when a walk spans two steps, even if the branch moves between them", { timeout: 30_000 }, async () => {
    await setUp();
    giteaServer({ commits: giteaHistory() });
    await runToEnd(TIDES);
    const whole = await snapshot();

    await resetAll();
    await setUp();
    const branch = { commits: giteaHistory() };
    giteaServer(branch);
    const { sent, deps: d } = testDeps({ settings: { pagesPerStep: 1 } });
    expect((await runStep(env, await nextStep(TIDES), d)).outcome).toBe("advanced");
    expect(await cursorOf(TIDES)).toEqual({ head: null, walk: { tip: MERGE, page: 2 } });
    // A push while the walk is under way: the walk keeps following the tip it began with.
    branch.commits = [generatedCommit("bb", 1, Date.parse("2024-04-14T12:00:00Z")), ...branch.commits];
    expect((await runStep(env, sent.at(-1)!, d)).outcome).toBe("done");
    expect(await snapshot()).toEqual(whole);
    expect(await cursorOf(TIDES)).toEqual({ head: MERGE, walk: null });
  });
});

const GITHUB_REPO = "https://api.github.com/repos/lighthouse-labs/beacon";
const githubList = () => JSON.parse(githubListText) as ForgeCommit[];
const [GH_MERGE, GH_FIX_BLINK, GH_COLOURS] = githubList().map((c) => c.sha) as [string, string, string];

/** A new commit on top of the recorded ones, by someone GitHub knows as `ikaika-k`. */
function githubNewCommit(): ForgeCommit {
  const commit = JSON.parse(githubFixBlinkText) as ForgeCommit & { author: Record<string, unknown> };
  commit.sha = shaOf("cc", 1);
  commit.parents = [{ sha: GH_MERGE }];
  commit.commit.author = { name: "Ikaika Kahale", email: "ikaika@reef.example", date: "2024-05-06T09:30:00Z" };
  commit.commit.message = "Dim the beacon by day\n\nbp: daylight-dimming";
  commit.author = { ...commit.author, login: "ikaika-k" };
  return commit;
}

/** GitHub's answers for the beacon repository: the branch's tip, a list page, a compare, single commits. */
function githubServer(branch: { tip: ForgeCommit; compare?: ForgeCommit[] }) {
  const singles = new Map<string, string>([
    [GH_FIX_BLINK, githubFixBlinkText],
    [GH_COLOURS, githubColoursText],
  ]);
  return remotes.on(`${GITHUB_REPO}/`, (_request, url) => {
    const path = url.pathname.slice("/repos/lighthouse-labs/beacon".length);
    if (path === "/commits" && url.searchParams.get("per_page") === "1") return jsonAnswer([branch.tip]);
    if (path === "/commits" && url.searchParams.get("sha") === GH_MERGE && url.searchParams.get("page") === "1") return new Response(githubListText);
    if (path.startsWith("/commits/")) {
      const sha = path.slice("/commits/".length);
      if (sha === branch.tip.sha && !singles.has(sha)) return jsonAnswer(branch.tip);
      const text = singles.get(sha);
      return text ? new Response(text) : jsonAnswer({ message: "No commit found for SHA" }, { status: 422 });
    }
    if (path === `/compare/${GH_MERGE}...${branch.tip.sha}` && branch.compare) {
      return jsonAnswer({ status: "ahead", ahead_by: branch.compare.length, total_commits: branch.compare.length, commits: branch.compare });
    }
    return jsonAnswer({ message: "Not Found" }, { status: 404 });
  });
}

const githubPaths = () => remotes.callsTo(`${GITHUB_REPO}/`).map((c) => c.url.slice(GITHUB_REPO.length));

describe("a GitHub repository", () => {
  it("lists the branch, fetches each commit but merges for its line counts, and takes github_id from the author's login", { timeout: 30_000 }, async () => {
    await setUp();
    githubServer({ tip: githubList()[0]! });
    expect(await runToEnd(BEACON)).toEqual(["done"]);

    expect(githubPaths().sort()).toEqual(
      [`/commits?sha=main&per_page=1`, `/commits?sha=${GH_MERGE}&per_page=100&page=1`, `/commits/${GH_FIX_BLINK}`, `/commits/${GH_COLOURS}`].sort(),
    );
    const records = await storedRecords();
    expect(Object.keys(records)).toEqual([GH_COLOURS, `${GH_FIX_BLINK}ren@eastwater.example`, `${GH_FIX_BLINK}sol@lighthouse.example`]);
    expect(records[`${GH_FIX_BLINK}ren@eastwater.example`]).toMatchObject({ github_id: "ren-tanaka", loc: 20, bug_id: ["77123"], module: "beacon" });
    expect(records[GH_COLOURS]).toMatchObject({ loc: 40, blueprint_id: ["beacon:beacon-colours"] });
    expect(records[GH_COLOURS]).not.toHaveProperty("github_id");
    expect(await cursorOf(BEACON)).toEqual({ head: GH_MERGE, walk: null });
  });

  it("gives a co-author their own profile, not the GitHub account of the commit's author", { timeout: 30_000 }, async () => {
    await setUp();
    githubServer({ tip: githubList()[0]! });
    await runToEnd(BEACON);
    const records = await storedRecords();
    expect(records[`${GH_FIX_BLINK}sol@lighthouse.example`]).not.toHaveProperty("github_id");
    const profiles = await env.CONTRIB_DB.prepare("SELECT user_id, github_id FROM profiles WHERE static = 0 ORDER BY user_id").all<{ user_id: string; github_id: string | null }>();
    expect(profiles.results).toEqual([
      { user_id: "ikaika@reef.example", github_id: null },
      { user_id: "ren@eastwater.example", github_id: "ren-tanaka" },
      { user_id: "sol@lighthouse.example", github_id: null },
    ]);
  });

  it("compares the last tip with the new one on the next run, and stores only the new commits", { timeout: 30_000 }, async () => {
    await setUp();
    const branch: { tip: ForgeCommit; compare?: ForgeCommit[] } = { tip: githubList()[0]! };
    githubServer(branch);
    await runToEnd(BEACON);

    const added = githubNewCommit();
    Object.assign(branch, { tip: added, compare: [added] });
    const { deps: d } = testDeps();
    expect(await runStep(env, await nextStep(BEACON), d)).toMatchObject({ outcome: "done", stored: 1, fetched: 1 });
    expect(githubPaths().slice(-3)).toEqual([`/commits?sha=main&per_page=1`, `/compare/${GH_MERGE}...${added.sha}?per_page=100&page=1`, `/commits/${added.sha}`]);
    expect((await storedRecords())[added.sha]).toMatchObject({ github_id: "ikaika-k", blueprint_id: ["beacon:daylight-dimming"] });
    expect(await cursorOf(BEACON)).toEqual({ head: added.sha, walk: null });

    // Nothing new: the tip is the head, and nothing else is asked.
    const asked = remotes.calls.length;
    expect(await runStep(env, await nextStep(BEACON), d)).toMatchObject({ outcome: "done", fetched: 0 });
    expect(remotes.calls.length).toBe(asked + 1);
  });
  it("fails only once none of its requests is still running, when one commit's answer is malformed", { timeout: 30_000 }, async () => {
    await setUp();
    let slowAnswered = false;
    githubServer({ tip: githubList()[0]! });
    remotes
      .on(`${GITHUB_REPO}/commits/${GH_FIX_BLINK}`, jsonAnswer({ sha: GH_FIX_BLINK, commit: {} }))
      .on(`${GITHUB_REPO}/commits/${GH_COLOURS}`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        slowAnswered = true;
        return new Response(githubColoursText);
      });
    await expect(runStep(env, await nextStep(BEACON), testDeps().deps)).rejects.toThrow(SourceFormatError);
    expect(slowAnswered).toBe(true);
  });
});

describe("an empty repository", () => {
  it.each([
    ["Gitea", TIDES, "https://git.harbor.example/api/v1/repos/harbor/tides/commits?"],
    ["GitHub", BEACON, `${GITHUB_REPO}/commits?`],
  ])("on %s ends its source with nothing to read, not a failure", { timeout: 30_000 }, async (_forge, id, prefix) => {
    await setUp();
    remotes.on(prefix, jsonAnswer({ message: "Git Repository is empty.", url: "https://forge.example/api/swagger" }, { status: 409 }));
    expect(await runToEnd(id)).toEqual(["done"]);
    expect(await findProcessorSource(env.CONTRIB_DB, id)).toMatchObject({ status: "idle", cursor: { head: null, walk: null }, lastError: null, recordsStored: 0 });
    expect(remotes.callsTo(prefix)).toHaveLength(1);
  });
});

const LP = "https://api.launchpad.net/devel";
const tasksPage1 = () => JSON.parse(tasksPage1Text) as { entries: Record<string, unknown>[]; next_collection_link?: string };
const tasksPage2 = () => JSON.parse(tasksPage2Text) as { entries: Record<string, unknown>[] };
const kiloTask = () => tasksPage2().entries[0]!;
const collection = (entries: unknown[]) => jsonAnswer({ total_size: entries.length, start: 0, entries });
const STATUSES = [
  "New", "Incomplete", "Opinion", "Invalid", "Won't Fix", "Expired", "Confirmed", "Triaged", "In Progress",
  "Fix Committed", "Fix Released", "Incomplete (with response)", "Incomplete (without response)",
];

/** searchTasks of sahara over the recorded pages, and each task's related tasks. */
function launchpadServer(pages: { page1: () => unknown; page2: () => unknown } = { page1: tasksPage1, page2: tasksPage2 }) {
  return remotes
    .on(
      (url) => url.href.startsWith(`${LP}/sahara?`) && url.searchParams.get("ws.op") === "searchTasks",
      (_request, url) => jsonAnswer(url.searchParams.get("ws.start") === "3" ? pages.page2() : pages.page1()),
    )
    .on(`${LP}/sahara/+bug/1458945/related_tasks`, collection([kiloTask(), { ...tasksPage1().entries[2]!, bug_target_name: "python-saharaclient" }]))
    .on(`${LP}/sahara/+bug/1461402/related_tasks`, collection([]))
    .on(`${LP}/python-saharaclient/+bug/1461777/related_tasks`, collection([{ ...tasksPage1().entries[1]!, bug_target_name: "python-saharaclient/liberty" }]))
    .on(`${LP}/sahara/kilo/+bug/1458945/related_tasks`, collection([tasksPage1().entries[0]!]));
}

const searchCalls = () => remotes.calls.filter((c) => c.url.startsWith(`${LP}/sahara?`));

describe("Launchpad bugs", () => {
  it("pages through searchTasks, keeps a bug's series task under its series, and leaves other projects' tasks out", { timeout: 30_000 }, async () => {
    await setUp();
    launchpadServer();
    expect(await runToEnd(SAHARA_BUGS)).toEqual(["done"]);

    const [first, second] = searchCalls().map((c) => c.url);
    expect(query(first!).get("ws.op")).toBe("searchTasks");
    expect(query(first!).getAll("status")).toEqual(STATUSES);
    expect(query(first!).has("modified_since")).toBe(false);
    expect(second).toBe(tasksPage1().next_collection_link);

    const records = await storedRecords();
    expect(Object.keys(records)).toEqual([
      "bugf:sahara/1458945",
      "bugf:sahara/1461402",
      "bugf:sahara/kilo/1458945",
      "bugr:sahara/1458945",
      "bugr:sahara/1461402",
      "bugr:sahara/kilo/1458945",
    ]);
    expect(records["bugr:sahara/kilo/1458945"]).toMatchObject({ launchpad_id: "oskar-nyberg", release: "kilo", module: "sahara" });
    expect(records["bugf:sahara/kilo/1458945"]).toMatchObject({ launchpad_id: "samueldmq", release: "kilo" });
    expect(records["bugr:sahara/1461402"]).toMatchObject({ launchpad_id: "*unassigned", status: "Fix Committed" });
    expect(records["bugf:sahara/1458945"]!.release).toBe("prehistory");
  });

  it("finds a bug's series task among its related tasks", { timeout: 30_000 }, async () => {
    await setUp();
    const onlyPage = () => ({ ...tasksPage1(), next_collection_link: undefined });
    launchpadServer({ page1: onlyPage, page2: onlyPage });
    expect(await runToEnd(SAHARA_BUGS)).toEqual(["done"]);
    const records = await storedRecords();
    expect(records["bugr:sahara/kilo/1458945"]).toMatchObject({ release: "kilo", date_fix_released: Date.parse("2015-06-09T12:00:03Z") / 1000 });
    expect(Object.keys(records).filter((k) => k.includes("liberty") || k.includes("saharaclient"))).toEqual([]);
  });

  it("asks the next run for tasks modified since the day before the last walk began", { timeout: 30_000 }, async () => {
    await setUp();
    launchpadServer();
    const now = Date.parse("2015-06-10T08:00:00Z");
    await runToEnd(SAHARA_BUGS, { now });
    expect(await cursorOf(SAHARA_BUGS)).toEqual({ modifiedSince: "2015-06-09", walk: null });

    const before = searchCalls().length;
    await runToEnd(SAHARA_BUGS, { now: now + 3_600_000 });
    expect(query(searchCalls()[before]!.url).get("modified_since")).toBe("2015-06-09");
  });

  it("ends the source of a project Launchpad does not know, with no records, while the others go on", { timeout: 30_000 }, async () => {
    await setUp();
    launchpadServer();
    remotes.on(`${LP}/ghost?`, () => new Response("Object: <Object>, name: 'ghost'", { status: 404 }));
    const batch = createMessageBatch<ProcessorMessage>("edgestats-processor", [
      { id: "ghost", timestamp: new Date(), attempts: 1, body: await nextStep(GHOST_BUGS) },
      { id: "sahara", timestamp: new Date(), attempts: 1, body: await nextStep(SAHARA_BUGS) },
    ]);
    await consumeProcessorMessages(batch, env, testDeps().deps);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks.sort()).toEqual(["ghost", "sahara"]);
    expect(await findProcessorSource(env.CONTRIB_DB, GHOST_BUGS)).toMatchObject({ status: "idle", version: 1, recordsStored: 0, lastError: null, failures: 0 });
    expect(await countByType()).toEqual({ bugf: 3, bugr: 3 });
  });
});

describe("Launchpad blueprints", () => {
  it("makes bpd for each blueprint's drafter (else owner) and bpc for an implemented one's assignee", { timeout: 30_000 }, async () => {
    await setUp();
    remotes.on(`${LP}/sahara/all_specifications?`, new Response(specificationsText));
    expect(await runToEnd(SAHARA_BLUEPRINTS)).toEqual(["done"]);
    const records = await storedRecords();
    expect(Object.keys(records)).toEqual(["bpc:sahara:cluster-verification", "bpd:sahara:cluster-verification", "bpd:sahara:edp-job-retries"]);
    expect(records["bpd:sahara:cluster-verification"]).toMatchObject({ launchpad_id: "kaito-ren", id: "sahara:cluster-verification", status: "Implemented" });
    expect(records["bpc:sahara:cluster-verification"]).toMatchObject({ launchpad_id: "kaito-ren", date: Date.parse("2015-07-14T15:22:48Z") / 1000 });
    expect(records["bpd:sahara:edp-job-retries"]).toMatchObject({ launchpad_id: "lena-brandt" });
  });
});

/** Archives served with their Last-Modified; HEAD gets only the headers. */
function archiveServer(archives: Map<string, { lastModified: string; body: Uint8Array | string }>) {
  return remotes
    .on((url) => url.href === PIPERMAIL_URL, pipermailIndexText)
    .on(
      (url) => url.href.startsWith(PIPERMAIL_URL) && url.pathname.endsWith(".txt.gz"),
      (request, url) => {
        const archive = archives.get(url.pathname.split("/").at(-1)!);
        if (!archive) return new Response("Not Found", { status: 404 });
        const headers = { "last-modified": archive.lastModified, "content-type": "application/x-gzip" };
        return new Response(request.method === "HEAD" ? null : archive.body, { headers });
      },
    );
}

const archiveCalls = (method: string) =>
  remotes.calls.filter((c) => c.method === method && c.url.endsWith(".txt.gz")).map((c) => c.url.split("/").at(-1));

async function pipermailArchives() {
  const empty = await gzip("");
  return new Map<string, { lastModified: string; body: Uint8Array | string }>([
    ["2011-December.txt.gz", { lastModified: "Sun, 01 Jan 2012 00:10:00 GMT", body: empty }],
    ["2012-January.txt.gz", { lastModified: "Wed, 01 Feb 2012 00:10:00 GMT", body: empty }],
    ["2012-June.txt.gz", { lastModified: "Sun, 01 Jul 2012 00:10:00 GMT", body: empty }],
    ["2012-July.txt.gz", { lastModified: "Wed, 01 Aug 2012 00:10:00 GMT", body: await gzip(pipermailJulyText) }],
  ]);
}

/** Mid-August 2012: June and July are among the last three months, the others are old. */
const AUGUST_2012 = Date.parse("2012-08-15T12:00:00Z");

describe("a pipermail list", () => {
  it("reads the index, asks each archive's Last-Modified and stores the messages of each month", { timeout: 30_000 }, async () => {
    await setUp();
    archiveServer(await pipermailArchives());
    expect(await runToEnd(PIPERMAIL, { now: AUGUST_2012 })).toEqual(["done"]);

    expect(archiveCalls("HEAD")).toEqual(["2011-December.txt.gz", "2012-January.txt.gz", "2012-June.txt.gz", "2012-July.txt.gz"]);
    expect(archiveCalls("GET")).toEqual(["2011-December.txt.gz", "2012-January.txt.gz", "2012-June.txt.gz", "2012-July.txt.gz"]);
    const records = await storedRecords();
    expect(Object.keys(records)).toEqual(["20120718144500.GA2231@southgate.example", "500529A3.6010708@northwind.example", "CAGR=i3iQ0vXk5ZtNn1Y2sWm@mail.gmail.com"]);
    expect(records["CAGR=i3iQ0vXk5ZtNn1Y2sWm@mail.gmail.com"]).toMatchObject({
      record_type: "email",
      author_email: "sorlando@nicira.com",
      author_name: "Salvatore Orlando",
      module: "nova",
      blueprint_id: ["nova:security-group-rules-api"],
      mailing_list: "openstack-dev",
      date: Date.parse("2012-07-17T07:30:43Z") / 1000,
    });
    expect(records["20120718144500.GA2231@southgate.example"]).toMatchObject({ module: "quantum", bug_id: ["1025101"], company_name: "Southgate" });
    expect(await cursorOf(PIPERMAIL)).toMatchObject({ pending: null, read: { [`${PIPERMAIL_URL}2012-July.txt.gz`]: "Wed, 01 Aug 2012 00:10:00 GMT" } });
  });

  it("downloads nothing the next run when no recent archive changed, and again a month whose Last-Modified changed", { timeout: 30_000 }, async () => {
    await setUp();
    const archives = await pipermailArchives();
    archiveServer(archives);
    await runToEnd(PIPERMAIL, { now: AUGUST_2012 });
    const first = await snapshot();

    const [heads, gets] = [archiveCalls("HEAD").length, archiveCalls("GET").length];
    expect(await runToEnd(PIPERMAIL, { now: AUGUST_2012 + 3_600_000 })).toEqual(["done"]);
    expect(archiveCalls("HEAD").slice(heads)).toEqual(["2012-June.txt.gz", "2012-July.txt.gz"]);
    expect(archiveCalls("GET").length).toBe(gets);

    // A late message lands in July: its Last-Modified moves, and only July is read again.
    const late = `${pipermailJulyText}\nFrom ada at northwind.example  Tue Jul 31 10:00:00 2012\nFrom: ada at northwind.example (Ada Marsh)\nDate: Tue, 31 Jul 2012 10:00:00 +0000\nSubject: [openstack-dev] [nova] One more thing\nMessage-ID: <late-1@northwind.example>\n\nLate, but here.\n`;
    archives.set("2012-July.txt.gz", { lastModified: "Thu, 02 Aug 2012 09:00:00 GMT", body: await gzip(late) });
    expect(await runToEnd(PIPERMAIL, { now: AUGUST_2012 + 7_200_000 })).toEqual(["done"]);
    expect(archiveCalls("GET").slice(gets)).toEqual(["2012-July.txt.gz"]);
    const after = await snapshot();
    expect(after.records.map((r) => r.primary_key)).toEqual([...first.records.map((r) => r.primary_key), "late-1@northwind.example"].sort());
    expect((await storedRecords())["late-1@northwind.example"]).toMatchObject({ user_id: "ada-marsh", module: "nova" });
  });

  it("reads an archive the server sent already decoded (Content-Encoding: gzip)", { timeout: 30_000 }, async () => {
    await setUp();
    const archives = await pipermailArchives();
    archives.set("2012-July.txt.gz", { lastModified: "Wed, 01 Aug 2012 00:10:00 GMT", body: pipermailJulyText });
    archiveServer(archives);
    expect(await runToEnd(PIPERMAIL, { now: AUGUST_2012 })).toEqual(["done"]);
    expect(await countByType()).toEqual({ email: 3 });
  });
});

/** HyperKitty's month exports: the fixture month, the others empty. */
async function hyperkittyServer() {
  const february = await gzip(hyperkittyText);
  const empty = await gzip("");
  return remotes.on(`${HYPERKITTY_URL}export/`, (_request, url) => new Response(url.searchParams.get("start") === "2024-02-01" ? february : empty));
}

const exportCalls = () => remotes.callsTo(`${HYPERKITTY_URL}export/`).map((c) => c.url.slice(`${HYPERKITTY_URL}export/`.length));

describe("a HyperKitty list", () => {
  it("exports each month from the first release's end to now, then keeps the previous month to read again", { timeout: 30_000 }, async () => {
    await setUp();
    await hyperkittyServer();
    const now = Date.parse("2024-03-15T12:00:00Z");
    expect(await runToEnd(HYPERKITTY, { now })).toEqual(["done"]);
    expect(exportCalls()).toEqual([
      "demo-dev%40lists.example-2023-12.mbox.gz?start=2023-12-01&end=2024-01-01",
      "demo-dev%40lists.example-2024-01.mbox.gz?start=2024-01-01&end=2024-02-01",
      "demo-dev%40lists.example-2024-02.mbox.gz?start=2024-02-01&end=2024-03-01",
      "demo-dev%40lists.example-2024-03.mbox.gz?start=2024-03-01&end=2024-04-01",
    ]);
    const records = await storedRecords();
    expect(Object.values(records).map((r) => [r.author_email, r.module, r.mailing_list])).toEqual([
      ["ada.marsh@northwind.example", "core", "demo-dev"],
      ["jose.nunez@southgate.example", "core", "demo-dev"],
      ["mira.okafor@westfield.example", "sahara", "demo-dev"],
    ]);
    expect(await cursorOf(HYPERKITTY)).toEqual({ month: "2024-02" });

    expect(await runToEnd(HYPERKITTY, { now: now + 3_600_000 })).toEqual(["done"]);
    expect(exportCalls().slice(4)).toEqual([
      "demo-dev%40lists.example-2024-02.mbox.gz?start=2024-02-01&end=2024-03-01",
      "demo-dev%40lists.example-2024-03.mbox.gz?start=2024-03-01&end=2024-04-01",
    ]);
    expect(await countByType()).toEqual({ email: 3 });
  });

  it("walks a long stretch of months over several steps", { timeout: 30_000 }, async () => {
    await setUp();
    await hyperkittyServer();
    expect(await runToEnd(HYPERKITTY, { now: Date.parse("2024-03-15T12:00:00Z"), settings: { pagesPerStep: 3 } })).toEqual(["advanced", "done"]);
    expect(exportCalls()).toHaveLength(4);
    expect(await cursorOf(HYPERKITTY)).toEqual({ month: "2024-02" });
  });
});

function projectsConfig(): DefaultData {
  return config({
    repos: [
      { uri: "git://git.example/demo/core.git", module: "core", organization: "demo" },
      { uri: "https://git.harbor.example/harbor/ferry.git", module: "ferry", organization: "harbor", launchpad_name: "ferry-boats" },
    ],
    mail_lists: [],
    project_sources: [
      { organization: "harbor", uri: "gerrit://review.example:29418", git_base_uri: "https://git.harbor.example/", pattern: "^harbor/[a-f]", exclude: ["dock"] },
      { organization: "lighthouse-labs", uri: "github://" },
    ],
  });
}

/** The recorded project list, with a packaging repo and one the pattern leaves out. */
function gerritProjects() {
  const projects = gerritJson<Record<string, unknown>>(projectsText);
  return { ...projects, "harbor/deb-anchor": { id: "harbor%2Fdeb-anchor", state: "ACTIVE" }, "harbor/zodiac": { id: "harbor%2Fzodiac", state: "ACTIVE" } };
}

/** The organization's repositories: a full page (the recorded three and 97 buoys), then a short one. */
function githubOrgServer() {
  const recorded = JSON.parse(githubReposText) as Record<string, unknown>[];
  const buoy = (n: number) => ({ ...recorded[0]!, name: `buoy-${n}`, full_name: `lighthouse-labs/buoy-${n}`, clone_url: `https://github.com/lighthouse-labs/buoy-${n}.git` });
  const pages = [
    [...recorded, ...Array.from({ length: 97 }, (_, i) => buoy(i + 1))],
    [
      { ...recorded[0]!, name: "fog-horn", full_name: "lighthouse-labs/fog-horn", clone_url: "https://github.com/lighthouse-labs/fog-horn.git", default_branch: "trunk" },
      { ...recorded[0]!, name: "deb-beacon", full_name: "lighthouse-labs/deb-beacon", clone_url: "https://github.com/lighthouse-labs/deb-beacon.git" },
    ],
  ];
  return remotes.on("https://api.github.com/orgs/lighthouse-labs/repos?", (_request, url) => jsonAnswer(pages[Number(url.searchParams.get("page")) - 1] ?? []));
}

const sourceIds = async () => (await listProcessorSources(env.CONTRIB_DB)).filter((s) => s.status !== "retired").map((s) => s.id);

describe("project sources", () => {
  it("follows a Gerrit organization's repositories that match its pattern, without deb-* or excluded ones", { timeout: 30_000 }, async () => {
    await setUp(projectsConfig());
    remotes.on("https://review.example/projects/", gerritAnswer(gerritProjects()));
    expect(await runToEnd(HARBOR_PROJECTS)).toEqual(["done"]);
    expect(remotes.callsTo("https://review.example/").map((c) => c.url)).toEqual(["https://review.example/projects/?p=harbor%2F"]);
    expect(await countByType()).toEqual({});

    await syncSources(env, Date.now());
    const sources = await listProcessorSources(env.CONTRIB_DB);
    const ids = sources.map((s) => s.id);
    expect(ids.filter((id) => /anchor|dock|zodiac|lighthouse|smugglers/.test(id) && !id.startsWith("projects:"))).toEqual([
      "gerrit:https://review.example:harbor/anchor:master",
      "git:https://git.harbor.example/harbor/anchor.git:master",
      "launchpad-blueprints:anchor",
      "launchpad-bugs:anchor",
    ]);
    expect(sources.find((s) => s.id === "gerrit:https://review.example:harbor/anchor:master")!.target).toEqual({
      base: "https://review.example",
      project: "harbor/anchor",
      branch: "master",
      module: "anchor",
      defaultBranch: "master",
    });
    expect(sources.find((s) => s.id === "git:https://git.harbor.example/harbor/anchor.git:master")!.target).toEqual({
      forge: "gitea",
      api: "https://git.harbor.example/api/v1",
      owner: "harbor",
      repo: "anchor",
      branch: "master",
      module: "anchor",
    });
  });

  it("keeps a listed repository's own settings when it is also discovered, and gives it the Gerrit it lacked", { timeout: 30_000 }, async () => {
    await setUp(projectsConfig());
    expect(await sourceIds()).not.toContain("gerrit:https://review.example:harbor/ferry:master");
    remotes.on("https://review.example/projects/", gerritAnswer(gerritProjects()));
    await runToEnd(HARBOR_PROJECTS);
    await syncSources(env, Date.now());
    const ferry = (await sourceIds()).filter((id) => id.includes("ferry"));
    expect(ferry).toEqual([
      "gerrit:https://review.example:harbor/ferry:master",
      "git:https://git.harbor.example/harbor/ferry.git:master",
      "launchpad-blueprints:ferry-boats",
      "launchpad-bugs:ferry-boats",
    ]);
  });

  it("follows a GitHub organization's repositories over its pages, without archived or deb-* ones", { timeout: 30_000 }, async () => {
    await setUp(projectsConfig());
    githubOrgServer();
    expect(await runToEnd(LIGHTHOUSE_PROJECTS, { settings: { pagesPerStep: 1 } })).toEqual(["advanced", "done"]);
    expect(remotes.callsTo("https://api.github.com/").map((c) => c.url)).toEqual([
      "https://api.github.com/orgs/lighthouse-labs/repos?per_page=100&page=1",
      "https://api.github.com/orgs/lighthouse-labs/repos?per_page=100&page=2",
    ]);

    await syncSources(env, Date.now());
    const sources = await listProcessorSources(env.CONTRIB_DB);
    const git = sources.filter((s) => s.kind === "git" && s.id.includes("github.com")).map((s) => s.id);
    expect(git).toHaveLength(100);
    expect(git).toEqual(expect.arrayContaining(["git:https://github.com/lighthouse-labs/beacon.git:main", "git:https://github.com/lighthouse-labs/chart-tools.git:develop", "git:https://github.com/lighthouse-labs/fog-horn.git:trunk"]));
    expect(git.filter((id) => /tide-tables|deb-beacon/.test(id))).toEqual([]);
    expect(sources.find((s) => s.id === "git:https://github.com/lighthouse-labs/fog-horn.git:trunk")!.target).toEqual({
      forge: "github",
      api: "https://api.github.com",
      owner: "lighthouse-labs",
      repo: "fog-horn",
      branch: "trunk",
      module: "fog-horn",
    });
    // Only a Gerrit's projects are taken for Launchpad projects of the same name (Stackalytics' rule).
    expect(sources.map((s) => s.id)).not.toContain("launchpad-bugs:fog-horn");
    expect(sources.some((s) => s.kind === "gerrit" && s.id.includes("lighthouse-labs"))).toBe(false);
  });

  it("guesses a message's module among the discovered repositories too", { timeout: 30_000 }, async () => {
    await setUp({ ...projectsConfig(), mail_lists: [PIPERMAIL_URL] });
    remotes.on("https://review.example/projects/", gerritAnswer(gerritProjects()));
    await runToEnd(HARBOR_PROJECTS);
    await syncSources(env, Date.now());

    const archives = await pipermailArchives();
    const anchorMail = [
      "From lena.voss at northwind.example  Mon Jul 16 10:00:00 2012",
      "From: lena.voss at northwind.example (Lena Voss)",
      "Date: Mon, 16 Jul 2012 10:00:00 +0000",
      "Subject: [openstack-dev] [anchor] Chain length limits",
      "Message-ID: <anchor-1@northwind.example>",
      "",
      "Should the chain length be configurable?",
      "",
    ].join("\n");
    archives.set("2012-July.txt.gz", { lastModified: "Wed, 01 Aug 2012 00:10:00 GMT", body: await gzip(anchorMail) });
    archiveServer(archives);
    expect(await runToEnd(PIPERMAIL, { now: AUGUST_2012 })).toEqual(["done"]);
    expect((await storedRecords())["anchor-1@northwind.example"]).toMatchObject({ module: "anchor", author_name: "Lena Voss" });
  });
});

const HTML_ERROR = new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", { headers: { "content-type": "text/html" } });

describe("a malformed answer", () => {
  it.each<[string, string, () => unknown, RunOptions?]>([
    ["a Gerrit project", TIDES_REVIEWS, () => remotes.on("https://review.example/changes/", new Response(gerritErrorPage))],
    ["a Gitea repository", TIDES, () => remotes.on("https://git.harbor.example/api/v1/", HTML_ERROR.clone())],
    ["a GitHub repository", BEACON, () => remotes.on(`${GITHUB_REPO}/`, new Response(githubListText.slice(0, 200)))],
    [
      "a GitHub commit",
      BEACON,
      () =>
        remotes.on(`${GITHUB_REPO}/`, (_request, url) =>
          url.pathname.includes("/commits/") ? jsonAnswer({ sha: GH_FIX_BLINK, commit: {} }) : new Response(url.searchParams.get("per_page") === "1" ? JSON.stringify([githubList()[0]]) : githubListText),
        ),
    ],
    ["Launchpad bugs", SAHARA_BUGS, () => remotes.on(`${LP}/sahara?`, new Response(launchpadErrorPage))],
    ["a bug's related tasks", SAHARA_BUGS, () => launchpadServer().on(`${LP}/sahara/+bug/1461402/related_tasks`, new Response(launchpadErrorPage))],
    ["Launchpad blueprints", SAHARA_BLUEPRINTS, () => remotes.on(`${LP}/sahara/all_specifications?`, jsonAnswer({ entries: [{ name: "no-dates" }] }))],
    [
      "a pipermail archive",
      PIPERMAIL,
      async () => {
        const archives = await pipermailArchives();
        archives.set("2012-July.txt.gz", { lastModified: "x", body: "<html><body>Service Unavailable</body></html>" });
        archiveServer(archives);
      },
      { now: AUGUST_2012 },
    ],
    ["a HyperKitty export", HYPERKITTY, () => remotes.on(`${HYPERKITTY_URL}export/`, HTML_ERROR.clone()), { now: Date.parse("2024-03-15T12:00:00Z") }],
    ["a Gerrit's project list", HARBOR_PROJECTS, () => remotes.on("https://review.example/projects/", new Response(gerritErrorPage))],
    ["a GitHub organization", LIGHTHOUSE_PROJECTS, () => remotes.on("https://api.github.com/orgs/", jsonAnswer({ message: "Not Found" }))],
  ])("from %s fails the step with SourceFormatError and stores nothing", { timeout: 30_000 }, async (_what, id, serve, options = {}) => {
    await setUp(id.startsWith("projects:") ? projectsConfig() : config());
    await serve();
    const { deps: d } = testDeps(options);
    const error = await runStep(env, await nextStep(id), d).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceFormatError);
    expect(await countByType()).toEqual({});
    expect(await findProcessorSource(env.CONTRIB_DB, id)).toMatchObject({ cursor: null, version: 0, recordsStored: 0 });
    expect(remotes.unanswered).toEqual([]);
  });
});

describe("a repository's tag ranges", () => {
  const ALDER = "git-tags:https://git.harbor.example/harbor/tides.git:alder:1.0..2.0";
  const IGNORED = "git-tags:https://git.harbor.example/harbor/tides.git:ignored:2.0..2.1";
  const OPEN = "git-tags:https://git.harbor.example/harbor/tides.git:birch:2.1..HEAD@main";
  const history = giteaHistory();
  const tags: Record<string, string> = { "1.0": history[40]!.sha, "2.0": history[20]!.sha, "2.1": history[10]!.sha };

  /** Gitea's commit list where `sha` and `not` may also name a tag (git log <sha> ^<not>). */
  function taggedServer() {
    return remotes.on("https://git.harbor.example/api/v1/repos/harbor/tides/commits?", (_request, url) => {
      const at = (ref: string) => (ref === "main" ? 0 : history.findIndex((c) => c.sha === (tags[ref] ?? ref)));
      let reachable = history.slice(at(url.searchParams.get("sha")!));
      const not = url.searchParams.get("not");
      if (not) reachable = reachable.slice(0, reachable.findIndex((c) => c.sha === (tags[not] ?? not)));
      const limit = Number(url.searchParams.get("limit"));
      const page = Number(url.searchParams.get("page"));
      return jsonAnswer(reachable.slice((page - 1) * limit, page * limit));
    });
  }

  const tidesWithRanges = () =>
    config({
      repos: [
        {
          uri: "https://git.harbor.example/harbor/tides.git",
          module: "tides",
          organization: "harbor",
          default_branch: "main",
          releases: [
            { release_name: "Alder", tag_from: "1.0", tag_to: "2.0" },
            { release_name: "ignored", tag_from: "2.0", tag_to: "2.1" },
            { release_name: "Birch", tag_from: "2.1", tag_to: "HEAD" },
          ],
        },
      ],
    });

  const releaseOf = async (sha: string) =>
    (await env.CONTRIB_DB.prepare("SELECT release FROM records WHERE primary_key = ?").bind(sha).first<{ release: string }>())?.release;
  const commitTotals = async () =>
    Object.fromEntries(
      (await env.CONTRIB_DB.prepare("SELECT release, sum(records) AS n FROM daily_totals WHERE record_type = 'commit' GROUP BY release").all<{ release: string; n: number }>()).results.map(
        (r) => [r.release, r.n],
      ),
    );

  it("credits the commits of each range to its release, after the commits were stored or before", { timeout: 30_000 }, async () => {
    await setUp(tidesWithRanges());
    taggedServer();
    const sources = (await listProcessorSources(env.CONTRIB_DB, { kind: "git-tags" })).map((s) => s.id);
    expect(sources).toEqual([OPEN, ALDER, IGNORED].sort());
    await runToEnd(TIDES);
    expect(await releaseOf(history[30]!.sha)).toBe("birch");

    await runToEnd(ALDER);
    expect(await releaseOf(history[30]!.sha)).toBe("alder");
    expect(await releaseOf(history[20]!.sha)).toBe("alder");
    expect(await releaseOf(history[40]!.sha)).toBe("birch");
    const alderCalls = giteaCalls().filter((q) => q.get("not") === "1.0");
    expect(alderCalls[0]!.get("sha")).toBe("2.0");

    // Commits stored after the range was read take its release at once.
    await resetAll();
    await setUp(tidesWithRanges());
    await runToEnd(ALDER);
    await runToEnd(TIDES);
    expect(await releaseOf(history[25]!.sha)).toBe("alder");
  });

  it("keeps the commits of an `ignored` range out of the totals, and reads a closed range once but an open one every run", { timeout: 30_000 }, async () => {
    await setUp(tidesWithRanges());
    taggedServer();
    await runToEnd(TIDES);
    const before = await commitTotals();
    await runToEnd(IGNORED);
    await runToEnd(OPEN);
    expect(await releaseOf(history[15]!.sha)).toBe("ignored");
    const after = await commitTotals();
    expect(after.ignored).toBeUndefined();
    expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(Object.values(before).reduce((a, b) => a + b, 0) - 10);

    const asked = giteaCalls().length;
    await runToEnd(IGNORED);
    expect(giteaCalls().length).toBe(asked);
    await runToEnd(OPEN);
    expect(giteaCalls().length).toBeGreaterThan(asked);
  });
});
