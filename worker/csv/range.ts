// The date range of a CSV report: the shared day helpers (worker/domain/days.ts) with the CSV
// default of 90 days before to_date. Pure.
import { CSV_DEFAULT_RANGE_DAYS, type CsvQuery } from "../../schemas/csv";
import { type DayRange, resolveDayRange } from "../domain/days";

export { type DayRange, dayAfter, dayOf, isDay, isInverted } from "../domain/days";

/** to_date defaults to today (UTC), from_date to 90 days before to_date. */
export const resolveCsvRange = (query: CsvQuery, now: number): DayRange => resolveDayRange(query, now, CSV_DEFAULT_RANGE_DAYS);
