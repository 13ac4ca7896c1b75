// What `npm run bench:capacity` multiplies: the cost of one record or request, each measured on this
// machine and cited (a section of bench/RESULTS.md and its commit, or bench/lib/row-bytes.json from
// `npm run bench:row-bytes`); Cloudflare's published limits, each with its page; and the default
// fleet, each rate with why. docs/capacity.md explains them.
import { readFileSync } from "node:fs";

const rowBytes = JSON.parse(readFileSync(new URL("./row-bytes.json", import.meta.url), "utf8"));
const rb = rowBytes.results;
const ROW_BYTES = `bench:row-bytes at ${rowBytes.code.commit} (bench/lib/row-bytes.json, section "Bytes per stored row" of bench/RESULTS.md)`;
const OSWL_TYPES = ["vm", "volume", "image", "flavor", "tenant", "keystone_user"];
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** Each cost: `value`, its `unit` and where it comes from (`source`). */
export const COSTS = {
  installationBytes: {
    value: rb.installation.bytesPerRow,
    unit: "bytes per installation",
    source: `${ROW_BYTES}: installation_structures and its ${rb.installation.releaseDaysPerInstallation.toFixed(2)} release days, with indexes`,
  },
  actionLogBytes: {
    value: mean([rb.actionLog_http_request.bytesPerRow, rb.actionLog_nailgun_task.bytesPerRow]),
    unit: "bytes per action log",
    source: `${ROW_BYTES}: action_logs with indexes, the mean of an http_request (${Math.round(rb.actionLog_http_request.bytesPerRow)} B) and a nailgun_task (${Math.round(rb.actionLog_nailgun_task.bytesPerRow)} B)`,
  },
  oswlBytes: {
    value: mean(OSWL_TYPES.map((t) => rb[`oswl_${t}`].bytesPerRow)),
    unit: "bytes per OSWL row",
    source: `${ROW_BYTES}: oswl_stats with indexes, the mean of the six resource types (${Math.round(rb.oswl_tenant.bytesPerRow)}–${Math.round(rb.oswl_vm.bytesPerRow)} B)`,
  },
  rollupBytes: {
    value: rb.rollupInstallation.bytesPerRow,
    unit: "bytes per installation",
    source: `${ROW_BYTES}: rollup_installations with indexes (ANALYTIC_DB)`,
  },
  actionLogKeyBytes: {
    value: rb.actionLogKey.bytesPerRow,
    unit: "bytes per stored action log",
    // Runs before the ranges measured one action_log_keys row per id, and say no shape.
    source: `${ROW_BYTES}: ${rb.actionLogKey.shape ?? "action_log_keys, one row per id (what the objects stored before action_log_ranges)"}, in the Installation object's SQLite`,
  },
  contribRecordBytes: {
    value: 2_613_051_392 / 1_000_000,
    unit: "bytes per contribution record",
    source:
      "bench/RESULTS.md, bench:contrib-api run on f3c3564 (2026-12-06): 1,000,000 records in a 2,613 MB CONTRIB_DB file, with their profiles, daily and release totals and indexes",
  },
  structureRepostRowsWritten: {
    value: rb.structureRepost.rowsWrittenPerRow,
    unit: "D1 rows written per structure post",
    source: `${ROW_BYTES}: an unchanged structure posted again (the row and its indexes)`,
  },
  structureRepostRowsRead: { value: rb.structureRepost.rowsReadPerRow, unit: "D1 rows read per structure post", source: ROW_BYTES },
  actionLogRowsWritten: { value: rb.actionLog_http_request.rowsWrittenPerRow, unit: "D1 rows written per action log", source: ROW_BYTES },
  actionLogRowsRead: { value: rb.actionLog_http_request.rowsReadPerRow, unit: "D1 rows read per action log", source: ROW_BYTES },
  oswlRowsWritten: { value: rb.oswl_vm.rowsWrittenPerRow, unit: "D1 rows written per new OSWL row", source: ROW_BYTES },
  oswlRowsRead: { value: rb.oswl_vm.rowsReadPerRow, unit: "D1 rows read per OSWL row", source: ROW_BYTES },
  rollupRowsWritten: {
    value: 2_930 / 1_000,
    unit: "D1 rows written per installation rolled up",
    source: "bench/RESULTS.md, bench:rollup on 6dab408, 100,000 installations: the incremental run wrote 2,930 rows for 1,000 changed installations",
  },
  rollupRowsRead: {
    value: 15_682 / 1_000,
    unit: "D1 rows read per installation rolled up",
    source: "bench/RESULTS.md, bench:rollup on 6dab408, 100,000 installations: the incremental run read 15,682 rows for 1,000 changed installations",
  },
  rollupCpuSeconds: {
    value: 16.4 / 100_000,
    unit: "CPU seconds per installation rolled up",
    source:
      "bench/RESULTS.md, bench:rollup on 6dab408: a full run of 100,000 installations took 16.4 s of workerd CPU (median), the Worker and local D1 together: an upper bound of the Worker's",
  },
  rollupChunk: { value: 500, unit: "installations per chunk", source: "wrangler.toml ROLLUP_CHUNK_SIZE" },
  rollupCallsPerChunk: {
    value: 3,
    unit: "D1 calls per chunk",
    source:
      "worker/cron/rollup.ts: readChangedInstallations, readSummaries and commitChunk's batch (a fourth, updateCollectorClassification, only when a classification changes)",
  },
  cronFixedCalls: {
    value: 12,
    unit: "D1 calls per hourly invocation besides the chunks",
    source:
      "worker/cron/dispatcher.ts (job_runs: abandon, start and finish for each of three jobs) and the roll-up's cursor and rules; counted from the code, approximate",
  },
  structureRequestCpuMs: {
    value: 1.92,
    unit: "CPU ms per structure post",
    source:
      "bench/RESULTS.md, \"Identity on and off\" on 6dab408: runtime workerd CPU per request, identity on (Worker, Installation object and local D1 together)",
  },
  actionLogRequestCpuMs: {
    value: 4.8,
    unit: "CPU ms per action-log request (100 records)",
    source: "bench/RESULTS.md, \"Identity on and off\" on 6dab408: runtime workerd CPU per request, identity on",
  },
  oswlRequestCpuMs: {
    value: 1.92,
    unit: "CPU ms per OSWL request",
    source: "not measured: taken equal to a structure post (one body of a few KB through the same object and one D1 batch)",
  },
  csvNodesRowsPerInstallation: {
    value: 1_573_639 / 100_000,
    unit: "nodes CSV rows per installation",
    source: "bench/RESULTS.md, bench:csv on 6384b44: 1,573,639 nodes rows for 100,000 installations of bench:rollup's fleet mix",
  },
  csvNodesCpuSecondsPerRow: {
    value: 13.7e-6,
    unit: "Worker CPU seconds per nodes CSV row",
    source: "bench/RESULTS.md, \"Rows walk a trie (816df51)\": V8 ticks of the export's isolate, 13.7 µs per row (the Worker alone, without D1)",
  },
  csvPageRows: { value: 200, unit: "rows per CSV page query", source: "worker/db/csv.ts PAGE_ROWS" },
  csvClustersQueriesPerPage: {
    value: 2,
    unit: "D1 queries per clusters CSV page",
    source: "worker/csv/index.ts: listCsvInstallations and listVerifyNetworksStatuses per page",
  },
  bundleBytesPerInstallation: {
    value: ((1027.8 + 44.8) * 2 ** 20) / 100_000,
    unit: "bytes of CSV per installation in a bundle (uncompressed)",
    source: "bench/RESULTS.md, bench:csv on 6384b44: nodes 1027.8 MiB and clusters 44.8 MiB at 100,000 installations; gzip's ratio not measured, OSWL CSVs not included",
  },
  processorStepSeconds: {
    value: 1.0,
    unit: "seconds per processor step",
    source: "bench/RESULTS.md, bench:contrib on 5d22c27: median step 0.8–1.1 s over three runs (max 2.1 s), wall time on one workerd thread",
  },
  processorStepsPerSourceHour: {
    value: 1,
    unit: "Queue messages per source per hourly run",
    source: "bench/RESULTS.md, bench:contrib on 5d22c27: the incremental run made 200 steps for 200 sources",
  },
};

