// Date ranges as the API takes them: YYYY-MM-DD, UTC days (the API counts days in UTC).
import type { DateRange } from "./api";

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Longest range the adoption report and the all-reports bundle accept (schemas MAX_ADOPTION_DAYS). */
export const MAX_RANGE_DAYS = 3660;
/** Longest range the collector health report accepts. */
export const MAX_HEALTH_DAYS = 366;

export function utcToday(now: number = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The same day a month earlier, or that month's last day (31 March → 28 or 29 February). */
export function monthBefore(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, lastDay)).padStart(2, "0")}`;
}

/** Days from `from` to `to`, both counted (a one-day range is 1). */
export function daysInRange(range: DateRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1;
}

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
