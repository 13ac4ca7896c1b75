// Settings from wrangler.toml [vars] (and secrets), validated once per isolate and env.
import { z } from "zod";
import { LEGACY_POLICIES, type LegacyPolicy } from "./domain/identity";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * A reader of one group of settings: parses them from the env once (per env object) and builds
 * the typed config. Throws, naming the variable, when wrangler.toml holds a value it cannot use.
 */
function settings<S extends z.ZodType, T>(schema: S, build: (values: z.infer<S>) => T): (env: Env) => T {
  const cache = new WeakMap<object, T>();
  return (env) => {
    let config = cache.get(env);
    if (config === undefined) {
      const parsed = schema.safeParse(env);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`invalid setting ${String(issue.path[0])}: ${issue.message}`);
      }
      config = build(parsed.data);
      cache.set(env, config);
    }
    return config;
  };
}

export interface CollectorConfig {
  maxBodyBytes: number;
  legacyPolicy: LegacyPolicy;
  limits: { requestsPerMinute: number; recordsPerDay: number; newInstallationsPerHour: number };
  /** How long an isolate adds up data-quality counters before writing them. */
  counterFlushMs: number;
}

export const collectorConfig = settings(
  z.object({
    MAX_BODY_BYTES: positiveInt(1024 * 1024),
    LEGACY_POLICY: z.enum(LEGACY_POLICIES as [LegacyPolicy, ...LegacyPolicy[]]).default("allow"),
    LIMIT_REQUESTS_PER_MINUTE: positiveInt(600),
    LIMIT_RECORDS_PER_DAY: positiveInt(200_000),
    LIMIT_NEW_INSTALLATIONS_PER_HOUR: positiveInt(100),
    COUNTER_FLUSH_MS: positiveInt(1000),
  }),
  (v): CollectorConfig => ({
    maxBodyBytes: v.MAX_BODY_BYTES,
    legacyPolicy: v.LEGACY_POLICY,
    limits: {
      requestsPerMinute: v.LIMIT_REQUESTS_PER_MINUTE,
      recordsPerDay: v.LIMIT_RECORDS_PER_DAY,
      newInstallationsPerHour: v.LIMIT_NEW_INSTALLATIONS_PER_HOUR,
    },
    counterFlushMs: v.COUNTER_FLUSH_MS,
  }),
);

export interface RollupConfig {
  /** Installations per chunk: one read, one transaction. */
  chunkSize: number;
  /** Each run reads again the rows this much older than its cursor (docs/analytics.md, "The cursor"). */
  overlapMs: number;
  /** A run stops starting chunks after this long; the next run continues. */
  budgetMs: number;
}

export const rollupConfig = settings(
  z.object({
    ROLLUP_CHUNK_SIZE: positiveInt(500),
    ROLLUP_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(300),
    ROLLUP_TIME_BUDGET_SECONDS: positiveInt(600),
  }),
  (v): RollupConfig => ({
    chunkSize: v.ROLLUP_CHUNK_SIZE,
    overlapMs: v.ROLLUP_OVERLAP_SECONDS * 1000,
    budgetMs: v.ROLLUP_TIME_BUDGET_SECONDS * 1000,
  }),
);

export interface BundleConfig {
  /** How long a finished bundle stays downloadable. */
  ttlMs: number;
  /** Bundles queued or being made at once; more get 429. */
  maxActive: number;
}

export const bundleConfig = settings(
  z.object({ BUNDLE_TTL_HOURS: positiveInt(72), BUNDLE_MAX_ACTIVE: positiveInt(5) }),
  (v): BundleConfig => ({ ttlMs: v.BUNDLE_TTL_HOURS * 3_600_000, maxActive: v.BUNDLE_MAX_ACTIVE }),
);

