// GET /api/v1/csv/<report>?from_date&to_date: one CSV report, streamed from COLLECTOR_DB. Row-level:
// the admin secret, unless PUBLIC_ROW_EXPORTS opens it (docs/privacy.md).
import { Hono } from "hono";
import { CSV_DEFAULT_RANGE_DAYS, CsvQuerySchema, OSWL_TYPES_WITHOUT_CSV } from "../../schemas/csv";
import { retentionConfig } from "../config";
import { CSV_REPORT_IDS, csvFileName, csvReportChunks, csvStream, isCsvReportId } from "../csv";
import { csvCoverageHeaders } from "../domain/retention";
import { requireRowExportAccess } from "../http/admin-auth";
import type { AppContext, AppEnv } from "../http/app-env";
import { apiError } from "../http/errors";
import { dayRangeOf, parseQuery } from "../http/query";

export const csv = new Hono<AppEnv>();

const REPORTS = CSV_REPORT_IDS.join(", ");

/** The report and range a request asks for, or the 400/404 that says what is wrong with it. */
function csvRequest(c: AppContext) {
  const report = c.req.param("report") ?? "";
  if ((OSWL_TYPES_WITHOUT_CSV as readonly string[]).includes(report)) {
    throw apiError(400, `invalid request: resource type "${report}" has no CSV report; reports: ${REPORTS}`);
  }
  if (!isCsvReportId(report)) throw apiError(404, `no CSV report "${report}"; reports: ${REPORTS}`);
  const params = c.req.query();
  const unknown = Object.keys(params).find((k) => !Object.hasOwn(CsvQuerySchema.shape, k));
  if (unknown !== undefined) {
    throw apiError(400, `invalid request: unknown query parameter "${unknown}"; expected from_date and to_date as YYYY-MM-DD`);
  }
  return { report, range: dayRangeOf(parseQuery(c, CsvQuerySchema), CSV_DEFAULT_RANGE_DAYS) };
}

csv.get("/:report", requireRowExportAccess, (c) => {
  const { report, range } = csvRequest(c);
  // Contact details only for the admin secret (a public answer, under PUBLIC_ROW_EXPORTS, has none).
  const contacts = c.req.header("authorization") !== undefined;
  return new Response(csvStream(csvReportChunks(c.env, report, range, { contacts })), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename=${csvFileName(report)}`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      // Raw rows may be deleted after RETENTION_DAYS: which days this report is complete for.
      ...csvCoverageHeaders(report, range.from, retentionConfig(c.env).days, Date.now()),
    },
  });
});
