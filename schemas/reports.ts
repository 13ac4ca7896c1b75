// The aggregated reports (/api/v1/json/report/...): their query parameters and response shapes.
import { z } from "zod";
import { IsoDateSchema } from "./health";

export const ReleaseNameSchema = z.string().min(1).max(128);

export const InstallationsReportQuerySchema = z.object({
  release: ReleaseNameSchema.optional(),
  /** Admin only: roll up now, then answer (not cached). */
  refresh: z.enum(["0", "1"]).optional(),
});

const counts = z.record(z.string(), z.int());

/** fuel-stats' report shape (reference §3.2): the keys of every map are strings. */
export const InstallationsReportSchema = z.object({
  installations: z.object({ count: z.int(), environments_num: counts }),
  environments: z.object({
    count: z.int(),
    operable_envs_count: z.int(),
    statuses: counts,
    nodes_num: counts,
    hypervisors_num: counts,
    oses_num: counts,
  }),
});

export const ReleasesReportSchema = z.object({
  /** Newest release first; `installations` counts the installations the report counts. */
  releases: z.array(z.object({ release: z.string(), installations: z.int() })),
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
  transitions: z.array(z.object({ from_release: z.string(), to_release: z.string(), installations: z.int() })),
  /** The same moves, day by day. */
  transitions_by_day: z.array(z.object({ date: z.string(), from_release: z.string(), to_release: z.string(), installations: z.int() })),
});
export type AdoptionReport = z.infer<typeof AdoptionReportSchema>;

/**
 * GET /api/v1/json/report/filtering: how many installations the filtering rules leave out of the
 * reports, and the rules in force. The counts are the last roll-up's; rules saved after it apply
 * from the next one (`rules_updated_at` later than the answer's Last-Modified).
 */
export const FilteringReportSchema = z.object({
  filtered: z.object({
    count: z.int(),
    /** By release; "" for installations that reported none. */
    releases: counts,
  }),
  rules: z.record(z.string(), z.unknown()),
  rules_updated_at: z.string().nullable(),
});
export type FilteringReport = z.infer<typeof FilteringReportSchema>;
