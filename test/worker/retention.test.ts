// Retention of raw rows (docs/operations.md, "Retention"): the hourly job deletes action logs and
// OSWL rows older than RETENTION_DAYS, in bounded chunks, and nothing else; the roll-up, the
// installations' objects and the reports do not notice.
import { createScheduledController, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { RAW_RETENTION, type RetentionRun } from "../../worker/cron/retention";
import { INSTALLATIONS_ROLLUP } from "../../worker/cron/rollup";
import { listJobRuns } from "../../worker/db/analytic";
import { DELETE_OLD_ACTION_LOGS, DELETE_OLD_OSWL_STATS, FIND_ACTION_LOG_BOUNDARY, findActionLogBoundary } from "../../worker/db/retention";
import { addDays, dayOf } from "../../worker/domain/days";
import type { Installation } from "../../worker/durable/installation";
import worker from "../../worker/index";
import { call, cluster, count, envWith, freshUid, httpRequestLog, oswl, postJson, resetStorage, structure } from "./helpers";

const DAY_MS = 86_400_000;
const HOURLY = "0 * * * *";

/** Runs the hourly Cron Trigger as the platform does, and returns what the retention job recorded. */
async function runHourly(vars: Record<string, string>, scheduledTime = Date.now()): Promise<RetentionRun> {
  await worker.scheduled!(createScheduledController({ cron: HOURLY, scheduledTime }), envWith(vars));
  const run = (await listJobRuns(env.ANALYTIC_DB)).find((r) => r.job === RAW_RETENTION && r.scheduledTime === scheduledTime);
  expect(run, "a run of the retention job").toBeDefined();
  expect(run!.status).toBe("ok");
  return JSON.parse(run!.detail!) as RetentionRun;
}

const post = async (path: string, body: unknown) => {
  const res = await postJson(path, body);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json<Record<string, { status: string }[]>>();
};
const postStructure = (uid: string, overrides: Record<string, unknown> = {}) =>
  post("/api/v1/installation_structure/", { installation_structure: structure(uid, overrides) });
const postLogs = (uid: string, ids: number[]) => post("/api/v1/action_logs/", { action_logs: ids.map((i) => httpRequestLog(uid, i)) });
const postOswls = (uid: string, rows: { id: number; day: string }[]) =>
  post("/api/v1/oswl_stats/", { oswl_stats: rows.map((r) => oswl(uid, r.id, { created_date: r.day })) });

/** Moves action logs' received_at back, as if they had been stored then. */
const backdateLogs = (uid: string, ids: number[], receivedAt: number) =>
  env.COLLECTOR_DB.prepare("UPDATE action_logs SET received_at = ?1 WHERE master_node_uid = ?2 AND external_id IN (SELECT value FROM json_each(?3))")
    .bind(receivedAt, uid, JSON.stringify(ids))
    .run();

/** Stores action logs with the given ids and received_at, as if the collector had stored them so. */
const storeLogs = (uid: string, logs: [id: number, receivedAt: number][]) =>
  env.COLLECTOR_DB.batch(
    logs.map(([id, at]) =>
      env.COLLECTOR_DB.prepare("INSERT INTO action_logs (id, master_node_uid, external_id, body, received_at) VALUES (?1, ?2, ?1, '{}', ?3)").bind(id, uid, at),
    ),
  );

/** An hour before and an hour after the cutoff of RETENTION_DAYS=30 at `now` (00:00 UTC of its first kept day). */
function aroundCutoff(now: number) {
  const cutoff = Date.parse(`${addDays(dayOf(now), -30)}T00:00:00Z`);
  return { old: cutoff - 3_600_000, recent: cutoff + 3_600_000 };
}

const logIds = async (uid: string) =>
  (await env.COLLECTOR_DB.prepare("SELECT external_id AS id FROM action_logs WHERE master_node_uid = ? ORDER BY external_id").bind(uid).all<{ id: number }>()).results.map(
    (r) => r.id,
  );
const oswlDays = async (uid: string) =>
  (await env.COLLECTOR_DB.prepare("SELECT created_date AS day FROM oswl_stats WHERE master_node_uid = ? ORDER BY created_date").bind(uid).all<{ day: string }>()).results.map(
    (r) => r.day,
  );

/** Every table retention must not touch, as rows. */
async function keptTables() {
  const collector = ["installation_structures", "installation_release_days", "installation_deletions"];
  const analytic = ["report_counts", "adoption_changes", "release_transitions", "rollup_installations"];
  const read = (db: D1Database, tables: string[]) => db.batch(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`)));
  const [c, a] = await Promise.all([read(env.COLLECTOR_DB, collector), read(env.ANALYTIC_DB, analytic)]);
  return Object.fromEntries([...collector.map((t, i) => [t, c[i]!.results]), ...analytic.map((t, i) => [t, a[i]!.results])]);
}

/** The roll-up tables without the time each row was written. */
async function rollupCounts() {
  const [counts, adoption, transitions, installations] = await env.ANALYTIC_DB.batch([
    env.ANALYTIC_DB.prepare("SELECT scope, metric, key, n FROM report_counts ORDER BY scope, metric, key"),
    env.ANALYTIC_DB.prepare("SELECT day, release, n FROM adoption_changes ORDER BY release, day"),
    env.ANALYTIC_DB.prepare("SELECT day, from_release, to_release, n FROM release_transitions ORDER BY day, from_release, to_release"),
    env.ANALYTIC_DB.prepare("SELECT master_node_uid, release, counted, summary, source_id FROM rollup_installations ORDER BY master_node_uid"),
  ]);
  return { counts: counts!.results, adoption: adoption!.results, transitions: transitions!.results, installations: installations!.results };
}

/** The JSON reports as an admin gets them (every number), without their headers. */
async function reports() {
  const today = dayOf(Date.now());
  const paths = [
    "/api/v1/json/report/installations",
    "/api/v1/json/report/installations?release=9.0",
    "/api/v1/json/report/releases",
    `/api/v1/json/report/adoption?from_date=${addDays(today, -60)}&to_date=${today}`,
    "/api/v1/json/report/filtering",
  ];
  const answers = await Promise.all(paths.map((p) => call(p, { headers: { authorization: "Bearer test-admin-token-0123456789" } })));
  return Promise.all(answers.map((r) => (expect(r.status).toBe(200), r.json())));
}

const clearRollup = () =>
  env.ANALYTIC_DB.batch(
    ["report_counts", "adoption_changes", "release_transitions", "rollup_installations", "rollup_cursors"].map((t) => env.ANALYTIC_DB.prepare(`DELETE FROM ${t}`)),
  );

const release = (name: string) => ({ fuel_release: { release: name, build_id: "ga", api: "1", feature_groups: [] } });

beforeEach(resetStorage);

describe("retention of raw rows, run by the hourly job", () => {
  it("deletes action logs and OSWL rows older than RETENTION_DAYS and keeps the newer ones, the structures and the roll-ups", async () => {
    const now = Date.now();
    const today = dayOf(now);
    const [a, b] = [freshUid("ret-a"), freshUid("ret-b")];
    await postStructure(a, { ...release("8.0"), clusters_num: 1, clusters: [cluster(1, 3)] });
    await postStructure(a, { ...release("9.0"), clusters_num: 2, clusters: [cluster(1, 3), cluster(2, 5, { status: "error" })] });
    await postStructure(b, { ...release("9.0"), clusters_num: 1, clusters: [cluster(3, 1)] });
    // Stored in time order, as the collector stores them: the old logs first.
    await postLogs(a, [1, 2, 3]);
    await postLogs(b, [1]);
    await postLogs(a, [4, 5]);
    await postLogs(b, [2]);
    await backdateLogs(a, [1, 2, 3], now - 40 * DAY_MS);
    await backdateLogs(b, [1], now - 31 * DAY_MS);
    await postOswls(a, [
      { id: 1, day: addDays(today, -45) },
      { id: 2, day: `${addDays(today, -31)}T23:59:59` },
      { id: 3, day: addDays(today, -30) },
      { id: 4, day: today },
    ]);
    await postOswls(b, [{ id: 1, day: "2015-02-24" }]);

    // Retention off: the roll-up counts everything, and nothing is deleted.
    const off = await runHourly({});
    expect(off).toMatchObject({ retentionDays: null, keptFrom: null, statements: [], stopped: "off" });
    const before = await keptTables();
    const reportsBefore = await reports();
    expect(reportsBefore[0]).toMatchObject({ installations: { count: 2 } });

    const run = await runHourly({ RETENTION_DAYS: "30" }, now);
    const from = addDays(today, -30);
    expect(run).toMatchObject({ retentionDays: 30, keptFrom: from, deleted: { action_logs: 4, oswl_stats: 3 }, stopped: "done" });
    expect(run.rowsWritten).toBeGreaterThanOrEqual(7);
    expect(await logIds(a)).toEqual([4, 5]);
    expect(await logIds(b)).toEqual([2]);
    // The first kept day is kept whole; a created_date with a time counts by its day.
    expect(await oswlDays(a)).toEqual([from, today]);
    expect(await oswlDays(b)).toEqual([]);
    expect(await keptTables()).toEqual(before);
    expect(await reports()).toEqual(reportsBefore);

    // A later roll-up, and a recount of every installation from nothing, give the same reports.
    await postStructure(b, { ...release("9.0"), clusters_num: 1, clusters: [cluster(3, 1)] });
    await runHourly({ RETENTION_DAYS: "30" }, now + 3_600_000);
    const counted = await rollupCounts();
    expect(await reports()).toEqual(reportsBefore);
    await clearRollup();
    await runHourly({ RETENTION_DAYS: "30" }, now + 7_200_000);
    const recount = (await listJobRuns(env.ANALYTIC_DB)).find((r) => r.job === INSTALLATIONS_ROLLUP && r.scheduledTime === now + 7_200_000);
    expect(JSON.parse(recount!.detail!)).toMatchObject({ fullPass: true, installations: 2 });
    expect(await rollupCounts()).toEqual(counted);
    expect(await reports()).toEqual(reportsBefore);
  });

  it("deletes nothing by default, however old the rows", async () => {
    const uid = freshUid("ret-off");
    await postStructure(uid);
    await postLogs(uid, [1, 2]);
    await backdateLogs(uid, [1, 2], 0);
    await postOswls(uid, [{ id: 1, day: "1999-01-01" }]);
    const run = await runHourly({});
    expect(run).toEqual({
      retentionDays: null,
      keptFrom: null,
      actionLogsThroughId: null,
      statements: [],
      deleted: { action_logs: 0, oswl_stats: 0 },
      rowsWritten: 0,
      stopped: "off",
    });
    expect(await runHourly({ RETENTION_DAYS: "off" }, Date.now() + 1)).toMatchObject({ stopped: "off", statements: [] });
    expect(await logIds(uid)).toEqual([1, 2]);
    expect(await oswlDays(uid)).toEqual(["1999-01-01"]);
  });

  it("answers a re-sent action log whose row it deleted with existed, and does not store it again", async () => {
    const uid = freshUid("ret-dedup");
    await postStructure(uid);
    await postLogs(uid, [1, 2]);
    await backdateLogs(uid, [1, 2], Date.now() - 100 * DAY_MS);
    expect((await runHourly({ RETENTION_DAYS: "30" })).deleted.action_logs).toBe(2);
    expect(await count("action_logs", uid)).toBe(0);

    const resent = await postLogs(uid, [1, 2, 3]);
    expect(resent.action_logs!.map((l) => l.status)).toEqual(["existed", "existed", "added"]);
    expect(await logIds(uid)).toEqual([3]);
    // The object's memory of stored keys is not touched by retention.
    const ranges = await runInDurableObject(env.INSTALLATION.get(env.INSTALLATION.idFromName(uid)), (_: Installation, state) =>
      state.storage.sql.exec<{ lo: number; hi: number }>("SELECT lo, hi FROM action_log_ranges ORDER BY lo").toArray(),
    );
    expect(ranges).toEqual([{ lo: 1, hi: 3 }]);
  });

  it("makes at most RETENTION_STATEMENTS_PER_RUN statements of RETENTION_ROWS_PER_STATEMENT rows a run, the tables taking turns, and goes on in the next runs", async () => {
    const uid = freshUid("ret-bound");
    const old = addDays(dayOf(Date.now()), -90);
    await postStructure(uid);
    await postLogs(uid, Array.from({ length: 23 }, (_, i) => i + 1));
    await backdateLogs(uid, Array.from({ length: 23 }, (_, i) => i + 1), Date.now() - 90 * DAY_MS);
    await postLogs(uid, [100]);
    await postOswls(uid, [...Array.from({ length: 7 }, (_, i) => ({ id: i + 1, day: old })), { id: 100, day: dayOf(Date.now()) }]);
    const vars = { RETENTION_DAYS: "30", RETENTION_ROWS_PER_STATEMENT: "5", RETENTION_STATEMENTS_PER_RUN: "2" };
    const t = Date.now();

    const runs: RetentionRun[] = [];
    const left: [number, number][] = [];
    for (let i = 0; i < 5; i++) {
      runs.push(await runHourly(vars, t + i * 3_600_000));
      left.push([await count("action_logs", uid), await count("oswl_stats", uid)]);
    }
    const steps = (run: RetentionRun) => run.statements.map((s) => `${s.table}:${s.deleted}`);
    // A table is tried again at every run (old rows may have arrived since), at the cost of one statement.
    expect(runs.map(steps)).toEqual([
      ["action_logs:5", "oswl_stats:5"],
      ["action_logs:5", "oswl_stats:2"],
      ["action_logs:5", "oswl_stats:0"],
      ["action_logs:5", "oswl_stats:0"],
      ["action_logs:3", "oswl_stats:0"],
    ]);
    expect(runs.map((r) => r.stopped)).toEqual(["budget", "budget", "budget", "budget", "done"]);
    expect(left).toEqual([
      [24 - 5, 8 - 5],
      [24 - 10, 1],
      [24 - 15, 1],
      [24 - 20, 1],
      [1, 1],
    ]);
    expect(await logIds(uid)).toEqual([100]);
  });

  it("finds the action logs' boundary and each chunk by primary key, and the OSWL chunks through their date index, without a sort or a scan", async () => {
    const plan = async (sql: string, ...params: unknown[]) =>
      (await env.COLLECTOR_DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>()).results.map((r) => r.detail).join("\n");
    const boundary = await plan(FIND_ACTION_LOG_BOUNDARY, Date.now());
    expect(boundary).toContain("SEARCH action_logs USING INTEGER PRIMARY KEY (rowid>?)");
    const logs = await plan(DELETE_OLD_ACTION_LOGS, 1000, Date.now(), 1000);
    expect(logs).toContain("SEARCH action_logs USING INTEGER PRIMARY KEY (rowid<?)");
    const oswls = await plan(DELETE_OLD_OSWL_STATS, "2026-01-01", 1000);
    expect(oswls).toContain("USING COVERING INDEX oswl_stats_created_date_idx (created_date<?)");
    for (const steps of [boundary, logs, oswls]) {
      expect(steps).not.toMatch(/TEMP B-TREE|SCAN action_logs|SCAN oswl_stats|INDEX action_logs/);
    }
    for (const steps of [logs, oswls]) expect(steps).toMatch(/USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    // Migration 0008 dropped the index 0007 had added for retention.
    const indexes = await env.COLLECTOR_DB.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'action_logs'").all<{ name: string }>();
    expect(indexes.results.map((r) => r.name)).not.toContain("action_logs_received_at_idx");
  });

  it("finds the last action log stored before the cutoff by a bisection over ids with gaps", async () => {
    const ids = [5, 9, 10, 200, 201, 5000, 5001, 90_000];
    await storeLogs("ret-gaps", ids.map((id, i) => [id, 1000 * (i + 1)]));
    expect(await findActionLogBoundary(env.COLLECTOR_DB, 0)).toBe(5); // none is older: the delete finds nothing
    for (const [i, id] of ids.entries()) {
      expect(await findActionLogBoundary(env.COLLECTOR_DB, 1000 * (i + 1) + 1), `cutoff after the log ${id}`).toBe(id);
    }
  });

  it("reads a few rows per bisection step to find the boundary among 20,000 action logs, not the table", async () => {
    await env.COLLECTOR_DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
       INSERT INTO action_logs (id, master_node_uid, external_id, body, received_at) SELECT i, 'ret-many', i, '{}', i * 10 FROM n`,
    ).run();
    const { results, meta } = await env.COLLECTOR_DB.prepare(FIND_ACTION_LOG_BOUNDARY).bind(123_455).all<{ id: number }>();
    expect(results).toEqual([{ id: 12_345 }]);
    // Each step: two point lookups and the step's own row; and the two ends of the id range.
    const steps = Math.ceil(Math.log2(20_000));
    expect(meta.rows_read).toBeLessThanOrEqual(3 * steps + 4);
  });

  it("keeps the action logs of an empty table out of the run: no boundary and no statement", async () => {
    const uid = freshUid("ret-empty");
    await postStructure(uid);
    expect(await findActionLogBoundary(env.COLLECTOR_DB, Date.now())).toBeNull();
    const run = await runHourly({ RETENTION_DAYS: "30" });
    expect(run).toMatchObject({ actionLogsThroughId: null, statements: [{ table: "oswl_stats", deleted: 0 }], stopped: "done" });
    expect(run.deleted).toEqual({ action_logs: 0, oswl_stats: 0 });
  });

  it("keeps a newer action log stored with a lower id than older ones", async () => {
    const now = Date.now();
    const { old, recent } = aroundCutoff(now);
    await storeLogs("ret-order", [[1, old], [2, recent], [3, old], [4, old], [5, recent], [6, now]]);
    const run = await runHourly({ RETENTION_DAYS: "30" }, now);
    expect(run).toMatchObject({ actionLogsThroughId: 4, deleted: { action_logs: 3 }, stopped: "done" });
    expect(await logIds("ret-order")).toEqual([2, 5, 6]);
  });

  it("keeps an older action log stored above the boundary, behind a newer one, until a later run's boundary passes it", async () => {
    const now = Date.now();
    const { old, recent } = aroundCutoff(now);
    // The logs 3 to 5 are stored in the hour after the cutoff, then 6 with an older time.
    await storeLogs("ret-late", [[1, old], [2, old], [3, recent], [4, recent], [5, recent], [6, old], [7, now], [8, now]]);
    const first = await runHourly({ RETENTION_DAYS: "30" }, now);
    expect(first).toMatchObject({ actionLogsThroughId: 2, deleted: { action_logs: 2 } });
    expect(await logIds("ret-late")).toEqual([3, 4, 5, 6, 7, 8]);
    // A day later the cutoff has passed 3 to 5, every log below 6 is old, and the boundary reaches it.
    const next = await runHourly({ RETENTION_DAYS: "30" }, now + DAY_MS);
    expect(next).toMatchObject({ actionLogsThroughId: 6, deleted: { action_logs: 4 } });
    expect(await logIds("ret-late")).toEqual([7, 8]);
  });

  it("refuses a setting it cannot use: the job fails naming it and deletes nothing, and the other jobs still run", async () => {
    const uid = freshUid("ret-bad");
    await postStructure(uid);
    await postLogs(uid, [1]);
    await backdateLogs(uid, [1], 0);
    const scheduledTime = Date.now();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const invocation = worker.scheduled!(createScheduledController({ cron: HOURLY, scheduledTime }), envWith({ RETENTION_DAYS: "30d" }));
      await expect(invocation).rejects.toThrow(`scheduled jobs failed: ${RAW_RETENTION}`);
    } finally {
      logged.mockRestore();
    }
    const runs = (await listJobRuns(env.ANALYTIC_DB)).filter((r) => r.scheduledTime === scheduledTime);
    const failed = runs.find((r) => r.job === RAW_RETENTION)!;
    expect(failed.status).toBe("failed");
    expect(JSON.parse(failed.detail!).error).toBe(`Error: invalid setting RETENTION_DAYS: expected "off" or a whole number of days from 1 to 36500`);
    expect(runs.find((r) => r.job === INSTALLATIONS_ROLLUP)?.status).toBe("ok");
    expect(runs.find((r) => r.job === "bundles-maintenance")?.status).toBe("ok");
    expect(await logIds(uid)).toEqual([1]);
  });
});
