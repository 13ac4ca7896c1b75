import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { INSTALLATIONS_ROLLUP, runInstallationsRollup } from "../../worker/cron/rollup";
import { dispatchScheduled } from "../../worker/cron/dispatcher";
import { listJobRuns } from "../../worker/db/analytic";
import { commitChunk, CursorMovedError } from "../../worker/db/rollup";
import { dayOf } from "../../worker/domain/days";
import { countKey } from "../../worker/domain/rollup";
import { ADMIN_TOKEN, call, cluster, postJson, resetStorage, structure } from "./helpers";

const FOREVER = { chunkSize: 500, overlapMs: 0, budgetMs: 60_000 };
const rollUp = (options: Partial<Parameters<typeof runInstallationsRollup>[1]> = {}) =>
  runInstallationsRollup(env, { ...FOREVER, ...options });

const post = async (uid: string, overrides: Record<string, unknown>) => {
  const res = await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid, overrides) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
};
const release = (name: string, build_id = "ga") => ({ fuel_release: { release: name, build_id, api: "1", feature_groups: [] } });
const putRules = async (rules: unknown) => {
  const res = await call("/api/v1/admin/filtering-rules", {
    method: "PUT",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(rules),
  });
  expect(res.status).toBe(200);
};
const report = async (query = "") => {
  const res = await call(`/api/v1/json/report/installations${query}`);
  expect(res.status).toBe(200);
  return res.json<{
    installations: { count: number; environments_num: Record<string, number> };
    environments: Record<string, number | Record<string, number>>;
  }>();
};

/** Every roll-up table, in a stable order, without the time each row was written. */
async function rollupTables() {
  const [counts, adoption, transitions, installations] = await env.ANALYTIC_DB.batch([
    env.ANALYTIC_DB.prepare("SELECT scope, metric, key, n FROM report_counts ORDER BY scope, metric, key"),
    env.ANALYTIC_DB.prepare("SELECT day, release, n FROM adoption_changes ORDER BY release, day"),
    env.ANALYTIC_DB.prepare("SELECT day, from_release, to_release, n FROM release_transitions ORDER BY day, from_release, to_release"),
    env.ANALYTIC_DB.prepare(
      "SELECT master_node_uid, release, counted, is_filtered, trust, summary, source_updated_at FROM rollup_installations ORDER BY master_node_uid",
    ),
  ]);
  return { counts: counts!.results, adoption: adoption!.results, transitions: transitions!.results, installations: installations!.results };
}

async function clearRollupTables() {
  await env.ANALYTIC_DB.batch(
    ["report_counts", "adoption_changes", "release_transitions", "rollup_installations", "rollup_cursors"].map((t) =>
      env.ANALYTIC_DB.prepare(`DELETE FROM ${t}`),
    ),
  );
}

/** Moves an installation's recorded releases back in time, as if it had reported them earlier. */
const backdateReleases = (uid: string, day: string) =>
  env.COLLECTOR_DB.prepare("UPDATE installation_release_days SET day = ? WHERE master_node_uid = ?").bind(day, uid).run();

/** The fixture of fuel-stats' report tests (reference §3.2): three installations, one filtered. */
async function seedFuelStatsFixture() {
  await putRules({ "9.0": [{ build_id: "ga" }], "8.0": null });
  await post("inst-a", {
    ...release("9.0"),
    clusters_num: 3,
    clusters: [
      cluster(1, 2, { status: "new", attributes: { libvirt_type: "qemu" } }),
      cluster(2, 3, { status: "operational", attributes: { libvirt_type: "Kvm" }, release: { version: "v", name: "n", os: "Ubuntu" } }),
      cluster(3, 0, { status: "error", attributes: { libvirt_type: "kvm" } }),
    ],
  });
  await post("inst-b", {
    ...release("9.0"),
    clusters_num: 3,
    clusters: [
      cluster(4, 1, { status: "deployment" }),
      cluster(5, 5, { status: "operational" }),
      cluster(6, 5, { status: "operational", attributes: { libvirt_type: "vcenter" } }),
    ],
  });
  await post("inst-filtered", { ...release("9.0", "dev-build"), clusters_num: 1, clusters: [cluster(7, 9, { status: "error" })] });
  await post("inst-empty", { ...release("8.0"), clusters_num: 0, clusters: [] });
}

