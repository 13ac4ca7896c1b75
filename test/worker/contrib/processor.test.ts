import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DefaultData } from "../../../schemas/contrib/default-data";
import page1Text from "../../fixtures/contrib/gerrit/changes-page-1.json?raw";
import page2Text from "../../fixtures/contrib/gerrit/changes-page-2.json?raw";
import { dispatchScheduled } from "../../../worker/cron/dispatcher";
import { listJobRuns } from "../../../worker/db/analytic";
import { findProcessorSource } from "../../../worker/db/processor";
import { syncSources } from "../../../worker/processor/plan";
import { type ProcessorMessage, consumeProcessorMessages, runStep } from "../../../worker/processor/step";
import { smallConfig } from "../../unit/contrib/fixtures";
import { call } from "../helpers";
import { admin, loadConfig, resetAll } from "./helpers";
import { FakeRemotes, gerritAnswer, gerritJson, jsonAnswer, launchpadKnowsNobody } from "./remotes";
import { countByType, runToEnd, snapshot, testDeps } from "./steps";

const GERRIT = "gerrit:https://review.example:harbor/ferry:master";
const GITEA = "git:https://git.harbor.example/harbor/ferry.git:master";

function config(): DefaultData {
  return smallConfig({
    repos: [{ uri: "https://git.harbor.example/harbor/ferry.git", module: "ferry", organization: "harbor", gerrit_uri: "https://review.example" }],
  });
}

/**
 * The recorded pages as one project's branch answers them: page 2's changes moved to harbor/ferry
 * master (its stable-branch cherry-pick under a Change-Id of its own).
 */
const page1 = () => gerritJson(page1Text);
const page2 = () =>
  gerritJson(page2Text).map((c) => ({ ...c, project: "harbor/ferry", branch: "master", change_id: c.branch === "master" ? c.change_id : "I4230000000000000000000000000000000000000" }));

function gerritPages(remotes: FakeRemotes, pages = [page1(), page2()]): FakeRemotes {
  return remotes.on("https://review.example/changes/", (_request, url) => {
    const skip = Number(url.searchParams.get("S"));
    let at = 0;
    for (const page of pages) {
      if (skip === at) return gerritAnswer(page);
      at += page.length;
    }
    return gerritAnswer([]);
  });
}

let remotes: FakeRemotes;
beforeEach(async () => {
  await resetAll();
  remotes = launchpadKnowsNobody(new FakeRemotes()).on("https://git.harbor.example/api/v1/", jsonAnswer([])).install();
});
afterEach(() => vi.restoreAllMocks());

async function setUp() {
  await loadConfig(config());
  await syncSources(env, Date.now());
}

const seconds = (gerritTime: string) => Date.parse(`${gerritTime.replace(" ", "T")}Z`) / 1000;

