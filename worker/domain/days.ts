// Calendar days as YYYY-MM-DD, UTC: the one set of day helpers of the reports, exports and counters.

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The UTC day of an instant. */
export const dayOf = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

export const addDays = (day: string, days: number) => dayOf(msOf(day) + days * DAY_MS);

/** Whole days from `from` to `to` (0 for the same day). */
export const daysBetween = (from: string, to: string) => Math.round((msOf(to) - msOf(from)) / DAY_MS);

/** A real calendar day as YYYY-MM-DD (not 2015-02-30). */
export const isDay = (value: string) => DAY.test(value) && !Number.isNaN(msOf(value)) && dayOf(msOf(value)) === value;

/** The next day; after 9999-12-31 a value that sorts after every date and timestamp of that day. */
export function dayAfter(day: string): string {
  const next = new Date(msOf(day) + DAY_MS);
  return next.getUTCFullYear() > 9999 ? "9999-12-32" : dayOf(next.getTime());
}

/** Inclusive days, YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

/**
 * The range a request asks for: to_date defaults to today (UTC), from_date to `defaultDaysBack`
 * days before to_date. Dates in the future are kept (they match nothing beyond today).
 */
export function resolveDayRange(query: { from_date?: string; to_date?: string }, now: number, defaultDaysBack: number): DayRange {
  const to = query.to_date ?? dayOf(now);
  return { from: query.from_date ?? addDays(to, -defaultDaysBack), to };
}

export const isInverted = (range: DayRange) => range.from > range.to;
