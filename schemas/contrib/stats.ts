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

// The answers (reference §5.2). The dashboard reads them with these schemas; the tests check every
// answer against them.
const ratio = z.string().regex(/^(\d+\.\d%|&#x221E;)$/);
const MarksColumnsShape = {
  "-2": z.int(),
  "-1": z.int(),
  "0": z.int().optional(),
  "1": z.int(),
  "2": z.int(),
  A: z.int(),
  x: z.int(),
  positive_ratio: ratio,
  mark_ratio: z.string(),
  disagreements: z.int(),
  disagreement_ratio: ratio,
};
const RankedShape = { id: z.string(), name: z.string(), metric: z.number(), index: z.union([z.int().min(1), z.literal("")]) };

export const StatsRowSchema = z.looseObject({ ...RankedShape, ...Object.fromEntries(Object.entries(MarksColumnsShape).map(([k, v]) => [k, v.optional()])) });
export const StatsResponseSchema = z.object({ stats: z.array(StatsRowSchema) });
export const EngineerRowSchema = StatsRowSchema.extend({ core: z.string().nullable() });
export const EngineersResponseSchema = z.object({ stats: z.array(EngineerRowSchema) });
export const EngineersExtendedResponseSchema = z.object({
  stats: z.array(
    z.object({
      ...RankedShape,
      ...MarksColumnsShape,
      company: z.string(),
      core: z.string().nullable(),
      mark: z.int(),
      review: z.int(),
      commit: z.int(),
      email: z.int(),
      patch: z.int(),
    }),
  ),
});
export const DistinctEngineersResponseSchema = z.object({ stats: z.record(z.string(), z.object({ author_name: z.string(), author_email: z.string().nullable() })) });
export const BlueprintStatsResponseSchema = z.object({
  stats: z.array(z.object({ ...RankedShape, status: z.string().nullable(), date: z.string(), link: z.string() })),
});
const point = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2} 00:00:00$/), z.number()]);
export const TimelineResponseSchema = z.object({ timeline: z.tuple([z.array(point), z.array(point), z.array(point)]) });

const bucket = z.int().min(0);
export const ContributionResponseSchema = z.object({
  contribution: z.object({
    commit_count: z.int(),
    loc: z.int(),
    marks: z.object({ "-2": bucket, "-1": bucket, "0": bucket, "1": bucket, "2": bucket, A: bucket, WIP: bucket, x: bucket, s: bucket }),
    email_count: z.int(),
    drafted_blueprint_count: z.int(),
    completed_blueprint_count: z.int(),
    filed_bug_count: z.int(),
    resolved_bug_count: z.int(),
    patch_set_count: z.int(),
    change_request_count: z.int(),
    abandoned_change_requests_count: z.int(),
    translations: z.int(),
  }),
});

const link = z.object({ uri: z.string(), title: z.unknown() });
export const ActivityResponseSchema = z.object({
  activity: z.array(
    z.looseObject({
      primary_key: z.string(),
      record_type: z.string(),
      date: z.int(),
      date_str: z.string().regex(/^\d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} UTC$/),
      author_link: link,
      company_link: link,
      module_link: link,
      blueprint_id_count: z.int(),
      bug_id_count: z.int(),
    }),
  ),
});

const option = z.object({ id: z.string(), text: z.string() });
export const ReleasesResponseSchema = z.object({ data: z.array(option.extend({ project: z.string().optional() })), default: z.string() });
export const MetricsResponseSchema = z.object({ data: z.array(option), default: z.string() });
export const ProjectTypesResponseSchema = z.object({ data: z.array(option.extend({ child: z.boolean() })), default: z.string().nullable() });
export const CompaniesResponseSchema = z.object({ data: z.array(option) });
export const CompanyResponseSchema = z.object({ company: option });
export const ModulesResponseSchema = z.object({ data: z.array(option.extend({ tag: z.string() })) });
export const ModuleResponseSchema = z.object({
  module: z.object({
    id: z.string(),
    name: z.string(),
    tag: z.string(),
    modules: z.array(z.object({ module_name: z.string(), visible: z.boolean(), repo_uri: z.string().optional() })),
  }),
});
export const UsersResponseSchema = z.object({ data: z.array(option.extend({ company_name: z.string(), core: z.array(z.string()).optional() })) });
export const LanguagesResponseSchema = z.object({ data: z.array(option) });
export const AffiliationChangesResponseSchema = z.object({
  affiliation_changes: z.array(z.object({ user_id: z.string(), user_name: z.string(), old_company_name: z.string(), new_company_name: z.string(), date: z.int() })),
});