describe("the Gerrit source", () => {
  it("turns a project's branch into review, patch and mark records, and moves its cursor to the newest update", async () => {
    await setUp();
    gerritPages(remotes);
    expect(await runToEnd(GERRIT)).toEqual(["done"]);
    expect(await countByType()).toEqual({ review: 5, patch: 7, mark: 13 });
    const source = await findProcessorSource(env.CONTRIB_DB, GERRIT);
    expect(source).toMatchObject({ status: "idle", version: 1, steps: 1, recordsStored: 25, failures: 0, lastError: null });
    expect(source!.cursor).toEqual({ since: seconds("2024-03-07 15:00:00"), walk: null });
    const first = remotes.callsTo("https://review.example/changes/")[0]!.url;
    const query = new URL(first).searchParams;
    expect(query.get("q")).toBe("project:harbor/ferry branch:master");
    expect(query.getAll("o")).toEqual(["ALL_REVISIONS", "DETAILED_LABELS", "DETAILED_ACCOUNTS", "MESSAGES", "ALL_COMMITS"]);
  });

  it("stores the same records and totals whether a run is cut after every page or not, and after a step that failed half-way", { timeout: 30_000 }, async () => {
    await setUp();
    gerritPages(remotes);
    expect(await runToEnd(GERRIT, { settings: { pagesPerStep: 5 } })).toEqual(["done"]);
    const whole = await snapshot();

    await resetAll();
    await setUp();
    expect(await runToEnd(GERRIT, { settings: { pagesPerStep: 1 } })).toEqual(["advanced", "done"]);
    expect(await snapshot()).toEqual(whole);

    await resetAll();
    await setUp();
    // Page 2 is truncated once: the step fails after reading page 1 and stores nothing of it.
    let broken = true;
    remotes.on((url) => url.searchParams.get("S") === "3", () => (broken ? ((broken = false), new Response(")]}'\n[{\"id\":", { status: 200 })) : gerritAnswer(page2())));
    const { deps: d } = testDeps({ settings: { pagesPerStep: 5 } });
    await expect(runStep(env, { source: GERRIT, version: 0 }, d)).rejects.toThrow(/not JSON/);
    expect(await countByType()).toEqual({});
    expect((await findProcessorSource(env.CONTRIB_DB, GERRIT))!.cursor).toBeNull();
    expect((await runStep(env, { source: GERRIT, version: 0 }, d)).outcome).toBe("done");
    expect(await snapshot()).toEqual(whole);
  });

  it("stores nothing twice when a step is delivered twice, one after the other or at once", { timeout: 30_000 }, async () => {
    await setUp();
    gerritPages(remotes);
    const { deps: d } = testDeps();
    expect((await runStep(env, { source: GERRIT, version: 0 }, d)).outcome).toBe("done");
    const once = await snapshot();
    expect((await runStep(env, { source: GERRIT, version: 0 }, d)).outcome).toBe("skipped");
    expect(await snapshot()).toEqual(once);

    await resetAll();
    await setUp();
    const outcomes = await Promise.all([runStep(env, { source: GERRIT, version: 0 }, d), runStep(env, { source: GERRIT, version: 0 }, d)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["done", "skipped"]);
    expect(await snapshot()).toEqual(once);
    expect((await findProcessorSource(env.CONTRIB_DB, GERRIT))!.version).toBe(1);
  });

  it("reads again from an overlap before its cursor, adding only what changed", async () => {
    await setUp();
    gerritPages(remotes);
    await runToEnd(GERRIT);
    const before = await countByType();

    const updated = page1()[0]!;
    const messages = updated.messages as Record<string, unknown>[];
    messages.push({ id: "late", author: messages.at(-1)!.author, date: "2024-03-08 10:00:00.000000000", message: "Patch Set 2: Workflow+1", _revision_number: 2 });
    updated.updated = "2024-03-08 10:00:00.000000000";
    gerritPages(remotes, [[updated]]);
    const { deps: d } = testDeps();
    expect((await runStep(env, { source: GERRIT, version: 1 }, d)).outcome).toBe("done");
    const after = new URL(remotes.callsTo("https://review.example/changes/").at(-1)!.url).searchParams.get("q");
    expect(after).toBe(`project:harbor/ferry branch:master after:"2024-03-07 14:50:00 +0000"`);
    expect(await countByType()).toEqual({ ...before, mark: before.mark! + 1 });
    expect((await findProcessorSource(env.CONTRIB_DB, GERRIT))!.cursor).toEqual({ since: seconds("2024-03-08 10:00:00"), walk: null });
  });
});

describe("the data's time", () => {
  it("moves the read API's Last-Modified when a step commits, even one that found nothing new", async () => {
    await setUp();
    await env.CONTRIB_DB.prepare("UPDATE counters SET value = 1000 WHERE name = 'data_updated_at'").run();
    expect((await call("/api/1.0/metrics")).headers.get("last-modified")).toBe(new Date(1_000_000).toUTCString());
    const started = Math.floor(Date.now() / 1000) * 1000;
    expect(await runToEnd(GITEA)).toEqual(["done"]);
    expect(await countByType()).toEqual({});
    const stamped = Date.parse((await call("/api/1.0/metrics")).headers.get("last-modified")!);
    expect(stamped).toBeGreaterThanOrEqual(started);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });
});

describe("failures", () => {
  it("retries a source that answers 429 after the Retry-After it gave", async () => {
    await setUp();
    gerritPages(remotes);
    remotes.sequence(/review\.example\/changes\/.*S=0/, [
      () => new Response("slow down", { status: 429, headers: { "retry-after": "1" } }),
      () => gerritAnswer(page1()),
    ]);
    expect(await runToEnd(GERRIT)).toEqual(["done"]);
    const [first, second] = remotes.callsTo("https://review.example/changes/").filter((c) => c.url.includes("S=0"));
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    expect(await countByType()).toMatchObject({ review: 5 });
  });

  it("re-queues the step with the server's delay when it asks for longer than the client waits", async () => {
    await setUp();
    remotes.on("https://review.example/changes/", () => new Response("come back later", { status: 503, headers: { "retry-after": "120" } }));
    const batch = createMessageBatch<ProcessorMessage>("edgestats-processor", [{ id: "m1", timestamp: new Date(), attempts: 1, body: { source: GERRIT, version: 0 } }]);
    const retry = vi.spyOn(batch.messages[0]!, "retry");
    await consumeProcessorMessages(batch, env, testDeps().deps);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: 120 });
    const source = await findProcessorSource(env.CONTRIB_DB, GERRIT);
    expect(source).toMatchObject({ status: "queued", cursor: null, version: 0, failures: 0 });
    expect(source!.lastError).toMatch(/HTTP 503/);
  });

  it("fails a source that answers garbage, alone: the others go on, and it keeps its cursor", async () => {
    await setUp();
    gerritPages(remotes);
    remotes.on("https://git.harbor.example/api/v1/", new Response("<html><body>502 Bad Gateway</body></html>", { status: 200, headers: { "content-type": "text/html" } }));
    const { deps: d } = testDeps();
    const attempts = d.settings.stepAttempts;
    const batch = createMessageBatch<ProcessorMessage>("edgestats-processor", [
      { id: "git", timestamp: new Date(), attempts, body: { source: GITEA, version: 0 } },
      { id: "gerrit", timestamp: new Date(), attempts: 1, body: { source: GERRIT, version: 0 } },
    ]);
    await consumeProcessorMessages(batch, env, d);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks.sort()).toEqual(["gerrit", "git"]);
    const git = await findProcessorSource(env.CONTRIB_DB, GITEA);
    expect(git).toMatchObject({ status: "failed", failures: 1, cursor: null, version: 0 });
    expect(git!.lastError).toMatch(/attempt 5: SourceFormatError: https:\/\/git\.harbor\.example\/api\/v1\/repos\/harbor\/ferry\/commits\?.*not JSON/);
    expect(git!.nextRunAt).toBeGreaterThan(Date.now() + 3_000_000);
    expect(await findProcessorSource(env.CONTRIB_DB, GERRIT)).toMatchObject({ status: "idle", version: 1 });
    expect(await countByType()).toEqual({ review: 5, patch: 7, mark: 13 });
  });

  it("retries a step whose failure cannot be recorded, and still handles the batch's other messages", async () => {
    await setUp();
    gerritPages(remotes);
    remotes.on("https://git.harbor.example/api/v1/", new Response("<html>502</html>", { status: 200, headers: { "content-type": "text/html" } }));
    // D1 refuses the write that records a failure, as an unavailable database would.
    const db = env.CONTRIB_DB;
    const failing = new Proxy(db, {
      get: (target, name) =>
        name === "prepare"
          ? (sql: string) => {
              if (sql.includes("SET last_error")) throw new Error("D1_ERROR: database unavailable");
              return target.prepare(sql);
            }
          : Reflect.get(target, name, target),
    });
    const batch = createMessageBatch<ProcessorMessage>("edgestats-processor", [
      { id: "git", timestamp: new Date(), attempts: 1, body: { source: GITEA, version: 0 } },
      { id: "gerrit", timestamp: new Date(), attempts: 1, body: { source: GERRIT, version: 0 } },
    ]);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await consumeProcessorMessages(batch, { ...env, CONTRIB_DB: failing }, testDeps().deps);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["git"]);
    expect(result.explicitAcks).toEqual(["gerrit"]);
    expect(errors.mock.calls.map((c) => c[0])).toEqual(["processor step failed", "processor step failure not recorded"]);
    errors.mockRestore();
    expect(await findProcessorSource(db, GERRIT)).toMatchObject({ status: "idle", version: 1 });
    expect(await findProcessorSource(db, GITEA)).toMatchObject({ version: 0, lastError: null });
  });

  it("keeps a failing step's error and retries it with back-off until its attempts are spent", async () => {
    await setUp();
    remotes.on("https://review.example/changes/", gerritAnswer({ not: "a list" }));
    const batch = createMessageBatch<ProcessorMessage>("edgestats-processor", [{ id: "m", timestamp: new Date(), attempts: 2, body: { source: GERRIT, version: 0 } }]);
    const retry = vi.spyOn(batch.messages[0]!, "retry");
    await consumeProcessorMessages(batch, env, testDeps().deps);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: 60 });
    expect((await findProcessorSource(env.CONTRIB_DB, GERRIT))!.lastError).toMatch(/attempt 2: SourceFormatError: .*unexpected answer at changes: /);
  });
});

