// Date ranges as the API takes them: YYYY-MM-DD, UTC days (the API counts days in UTC), with the
// worker's own day helpers (worker/domain/days.ts), so that the page and the API agree on a day.
import { addDays, dayOf, daysBetween, isDay } from "../../../worker/domain/days";
import type { DateRange } from "./api";

export { addDays };

/** Longest range the adoption report and the all-reports bundle accept (schemas MAX_ADOPTION_DAYS). */
export const MAX_RANGE_DAYS = 3660;
/** Longest range the collector health report accepts. */
export const MAX_HEALTH_DAYS = 366;

export const utcToday = (now: number = Date.now()): string => dayOf(now);

/** A real calendar day as YYYY-MM-DD (not 2026-02-30). */
export const isIsoDate = (value: string): boolean => isDay(value);

/** The same day a month earlier, or that month's last day (31 March → 28 or 29 February). */
export function monthBefore(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, lastDay)).padStart(2, "0")}`;
}

/** Days from `from` to `to`, both counted (a one-day range is 1). */
export const daysInRange = (range: DateRange): number => daysBetween(range.from, range.to) + 1;

/** The Reports page's default, as fuel-stats': to today, from a month earlier. */
export function defaultReportsRange(today: string): DateRange {
  return { from: monthBefore(today), to: today };
}

/** The last `days` days up to today, as the API's own defaults (adoption 90, health 30). */
export function lastDays(today: string, days: number): DateRange {
  return { from: addDays(today, -(days - 1)), to: today };
}

/**
 * Why the range cannot be asked for, or null when it can: both dates valid, from ≤ to, to not after
 * today, and at most `maxDays` days.
 */
export function rangeError(range: DateRange, today: string, maxDays: number = MAX_RANGE_DAYS): string | null {
  if (!isIsoDate(range.from)) return "The start date is not a date (YYYY-MM-DD).";
  if (!isIsoDate(range.to)) return "The end date is not a date (YYYY-MM-DD).";
  if (range.from > range.to) return "The start date is after the end date.";
  if (range.to > today) return "The end date is after today.";
  if (daysInRange(range) > maxDays) return `The range is longer than ${maxDays} days.`;
  return null;
}

/** The bounds each picker offers, so that one can never pass the other (nor today). */
export function pickerBounds(range: DateRange, today: string): { from: { max: string }; to: { min: string; max: string } } {
  return { from: { max: range.to < today ? range.to : today }, to: { min: range.from, max: today } };
}

/** A range from the URL's query, falling back to `fallback` for what is missing or invalid. */
export function rangeFromQuery(query: Record<string, string | undefined>, fallback: DateRange): DateRange {
  const from = query.from_date && isIsoDate(query.from_date) ? query.from_date : fallback.from;
  const to = query.to_date && isIsoDate(query.to_date) ? query.to_date : fallback.to;
  return { from, to };
}
