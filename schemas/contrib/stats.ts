// The query of Stackalytics' `/api/1.0` read endpoints (reference §5.1). Unknown parameters are
// ignored, as Stackalytics did (a JSONP client adds `_=<time>`); a malformed value is a 400 that
// names the parameter. Whether a release, module or company exists is the worker's to say (404).
import { z } from "zod";

/** A day as Stackalytics takes it: Unix time, `YYYYMMDD` or `YYYY-MM-DD`; rounded down to the day. */
export function parseApiDay(text: string): number | null {
  const t = text.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(t) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (compact) {
    const [y, m, d] = [Number(compact[1]), Number(compact[2]), Number(compact[3])];
    const ms = Date.UTC(y, m - 1, d);
    const back = new Date(ms);
    return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? ms / 86_400_000 : null;
  }
  if (/^\d{1,12}$/.test(t)) return Math.floor(Number(t) / 86_400);
  return null;
}

const day = z.string().refine((s) => parseApiDay(s) !== null, { error: "expected a Unix time, YYYYMMDD or YYYY-MM-DD" });
/** A comma-separated list (URL-decoded by the framework); empty items are dropped. */
const list = z
  .string()
  .max(4096)
  .transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean));
const count = (max: number) => z.coerce.number().int().min(0).max(max);

export const JSONP_CALLBACK = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

export const StatsQuerySchema = z.looseObject({
  release: list.optional(),
  project_type: list.optional(),
  module: list.optional(),
  company: list.optional(),
  user_id: list.optional(),
  metric: z.string().trim().min(1).max(64).optional(),
  start_date: day.optional(),
  end_date: day.optional(),
  blueprint_id: list.optional(),
  core_in: list.optional(),
  language: list.optional(),
  callback: z.string().max(256).regex(JSONP_CALLBACK, { error: "expected a JavaScript function name (letters, digits, _ and $, dotted)" }).optional(),
  start_record: count(1_000_000).optional(),
  page_size: count(1000).optional(),
  query_message: z.string().max(256).optional(),
  tags: list.optional(),
  tag: list.optional(),
  /** `/affiliation_changes`: the window of moves (days, as start_date and end_date). */
  start_days: day.optional(),
  end_days: day.optional(),
});
export type StatsQuery = z.infer<typeof StatsQuerySchema>;

/** A row of a `stats` list before ranking, with the extra columns of its endpoint and metric. */
export type UnrankedRow = { id: string; name: string; metric: number } & Record<string, unknown>;
/** A ranked row: `index` is 1-based, `""` for `*independent`. */
export type StatsRow = UnrankedRow & { index: number | "" };
