import { useLocation } from "preact-iso/router";
import type { DateRange } from "./api";
import { rangeError, rangeFromQuery, utcToday } from "./date-range";

/**
 * A page's date range, kept in the URL (?from_date&to_date, the API's own names) so that a view can
 * be shared; `valid` is the range when it may be asked for, else null.
 */
export function useRange(fallback: (today: string) => DateRange, maxDays: number) {
  const { path, query, route } = useLocation();
  const today = utcToday();
  const range = rangeFromQuery(query, fallback(today));
  const setRange = (next: DateRange) => {
    const params = new URLSearchParams({ ...query, from_date: next.from, to_date: next.to });
    route(`${path}?${params.toString()}`, true);
  };
  return { range, setRange, today, valid: rangeError(range, today, maxDays) === null ? range : null };
}
