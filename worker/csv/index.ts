// The CSV reports: their ids, and one report's CSV text produced page by page from COLLECTOR_DB
// in chunks of bounded size. The route streams it; the all-reports bundle writes it to R2.
import { CSV_REPORT_IDS, type CsvReportId, OSWL_CSV_TYPES, type OswlCsvType } from "../../schemas/csv";
import { type CsvOswlRow, listCsvInstallations, listCsvOswls, listVerifyNetworksStatuses, type OswlCursor } from "../db/csv";
import { csvLine } from "./flatten";
import { type InstallationReport, installationRows, type RowOutcome } from "./installation-rows";
import { type CompiledLayout, layoutOf } from "./layout";
import { type OswlRecord, OswlSeries, type SeriesEntry, seriesEntryRows } from "./oswl-series";
import { type DayRange, isDay } from "../domain/days";

export { CSV_REPORT_IDS, type CsvReportId } from "../../schemas/csv";
export { csvColumns } from "./layout";

export const isCsvReportId = (id: string): id is CsvReportId => (CSV_REPORT_IDS as readonly string[]).includes(id);
const isOswlType = (id: CsvReportId): id is OswlCsvType => (OSWL_CSV_TYPES as readonly string[]).includes(id);

export const csvFileName = (id: CsvReportId) => `${id}.csv`;

export interface CsvOptions {
  /** Write the operator's contact columns (only for a caller holding the admin secret). Default false. */
  contacts?: boolean;
}

/** A chunk is handed on once it holds this many characters (and at the end of every page). */
const CHUNK_CHARS = 64 * 1024;
/** Dropped rows logged one by one per report; the rest are only counted. */
const LOGGED_DROPS = 50;

/** Collects CSV lines into chunks and counts (and logs) dropped rows. */
class Output {
  private text = "";
  rows = 0;
  dropped = 0;

  constructor(private readonly report: CsvReportId) {}

  /** Adds a row's outcome; returns a chunk when one is full. */
  take(outcome: RowOutcome, record: () => Record<string, unknown>): string | null {
    if ("bad" in outcome) {
      if (++this.dropped <= LOGGED_DROPS) console.warn("csv: dropped a row", { report: this.report, reason: outcome.bad, ...record() });
      return null;
    }
    this.rows++;
    this.text += csvLine(outcome.row);
    return this.text.length >= CHUNK_CHARS ? this.flush() : null;
  }

  flush(): string | null {
    const text = this.text;
    this.text = "";
    return text.length > 0 ? text : null;
  }
}

const safeParse = (text: string | null): { value: unknown } | { error: string } => {
  if (text === null) return { value: null };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `invalid JSON (${(error as Error).message})` };
  }
};

async function* installationReport(env: Env, report: InstallationReport, layout: CompiledLayout, range: DayRange, contacts: boolean, out: Output) {
  let after = 0;
  for (;;) {
    const page = await listCsvInstallations(env.COLLECTOR_DB, report, range, after);
    if (page.length === 0) return;
    after = page.at(-1)!.id;
    const statuses = new Map<string, unknown>();
    if (report === "clusters") {
      const rows = await listVerifyNetworksStatuses(env.COLLECTOR_DB, page.map((r) => r.master_node_uid), range);
      for (const r of rows) statuses.set(JSON.stringify([r.master_node_uid, r.cluster_id]), r.status);
    }
    for (const row of page) {
      const where = () => ({ installation_id: row.id, master_node_uid: row.master_node_uid });
      const structure = safeParse(row.structure);
      if ("error" in structure) {
        out.take({ bad: `structure: ${structure.error}` }, where);
        continue;
      }
      const verifyStatus = (clusterId: unknown) => statuses.get(JSON.stringify([row.master_node_uid, clusterId]));
      for (const outcome of installationRows(report, layout, { ...row, structure: structure.value }, { contacts, verifyStatus })) {
        const chunk = out.take(outcome, where);
        if (chunk) yield chunk;
      }
    }
    const chunk = out.flush();
    if (chunk) yield chunk;
  }
}

