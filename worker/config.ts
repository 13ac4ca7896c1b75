// The collector's settings, from wrangler.toml [vars] (and secrets), validated once per isolate.
import { z } from "zod";
import { LEGACY_POLICIES, type LegacyPolicy } from "./domain/identity";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const ConfigSchema = z.object({
  MAX_BODY_BYTES: positiveInt(1024 * 1024),
  LEGACY_POLICY: z.enum(LEGACY_POLICIES as [LegacyPolicy, ...LegacyPolicy[]]).default("allow"),
  LIMIT_REQUESTS_PER_MINUTE: positiveInt(600),
  LIMIT_RECORDS_PER_DAY: positiveInt(200_000),
  LIMIT_NEW_INSTALLATIONS_PER_HOUR: positiveInt(100),
  COUNTER_FLUSH_MS: positiveInt(1000),
});

export interface CollectorConfig {
  maxBodyBytes: number;
  legacyPolicy: LegacyPolicy;
  limits: { requestsPerMinute: number; recordsPerDay: number; newInstallationsPerHour: number };
  /** How long an isolate adds up data-quality counters before writing them. */
  counterFlushMs: number;
}

const cache = new WeakMap<object, CollectorConfig>();

/** Throws, naming the variable, when wrangler.toml holds a value the collector cannot use. */
export function collectorConfig(env: Env): CollectorConfig {
  let config = cache.get(env);
  if (!config) {
    const parsed = ConfigSchema.safeParse(env);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`invalid setting ${String(issue.path[0])}: ${issue.message}`);
    }
    const v = parsed.data;
    config = {
      maxBodyBytes: v.MAX_BODY_BYTES,
      legacyPolicy: v.LEGACY_POLICY,
      limits: {
        requestsPerMinute: v.LIMIT_REQUESTS_PER_MINUTE,
        recordsPerDay: v.LIMIT_RECORDS_PER_DAY,
        newInstallationsPerHour: v.LIMIT_NEW_INSTALLATIONS_PER_HOUR,
      },
      counterFlushMs: v.COUNTER_FLUSH_MS,
    };
    cache.set(env, config);
  }
  return config;
}

const RollupSchema = z.object({
  ROLLUP_CHUNK_SIZE: positiveInt(500),
  ROLLUP_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(300),
  ROLLUP_TIME_BUDGET_SECONDS: positiveInt(600),
});

export interface RollupConfig {
  /** Installations per chunk: one read, one transaction. */
  chunkSize: number;
  /** Each run reads again the rows this much older than its cursor (docs/analytics.md, "The cursor"). */
  overlapMs: number;
  /** A run stops starting chunks after this long; the next run continues. */
  budgetMs: number;
}

const rollupCache = new WeakMap<object, RollupConfig>();

export function rollupConfig(env: Env): RollupConfig {
  let config = rollupCache.get(env);
  if (!config) {
    const parsed = RollupSchema.safeParse(env);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`invalid setting ${String(issue.path[0])}: ${issue.message}`);
    }
    const v = parsed.data;
    config = { chunkSize: v.ROLLUP_CHUNK_SIZE, overlapMs: v.ROLLUP_OVERLAP_SECONDS * 1000, budgetMs: v.ROLLUP_TIME_BUDGET_SECONDS * 1000 };
    rollupCache.set(env, config);
  }
  return config;
}
