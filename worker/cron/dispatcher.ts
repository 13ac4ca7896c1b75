// Cron Triggers land here: each cron expression of wrangler.toml maps to the jobs it runs.
import { abandonStaleJobRuns, finishJobRun, startJobRun } from "../db/analytic";
import { maintainBundles } from "../bundles/job";
import { backupDeps, runBackupSchedule } from "../backups/job";
import { planProcessorRun } from "../processor/plan";
import { rawRetentionJob } from "./retention";
import { installationsRollupJob } from "./rollup";

export interface CronJob {
  name: string;
  /** Does one bounded slice of work for the window ending at `scheduledTime`; returns what it did. */
  run(env: Env, scheduledTime: number): Promise<Record<string, unknown>>;
}

export type Schedule = Readonly<Record<string, readonly CronJob[]>>;

/** The production schedule. Keep its keys equal to `triggers.crons` in wrangler.toml. */
export const SCHEDULE: Schedule = {
  "0 * * * *": [
    installationsRollupJob,
    // After the roll-up, which reads neither of the tables it deletes from (docs/operations.md, "Retention").
    rawRetentionJob,
    { name: "bundles-maintenance", run: (env) => maintainBundles(env, Date.now()) },
    { name: "contrib-processor", run: async (env) => ({ ...(await planProcessorRun(env, Date.now())) }) },
    // Last: its first step only plans and sends a message (docs/operations-backups.md).
    { name: "backups", run: (env, scheduledTime) => runBackupSchedule(backupDeps(env), scheduledTime) },
  ],
};

export class UnknownCronError extends Error {}

/** A run still `running` after this long was cut off. */
export const STALE_RUN_MS = 20 * 60 * 1000;

/**
 * Runs the jobs of one cron expression in order, recording each run in ANALYTIC_DB. A failing job
 * does not stop the next; the invocation fails afterwards so that the platform reports it.
 */
export async function dispatchScheduled(
  env: Env,
  cron: string,
  scheduledTime: number,
  schedule: Schedule = SCHEDULE,
): Promise<{ job: string; ok: boolean }[]> {
  const jobs = schedule[cron];
  if (!jobs) throw new UnknownCronError(`no jobs are scheduled for cron "${cron}"`);
  const outcomes: { job: string; ok: boolean }[] = [];
  for (const job of jobs) {
    const startedAt = Date.now();
    // No run outlives an invocation (15 minutes for a Cron Trigger): an older "running" one never ended.
    await abandonStaleJobRuns(env.ANALYTIC_DB, job.name, startedAt - STALE_RUN_MS, startedAt);
    const runId = await startJobRun(env.ANALYTIC_DB, { job: job.name, cron, scheduledTime, startedAt });
    try {
      const detail = await job.run(env, scheduledTime);
      await finishJobRun(env.ANALYTIC_DB, runId, { status: "ok", detail, finishedAt: Date.now() });
      outcomes.push({ job: job.name, ok: true });
    } catch (error) {
      console.error("scheduled job failed", job.name, error);
      await finishJobRun(env.ANALYTIC_DB, runId, {
        status: "failed",
        detail: { error: String(error) },
        finishedAt: Date.now(),
      });
      outcomes.push({ job: job.name, ok: false });
    }
  }
  const failed = outcomes.filter((o) => !o.ok).map((o) => o.job);
  if (failed.length > 0) throw new Error(`scheduled jobs failed: ${failed.join(", ")}`);
  return outcomes;
}
