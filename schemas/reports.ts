// The aggregated reports (/api/v1/json/report/...): their query parameters and response shapes.
import { z } from "zod";
import { CsvReportIdSchema } from "./csv";
import { IsoDateSchema } from "./health";

export const ReleaseNameSchema = z.string().min(1).max(128);

export const InstallationsReportQuerySchema = z.object({
  release: ReleaseNameSchema.optional(),
  /** Admin only: roll up now, then answer (not cached). */
  refresh: z.enum(["0", "1"]).optional(),
});

/**
 * A number of a report. In a public answer, null where small-cell suppression withheld it
 * (docs/privacy.md): it comes from fewer than `suppressed.k` installations, or would give such a
 * number away. An answer to the admin secret has no null.
 */
const count = z.int().nullable();
const counts = z.record(z.string(), count);

/**
 * What a public answer withheld: k, and the JSON Pointers (RFC 6901, schemas/report-pointer.ts)
 * of the numbers made null, by reason. Absent from an admin's answer, and when k is 1.
 */
export const SuppressionNoteSchema = z.object({
  k: z.int(),
  /** From fewer than k installations. */
  below_k: z.array(z.string()),
  /** Not small, but withheld so that a small one cannot be worked out by subtraction. */
  complementary: z.array(z.string()),
});
export type SuppressionNote = z.infer<typeof SuppressionNoteSchema>;
const suppressed = SuppressionNoteSchema.optional();

/** fuel-stats' report shape (reference §3.2): the keys of every map are strings. */
export const InstallationsReportSchema = z.object({
  installations: z.object({ count, environments_num: counts }),
  environments: z.object({
    count,
    operable_envs_count: count,
    statuses: counts,
    nodes_num: counts,
    hypervisors_num: counts,
    oses_num: counts,
  }),
  suppressed,
});

export const ReleasesReportSchema = z.object({
  /** Newest release first; `installations` counts the installations the report counts. */
  releases: z.array(z.object({ release: z.string(), installations: count })),
  suppressed,
});
export type ReleasesReport = z.infer<typeof ReleasesReportSchema>;

/** Longest range the adoption report answers, in days. */
export const MAX_ADOPTION_DAYS = 3660;
/** Default range: the last 90 days, as fuel-stats' CSV_DEFAULT_FROM_DATE_DAYS. */
export const DEFAULT_RANGE_DAYS = 90;

export const AdoptionQuerySchema = z.object({
  from_date: IsoDateSchema.optional(),
  to_date: IsoDateSchema.optional(),
});

export const AdoptionReportSchema = z.object({
  from_date: z.string(),
  to_date: z.string(),
  /** Every release with installations in the range, newest first. */
  releases: z.array(z.string()),
  /** One entry per day of the range: installations on each release at the end of that day. */
  days: z.array(z.object({ date: z.string(), installations: counts })),
  /** Upgrades (and downgrades) in the range, most frequent first. */
  transitions: z.array(z.object({ from_release: z.string(), to_release: z.string(), installations: count })),
  /** The same moves, day by day. */
  transitions_by_day: z.array(z.object({ date: z.string(), from_release: z.string(), to_release: z.string(), installations: count })),
  suppressed,
});
export type AdoptionReport = z.infer<typeof AdoptionReportSchema>;

/**
 * GET /api/v1/json/report/filtering: how many installations the filtering rules leave out of the
 * reports, and the rules in force. The counts are the last roll-up's; rules saved after it apply
 * from the next one (`rules_updated_at` later than the answer's Last-Modified).
 */
export const FilteringReportSchema = z.object({
  filtered: z.object({
    count,
    /** By release; "" for installations that reported none. */
    releases: counts,
  }),
  rules: z.record(z.string(), z.unknown()),
  rules_updated_at: z.string().nullable(),
  suppressed,
});
export type FilteringReport = z.infer<typeof FilteringReportSchema>;

/** The JSON reports above, by the last part of their path. */
export const JSON_REPORT_IDS = ["installations", "releases", "adoption", "filtering"] as const;

/**
 * GET /api/v1/json/report/coverage: which days the reports and the CSV exports can still cover,
 * now that raw rows may be deleted after RETENTION_DAYS (docs/operations.md, "Retention").
 */
export const CoverageReportSchema = z.object({
  /** Days raw rows are kept before today; null: kept for ever (retention is off). */
  retention_days: z.int().nullable(),
  /** The first day (UTC) whose action logs and OSWL rows are all kept; null: every day. */
  raw_rows_from: z.string().nullable(),
  /** Per CSV report, the first day it is complete for; null: every day (it reads no raw rows, or nothing is deleted). */
  csv: z.record(CsvReportIdSchema, z.string().nullable()),
  /** Per JSON report: null, every day: they are counted from the roll-ups, which retention does not touch. */
  reports: z.record(z.enum(JSON_REPORT_IDS), z.null()),
});
export type CoverageReport = z.infer<typeof CoverageReportSchema>;