beforeEach(resetStorage);

describe("the installations roll-up and report", () => {
  it("counts exactly as fuel-stats' report does", async () => {
    await seedFuelStatsFixture();
    const run = await rollUp();
    expect(run).toMatchObject({ installations: 4, stopped: "done", fullPass: true });

    const nine = await report("?release=9.0");
    expect(nine).toEqual({
      installations: { count: 2, environments_num: { "3": 2 } },
      environments: {
        count: 6,
        // operational and error clusters with a node count, 0 nodes included (fuel-stats read it as text)
        operable_envs_count: 4,
        statuses: { new: 1, deployment: 1, error: 1, operational: 3 },
        nodes_num: { "3": 1, "0": 1, "5": 2 },
        hypervisors_num: { kvm: 3, vcenter: 1 },
        oses_num: { ubuntu: 1, centos: 3 },
      },
    });
    // The installation without clusters still counts, under its clusters_num 0, with no environment.
    expect(await report("?release=8.0")).toEqual({
      installations: { count: 1, environments_num: { "0": 1 } },
      environments: { count: 0, operable_envs_count: 0, statuses: {}, nodes_num: {}, hypervisors_num: {}, oses_num: {} },
    });
    const all = await report();
    expect(all.installations).toEqual({ count: 3, environments_num: { "3": 2, "0": 1 } });
    expect(all.environments.count).toBe(6);
    expect(await report("?release=no-such-release")).toEqual({
      installations: { count: 0, environments_num: {} },
      environments: { count: 0, operable_envs_count: 0, statuses: {}, nodes_num: {}, hypervisors_num: {}, oses_num: {} },
    });
  });

  it("lists the releases present in the data, newest first", async () => {
    await seedFuelStatsFixture();
    await post("inst-10", { ...release("10.0"), clusters_num: 0, clusters: [] });
    await putRules({ "9.0": [{ build_id: "ga" }], "8.0": null, "10.0": null });
    await rollUp();
    const res = await call("/api/v1/json/report/releases");
    expect(res.headers.get("cache-control")).toBe("public, no-cache");
    expect(await res.json()).toEqual({
      releases: [
        { release: "10.0", installations: 1 },
        { release: "9.0", installations: 2 },
        { release: "8.0", installations: 1 },
      ],
    });
  });

  it("gives the same tables when cut off after any chunk and resumed as in one uninterrupted run", async () => {
    for (let i = 0; i < 9; i++) {
      await post(`inst-${i}`, {
        ...release(i % 3 === 0 ? "8.0" : "9.0"),
        clusters_num: i % 4,
        clusters: Array.from({ length: i % 4 }, (_, c) => cluster(i * 10 + c, 1 + ((i + c) % 5), { status: ["new", "operational", "error"][c % 3] })),
      });
    }
    await backdateReleases("inst-4", "2026-01-10");
    await post("inst-4", { ...release("10.0"), clusters_num: 0, clusters: [] });

    let runs = 0;
    for (;;) {
      const run = await rollUp({ chunkSize: 2, maxChunks: 1 });
      runs++;
      if (run.stopped === "done") break;
      expect(run).toMatchObject({ stopped: "budget", chunks: 1, installations: 2 });
    }
    expect(runs).toBe(5);
    const resumed = await rollupTables();

    await clearRollupTables();
    expect((await rollUp()).chunks).toBe(1);
    expect(await rollupTables()).toEqual(resumed);
    expect(resumed.transitions).toEqual([{ day: dayOf(Date.now()), from_release: "9.0", to_release: "10.0", n: 1 }]);
  });

  it("changes nothing when run again, and reads only what changed since", async () => {
    await seedFuelStatsFixture();
    const first = await rollUp();
    const tables = await rollupTables();
    const again = await rollUp();
    expect(again).toMatchObject({ installations: 0, chunks: 0, fullPass: false, stopped: "done" });
    expect(again.rowsRead).toBeLessThan(first.rowsRead);
    expect(await rollupTables()).toEqual(tables);

    await post("inst-b", { ...release("9.0"), clusters_num: 1, clusters: [cluster(5, 5, { status: "error" })] });
    const incremental = await rollUp();
    expect(incremental).toMatchObject({ installations: 1, chunks: 1 });
    expect((await report("?release=9.0")).environments.statuses).toEqual({ new: 1, error: 2, operational: 1 });
  });

  it("counts a write that committed behind the cursor on the next run, thanks to the overlap", async () => {
    await post("early", { ...release("9.0"), clusters_num: 0, clusters: [] });
    await post("late", { ...release("9.0"), clusters_num: 0, clusters: [] });
    // "late" changes, but its write took the time before "early"'s: it lands behind the cursor.
    await rollUp();
    await post("late", { ...release("9.0"), clusters_num: 1, clusters: [cluster(1, 2, { status: "error" })] });
    const { cursorAt } = (await rollUp({ maxChunks: 0 })).cursor;
    await env.COLLECTOR_DB.prepare("UPDATE installation_structures SET updated_at = ? WHERE master_node_uid = 'late'").bind(cursorAt - 1_000).run();
    await post("early", { ...release("9.0"), clusters_num: 0, clusters: [] });

    expect((await rollUp()).installations).toBe(1);
    expect((await report("?release=9.0")).environments.statuses).toEqual({});
    const run = await rollUp({ overlapMs: 60_000 });
    expect(run.installations).toBe(2);
    expect((await report("?release=9.0")).environments.statuses).toEqual({ error: 1 });
    // Reading the overlap again changes nothing, and the cursor does not move back.
    const tables = await rollupTables();
    const again = await rollUp({ overlapMs: 60_000 });
    expect(again.installations).toBe(2);
    expect(await rollupTables()).toEqual(tables);
    expect(again.cursor).toMatchObject({ cursorAt: run.cursor.cursorAt, cursorId: run.cursor.cursorId });
  });

  it("records every change of release an installation reports, several in a day in their order", async () => {
    await post("changer", { ...release("8.0"), clusters_num: 0, clusters: [] });
    await backdateReleases("changer", "2026-02-01");
    await post("changer", { ...release("9.0"), clusters_num: 0, clusters: [] });
    await post("changer", { ...release("10.0"), clusters_num: 0, clusters: [] });
    await post("changer", { ...release("10.0"), clusters_num: 1, clusters: [cluster(1)] });
    const days = await env.COLLECTOR_DB.prepare(
      "SELECT day, release FROM installation_release_days WHERE master_node_uid = 'changer' ORDER BY day, id",
    ).all();
    const today = dayOf(Date.now());
    expect(days.results).toEqual([
      { day: "2026-02-01", release: "8.0" },
      { day: today, release: "9.0" },
      { day: today, release: "10.0" },
    ]);
  });

  it("moves an installation between releases in the report and counts the upgrade", async () => {
    await post("upgrader", { ...release("8.0"), clusters_num: 0, clusters: [] });
    await post("stayer", { ...release("8.0"), clusters_num: 0, clusters: [] });
    await backdateReleases("upgrader", "2026-03-01");
    await backdateReleases("stayer", "2026-03-02");
    await rollUp();
    expect((await report("?release=8.0")).installations.count).toBe(2);

    await post("upgrader", { ...release("9.0"), clusters_num: 0, clusters: [] });
    await rollUp();
    expect((await report("?release=8.0")).installations.count).toBe(1);
    expect((await report("?release=9.0")).installations.count).toBe(1);

    const today = dayOf(Date.now());
    const res = await call(`/api/v1/json/report/adoption?from_date=2026-02-28&to_date=${today}`);
    expect(res.status).toBe(200);
    const adoption = await res.json<{
      releases: string[];
      days: { date: string; installations: Record<string, number> }[];
      transitions: unknown[];
      transitions_by_day: unknown[];
    }>();
    expect(adoption.releases).toEqual(["9.0", "8.0"]);
    expect(adoption.days[0]).toEqual({ date: "2026-02-28", installations: {} });
    expect(adoption.days[1]).toEqual({ date: "2026-03-01", installations: { "8.0": 1 } });
    expect(adoption.days[2]).toEqual({ date: "2026-03-02", installations: { "8.0": 2 } });
    expect(adoption.days.at(-1)).toEqual({ date: today, installations: { "9.0": 1, "8.0": 1 } });
    expect(adoption.transitions).toEqual([{ from_release: "8.0", to_release: "9.0", installations: 1 }]);
    expect(adoption.transitions_by_day).toEqual([{ date: today, from_release: "8.0", to_release: "9.0", installations: 1 }]);
  });

  it("shows an upgrade and its revert within one day as two transitions, whenever the roll-up runs", async () => {
    await post("flipper", { ...release("8.0"), clusters_num: 0, clusters: [] });
    await backdateReleases("flipper", "2026-03-01");
    await rollUp();
    await post("flipper", { ...release("9.0"), clusters_num: 0, clusters: [] });
    await rollUp();
    await post("flipper", { ...release("8.0"), clusters_num: 0, clusters: [] });
    await rollUp();

    const today = dayOf(Date.now());
    const adoptionReport = async () => {
      const res = await call(`/api/v1/json/report/adoption?from_date=2026-03-01&to_date=${today}`);
      expect(res.status).toBe(200);
      return res.json<{ days: { date: string; installations: Record<string, number> }[]; transitions: unknown[]; transitions_by_day: unknown[] }>();
    };
    const adoption = await adoptionReport();
    expect(adoption.transitions_by_day).toEqual([
      { date: today, from_release: "8.0", to_release: "9.0", installations: 1 },
      { date: today, from_release: "9.0", to_release: "8.0", installations: 1 },
    ]);
    expect(adoption.transitions).toHaveLength(2);
    // Back where it started: the day ends on 8.0 and 9.0 has no installation.
    expect(adoption.days.at(-1)).toEqual({ date: today, installations: { "8.0": 1 } });
    expect(await env.ANALYTIC_DB.prepare("SELECT count(*) AS n FROM adoption_changes WHERE release = '9.0' AND n != 0").first()).toEqual({ n: 0 });

    // Counting it all again in one roll-up gives the same tables.
    const tables = await rollupTables();
    await clearRollupTables();
    await rollUp();
    expect(await rollupTables()).toEqual(tables);
    expect(await adoptionReport()).toEqual(adoption);
  });

  it("re-classifies every installation in the next roll-up after the rules change", async () => {
    await seedFuelStatsFixture();
    await rollUp();
    expect((await report("?release=9.0")).installations.count).toBe(2);

    // Now the dev build is allowed and "ga" is not.
    await putRules({ "9.0": [{ build_id: "dev-build" }], "8.0": null });
    const run = await rollUp();
    expect(run).toMatchObject({ fullPass: true, installations: 4 });
    expect(run.reclassified).toBe(3);
    expect((await report("?release=9.0")).installations.count).toBe(1);
    expect((await report("?release=8.0")).installations.count).toBe(1);
    const stored = await env.COLLECTOR_DB.prepare(
      "SELECT master_node_uid AS uid, is_filtered FROM installation_structures ORDER BY master_node_uid",
    ).all();
    expect(stored.results).toEqual([
      { uid: "inst-a", is_filtered: 1 },
      { uid: "inst-b", is_filtered: 1 },
      { uid: "inst-empty", is_filtered: 0 },
      { uid: "inst-filtered", is_filtered: 0 },
    ]);
    expect((await rollUp()).fullPass).toBe(false);
  });

  it("commits a chunk only on the cursor version it started from", async () => {
    const from = { version: 0, cursorAt: -1, cursorId: 0, rulesEpoch: "" };
    const chunk = () => ({
      job: INSTALLATIONS_ROLLUP,
      from,
      to: { cursorAt: 5, cursorId: 1, rulesEpoch: "0:0" },
      installations: [],
      report: new Map([[countKey("all", "installations.count", ""), 1]]),
      adoption: new Map(),
      transitions: new Map(),
      now: 1,
    });
    await commitChunk(env.ANALYTIC_DB, chunk());
    const before = await rollupTables();
    await expect(commitChunk(env.ANALYTIC_DB, chunk())).rejects.toBeInstanceOf(CursorMovedError);
    expect(await rollupTables()).toEqual(before);
    expect(before.counts).toEqual([{ scope: "all", metric: "installations.count", key: "", n: 1 }]);
  });

  it("counts every installation once when runs overlap", async () => {
    await seedFuelStatsFixture();
    await Promise.all([rollUp({ chunkSize: 1 }), rollUp({ chunkSize: 1 }), rollUp({ chunkSize: 1 })]);
    while ((await rollUp({ chunkSize: 1 })).installations > 0);
    const raced = await rollupTables();
    await clearRollupTables();
    await rollUp();
    expect(await rollupTables()).toEqual(raced);
  });

  it("runs hourly from the cron trigger and records what it read, wrote and where it stopped", async () => {
    await seedFuelStatsFixture();
    const at = Date.now() + 3_600_000;
    await dispatchScheduled(env, "0 * * * *", at);
    const [run] = (await listJobRuns(env.ANALYTIC_DB)).filter((r) => r.job === INSTALLATIONS_ROLLUP && r.scheduledTime === at);
    expect(run).toMatchObject({ status: "ok" });
    const detail = JSON.parse(run!.detail!);
    expect(detail).toMatchObject({ installations: 4, chunks: 1, stopped: "done", fullPass: true });
    expect(detail.rowsRead).toBeGreaterThan(0);
    expect(detail.rowsWritten).toBeGreaterThan(0);
    expect(detail.cursor).toMatchObject({ version: 1 });
    expect(detail.ms).toBeGreaterThanOrEqual(0);
  });
});

