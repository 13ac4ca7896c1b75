// Filtering rules: which builds of which releases are test or development builds that reports
// leave out (fuel-stats' FILTERING_RULES, as JSON). Configuration, not code: stored in D1 and
// changed through the admin API.
import { z } from "zod";

/**
 * A date as fuel-stats accepted it, read as UTC: `2015-05-19`, `2015-05-19T`, `2015-05-19T11`,
 * `2015-05-19T11:55`, `2015-05-19T11:55:06`, `2015-05-19T11:55:06.369745`, optionally with Z or
 * an offset.
 */
export const LENIENT_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](?:(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of a lenient date, or null when it is not one (or not a real date). */
export function parseLenientDate(text: string): number | null {
  const m = LENIENT_DATE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0", zone] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(t);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return null;
  }
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const [oh, om] = [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
    t -= sign * (oh * 60 + om) * 60_000;
  }
  return t;
}

const FromDateSchema = z
  .string()
  .refine((s) => parseLenientDate(s) !== null, { error: "expected a date such as 2016-02-01 or 2016-02-01T23:00:18 (UTC)" })
  .nullable();

export const BuildRuleSchema = z.strictObject({ build_id: z.string().min(1), from_date: FromDateSchema.optional() });
export const PackagesRuleSchema = z.strictObject({
  packages_list: z.array(z.string()),
  from_date: FromDateSchema.optional(),
});

/**
 * The rules of one release: null (no build is filtered), a dict of build_id → from_date (the
 * pre-8.0 form), or a list of build_id and packages_list rules.
 */
export const ReleaseRulesSchema = z.union([
  z.null(),
  z.record(z.string(), FromDateSchema),
  z.array(z.union([BuildRuleSchema, PackagesRuleSchema])),
]);

/** Release → its rules. An empty object (or no rules at all) filters nothing. */
export const FilteringRulesSchema = z.record(z.string(), ReleaseRulesSchema);
export type FilteringRules = z.infer<typeof FilteringRulesSchema>;
