// Query parameters: validated by a zod schema, and the date range most reports take.
import type { z } from "zod";
import { type DayRange, isInverted, resolveDayRange } from "../domain/days";
import type { AppContext } from "./app-env";
import { apiError, describeZodError } from "./errors";

/** The request's query parameters as `schema` reads them, or a 400 naming what is wrong. */
export function parseQuery<S extends z.ZodType>(c: AppContext, schema: S, within: readonly PropertyKey[] = []): z.infer<S> {
  const parsed = schema.safeParse(c.req.query(), { reportInput: true });
  if (!parsed.success) throw apiError(400, describeZodError(parsed.error, within));
  return parsed.data;
}

/** resolveDayRange, refusing an inverted range with a 400. */
export function dayRangeOf(query: { from_date?: string; to_date?: string }, defaultDaysBack: number, now = Date.now()): DayRange {
  const range = resolveDayRange(query, now, defaultDaysBack);
  if (isInverted(range)) throw apiError(400, `invalid request: from_date (${range.from}) is after to_date (${range.to})`);
  return range;
}