describe("Launchpad lookups of unknown authors", () => {
  it("gives an unknown email its Launchpad id, and asks Launchpad about each email once", async () => {
    await setUp();
    gerritPages(remotes);
    remotes.on("https://api.launchpad.net/1.0/people?ws.op=getByEmail&email=priya.raman%40acme.example", jsonAnswer({ name: "priya-r", display_name: "Priya Raman" }));
    await runToEnd(GERRIT);
    const users = (await env.CONTRIB_DB.prepare("SELECT DISTINCT user_id FROM records WHERE author_email = 'priya.raman@acme.example'").all<{ user_id: string }>()).results;
    expect(users).toEqual([{ user_id: "priya-r" }]);
    const asked = remotes.callsTo("https://api.launchpad.net/1.0/people").length;
    expect(asked).toBeGreaterThan(0);

    await env.CONTRIB_DB.prepare("UPDATE processor_sources SET cursor = NULL").run();
    await runStep(env, { source: GERRIT, version: 1 }, testDeps().deps);
    expect(remotes.callsTo("https://api.launchpad.net/1.0/people").length).toBe(asked);
  });

  it("takes a Gerrit username as a Launchpad id only when Launchpad has it under the author's name", async () => {
    await setUp();
    gerritPages(remotes);
    remotes
      .on("https://api.launchpad.net/1.0/~tnovak", jsonAnswer({ name: "tnovak", display_name: "Tomas Novak" }))
      .on("https://api.launchpad.net/1.0/~praman", jsonAnswer({ name: "praman", display_name: "Someone Else" }));
    await runToEnd(GERRIT);
    const userOf = async (gerrit: string) =>
      (await env.CONTRIB_DB.prepare("SELECT DISTINCT user_id FROM records WHERE raw ->> '$.gerrit_id' = ?").bind(gerrit).all<{ user_id: string }>()).results;
    expect(await userOf("tnovak")).toEqual([{ user_id: "tnovak" }]);
    expect(await userOf("praman")).toEqual([{ user_id: "priya.raman@acme.example" }]);
  });
});

