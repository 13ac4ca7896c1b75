// Stackalytics' JSON reports (reference §4.2) under `/api/1.0/reports`: open reviews, the review
// report of the last N days, core reviewers, large commits and single +2 reviews, and what the
// report pages need besides: a punch card, a blueprint with its mentions, one record. Each takes
// the common query of the statistics endpoints; a module in the path stands for the `module`
// parameter.
import { Hono } from "hono";
import type { z } from "zod";
import {
  BlueprintParamsSchema,
  ContributionReportParamsSchema,
  LargeCommitsQuerySchema,
  OpenReviewsParamsSchema,
  OpenReviewsQuerySchema,
  PunchCardQuerySchema,
  RecordParamsSchema,
} from "../../schemas/contrib/reports";
import { type StatsQuery, StatsQuerySchema } from "../../schemas/contrib/stats";
import {
  blueprintReport,
  contributionReport,
  coresReport,
  largeCommitsReport,
  openReviewsReport,
  punchCardReport,
  recordReport,
  singlePlusTwoReport,
} from "../contrib/reports";
import { readFilter } from "../contrib/stats";
import { currentEngine } from "../contrib/sync";
import { EMPTY_ENGINE } from "../domain/contrib/engine";
import type { FilterOptions } from "../domain/contrib/filters";
import { DAY_SECONDS } from "../domain/contrib/time";
import type { AppContext, AppEnv } from "../http/app-env";
import { ApiError, apiError, describeZodError } from "../http/errors";
import { parseQuery } from "../http/query";

export const contribReports = new Hono<AppEnv>();

const nowSeconds = () => Math.floor(Date.now() / 1000);

function parseParams<S extends z.ZodType>(c: AppContext, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.param(), { reportInput: true });
  if (!parsed.success) throw apiError(400, describeZodError(parsed.error));
  return parsed.data;
}

/** What a report's query selects, at the time it answers for (a 404 naming an unknown value). */
async function selected(c: AppContext, query: StatsQuery, options: FilterOptions, now = nowSeconds()) {
  return { now, ...(await readFilter(c.env.CONTRIB_DB, query, now, options, c.get("contribVersions"))) };
}

// No report reads a metric: an unknown one is ignored rather than refused.
const ignore = ["metric"] as const;

contribReports.get("/reviews/:module/open", async (c) => {
  const { module } = parseParams(c, OpenReviewsParamsSchema);
  const query = parseQuery(c, OpenReviewsQuerySchema);
  // A report of one module: no project type unless the query names one (the module may be in any).
  const { filter, now } = await selected(c, { ...query, module: [module] }, { ignore, defaultRelease: "all", defaultProjectType: "none" });
  return c.json(await openReviewsReport(c.env.CONTRIB_DB, module.toLowerCase(), filter, now, query.limit));
});

contribReports.get("/contribution/:module/:days", async (c) => {
  const { module, days } = parseParams(c, ContributionReportParamsSchema);
  const query = parseQuery(c, StatsQuerySchema);
  // The window is the path's: from the day `days` days ago on (Stackalytics' start_date), whatever the query's dates.
  const now = nowSeconds();
  const window = { module: [module], start_date: String(now - days * DAY_SECONDS), end_date: undefined };
  const { filter } = await selected(c, { ...query, ...window }, { ignore, defaultRelease: "all", defaultProjectType: "none" }, now);
  return c.json(await contributionReport(c.env.CONTRIB_DB, filter, days, now));
});

contribReports.get("/cores", async (c) => {
  const query = parseQuery(c, StatsQuerySchema);
  // Who is core depends on the votes of the last 90 days, not on the records' release, company or dates.
  const { filter, now } = await selected(c, query, { ignore: [...ignore, "company", "user_id", "start_date", "end_date"], defaultRelease: "all" });
  return c.json(await coresReport(c.env.CONTRIB_DB, filter, now));
});

contribReports.get("/large_commits", async (c) => {
  const query = parseQuery(c, LargeCommitsQuerySchema);
  const { filter } = await selected(c, query, { ignore });
  return c.json(await largeCommitsReport(c.env.CONTRIB_DB, filter, query.loc_threshold));
});

contribReports.get("/single_plus_two_reviews", async (c) => {
  const query = parseQuery(c, StatsQuerySchema);
  const { filter } = await selected(c, query, { ignore, defaultRelease: "all" });
  return c.json(await singlePlusTwoReport(c.env.CONTRIB_DB, filter));
});

contribReports.get("/punch_card", async (c) => {
  const query = parseQuery(c, PunchCardQuerySchema);
  // A person's or a company's whole activity unless the query narrows it.
  const { filter } = await selected(c, query, { ignore, defaultRelease: "all", defaultProjectType: "none" });
  return c.json(await punchCardReport(c.env.CONTRIB_DB, filter));
});

contribReports.get("/blueprint/:module/:name", async (c) => {
  const { module, name } = parseParams(c, BlueprintParamsSchema);
  // The module must be one the configuration knows (a 404 naming it); no other parameter applies.
  const { engine } = await selected(c, { module: [module] }, { ignore, defaultRelease: "all", defaultProjectType: "none" });
  const report = await blueprintReport(c.env.CONTRIB_DB, engine, module.toLowerCase(), name);
  if (!report) throw new ApiError(404, `no blueprint "${name}" in ${module} (parameter name)`, { parameter: "name", value: name });
  return c.json(report);
});

// A primary key may hold slashes (a bug's `bugf:<module>/<number>`): the rest of the path is the key.
contribReports.get("/record/:primary_key{.+}", async (c) => {
  const { primary_key } = parseParams(c, RecordParamsSchema);
  const engine = (await currentEngine(c.env.CONTRIB_DB, c.get("contribVersions")?.defaultData)) ?? EMPTY_ENGINE;
  const report = await recordReport(c.env.CONTRIB_DB, engine, primary_key);
  if (!report) throw new ApiError(404, `no record "${primary_key}" (parameter primary_key)`, { parameter: "primary_key", value: primary_key });
  return c.json(report);
});