export interface ProcessorConfig {
  /** Pages a step fetches at most before it commits and queues the next step. */
  pagesPerStep: number;
  /** Changes per Gerrit page (`n=`). */
  gerritPageSize: number;
  /** How far before its cursor a Gerrit walk starts again, so that a change updated during a run is not missed. */
  gerritOverlapSeconds: number;
  /** Deliveries of a failing step before its source is marked failed until its next run. */
  stepAttempts: number;
  /** Ask Launchpad who unknown authors are (Stackalytics' `fetching_user_source`). */
  launchpadLookups: boolean;
  /** Launchpad lookups one step may make (the rest wait for the authors' next records). */
  lookupsPerStep: number;
  launchpadApi: string;
  /** The Gerrit of a project source that names none. */
  defaultGerrit: string;
  http: { timeoutMs: number; maxAttempts: number; maxWaitMs: number; maxBytes: number; hostConcurrency: number; hostPerSecond: number };
  userAgent: string;
  githubToken: string | null;
}

export const processorConfig = settings(
  z.object({
    CONTRIB_PAGES_PER_STEP: positiveInt(5),
    CONTRIB_GERRIT_PAGE_SIZE: positiveInt(100),
    CONTRIB_GERRIT_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(600),
    CONTRIB_STEP_ATTEMPTS: positiveInt(5),
    CONTRIB_USER_SOURCE: z.enum(["launchpad", "none"]).default("launchpad"),
    CONTRIB_LOOKUPS_PER_STEP: z.coerce.number().int().min(0).default(100),
    CONTRIB_LAUNCHPAD_API: z.url().default("https://api.launchpad.net"),
    CONTRIB_DEFAULT_GERRIT: z.string().min(1).default("gerrit://review.opendev.org"),
    CONTRIB_HTTP_TIMEOUT_SECONDS: positiveInt(60),
    CONTRIB_HOST_CONCURRENCY: positiveInt(4),
    CONTRIB_HOST_PER_SECOND: positiveInt(5),
    GITHUB_TOKEN: z.string().optional(),
  }),
  (v): ProcessorConfig => ({
    pagesPerStep: v.CONTRIB_PAGES_PER_STEP,
    gerritPageSize: v.CONTRIB_GERRIT_PAGE_SIZE,
    gerritOverlapSeconds: v.CONTRIB_GERRIT_OVERLAP_SECONDS,
    stepAttempts: v.CONTRIB_STEP_ATTEMPTS,
    launchpadLookups: v.CONTRIB_USER_SOURCE === "launchpad",
    lookupsPerStep: v.CONTRIB_LOOKUPS_PER_STEP,
    launchpadApi: v.CONTRIB_LAUNCHPAD_API.replace(/\/+$/, ""),
    defaultGerrit: v.CONTRIB_DEFAULT_GERRIT,
    http: {
      timeoutMs: v.CONTRIB_HTTP_TIMEOUT_SECONDS * 1000,
      maxAttempts: 4,
      maxWaitMs: 30_000,
      maxBytes: 64 * 1024 * 1024,
      hostConcurrency: v.CONTRIB_HOST_CONCURRENCY,
      hostPerSecond: v.CONTRIB_HOST_PER_SECOND,
    },
    userAgent: "edgestats-processor/0.1 (+https://github.com/edgestats; contribution statistics)",
    githubToken: v.GITHUB_TOKEN || null,
  }),
);

export interface BackupConfig {
  /** The UTC hour from which each day's scheduled backup starts (at the first hourly run at or after it); null: none. */
  hourUtc: number | null;
  /** Keep the newest backup of each of this many last days, and of this many last months. */
  keepDaily: number;
  keepMonthly: number;
  /** Rows per D1 query. */
  pageRows: number;
  /** Rows one Queue message reads and writes at most (across tables; one file per table). */
  rowsPerStep: number;
}

/**
 * Backups of the D1 databases to R2 (docs/operations-backups.md). Not in wrangler.toml's [vars]:
 * the defaults are here, and a [vars] entry of the same name overrides one.
 */
