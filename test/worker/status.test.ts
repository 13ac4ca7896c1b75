// GET /api/v1/admin/status: its shape, and its numbers against data seeded through the same query
// functions the jobs use.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ServiceStatusSchema, type ServiceStatus } from "../../schemas/status";
import { manifestKey, stateKey } from "../../worker/backups/job";
import { SCHEDULE } from "../../worker/cron/dispatcher";
import { finishJobRun, startJobRun } from "../../worker/db/analytic";
import { insertBundle, markBundleFailed, markBundleRunning, queuedBundle } from "../../worker/db/bundles";
import { addOutcomes } from "../../worker/db/collector";
import { insertStepLog, markSourceRunning, markSourcesQueued, recordSourceFailure, syncProcessorSources } from "../../worker/db/processor";
import { backupIdOf } from "../../worker/domain/backup-values";
import { dayOf } from "../../worker/domain/days";
import { readServiceStatus } from "../../worker/observability/status";
import { adminCall, call } from "./helpers";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

async function jobRun(job: string, startedAt: number, end?: { status: "ok" | "failed"; detail: unknown; after: number }) {
  const id = await startJobRun(env.ANALYTIC_DB, { job, cron: "0 * * * *", scheduledTime: startedAt, startedAt });
  if (end) await finishJobRun(env.ANALYTIC_DB, id, { status: end.status, detail: end.detail, finishedAt: startedAt + end.after });
}

async function bundle(createdAt: number, ttlMs = 72 * HOUR) {
  const row = queuedBundle({ fromDate: "2026-01-01", toDate: "2026-01-31" }, ["installations", "nodes"], createdAt, ttlMs);
  await insertBundle(env.ANALYTIC_DB, row);
  return row.id;
}

const completeBackup = backupIdOf(now - DAY);
const runningBackup = backupIdOf(now - HOUR);
let failedBundle: string;

beforeAll(async () => {
  // Cron runs: the roll-up succeeded two hours ago and failed one hour ago; the backups job failed
  // three days ago and succeeded since; the bundles' maintenance failed 40 days ago only (outside
  // the window read); the processor's job is running.
  await jobRun("installations-rollup", now - 2 * HOUR, { status: "ok", detail: { installations: 3, stopped: "done" }, after: 1200 });
  await jobRun("installations-rollup", now - HOUR, { status: "failed", detail: { error: "Error: boom" }, after: 500 });
  await jobRun("backups", now - 3 * DAY, { status: "failed", detail: { error: "Error: R2 down" }, after: 100 });
  await jobRun("backups", now - 10 * MINUTE, { status: "ok", detail: { started: null }, after: 40 });
  await jobRun("bundles-maintenance", now - 40 * DAY, { status: "failed", detail: { error: "Error: long ago" }, after: 10 });
  await jobRun("contrib-processor", now - MINUTE);

  // Bundles: one queued, one running, one failed an hour ago; one failed and expired long ago.
  await bundle(now - 30 * MINUTE);
  await markBundleRunning(env.ANALYTIC_DB, await bundle(now - 10 * MINUTE), now - 5 * MINUTE);
  failedBundle = await bundle(now - 2 * HOUR);
  await markBundleFailed(env.ANALYTIC_DB, failedBundle, "step 1 failed 5 times: Error: R2 said no", now - HOUR);
  const expired = await bundle(now - 5 * DAY);
  await markBundleFailed(env.ANALYTIC_DB, expired, "too old to count", now - 5 * DAY);

  // Processor sources: idle, queued, running, failed, and queued again after an error.
  const specs = ["a", "b", "c", "d", "e"].map((x) => ({ id: `gerrit:${x}`, kind: x === "e" ? "git" : "gerrit", target: { project: x } }));
  await syncProcessorSources(env.CONTRIB_DB, specs, now - DAY);
  await markSourcesQueued(env.CONTRIB_DB, ["gerrit:e"], now - 20 * MINUTE);
  await markSourcesQueued(env.CONTRIB_DB, ["gerrit:b", "gerrit:c", "gerrit:d"], now - 10 * MINUTE);
  await markSourceRunning(env.CONTRIB_DB, "gerrit:c", 0, now - 2 * MINUTE);
  await markSourceRunning(env.CONTRIB_DB, "gerrit:d", 0, now - 3 * MINUTE);
  await recordSourceFailure(env.CONTRIB_DB, { id: "gerrit:d", version: 0, error: "attempt 5: 500 from gerrit", failed: true, now: now - 3 * MINUTE, nextRunAt: now + HOUR });
  await recordSourceFailure(env.CONTRIB_DB, { id: "gerrit:e", version: 0, error: "attempt 1: timeout", failed: false, now: now - 4 * MINUTE, nextRunAt: now });
  await insertStepLog(env.CONTRIB_DB, { sourceId: "gerrit:a", version: 1, startedAt: now - 30 * MINUTE, ms: 900, requests: 2, queries: 9, fetched: 10, stored: 10, rowsRead: 40, rowsWritten: 30 });

  // The collector's counters: refusals today and yesterday, one outside the 7 days, and no refusal.
  await addOutcomes(env.COLLECTOR_DB, [
    { day: dayOf(now), endpoint: "action_logs", outcome: "rate_limited", count: 3 },
    { day: dayOf(now), endpoint: "installation_structure", outcome: "rate_limited", count: 2 },
    { day: dayOf(now), endpoint: "action_logs", outcome: "accepted", count: 50 },
    { day: dayOf(now - DAY), endpoint: "oswl_stats", outcome: "rejected_identity", count: 1 },
    { day: dayOf(now - 10 * DAY), endpoint: "action_logs", outcome: "rate_limited", count: 99 },
  ]);
  // A table without rowid, for the estimate past the count's cap.
  await env.CONTRIB_DB.batch([1, 2, 3, 4].map((d) => env.CONTRIB_DB.prepare("INSERT INTO day_totals (day, record_type) VALUES (?, 'commit')").bind(d)));

  // Backups in R2: one complete a day ago, one running since an hour.
  await env.BUNDLES.put(
    manifestKey(completeBackup),
    JSON.stringify({ format: 1, id: completeBackup, trigger: "schedule", started_at: iso(now - DAY), finished_at: iso(now - DAY + 5 * MINUTE), databases: [] }),
    { customMetadata: { trigger: "schedule" } },
  );
  await env.BUNDLES.put(
    stateKey(runningBackup),
    JSON.stringify({ format: 1, id: runningBackup, trigger: "admin", status: "running", error: null, step: 3, startedAt: now - HOUR, updatedAt: now - MINUTE, finishedAt: null, databases: [], cursor: null }),
    { customMetadata: { status: "running", updatedAt: String(now - MINUTE) } },
  );
});

