// ANALYTIC_DB: roll-up tables and the record of scheduled job runs.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
    /** running | ok | failed | abandoned (cut off without recording an end) */
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

/**
 * Per installation, what the roll-up last counted (worker/domain/rollup.ts InstallationSummary):
 * the next roll-up subtracts its contribution before adding the new one's.
 */
export const rollupInstallations = sqliteTable(
  "rollup_installations",
  {
    masterNodeUid: text("master_node_uid").primaryKey(),
    release: text("release"),
    /** 1 if counted in reports: not filtered and not quarantined. */
    counted: integer("counted").notNull(),
    isFiltered: integer("is_filtered").notNull(),
    trust: text("trust").notNull(),
    /** The InstallationSummary as JSON. */
    summary: text("summary").notNull(),
    /** installation_structures.updated_at of the row it was made from. */
    sourceUpdatedAt: integer("source_updated_at").notNull(),
    /** installation_structures.id of that row (null: rolled up before this column existed). A
     * deletion's tombstone names the id it deleted; a later first contact has a larger one. */
    sourceId: integer("source_id"),
    rolledAt: integer("rolled_at").notNull(),
  },
  (t) => [index("rollup_installations_release_idx").on(t.release)],
);

/** The installations report, pre-counted: scope `all` or `release:<name>`, metric, key, count. */
export const reportCounts = sqliteTable(
  "report_counts",
  {
    scope: text("scope").notNull(),
    metric: text("metric").notNull(),
    key: text("key").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.metric, t.key] })],
);

/** Version adoption as changes: installations per release on a day is the sum of n up to it. */
export const adoptionChanges = sqliteTable(
  "adoption_changes",
  {
    day: text("day").notNull(),
    release: text("release").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.release, t.day] }), index("adoption_changes_day_idx").on(t.day)],
);

/** Installations that moved from one release to another, per day. */
export const releaseTransitions = sqliteTable(
  "release_transitions",
  {
    day: text("day").notNull(),
    fromRelease: text("from_release").notNull(),
    toRelease: text("to_release").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.fromRelease, t.toRelease] })],
);

/**
 * Where a roll-up job stands. Every committed chunk inserts the next version in the same
 * transaction as its writes, so two runs that start from the same version cannot both commit:
 * the second fails on the primary key and its chunk is rolled back.
 */
export const rollupCursors = sqliteTable(
  "rollup_cursors",
  {
    job: text("job").notNull(),
    version: integer("version").notNull(),
    /** The last installation_structures row rolled up: (updated_at, id). */
    cursorAt: integer("cursor_at").notNull(),
    cursorId: integer("cursor_id").notNull(),
    /** The filtering rules the rows before the cursor were classified with (see rulesEpoch). */
    rulesEpoch: text("rules_epoch").notNull(),
    committedAt: integer("committed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.job, t.version] })],
);

/** All-reports bundles (docs/bundles.md): one row per requested .tar.gz and its progress. */
export const bundles = sqliteTable(
  "bundles",
  {
    id: text("id").primaryKey(),
    fromDate: text("from_date").notNull(),
    toDate: text("to_date").notNull(),
    /** queued | running | done | failed | expired */
    status: text("status").notNull(),
    /** JSON: [{ report, bytes }]; bytes is null until the report's CSV is written. */
    reports: text("reports").notNull(),
    /** The next step to run: 0..n-1 write report n's CSV, n packs the .tar.gz. */
    step: integer("step").notNull(),
    size: integer("size"),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("bundles_range_idx").on(t.fromDate, t.toDate, t.createdAt), index("bundles_expires_at_idx").on(t.expiresAt)],
);