export const backupConfig = settings(
  z.object({
    BACKUP_HOUR_UTC: z.union([z.literal("off"), z.coerce.number().int().min(0).max(23)]).default(3),
    BACKUP_KEEP_DAILY: positiveInt(7),
    BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(0).default(12),
    BACKUP_PAGE_ROWS: positiveInt(500),
    BACKUP_ROWS_PER_STEP: positiveInt(50_000),
  }),
  (v): BackupConfig => ({
    hourUtc: v.BACKUP_HOUR_UTC === "off" ? null : v.BACKUP_HOUR_UTC,
    keepDaily: v.BACKUP_KEEP_DAILY,
    keepMonthly: v.BACKUP_KEEP_MONTHLY,
    pageRows: v.BACKUP_PAGE_ROWS,
    rowsPerStep: v.BACKUP_ROWS_PER_STEP,
  }),
);

export interface PrivacyConfig {
  /** k of small-cell suppression: a number of a public report that comes from fewer installations
   * is withheld (docs/privacy.md); 1 withholds nothing. */
  suppressionK: number;
}

// Not in wrangler.toml's [vars]: the default applies until a deployment sets SUPPRESSION_K.
export const privacyConfig = settings(z.object({ SUPPRESSION_K: positiveInt(5) }), (v): PrivacyConfig => ({ suppressionK: v.SUPPRESSION_K }));

export interface RowExportsConfig {
  /** The row-level exports (the CSV reports, the all-reports bundles) answer without the admin
   * secret, as fuel-stats' did (docs/privacy.md); off by default. */
  public: boolean;
}

const TRUE_OR_FALSE = 'expected "true" or "false"';

export const rowExportsConfig = settings(
  z.object({
    // A bare `true` in [vars] arrives as a boolean.
    PUBLIC_ROW_EXPORTS: z.preprocess(
      (v) => (typeof v === "boolean" ? String(v) : v),
      z.enum(["true", "false"], { error: TRUE_OR_FALSE }).default("false"),
    ),
  }),
  (v): RowExportsConfig => ({ public: v.PUBLIC_ROW_EXPORTS === "true" }),
);

export interface RetentionConfig {
  /** Raw action logs and OSWL rows are kept this many days before today (UTC); null: kept for ever. */
  days: number | null;
  /** Rows one DELETE statement removes at most. */
  rowsPerStatement: number;
  /** DELETE statements one hourly run makes at most, over both tables; the next run goes on. */
  statementsPerRun: number;
}

/** The hourly invocation has 1,000 D1 queries for all its jobs: retention takes half of them at most. */
export const MAX_RETENTION_STATEMENTS_PER_RUN = 500;
/** A statement stays far below D1's 30 s per query. */
export const MAX_RETENTION_ROWS_PER_STATEMENT = 10_000;

/** 100 years: a longer retention is "off". */
export const MAX_RETENTION_DAYS = 36_500;

/** A whole number from min to max (a string of one, as [vars] hold them, or a number); `expected` says so. */
const wholeNumber = (min: number, max: number, expected = `expected a whole number from ${min} to ${max}`) =>
  z.coerce.number({ error: expected }).int(expected).min(min, expected).max(max, expected);
const RETENTION_DAYS_EXPECTED = `expected "off" or a whole number of days from 1 to ${MAX_RETENTION_DAYS}`;

/**
 * Retention of raw rows (docs/operations.md, "Retention"). Not in wrangler.toml's [vars]: off by
 * default (everything is kept, as fuel-stats kept it), and a [vars] entry of the same name overrides.
 */
export const retentionConfig = settings(
  z.object({
    RETENTION_DAYS: z
      .union([z.literal("off"), wholeNumber(1, MAX_RETENTION_DAYS, RETENTION_DAYS_EXPECTED)], { error: RETENTION_DAYS_EXPECTED })
      .default("off"),
    RETENTION_ROWS_PER_STATEMENT: wholeNumber(1, MAX_RETENTION_ROWS_PER_STATEMENT).default(1000),
    RETENTION_STATEMENTS_PER_RUN: wholeNumber(1, MAX_RETENTION_STATEMENTS_PER_RUN).default(100),
  }),
  (v): RetentionConfig => ({
    days: v.RETENTION_DAYS === "off" ? null : v.RETENTION_DAYS,
    rowsPerStatement: v.RETENTION_ROWS_PER_STATEMENT,
    statementsPerRun: v.RETENTION_STATEMENTS_PER_RUN,
  }),
);