async function* oswlReport(env: Env, type: OswlCsvType, layout: CompiledLayout, range: DayRange, out: Output) {
  const series = new OswlSeries(range.to);
  const emit = function* (entries: Iterable<SeriesEntry>) {
    for (const entry of entries) {
      const where = () => ({ oswl_id: entry.oswl.id, master_node_uid: entry.oswl.master_node_uid, stats_on_date: entry.stats_on_date });
      for (const outcome of seriesEntryRows(layout, entry)) {
        const chunk = out.take(outcome, where);
        if (chunk) yield chunk;
      }
    }
  };
  let after: OswlCursor | null = null;
  for (;;) {
    const page = await listCsvOswls(env.COLLECTOR_DB, type, range, after);
    if (page.length === 0) break;
    after = page.at(-1)!;
    for (const row of page) {
      const record = toOswlRecord(row);
      if ("bad" in record) {
        out.take(record, () => ({ oswl_id: row.id, master_node_uid: row.master_node_uid }));
        continue;
      }
      yield* emit(series.add(record));
    }
    const chunk = out.flush();
    if (chunk) yield chunk;
  }
  yield* emit(series.finish());
  const chunk = out.flush();
  if (chunk) yield chunk;
}

/** A stored OSWL row as the series takes it, or why it cannot be (it then drops out, logged). */
function toOswlRecord(row: CsvOswlRow): OswlRecord | { bad: string } {
  const createdDay = row.created_date.slice(0, 10);
  if (!isDay(createdDay)) return { bad: `created_date "${row.created_date}" is not a date` };
  const parsed = {
    resource_data: safeParse(row.resource_data),
    version_info: safeParse(row.version_info),
    cluster_version: safeParse(row.cluster_version),
    fuel_release: safeParse(row.fuel_release),
  };
  for (const [field, value] of Object.entries(parsed)) if ("error" in value) return { bad: `${field}: ${value.error}` };
  const valueOf = (p: (typeof parsed)[keyof typeof parsed]) => ("value" in p ? p.value : null);
  return {
    id: row.id,
    master_node_uid: row.master_node_uid,
    cluster_id: row.cluster_id,
    created_date: createdDay,
    resource_type: row.resource_type,
    resource_checksum: row.resource_checksum,
    last_sync_day: row.last_sync_day,
    resource_data: valueOf(parsed.resource_data),
    version_info: valueOf(parsed.version_info),
    cluster_version: valueOf(parsed.cluster_version),
    fuel_release: valueOf(parsed.fuel_release),
  };
}

/**
 * One report's CSV text: the header first, then rows in chunks of about 64 KiB (at least one per
 * page read from D1), so memory stays bounded by a page whatever the size of the report. A
 * record that cannot be exported drops its own rows (logged) and the report goes on. An inverted
 * range gives the header alone. Errors of D1 itself propagate.
 */
export async function* csvReportChunks(env: Env, id: CsvReportId, range: DayRange, options: CsvOptions = {}): AsyncGenerator<string> {
  if (!isCsvReportId(id)) throw new RangeError(`no CSV report "${id}"; reports: ${CSV_REPORT_IDS.join(", ")}`);
  if (!isDay(range.from) || !isDay(range.to)) throw new RangeError(`a CSV range needs days as YYYY-MM-DD, not ${JSON.stringify(range)}`);
  const layout = layoutOf(id);
  yield csvLine(layout.columns);
  if (range.from > range.to) return;
  const out = new Output(id);
  const started = Date.now();
  if (isOswlType(id)) yield* oswlReport(env, id, layout, range, out);
  else yield* installationReport(env, id, layout, range, options.contacts ?? false, out);
  console.log("csv: report done", { report: id, ...range, rows: out.rows, dropped: out.dropped, ms: Date.now() - started });
}

const encoder = new TextEncoder();

/** The chunks as a byte stream, pulled one chunk at a time (the consumer's pace sets the reads). */
export function csvStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // The status line is long gone: all that is left is to cut the download short.
        console.error("csv: report failed midway", error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
