// The aggregated reports, served from the roll-up tables: /api/v1/json/report/installations,
// /releases, /adoption and /filtering. They are public (the dashboard reads them), with the numbers
// that come from fewer than k installations withheld; the admin secret shows every number. A cache
// keeps an answer only as long as revalidating it says it is unchanged. /coverage says which days
// they and the CSV exports cover.
import { Hono } from "hono";
import { RETAINED_304_HEADERS, etag } from "hono/etag";
import {
  AdoptionQuerySchema,
  DEFAULT_RANGE_DAYS,
  InstallationsReportQuerySchema,
  MAX_ADOPTION_DAYS,
} from "../../schemas/reports";
import { privacyConfig, retentionConfig, rollupConfig } from "../config";
import { INSTALLATIONS_ROLLUP, runInstallationsRollup } from "../cron/rollup";
import { findFilteringRules } from "../db/analytic";
import { readAdoption, readFilteredByRelease, readReleases, readReportRows, readRollupState } from "../db/reports";
import { daysBetween } from "../domain/days";
import { adoptionCells, filteringCells, installationsReportCells, releasesCells } from "../domain/report-cells";
import { coverageReport } from "../domain/retention";
import { buildAdoption, compareReleasesNewestFirst, contributorsFromRows, reportFromRows } from "../domain/rollup";
import { chooseWithheld, type Group, type Cell, withhold } from "../domain/suppression";
import { requireAdmin } from "../http/admin-auth";
import type { AppContext, AppEnv } from "../http/app-env";
import { apiError } from "../http/errors";
import { dayRangeOf, parseQuery } from "../http/query";

export const reports = new Hono<AppEnv>();

/** How long an admin's refresh may roll up before answering (a request's CPU is limited too). */
export const REFRESH_BUDGET_MS = 20_000;

/**
 * Every answer may be stored but must be revalidated before each use (`no-cache`): its ETag is a
 * digest of the body, so a roll-up, a change of rules rolled up, or a new day shows at once, and
 * an unchanged answer costs a 304. Last-Modified is when the roll-up last ran ("data as of"); a
 * 304 carries it too, so a cache learns of a run that changed nothing.
 */
export const REPORT_CACHE_CONTROL = "public, no-cache";
reports.use(etag({ retainedHeaders: [...RETAINED_304_HEADERS, "last-modified"] }));

// The admin secret, when presented, is checked (a wrong one is refused rather than ignored); with
// it, every number is shown.
reports.use("*", async (c, next) => {
  if (c.req.header("authorization") !== undefined) return requireAdmin(c, next);
  await next();
});

/**
 * The answer as the caller may see it. The public one has the numbers that could single out an
 * installation withheld (null), and says so in `suppressed` (docs/privacy.md); an admin's is
 * complete, and no cache may keep it.
 */
function publish<T extends object>(c: AppContext, answer: T, cellsOf: (answer: T) => { cells: Cell[]; groups: Group[] }) {
  if (c.req.header("authorization") !== undefined) {
    c.header("Cache-Control", "no-store");
    return c.json(answer);
  }
  const k = privacyConfig(c.env).suppressionK;
  if (k <= 1) return c.json(answer);
  const { cells, groups } = cellsOf(answer);
  return c.json(withhold(answer, chooseWithheld(cells, groups, k)));
}

/**
 * Marks the answer cacheable-with-revalidation and dated by the roll-up; returns a key of the
 * roll-up's last commit. Called before the tables are read, so the date is never later than the data.
 */
async function dateByRollup(c: AppContext): Promise<string> {
  const state = await readRollupState(c.env.ANALYTIC_DB, INSTALLATIONS_ROLLUP);
  c.header("Cache-Control", REPORT_CACHE_CONTROL);
  c.header("Vary", "Authorization");
  if (state.asOf !== null) c.header("Last-Modified", new Date(state.asOf).toUTCString());
  return `${state.version}@${state.committedAt}`;
}

/** The filtered counts of one roll-up commit, kept by the isolate: they change only with a commit. */
let filteredMemo: { version: string; rows: { release: string; n: number }[] } | null = null;

reports.get(
  "/installations",
  async (c, next) => {
    // refresh=1 makes the worker roll up now: the admin secret only.
    if (c.req.query("refresh") === "1") return requireAdmin(c, next);
    await next();
  },
  async (c) => {
    const { release, refresh } = parseQuery(c, InstallationsReportQuerySchema);
    if (refresh === "1") {
      // Within a request: at most REFRESH_BUDGET_MS of it; the cron goes on with the rest.
      const config = rollupConfig(c.env);
      const run = await runInstallationsRollup(c.env, { ...config, budgetMs: Math.min(config.budgetMs, REFRESH_BUDGET_MS) });
      c.header("X-Rollup", JSON.stringify({ installations: run.installations, stopped: run.stopped }));
    }
    await dateByRollup(c);
    if (refresh === "1") c.header("Cache-Control", "no-store");
    const rows = await readReportRows(c.env.ANALYTIC_DB, release ?? null);
    return publish(c, reportFromRows(rows), (report) => installationsReportCells(report, contributorsFromRows(rows)));
  },
);

reports.get("/releases", async (c) => {
  await dateByRollup(c);
  const rows = await readReleases(c.env.ANALYTIC_DB);
  const releases = rows
    .map((r) => ({ release: r.release, installations: r.n }))
    .sort((a, b) => compareReleasesNewestFirst(a.release, b.release));
  return publish(c, { releases }, (answer) => releasesCells(answer.releases));
});

reports.get("/adoption", async (c) => {
  const { from, to } = dayRangeOf(parseQuery(c, AdoptionQuerySchema), DEFAULT_RANGE_DAYS - 1);
  if (daysBetween(from, to) >= MAX_ADOPTION_DAYS) {
    throw apiError(400, `invalid request: from_date to to_date spans more than ${MAX_ADOPTION_DAYS} days`);
  }
  await dateByRollup(c);
  const data = await readAdoption(c.env.ANALYTIC_DB, from, to);
  return publish(c, buildAdoption({ from, to, ...data }), adoptionCells);
});

reports.get("/filtering", async (c) => {
  const version = await dateByRollup(c);
  if (filteredMemo?.version !== version) filteredMemo = { version, rows: await readFilteredByRelease(c.env.ANALYTIC_DB) };
  const stored = await findFilteringRules(c.env.ANALYTIC_DB);
  const answer = {
    filtered: {
      count: filteredMemo.rows.reduce((sum, r) => sum + r.n, 0),
      releases: Object.fromEntries(filteredMemo.rows.map((r) => [r.release, r.n])),
    },
    rules: (stored?.rules ?? {}) as Record<string, unknown>,
    rules_updated_at: stored ? new Date(stored.updatedAt).toISOString() : null,
  };
  return publish(c, answer, (a) => filteringCells(a.filtered));
});

// Which days the reports and the CSV exports cover: raw rows may be deleted after RETENTION_DAYS.
// It changes with the day, so it is revalidated like the reports.
reports.get("/coverage", (c) => {
  c.header("Cache-Control", REPORT_CACHE_CONTROL);
  return c.json(coverageReport(retentionConfig(c.env).days, Date.now()));
});
