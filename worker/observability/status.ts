// The admin status (GET /api/v1/admin/status): read from what each part already records — the cron
// dispatcher's job_runs, the backups' records in R2, the bundles table, the processor's sources and
// step log, the collector's outcome counters — and each database's size and row counts.
import { BACKUP_BINDINGS, BACKUP_DATABASES, type BackupView } from "../../schemas/backup";
import type { SOURCE_KINDS, SOURCE_STATUSES } from "../../schemas/contrib/processor";
import { REFUSAL_OUTCOMES, type JobRun, type ServiceStatus } from "../../schemas/status";
import { describeBackup, listBackupIds, manifestKey } from "../backups/job";
import { SCHEDULE } from "../cron/dispatcher";
import { listOutcomes } from "../db/collector";
import { countTables, findBundleBacklog, findProcessorOverview, type JobRunRow, listJobSummaries } from "../db/status";
import { dayOf } from "../domain/days";

/** Tables are counted exactly up to this many rows (docs/operations.md, "The status endpoint"). */
export const COUNT_CAP = 10_000;
/** Days of collector refusals shown, today included. */
export const REFUSAL_DAYS = 7;
/** Backups looked at, newest first, for the newest complete one. */
const BACKUPS_LOOKED_AT = 10;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function parseDetail(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const runToWire = (run: JobRunRow | null): JobRun | null =>
  run && {
    status: run.status,
    started_at: new Date(run.startedAt).toISOString(),
    finished_at: iso(run.finishedAt),
    ms: run.finishedAt === null ? null : run.finishedAt - run.startedAt,
    detail: parseDetail(run.detail),
  };

/** Every job of the schedule, once, in the order the dispatcher runs them. */
const scheduledJobs = () => [...new Set(Object.values(SCHEDULE).flatMap((jobs) => jobs.map((job) => job.name)))];

async function jobsStatus(env: Env, now: number): Promise<ServiceStatus["jobs"]> {
  const jobs = scheduledJobs();
  const summaries = await listJobSummaries(env.ANALYTIC_DB, jobs, now);
  return jobs.map((job) => {
    const s = summaries.get(job)!;
    return { job, last_run: runToWire(s.lastRun), last_ok_at: iso(s.lastOkAt), last_failure: runToWire(s.lastFailure), failures_24h: s.failures24h };
  });
}

async function backupsStatus(bucket: R2Bucket): Promise<ServiceStatus["backups"]> {
  const ids = await listBackupIds(bucket);
  const newest = ids.slice(-BACKUPS_LOOKED_AT).reverse();
  const latest: BackupView | null = newest.length > 0 ? await describeBackup(bucket, newest[0]!) : null;
  let lastComplete: ServiceStatus["backups"]["last_complete"] = null;
  for (const id of newest) {
    if (!(await bucket.head(manifestKey(id)))) continue;
    const view = id === latest?.id ? latest : await describeBackup(bucket, id);
    lastComplete = { id, finished_at: view?.finished_at ?? null };
    break;
  }
  return { count: ids.length, latest, last_complete: lastComplete };
}

async function databasesStatus(env: Env, countCap: number): Promise<ServiceStatus["databases"]> {
  return Promise.all(
    BACKUP_DATABASES.map(async (name) => {
      const binding = BACKUP_BINDINGS[name];
      const { sizeBytes, tables } = await countTables(env[binding], countCap);
      return { name, binding, size_bytes: sizeBytes, count_cap: countCap, tables };
    }),
  );
}

async function refusalsStatus(db: D1Database, now: number): Promise<ServiceStatus["refusals"]> {
  const to = dayOf(now);
  const from = dayOf(now - (REFUSAL_DAYS - 1) * 86_400_000);
  const zero = () => ({ rate_limited: 0, rejected_identity: 0, rejected_schema: 0, too_large: 0 });
  const days = new Map<string, ReturnType<typeof zero> & { date: string }>();
  for (let i = REFUSAL_DAYS - 1; i >= 0; i--) {
    const date = dayOf(now - i * 86_400_000);
    days.set(date, { date, ...zero() });
  }
  const totals = zero();
  for (const row of await listOutcomes(db, from, to)) {
    const outcome = row.outcome as (typeof REFUSAL_OUTCOMES)[number];
    const day = days.get(row.day);
    if (!day || !REFUSAL_OUTCOMES.includes(outcome)) continue;
    day[outcome] += row.count;
    totals[outcome] += row.count;
  }
  return { from_date: from, to_date: to, totals, days: [...days.values()] };
}

type SourceStatus = (typeof SOURCE_STATUSES)[number];

async function processorStatus(db: D1Database): Promise<{ processor: ServiceStatus["processor"]; backlog: ServiceStatus["backlog"]["processor"] }> {
  const overview = await findProcessorOverview(db);
  const summary: Partial<Record<SourceStatus, number>> = {};
  for (const s of overview.statuses) summary[s.status as SourceStatus] = s.n;
  const pending = overview.statuses.filter((s) => s.status === "queued" || s.status === "running").map((s) => s.oldestQueuedAt);
  const oldest = pending.filter((t): t is number => t !== null);
  return {
    processor: {
      summary,
      last_step_at: iso(overview.lastStepAt),
      failing: overview.failing.map((s) => ({
        id: s.id,
        kind: s.kind as (typeof SOURCE_KINDS)[number],
        status: s.status as SourceStatus,
        failures: s.failures,
        last_error: s.lastError,
        last_run_at: iso(s.lastRunAt),
        next_run_at: new Date(s.nextRunAt).toISOString(),
      })),
    },
    backlog: {
      queued: summary.queued ?? 0,
      running: summary.running ?? 0,
      failed: summary.failed ?? 0,
      oldest_pending_at: oldest.length > 0 ? iso(Math.min(...oldest)) : null,
    },
  };
}

/** The whole status at `now`; `countCap` bounds each table's count (tests lower it). */
export async function readServiceStatus(env: Env, now: number, countCap = COUNT_CAP): Promise<ServiceStatus> {
  const [jobs, backups, bundles, processor, databases, refusals] = await Promise.all([
    jobsStatus(env, now),
    backupsStatus(env.BUNDLES),
    findBundleBacklog(env.ANALYTIC_DB, now),
    processorStatus(env.CONTRIB_DB),
    databasesStatus(env, countCap),
    refusalsStatus(env.COLLECTOR_DB, now),
  ]);
  return {
    status: "ok",
    generated_at: new Date(now).toISOString(),
    jobs,
    backups,
    backlog: {
      bundles: {
        queued: bundles.queued,
        running: bundles.running,
        oldest_pending_at: iso(bundles.oldestPendingAt),
        failed_24h: bundles.failed24h,
        last_failure: bundles.lastFailure && { id: bundles.lastFailure.id, at: new Date(bundles.lastFailure.at).toISOString(), error: bundles.lastFailure.error },
      },
      processor: processor.backlog,
    },
    databases,
    refusals,
    processor: processor.processor,
  };
}