describe("the hourly plan", () => {
  it("follows what the config lists, retires what it no longer lists, and queues what is due", { timeout: 30_000 }, async () => {
    await loadConfig(config());
    gerritPages(remotes);
    const at = Date.now();
    await dispatchScheduled(env, "0 * * * *", at);
    const run = (await listJobRuns(env.ANALYTIC_DB)).find((r) => r.job === "contrib-processor" && r.scheduledTime === at);
    expect(JSON.parse(run!.detail!)).toEqual({ sources: 2, added: 2, retired: 0, queued: 2 });
    await vi.waitFor(async () => expect((await findProcessorSource(env.CONTRIB_DB, GERRIT))!.status).toBe("idle"), { timeout: 20_000, interval: 200 });

    await loadConfig({ ...config(), repos: [{ uri: "https://git.harbor.example/harbor/ferry.git", module: "ferry", organization: "harbor" }] });
    expect(await syncSources(env, Date.now())).toEqual({ sources: 1, added: 0, retired: 1 });
    const gerrit = await findProcessorSource(env.CONTRIB_DB, GERRIT);
    expect(gerrit).toMatchObject({ status: "retired", version: 1 });
    expect(gerrit!.cursor).toEqual({ since: seconds("2024-03-07 15:00:00"), walk: null });
  });
});