describe("the report API", () => {
  it("is revalidated before each use (test/worker/report-caching.test.ts), and refresh=1 is for the admin only", async () => {
    const res = await call("/api/v1/json/report/installations");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, no-cache");

    expect((await call("/api/v1/json/report/installations?refresh=1")).status).toBe(401);
    await post("refreshed", { ...release("7.0"), clusters_num: 0, clusters: [] });
    const fresh = await call("/api/v1/json/report/installations?refresh=1&release=7.0", {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("cache-control")).toBe("no-store");
    expect((await fresh.json<{ installations: { count: number } }>()).installations.count).toBe(1);
  });

  it.each([
    ["/installations?release=", "release"],
    [`/installations?release=${"x".repeat(200)}`, "release"],
    ["/installations?refresh=yes", "refresh"],
    ["/adoption?from_date=2026-13-01", "from_date: expected a date as YYYY-MM-DD"],
    ["/adoption?to_date=yesterday", "to_date: expected a date as YYYY-MM-DD"],
    ["/adoption?from_date=2026-05-02&to_date=2026-05-01", "from_date (2026-05-02) is after to_date (2026-05-01)"],
    ["/adoption?from_date=2000-01-01&to_date=2026-05-01", "spans more than"],
  ])("answers 400 naming the problem for %s", async (path, problem) => {
    const res = await call(`/api/v1/json/report${path}`);
    expect(res.status).toBe(400);
    const body = await res.json<{ status: string; message: string }>();
    expect(body.status).toBe("error");
    expect(body.message).toContain(problem);
  });

  it("defaults the adoption range to the last 90 days", async () => {
    const body = await (await call("/api/v1/json/report/adoption")).json<{ from_date: string; to_date: string; days: unknown[] }>();
    expect(body.to_date).toBe(dayOf(Date.now()));
    expect(body.days).toHaveLength(90);
  });
});
