// ANALYTIC_DB: roll-up tables and the record of scheduled job runs.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per job run started by the cron dispatcher: what it did, how long, and where it stopped. */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    job: text("job").notNull(),
    cron: text("cron").notNull(),
    /** The scheduled time of the invocation, epoch milliseconds. */
    scheduledTime: integer("scheduled_time").notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    /** running | ok | failed */
    status: text("status").notNull(),
    /** JSON the job returned (rows read/written, cursor), or the error message. */
    detail: text("detail"),
  },
  (t) => [index("job_runs_job_started_at_idx").on(t.job, t.startedAt)],
);

/** The filtering rules (schemas/filtering.ts) as one JSON document; one row. */
export const filteringRules = sqliteTable("filtering_rules", {
  id: integer("id").primaryKey(),
  rules: text("rules").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
