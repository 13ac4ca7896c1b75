// The date range of a CSV report. Pure.
import { CSV_DEFAULT_RANGE_DAYS, type CsvQuery } from "../../schemas/csv";

/** Inclusive days, YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A real calendar day as YYYY-MM-DD (not 2015-02-30). */
export const isDay = (value: string) => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && dayOf(Date.parse(`${value}T00:00:00Z`)) === value;

/** The next day; after 9999-12-31 a value that sorts after every date and timestamp of that day. */
export function dayAfter(day: string): string {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS);
  return next.getUTCFullYear() > 9999 ? "9999-12-32" : next.toISOString().slice(0, 10);
}

export const daysBefore = (day: string, days: number) => dayOf(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS);

/**
 * The range of a request: to_date defaults to today (UTC), from_date to 90 days before to_date.
 * The caller refuses an inverted range (see isInverted); dates in the future are fine (they match
 * nothing beyond today).
 */
export function resolveCsvRange(query: CsvQuery, now: number): DayRange {
  const to = query.to_date ?? dayOf(now);
  const from = query.from_date ?? daysBefore(to, CSV_DEFAULT_RANGE_DAYS);
  return { from, to };
}

export const isInverted = (range: DayRange) => range.from > range.to;
