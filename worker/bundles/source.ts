// The bundle's reports: every CSV report of worker/csv, in its order.
import { CSV_REPORT_IDS, csvReportChunks } from "../csv";
import type { ReportSource } from "./job";

export const bundleSource: ReportSource = { ids: CSV_REPORT_IDS, chunks: csvReportChunks };
