// GET /api/v1/json/collector/health?from_date&to_date: the data-quality counters per day.
import { Hono } from "hono";
import { HealthQuerySchema } from "../../schemas/health";
import { listOutcomes } from "../db/collector";
import { OUTCOME_UNITS, summarizeOutcomes, utcDay } from "../domain/outcomes";
import type { AppEnv } from "../http/app-env";
import { apiError, describeZodError } from "../http/errors";

export const health = new Hono<AppEnv>();

const MAX_DAYS = 366;

health.get("/health", async (c) => {
  const query = HealthQuerySchema.safeParse(c.req.query(), { reportInput: true });
  if (!query.success) throw apiError(400, describeZodError(query.error));
  const to = query.data.to_date ?? utcDay(Date.now());
  const from = query.data.from_date ?? utcDay(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000);
  if (from > to) throw apiError(400, `invalid request: from_date (${from}) is after to_date (${to})`);
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_DAYS) {
    throw apiError(400, `invalid request: the range is longer than ${MAX_DAYS} days`);
  }
  const days = summarizeOutcomes(await listOutcomes(c.env.COLLECTOR_DB, from, to), from, to);
  c.header("Cache-Control", "public, max-age=60");
  return c.json({ status: "ok", from_date: from, to_date: to, units: OUTCOME_UNITS, days });
});
