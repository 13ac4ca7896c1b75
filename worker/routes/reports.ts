// The aggregated reports, served from the roll-up tables: /api/v1/json/report/installations,
// /releases and /adoption. They are public (the dashboard reads them) and cacheable until the
// next roll-up can have changed them.
import { Hono } from "hono";
import {
  AdoptionQuerySchema,
  DEFAULT_RANGE_DAYS,
  InstallationsReportQuerySchema,
  MAX_ADOPTION_DAYS,
} from "../../schemas/reports";
import { rollupConfig } from "../config";
import { runInstallationsRollup } from "../cron/rollup";
import { readAdoption, readReleases, readReportRows } from "../db/reports";
import { daysBetween } from "../domain/days";
import { buildAdoption, compareReleasesNewestFirst, reportFromRows } from "../domain/rollup";
import { requireAdmin } from "../http/admin-auth";
import type { AppEnv } from "../http/app-env";
import { apiError } from "../http/errors";
import { dayRangeOf, parseQuery } from "../http/query";

export const reports = new Hono<AppEnv>();

const HOUR_MS = 60 * 60 * 1000;
/** How long an admin's refresh may roll up before answering (a request's CPU is limited too). */
export const REFRESH_BUDGET_MS = 20_000;

/**
 * Cacheable until the next hourly roll-up (wrangler.toml triggers) has had a minute to run:
 * a cached answer is never older than the tables it came from.
 */
export function cacheControlUntilNextRollup(now: number): string {
  const next = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS + 60_000;
  return `public, max-age=${Math.max(1, Math.ceil((next - now) / 1000))}`;
}


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
      c.header("Cache-Control", "no-store");
      c.header("X-Rollup", JSON.stringify({ installations: run.installations, stopped: run.stopped }));
    } else {
      c.header("Cache-Control", cacheControlUntilNextRollup(Date.now()));
    }
    return c.json(reportFromRows(await readReportRows(c.env.ANALYTIC_DB, release ?? null)));
  },
);

reports.get("/releases", async (c) => {
  const rows = await readReleases(c.env.ANALYTIC_DB);
  c.header("Cache-Control", cacheControlUntilNextRollup(Date.now()));
  return c.json({
    releases: rows
      .map((r) => ({ release: r.release, installations: r.n }))
      .sort((a, b) => compareReleasesNewestFirst(a.release, b.release)),
  });
});

reports.get("/adoption", async (c) => {
  const { from, to } = dayRangeOf(parseQuery(c, AdoptionQuerySchema), DEFAULT_RANGE_DAYS - 1);
  if (daysBetween(from, to) >= MAX_ADOPTION_DAYS) {
    throw apiError(400, `invalid request: from_date to to_date spans more than ${MAX_ADOPTION_DAYS} days`);
  }
  const data = await readAdoption(c.env.ANALYTIC_DB, from, to);
  c.header("Cache-Control", cacheControlUntilNextRollup(Date.now()));
  return c.json(buildAdoption({ from, to, ...data }));
});