/** One table's entry in the status, by its database's name and its own. */
const table = (databases: ServiceStatus["databases"], db: string, name: string) =>
  databases.find((d) => d.name === db)!.tables.find((t) => t.name === name);

async function status(): Promise<ServiceStatus> {
  const res = await adminCall("/status");
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return ServiceStatusSchema.parse(await res.json());
}

describe("GET /api/v1/admin/status", () => {
  it("answers every section, in the schema's shape", async () => {
    const body = await status();
    expect(Object.keys(body)).toEqual(["status", "generated_at", "jobs", "backups", "backlog", "databases", "refusals", "processor"]);
    // Every job of the schedule, in the order it runs, whether or not it ever ran.
    expect(body.jobs.map((j) => j.job)).toEqual(SCHEDULE["0 * * * *"]!.map((job) => job.name));
    expect(body.jobs.map((j) => j.job)).toEqual(expect.arrayContaining(["installations-rollup", "bundles-maintenance", "contrib-processor", "backups"]));
  });

  it("gives each cron job its last run, last success, last failure and failures of the last day", async () => {
    const jobs = new Map((await status()).jobs.map((j) => [j.job, j]));
    expect(jobs.get("installations-rollup")).toEqual({
      job: "installations-rollup",
      last_run: { status: "failed", started_at: iso(now - HOUR), finished_at: iso(now - HOUR + 500), ms: 500, detail: { error: "Error: boom" } },
      last_ok_at: iso(now - 2 * HOUR + 1200),
      last_failure: { status: "failed", started_at: iso(now - HOUR), finished_at: iso(now - HOUR + 500), ms: 500, detail: { error: "Error: boom" } },
      failures_24h: 1,
    });
    expect(jobs.get("backups")).toMatchObject({ last_run: { status: "ok", ms: 40 }, last_failure: { status: "failed", started_at: iso(now - 3 * DAY) }, failures_24h: 0 });
    expect(jobs.get("bundles-maintenance")).toEqual({ job: "bundles-maintenance", last_run: null, last_ok_at: null, last_failure: null, failures_24h: 0 });
    expect(jobs.get("contrib-processor")).toMatchObject({ last_run: { status: "running", finished_at: null, ms: null, detail: null }, last_ok_at: null });
  });

  it("counts the bundles and processor steps waiting, and the recent failures", async () => {
    const { backlog } = await status();
    expect(backlog).toEqual({
      bundles: {
        queued: 1,
        running: 1,
        oldest_pending_at: iso(now - 30 * MINUTE),
        failed_24h: 1,
        last_failure: { id: failedBundle, at: iso(now - HOUR), error: "step 1 failed 5 times: Error: R2 said no" },
      },
      processor: { queued: 2, running: 1, failed: 1, oldest_pending_at: iso(now - 20 * MINUTE) },
    });
  });

  it("shows the processor's sources by status, its newest step, and the sources that fail", async () => {
    const { processor } = await status();
    expect(processor.summary).toEqual({ idle: 1, queued: 2, running: 1, failed: 1 });
    expect(processor.last_step_at).toBe(iso(now - 30 * MINUTE));
    expect(processor.failing.map((s) => [s.id, s.kind, s.status, s.failures, s.last_error])).toEqual([
      ["gerrit:d", "gerrit", "failed", 1, "attempt 5: 500 from gerrit"],
      ["gerrit:e", "git", "queued", 0, "attempt 1: timeout"],
    ]);
  });

  it("adds up the collector's refusals of the last 7 days, per day", async () => {
    const { refusals } = await status();
    expect(refusals.from_date).toBe(dayOf(now - 6 * DAY));
    expect(refusals.to_date).toBe(dayOf(now));
    expect(refusals.days).toHaveLength(7);
    expect(refusals.totals).toEqual({ rate_limited: 5, rejected_identity: 1, rejected_schema: 0, too_large: 0 });
    expect(refusals.days.at(-1)).toEqual({ date: dayOf(now), rate_limited: 5, rejected_identity: 0, rejected_schema: 0, too_large: 0 });
    expect(refusals.days.at(-2)).toEqual({ date: dayOf(now - DAY), rate_limited: 0, rejected_identity: 1, rejected_schema: 0, too_large: 0 });
  });

  it("shows the newest backup and the newest complete one", async () => {
    const { backups } = await status();
    expect(backups.count).toBe(2);
    expect(backups.latest).toMatchObject({ id: runningBackup, status: "running", trigger: "admin", finished_at: null });
    expect(backups.last_complete).toEqual({ id: completeBackup, finished_at: iso(now - DAY + 5 * MINUTE) });
  });

  it("gives each database its size and each table its exact row count below the cap", async () => {
    const { databases } = await status();
    expect(databases.map((d) => [d.name, d.binding])).toEqual([
      ["collector", "COLLECTOR_DB"],
      ["analytic", "ANALYTIC_DB"],
      ["contrib", "CONTRIB_DB"],
    ]);
    for (const d of databases) {
      expect(d.size_bytes).toBeGreaterThan(0);
      expect(d.count_cap).toBe(10_000);
      expect(d.tables.every((t) => t.count === "exact")).toBe(true);
      expect(d.tables.map((t) => t.name)).not.toContain("d1_migrations");
    }
    expect(table(databases, "analytic", "job_runs")).toEqual({ name: "job_runs", rows: 6, count: "exact" });
    expect(table(databases, "analytic", "bundles")).toEqual({ name: "bundles", rows: 4, count: "exact" });
    expect(table(databases, "collector", "collector_outcomes")).toEqual({ name: "collector_outcomes", rows: 5, count: "exact" });
    expect(table(databases, "collector", "action_logs")).toEqual({ name: "action_logs", rows: 0, count: "exact" });
    expect(table(databases, "contrib", "processor_sources")).toEqual({ name: "processor_sources", rows: 5, count: "exact" });
  });

  it("estimates a table past the cap from its rowids, or says it has more than the cap", async () => {
    const { databases } = await readServiceStatus(env, Date.now(), 3);
    expect(table(databases, "analytic", "job_runs")).toEqual({ name: "job_runs", rows: 6, count: "rowid_span" });
    expect(table(databases, "collector", "collector_outcomes")).toEqual({ name: "collector_outcomes", rows: 5, count: "rowid_span" });
    expect(table(databases, "contrib", "day_totals")).toEqual({ name: "day_totals", rows: 4, count: "at_least" });
    expect(table(databases, "analytic", "bundles")).toEqual({ name: "bundles", rows: 4, count: "rowid_span" });
    expect(table(databases, "collector", "action_logs")).toEqual({ name: "action_logs", rows: 0, count: "exact" });
  });

  it("refuses a request without the admin secret (401) or with a wrong one (403)", async () => {
    const missing = await adminCall("/status", "GET", null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe("Bearer");
    expect(await missing.json()).toMatchObject({ status: "error" });
    const wrong = await adminCall("/status", "GET", "not-the-secret");
    expect(wrong.status).toBe(403);
    expect(JSON.stringify(await wrong.json())).not.toContain("jobs");
  });

  it("has its dashboard page served at /admin, like the other pages", async () => {
    const page = await call("/admin");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
  });
});
