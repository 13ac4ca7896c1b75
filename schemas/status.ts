// `GET /api/v1/admin/status` (admin secret): how the service is doing, in one answer, read from
// what the jobs already record (docs/operations.md, "Observability").
import { z } from "zod";
import { BACKUP_DATABASES, BackupViewSchema } from "./backup";
import { SOURCE_KINDS, SOURCE_STATUSES } from "./contrib/processor";

const time = z.iso.datetime().nullable();

export const JOB_RUN_STATUSES = ["running", "ok", "failed", "abandoned"] as const;

/** One run of a cron job, from ANALYTIC_DB.job_runs. */
export const JobRunSchema = z.object({
  status: z.enum(JOB_RUN_STATUSES),
  started_at: z.iso.datetime(),
  finished_at: time,
  /** null while running. */
  ms: z.int().nullable(),
  /** What the job returned (counts, cursor), or `{error}` for a failed or abandoned run. */
  detail: z.unknown(),
});
export type JobRun = z.infer<typeof JobRunSchema>;

export const JobStatusSchema = z.object({
  job: z.string(),
  last_run: JobRunSchema.nullable(),
  last_ok_at: time,
  /** The newest failed or abandoned run. */
  last_failure: JobRunSchema.nullable(),
  /** Failed or abandoned runs started in the 24 hours before `generated_at`. */
  failures_24h: z.int().nonnegative(),
});

/** How a table's row count was had: counted, or, past the cap, estimated. */
export const ROW_COUNT_KINDS = ["exact", "rowid_span", "at_least"] as const;

export const TableStatusSchema = z.object({
  name: z.string(),
  /** exact: count(*); rowid_span: max(rowid) − min(rowid) + 1, an upper bound; at_least: more than the cap. */
  rows: z.int().nonnegative(),
  count: z.enum(ROW_COUNT_KINDS),
});

export const DatabaseStatusSchema = z.object({
  name: z.enum(BACKUP_DATABASES),
  binding: z.string(),
  /** The size D1 reports with a query's result (`meta.size_after`). */
  size_bytes: z.int().nonnegative(),
  /** Tables are counted exactly up to this many rows. */
  count_cap: z.int().positive(),
  tables: z.array(TableStatusSchema),
});

/** The collector's refusals per day, from the data-quality counters (requests). */
export const REFUSAL_OUTCOMES = ["rate_limited", "rejected_identity", "rejected_schema", "too_large"] as const;
const count = z.int().nonnegative();
const refusalCounts = z.object({ rate_limited: count, rejected_identity: count, rejected_schema: count, too_large: count });

export const FailingSourceSchema = z.object({
  id: z.string(),
  kind: z.enum(SOURCE_KINDS),
  status: z.enum(SOURCE_STATUSES),
  failures: z.int(),
  last_error: z.string().nullable(),
  last_run_at: time,
  next_run_at: z.iso.datetime(),
});

export const ServiceStatusSchema = z.object({
  status: z.literal("ok"),
  generated_at: z.iso.datetime(),
  /** Each job of the cron schedule, in the order it runs. */
  jobs: z.array(JobStatusSchema),
  /** The D1 backups in R2: the newest, and the newest complete one (restorable). */
  backups: z.object({
    count: z.int().nonnegative(),
    latest: BackupViewSchema.nullable(),
    last_complete: z.object({ id: z.string(), finished_at: time }).nullable(),
  }),
  /** Work waiting on the Queues, as the jobs record it (a Queue's own depth is not readable from a Worker). */
  backlog: z.object({
    bundles: z.object({
      queued: z.int().nonnegative(),
      running: z.int().nonnegative(),
      oldest_pending_at: time,
      failed_24h: z.int().nonnegative(),
      last_failure: z.object({ id: z.string(), at: z.iso.datetime(), error: z.string().nullable() }).nullable(),
    }),
    processor: z.object({
      queued: z.int().nonnegative(),
      running: z.int().nonnegative(),
      failed: z.int().nonnegative(),
      oldest_pending_at: time,
    }),
  }),
  databases: z.array(DatabaseStatusSchema),
  refusals: z.object({
    from_date: z.iso.date(),
    to_date: z.iso.date(),
    totals: refusalCounts,
    days: z.array(refusalCounts.extend({ date: z.iso.date() })),
  }),
  processor: z.object({
    /** Sources per status. */
    summary: z.partialRecord(z.enum(SOURCE_STATUSES), z.int().nonnegative()),
    last_step_at: time,
    /** Sources that failed or whose last step left an error, newest run first (at most 20). */
    failing: z.array(FailingSourceSchema),
  }),
});
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;
