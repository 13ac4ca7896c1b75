// The CSV exports (GET /api/v1/csv/<report>): their ids and query parameters.
import { z } from "zod";
import { IsoDateSchema } from "./health";

/** The OSWL resource types that have a CSV report (security_group and cluster_stats have none). */
export const OSWL_CSV_TYPES = ["vm", "flavor", "volume", "image", "tenant", "keystone_user"] as const;
export type OswlCsvType = (typeof OSWL_CSV_TYPES)[number];

/** Every CSV report, in the order the UI lists them and a bundle packs them. */
export const CSV_REPORT_IDS = ["clusters", "nodes", "plugins", ...OSWL_CSV_TYPES] as const;
export const CsvReportIdSchema = z.enum(CSV_REPORT_IDS);
export type CsvReportId = z.infer<typeof CsvReportIdSchema>;

/** Resource types the collector accepts but that cannot be exported (no resource columns). */
export const OSWL_TYPES_WITHOUT_CSV = ["security_group", "cluster_stats"] as const;

/** Default range: the last 90 days (fuel-stats' CSV_DEFAULT_FROM_DATE_DAYS). */
export const CSV_DEFAULT_RANGE_DAYS = 90;

export const CsvQuerySchema = z.strictObject({
  from_date: IsoDateSchema.optional(),
  to_date: IsoDateSchema.optional(),
});
export type CsvQuery = z.infer<typeof CsvQuerySchema>;