const D1_LIMITS = "https://developers.cloudflare.com/d1/platform/limits/";

/** Cloudflare's limits (hard: a request or a write fails) and what the plan includes (billing). */
export const LIMITS = {
  d1DatabaseBytes: { value: 10e9, unit: "bytes per D1 database", source: `${D1_LIMITS} (10 GB on Workers Paid; "cannot be further increased")` },
  d1AccountBytes: { value: 1e12, unit: "bytes of D1 per account", source: `${D1_LIMITS} (1 TB on Workers Paid; more by request)` },
  d1QueriesPerInvocation: {
    value: 1000,
    unit: "D1 queries per Worker invocation",
    source: `${D1_LIMITS} ("Queries per Worker invocation", Workers Paid); https://developers.cloudflare.com/workers/platform/limits/ now lists 10,000 subrequests per request`,
  },
  d1StatementsPerSecond: {
    value: null,
    unit: "write transactions per second per D1 database",
    source: `${D1_LIMITS}, FAQ "How much work can a D1 database do?": one database runs one query at a time, so throughput = 1 s ÷ query duration; writes "can take several milliseconds"`,
  },
  doRequestsPerSecond: { value: 1000, unit: "requests per second per Durable Object (soft)", source: "https://developers.cloudflare.com/durable-objects/platform/limits/ (FAQ: soft limit of 1,000 requests per second per object)" },
  doStorageBytes: { value: 10e9, unit: "bytes per SQLite-backed Durable Object", source: "https://developers.cloudflare.com/durable-objects/platform/limits/ (10 GB per object, Workers Paid)" },
  queueMessagesPerSecond: { value: 5000, unit: "messages per second per queue", source: "https://developers.cloudflare.com/queues/platform/limits/" },
  cpuSecondsPerInvocation: {
    value: 300,
    unit: "CPU seconds per invocation",
    source: "wrangler.toml [limits] cpu_ms = 300000, the most https://developers.cloudflare.com/workers/platform/limits/ allows a request (Cron and Queue invocations: up to 15 min, https://developers.cloudflare.com/workers/platform/pricing/)",
  },
  processorSecondsPerHour: { value: 3600, unit: "consumer seconds per hour", source: "wrangler.toml: the processor queue's max_concurrency = 1, so steps run one after another" },
  installationRequestsPerMinute: { value: 600, unit: "requests per minute per installation", source: "wrangler.toml LIMIT_REQUESTS_PER_MINUTE (the object answers 429 beyond it)" },
  includedRowsWrittenPerMonth: { value: 50e6, unit: "D1 rows written per month included", source: "https://developers.cloudflare.com/d1/platform/pricing/ (then $1.00 per million)" },
  includedRowsReadPerMonth: { value: 25e9, unit: "D1 rows read per month included", source: "https://developers.cloudflare.com/d1/platform/pricing/ (then $0.001 per million)" },
  includedCpuSecondsPerMonth: { value: 30e3, unit: "Worker CPU seconds per month included", source: "https://developers.cloudflare.com/workers/platform/pricing/ (30 million CPU ms, then $0.02 per million ms)" },
  includedR2Bytes: { value: 10e9, unit: "R2 bytes included (10 GB-month)", source: "https://developers.cloudflare.com/r2/pricing/ (then $0.015 per GB-month; a bucket's storage is unlimited, https://developers.cloudflare.com/r2/platform/limits/)" },
};

