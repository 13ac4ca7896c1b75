// The collector's data-quality counters: what happened to requests and records, per day.
import { z } from "zod";

export const OUTCOMES = [
  "accepted",
  "replaced",
  "existed",
  "skipped",
  "failed",
  "bound",
  "rejected_schema",
  "rejected_identity",
  "rate_limited",
  "too_large",
] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const COLLECTOR_ENDPOINTS = ["installation_structure", "action_logs", "oswl_stats"] as const;
export type CollectorEndpoint = (typeof COLLECTOR_ENDPOINTS)[number];

export const IsoDateSchema = z.iso.date({ error: "expected a date as YYYY-MM-DD" });

export const HealthQuerySchema = z.strictObject({
  from_date: IsoDateSchema.optional(),
  to_date: IsoDateSchema.optional(),
});

const countsSchema = z.partialRecord(OutcomeSchema, z.int());

export const HealthResponseSchema = z.object({
  status: z.literal("ok"),
  from_date: z.string(),
  to_date: z.string(),
  /** What each outcome counts: records for record outcomes, requests for rejections. */
  units: z.record(OutcomeSchema, z.enum(["records", "requests"])),
  days: z.array(
    z.object({
      date: z.string(),
      totals: countsSchema,
      by_endpoint: z.partialRecord(z.enum(COLLECTOR_ENDPOINTS), countsSchema),
    }),
  ),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
