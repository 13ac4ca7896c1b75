// Retention of raw rows: which days are kept, and what that means for the exports that read them.
// Pure: the job and the routes pass the setting and the time.
import { CSV_REPORT_IDS, type CsvReportId } from "../../schemas/csv";
import { type CoverageReport, JSON_REPORT_IDS } from "../../schemas/reports";
import { addDays, dayOf } from "./days";

/** The raw tables retention deletes from; everything else of COLLECTOR_DB stays. */
export const RETAINED_TABLES = ["action_logs", "oswl_stats"] as const;
export type RetainedTable = (typeof RETAINED_TABLES)[number];

/**
 * The first day (UTC) whose raw rows are kept: today less `days`, so that the rows of the last
 * `days` whole days and of today are kept. Null when retention is off (every day is kept).
 */
export function keptFrom(days: number | null, now: number): string | null {
  return days === null ? null : addDays(dayOf(now), -days);
}

/** What each CSV report reads of the raw rows retention deletes; absent: none (structures only). */
const RAW_PART_OF_CSV: Partial<Record<CsvReportId, string>> = {
  clusters: "verify_networks_status values (from action logs)",
  vm: "vm rows",
  flavor: "flavor rows",
  volume: "volume rows",
  image: "image rows",
  tenant: "tenant rows",
  keystone_user: "keystone_user rows",
};

/** The first day a CSV report is complete for, or null when it is complete for every day. */
export const csvCompleteFrom = (report: CsvReportId, from: string | null): string | null =>
  from !== null && RAW_PART_OF_CSV[report] !== undefined ? from : null;

/** The sentence the dashboard and the notes start with. */
export const keptSentence = (days: number, from: string) => `raw rows are kept for ${days} days: from ${from}`;

/**
 * The note for a CSV report of a range that starts before the first kept day (null otherwise):
 * what of it is incomplete. Rows of the first kept day and later are all there.
 */
export function csvCoverageNote(report: CsvReportId, rangeFrom: string, days: number | null, from: string | null): string | null {
  const part = RAW_PART_OF_CSV[report];
  if (days === null || from === null || part === undefined || rangeFrom >= from) return null;
  return `${keptSentence(days, from)}; from_date ${rangeFrom} is earlier, so the ${part} of the days before ${from} are incomplete or missing`;
}

/** The answer of GET /api/v1/json/report/coverage at `now`. */
export function coverageReport(days: number | null, now: number): CoverageReport {
  const from = keptFrom(days, now);
  return {
    retention_days: days,
    raw_rows_from: from,
    csv: Object.fromEntries(CSV_REPORT_IDS.map((id) => [id, csvCompleteFrom(id, from)])) as CoverageReport["csv"],
    reports: Object.fromEntries(JSON_REPORT_IDS.map((id) => [id, null])) as CoverageReport["reports"],
  };
}

/** The headers of a CSV answer: the first complete day of a report that reads raw rows, and the note for a range before it. */
export function csvCoverageHeaders(report: CsvReportId, rangeFrom: string, days: number | null, now: number): Record<string, string> {
  const from = csvCompleteFrom(report, keptFrom(days, now));
  if (from === null) return {};
  const note = csvCoverageNote(report, rangeFrom, days, from);
  return { "x-raw-rows-from": from, ...(note === null ? {} : { "x-coverage-note": note }) };
}
