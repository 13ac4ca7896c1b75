// GET /api/v1/json/collector/health?from_date&to_date: the data-quality counters per day.
import { Hono } from "hono";
import { HealthQuerySchema } from "../../schemas/health";
import { listOutcomes } from "../db/collector";
import { daysBetween } from "../domain/days";
import { OUTCOME_UNITS, summarizeOutcomes } from "../domain/outcomes";
import type { AppEnv } from "../http/app-env";
import { apiError } from "../http/errors";
import { dayRangeOf, parseQuery } from "../http/query";

export const health = new Hono<AppEnv>();

const MAX_DAYS = 366;

health.get("/health", async (c) => {
  const { from, to } = dayRangeOf(parseQuery(c, HealthQuerySchema), 29);
  if (daysBetween(from, to) >= MAX_DAYS) {
    throw apiError(400, `invalid request: the range is longer than ${MAX_DAYS} days`);
  }
  const days = summarizeOutcomes(await listOutcomes(c.env.COLLECTOR_DB, from, to), from, to);
  c.header("Cache-Control", "public, max-age=60");
  // The counters are read as they are now (no roll-up): the dashboard's "data as of" is this answer's time.
  c.header("Last-Modified", new Date().toUTCString());
  return c.json({ status: "ok", from_date: from, to_date: to, units: OUTCOME_UNITS, days });
});