describe("the admin API", () => {
  it("answers 409 before any config is loaded", async () => {
    const res = await admin("POST", "/processor/run");
    expect(res.status).toBe(409);
  });

  it("lists every source with its cursor, runs, records and errors", async () => {
    await setUp();
    gerritPages(remotes);
    await runToEnd(GERRIT);
    const res = await admin("GET", "/processor");
    expect(res.status).toBe(200);
    const body = await res.json<{ summary: Record<string, number>; sources: Record<string, unknown>[] }>();
    expect(body.summary).toEqual({ idle: 2 });
    expect(body.sources.map((s) => s.id)).toEqual([GERRIT, GITEA]);
    expect(body.sources[0]).toMatchObject({
      kind: "gerrit",
      status: "idle",
      target: { base: "https://review.example", project: "harbor/ferry", branch: "master", module: "ferry", defaultBranch: "master" },
      cursor: { since: seconds("2024-03-07 15:00:00"), walk: null },
      steps: 1,
      records_stored: 25,
      failures: 0,
      last_error: null,
    });
    expect(Date.parse(body.sources[0]!.next_run_at as string)).toBeGreaterThan(Date.now() + 3_500_000);
    const step = body.sources[0]!.last_step as Record<string, number>;
    // Two Gerrit pages, and a Launchpad lookup for each author the config does not know.
    expect(step).toMatchObject({ requests: remotes.calls.length, fetched: 25, stored: 25 });
    expect(remotes.callsTo("https://review.example/")).toHaveLength(2);
    expect(step.queries).toBeGreaterThan(5);
    expect(step.rows_read).toBeGreaterThan(0);
    expect(step.rows_written).toBeGreaterThanOrEqual(25);
    expect(body.sources[1]!.last_step).toBeNull();
    expect((await (await admin("GET", "/processor?kind=git")).json<{ sources: unknown[] }>()).sources).toHaveLength(1);
  });

  it.each<[unknown, number, RegExp]>([
    [{ source: "gerrit:https://nowhere:x:master" }, 404, /no followed source matches/],
    [{ module: "ferry", extra: 1 }, 400, /unknown field "extra"/],
    [{ kind: "svn" }, 400, /kind/],
  ])("refuses a run of %j with %i", async (body, status, message) => {
    await setUp();
    const res = await admin("POST", "/processor/run", body);
    expect(res.status).toBe(status);
    expect((await res.json<{ message: string }>()).message).toMatch(message);
  });

  it("refuses a status query it does not understand, and callers without the admin secret", async () => {
    expect((await admin("GET", "/processor?status=sleeping")).status).toBe(400);
    expect((await admin("GET", "/processor", undefined, null)).status).toBe(401);
  });

  it("runs a module's sources now, through the Queue, to the end", { timeout: 30_000 }, async () => {
    await loadConfig(config());
    gerritPages(remotes);
    const res = await admin("POST", "/processor/run", { module: "ferry" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", sources: 2, added: 2, selected: [GERRIT, GITEA], queued: 2 });
    await vi.waitFor(
      async () => {
        const sources = (await (await admin("GET", "/processor")).json<{ sources: { status: string }[] }>()).sources;
        expect(sources.map((s) => s.status)).toEqual(["idle", "idle"]);
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(await countByType()).toEqual({ review: 5, patch: 7, mark: 13 });
  });
});