/** The default fleet (docs/capacity.md, "The baseline"): each input with why. */
export const DEFAULT_INPUTS = {
  installations: { value: 10_000, why: "baseline: the smaller size bench:rollup and bench:csv measured; DESIGN.md's target of 100,000 is its 10×" },
  structuresPerDay: { value: 24, why: "statsenderd posts the structure every cycle, STATS_SEND_INTERVAL = 3600 s (reference: fuel-stats.md §4.2)" },
  actionLogsPerDay: { value: 10, why: "assumed: the reference gives no volume; a master mostly idle between deployments" },
  oswlRowsPerDay: {
    value: 6 * 1.21 * 0.45,
    why: "upper bound: one row per operational cluster, resource type (6) and day; bench fleet mix: 1.21 clusters per installation, 45% operational",
  },
  retentionDays: { value: 365, why: "raw rows kept a year (the original kept everything: this is the size after a year)" },
  contribRecords: { value: 1_000_000, why: "the size bench:contrib-api measured" },
  contribSources: { value: 200, why: "the sources bench:contrib measured (200 repositories' Gerrit)" },
  peakFactor: { value: 2, why: "assumed: peak over mean request rate; senders are dithered ±10% around the hour" },
  d1WriteMs: {
    value: 10,
    why: `assumed: one write transaction on production D1, which Cloudflare says "can take several milliseconds"; 10 ms is the cautious end, and local D1 took ${Math.round(rb.structureRepost.localTransactionMs)}–${Math.round(rb.actionLog_http_request.localTransactionMs)} ms through wrangler's proxy (${ROW_BYTES})`,
  },
  csvRangeDays: { value: 90, why: "the CSV exports' default range (docs/csv.md)" },
  bundlesKept: { value: 5, why: "assumed: bundles stored at once (BUNDLE_MAX_ACTIVE = 5 in the making; each kept BUNDLE_TTL_HOURS = 72)" },
};
