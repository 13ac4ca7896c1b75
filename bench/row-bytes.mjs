// `npm run bench:row-bytes`: how many bytes each stored row of the main tables takes, and how many
// rows D1 counts as written for it, for the capacity plan (docs/capacity.md, bench/capacity.mjs).
//
// Method: a new directory under the system's temp dir gets the project's migrations with
// `wrangler d1 migrations apply <DB> --local --persist-to <dir>` (the same local D1 as
// `wrangler dev`); representative rows go in through wrangler's getPlatformProxy on that dir,
// using the worker's own SQL where it is a constant of worker/db/ (read from the source) and the
// same shape where drizzle builds it; after each kind of row, sqlite3's `dbstat` gives the pages
// of every table and its indexes. Bytes per row = (pages after − pages before) × page size / rows
// added, so the schema and the first pages do not count. D1's own `meta.rows_written` of the same
// statements is recorded too (what D1 bills). The Installation object's memory of stored action-log
// ids (action_log_ranges) is measured the same way in a plain SQLite file, which is what a
// SQLite-backed Durable Object stores, per id rather than per row: once with no two ids
// consecutive (a range per id, the most it takes), once in runs of 100 with a gap between them.
//
// Writes bench/lib/row-bytes.json (read by bench/lib/capacity-costs.mjs) and the section
// `bench:row-bytes` of bench/RESULTS.md. Environment: ROW_BYTES_SCALE (1) multiplies every count;
// BENCH_OUT (bench/RESULTS.md) and BENCH_OUT_JSON (bench/lib/row-bytes.json) write elsewhere.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { root } from "../scripts/tool-env.mjs";
import { loadavg, machine, source } from "./lib/bench-host.mjs";
import { writeSection } from "./lib/bench-results.mjs";
import { migrateState } from "./lib/bench-worker.mjs";
import { installationFacts, structureOf } from "./lib/installations.mjs";
import { OSWL_TYPES, actionLog, oswlItem, rollupSummary } from "./lib/row-samples.mjs";
import { openDatabases, seedInstallations } from "./lib/rollup-db.mjs";

const CONFIG = path.join(root, "wrangler.toml");
const OUT_JSON = path.resolve(root, process.env.BENCH_OUT_JSON ?? "bench/lib/row-bytes.json");
const OUT_MD = path.resolve(root, process.env.BENCH_OUT ?? "bench/RESULTS.md");
const SCALE = Number(process.env.ROW_BYTES_SCALE ?? 1);
const COUNTS = {
  structures: Math.round(10_000 * SCALE),
  actionLogsPerShape: Math.round(20_000 * SCALE),
  oswlPerType: Math.round(5_000 * SCALE),
  actionLogIds: Math.round(100_000 * SCALE),
};
const SEED = 20261127;
const ACTION_LOGS_PER_STATEMENT = 100;
const OSWL_PER_STATEMENT = 100;
const STATEMENTS_PER_BATCH = 20;
const log = (...args) => console.log("[row-bytes]", ...args);

/** A constant SQL string of a worker source file, or an error naming it. */
function workerSql(file, name) {
  const text = readFileSync(path.join(root, file), "utf8");
  const sql = text.match(new RegExp(`const ${name} = \`([\\s\\S]*?)\`;`))?.[1];
  if (!sql) throw new Error(`${name} not found in ${file}`);
  return sql;
}

/** The INSERT of commitChunk (worker/db/rollup.ts), which is written inline. */
function rollupInstallationsSql() {
  const text = readFileSync(path.join(root, "worker/db/rollup.ts"), "utf8");
  const sql = text.match(/`(INSERT INTO rollup_installations[\s\S]*?)`/)?.[1];
  if (!sql) throw new Error("the rollup_installations upsert was not found in worker/db/rollup.ts");
  return sql;
}

const INSERT_ACTION_LOGS = workerSql("worker/db/collector.ts", "INSERT_ACTION_LOGS");
const UPSERT_OSWL = workerSql("worker/db/collector.ts", "UPSERT_OSWL");
const UPSERT_ROLLUP = rollupInstallationsSql();
const ACTION_LOG_RANGES_TABLE = readFileSync(path.join(root, "worker/db/installation-state.ts"), "utf8").match(
  /`(CREATE TABLE action_log_ranges[^`]*)`/,
)?.[1];
/** Ids per run in the second shape of the object's memory, one id missing between runs. */
const RUN = 100;
// A known installation's re-post that keeps its release and filtering verdict (upsertInstallationStructure).
const REPOST_STRUCTURE = workerSql("worker/db/collector.ts", "UPDATE_KEEPING_RELEASE");

/** Pages of each table with its indexes, from sqlite3's dbstat: Map(table → {bytes, payload}). */
function tablePages(file) {
  const out = execFileSync(
    "sqlite3",
    [
      "-readonly",
      "-json",
      file,
      `SELECT m.tbl_name AS tbl, sum(d.pgsize) AS bytes, sum(d.payload) AS payload
       FROM dbstat AS d JOIN sqlite_master AS m ON m.name = d.name GROUP BY m.tbl_name`,
    ],
    { encoding: "utf8" },
  );
  return new Map((out.trim() ? JSON.parse(out) : []).map((r) => [r.tbl, { bytes: r.bytes, payload: r.payload }]));
}

const pageSize = (file) => Number(execFileSync("sqlite3", ["-readonly", file, "PRAGMA page_size"], { encoding: "utf8" }).trim());

/** The local D1 files of the persist dir, by the table that tells them apart. */
function databaseFiles(persistDir) {
  const dir = path.join(persistDir, "v3/d1/miniflare-D1DatabaseObject");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
    .map((f) => path.join(dir, f));
  const holding = (table) => {
    const file = files.find((f) => tablePages(f).has(table));
    if (!file) throw new Error(`no local D1 file holds ${table}`);
    return file;
  };
  return { collector: holding("action_logs"), analytic: holding("rollup_installations"), contrib: holding("records") };
}

/** Runs statements in batches; returns D1's rows written, read and changed, and each batch's time. */
async function runBatches(db, statements, perBatch = STATEMENTS_PER_BATCH) {
  let rowsWritten = 0;
  let rowsRead = 0;
  let changes = 0;
  const ms = [];
  for (let i = 0; i < statements.length; i += perBatch) {
    const started = performance.now();
    const results = await db.batch(statements.slice(i, i + perBatch));
    ms.push(performance.now() - started);
    for (const r of results) {
      rowsWritten += r.meta.rows_written;
      rowsRead += r.meta.rows_read;
      changes += r.meta.changes;
    }
  }
  return { rowsWritten, rowsRead, changes, ms };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)];
};

/** Measures what `insert` adds to `tables` of `file`: bytes per row of each, and of all of them. */
async function measure(file, tables, rows, insert) {
  const before = tablePages(file);
  const d1 = await insert();
  const after = tablePages(file);
  const perTable = Object.fromEntries(
    tables.map((t) => {
      const bytes = (after.get(t)?.bytes ?? 0) - (before.get(t)?.bytes ?? 0);
      const payload = (after.get(t)?.payload ?? 0) - (before.get(t)?.payload ?? 0);
      return [t, { bytes, payload }];
    }),
  );
  const bytes = Object.values(perTable).reduce((n, t) => n + t.bytes, 0);
  const payload = Object.values(perTable).reduce((n, t) => n + t.payload, 0);
  return {
    rows,
    bytes,
    bytesPerRow: bytes / rows,
    payloadPerRow: payload / rows,
    perTable,
    rowsWrittenPerRow: d1 ? d1.rowsWritten / rows : null,
    rowsReadPerRow: d1 ? d1.rowsRead / rows : null,
  };
}

async function main() {
  const startedAt = new Date();
  const dir = mkdtempSync(path.join(os.tmpdir(), "edgestats-row-bytes-"));
  log(`persist dir ${dir}; counts ${JSON.stringify(COUNTS)}`);
  try {
    migrateState(dir, CONFIG);
    const files = databaseFiles(dir);
    const proxy = await openDatabases(CONFIG, dir);
    const { COLLECTOR_DB: collector, ANALYTIC_DB: analytic } = proxy.env;
    const now = Date.now();
    const results = {};
    let facts;
    try {
      // Installation structures, as bench:rollup seeds them (the collector's row, the release triggers).
      facts = Array.from({ length: COUNTS.structures }, (_, i) => installationFacts(SEED, i, now));
      results.installation = await measure(files.collector, ["installation_structures", "installation_release_days"], facts.length, async () => {
        const seeded = await seedInstallations(collector, facts);
        return { rowsWritten: seeded.rowsWritten, rowsRead: 0 };
      });
      const releaseDays = (await collector.prepare(`SELECT count(*) AS n FROM installation_release_days`).first()).n;
      results.installation.releaseDaysPerInstallation = releaseDays / facts.length;
      log(`installation structures: ${results.installation.bytesPerRow.toFixed(0)} B per installation`);

      // A re-post of an unchanged structure (every hour, statsenderd): what D1 writes for it.
      const reposts = facts.slice(0, 1000);
      const repost = await runBatches(
        collector,
        reposts.map((f) =>
          collector
            .prepare(REPOST_STRUCTURE)
            // Seeded rows are 'unverified' and not filtered (bench/lib/rollup-db.mjs).
            .bind(f.uid, JSON.stringify(structureOf(f)), new Date(now).toISOString(), f.country, "unverified", now + 1, f.release, 0),
        ),
        1,
      );
      if (repost.changes !== reposts.length) throw new Error(`the re-posts updated ${repost.changes} of ${reposts.length} rows`);
      results.structureRepost = {
        rows: reposts.length,
        rowsWrittenPerRow: repost.rowsWritten / reposts.length,
        rowsReadPerRow: repost.rowsRead / reposts.length,
        localTransactionMs: median(repost.ms),
      };

      // Action logs, each shape on its own, 100 per statement as statsenderd sends them.
      for (const shape of ["http_request", "nailgun_task"]) {
        const per = ACTION_LOGS_PER_STATEMENT;
        const statements = [];
        for (let s = 0; s < COUNTS.actionLogsPerShape / per; s++) {
          const f = facts[s % facts.length];
          const first = (shape === "http_request" ? 0 : 1_000_000) + Math.floor(s / facts.length) * per + 1;
          const logs = Array.from({ length: per }, (_, i) => actionLog(shape, first + i));
          // The insert's rows as the worker makes them (worker/domain/action-logs.ts actionLogRow).
          const rows = logs.map((l) => [l.external_id, l.body.action_type, l.body.action_name, l.body]);
          statements.push(collector.prepare(INSERT_ACTION_LOGS).bind(f.uid, JSON.stringify(rows), now, "unverified"));
        }
        let timing;
        results[`actionLog_${shape}`] = await measure(files.collector, ["action_logs"], statements.length * per, async () => {
          const single = await runBatches(collector, statements.slice(0, 50), 1);
          const rest = await runBatches(collector, statements.slice(50));
          timing = median(single.ms);
          return { rowsWritten: single.rowsWritten + rest.rowsWritten, rowsRead: single.rowsRead + rest.rowsRead };
        });
        results[`actionLog_${shape}`].localTransactionMs = timing;
        results[`actionLog_${shape}`].bodyBytes = JSON.stringify(actionLog(shape, 1).body).length;
        log(`action logs (${shape}): ${results[`actionLog_${shape}`].bytesPerRow.toFixed(0)} B per row`);
      }

      // OSWL rows, each resource type on its own; then the same rows posted again (an update).
      for (const type of OSWL_TYPES) {
        const statements = [];
        const items = [];
        for (let s = 0; s < COUNTS.oswlPerType / OSWL_PER_STATEMENT; s++) {
          const f = facts[s % facts.length];
          const batch = Array.from({ length: OSWL_PER_STATEMENT }, (_, i) => oswlItem(type, f.uid, s * OSWL_PER_STATEMENT + i + 1));
          items.push(batch);
          statements.push(collector.prepare(UPSERT_OSWL).bind(f.uid, JSON.stringify(batch), now, "unverified"));
        }
        results[`oswl_${type}`] = await measure(files.collector, ["oswl_stats"], statements.length * OSWL_PER_STATEMENT, () => runBatches(collector, statements));
        results[`oswl_${type}`].resourceDataBytes = JSON.stringify(items[0][0].resource_data).length;
        const again = await runBatches(collector, statements.slice(0, 10));
        results[`oswl_${type}`].updateRowsWrittenPerRow = again.rowsWritten / (10 * OSWL_PER_STATEMENT);
        log(`oswl (${type}): ${results[`oswl_${type}`].bytesPerRow.toFixed(0)} B per row`);
      }

      // The roll-up's summary of each installation (ANALYTIC_DB), with the worker's upsert.
      const summaries = facts.map((f) => [f.uid, f.release, 1, 0, "unverified", JSON.stringify(rollupSummary(f)), f.updatedAt]);
      const rollupStatements = [];
      for (let i = 0; i < summaries.length; i += 500) {
        rollupStatements.push(analytic.prepare(UPSERT_ROLLUP).bind(JSON.stringify(summaries.slice(i, i + 500)), now));
      }
      results.rollupInstallation = await measure(files.analytic, ["rollup_installations"], summaries.length, () => runBatches(analytic, rollupStatements));
      log(`rollup_installations: ${results.rollupInstallation.bytesPerRow.toFixed(0)} B per installation`);
    } finally {
      await proxy.dispose();
    }

    // The Installation object's dedup memory (its own SQLite): ranges of stored action-log ids,
    // inserted in ascending order as a master's ids mostly come. Per id, not per row.
    const objectFile = path.join(dir, "installation-object.sqlite");
    if (!ACTION_LOG_RANGES_TABLE) throw new Error("action_log_ranges was not found in worker/db/installation-state.ts");
    const rangesOf = (file, ranges, idsPerRange, rangeSql) =>
      measure(file, ["action_log_ranges"], ranges * idsPerRange, async () => {
        execFileSync("sqlite3", [
          file,
          `WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < ${ranges - 1})
           INSERT INTO action_log_ranges (lo, hi) SELECT ${rangeSql} FROM k;`,
        ]);
        return null;
      });
    // Ids 1, 3, 5 …: a range of one id each.
    execFileSync("sqlite3", [objectFile, `${ACTION_LOG_RANGES_TABLE};`]);
    results.actionLogKey = {
      ...(await rangesOf(objectFile, COUNTS.actionLogIds, 1, "2 * n + 1, 2 * n + 1")),
      shape: "action_log_ranges, no two ids consecutive (a range per id, the most it takes)",
    };
    // Ids 1 … 100, 102 … 201, …: a range per run.
    const runsFile = path.join(dir, "installation-object-runs.sqlite");
    execFileSync("sqlite3", [runsFile, `${ACTION_LOG_RANGES_TABLE};`]);
    results.actionLogKeyInRuns = {
      ...(await rangesOf(runsFile, Math.ceil(COUNTS.actionLogIds / RUN), RUN, `n * ${RUN + 1} + 1, n * ${RUN + 1} + ${RUN}`)),
      shape: `action_log_ranges, runs of ${RUN} consecutive ids with a gap between runs`,
    };

    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      code: source(root),
      machine: machine(root),
      load: loadavg(),
      counts: COUNTS,
      pageSize: { d1: pageSize(files.collector), object: pageSize(objectFile) },
      sqlite: execFileSync("sqlite3", ["--version"], { encoding: "utf8" }).trim().split(" ")[0],
      results,
    };
    writeFileSync(OUT_JSON, `${JSON.stringify(report, null, 2)}\n`);
    writeSection(OUT_MD, "bench:row-bytes", renderRowBytes(report));
    log(`wrote ${path.relative(root, OUT_JSON)} and its section of ${path.relative(root, OUT_MD)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const f0 = (n) => (n === null || n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));
const f2 = (n) => (n === null || n === undefined ? "–" : n.toFixed(2));

/** The section of bench/RESULTS.md. */
function renderRowBytes(report) {
  const r = report.results;
  const code = `${report.code.commit}${report.code.dirty ? " with uncommitted changes" : ""}`;
  const row = (what, table, m, extra = "") =>
    `| ${what} | ${table} | ${f0(m.rows)} | ${f0(m.bytesPerRow)} | ${f0(m.payloadPerRow)} | ${f2(m.rowsWrittenPerRow)} | ${extra} |`;
  const lines = [
    "## Bytes per stored row (`npm run bench:row-bytes`)",
    "",
    `Run ${report.startedAt.slice(0, 16).replace("T", " ")} UTC on ${code}; ${report.machine.nproc} × ${report.machine.model}, Node ${report.machine.node}, wrangler ${report.machine.wrangler}, sqlite3 ${report.sqlite}, page size ${report.pageSize.d1} bytes (local D1) and ${report.pageSize.object} (the object's file). Load average at the end: ${report.load}.`,
    "",
    "**Method.** A new directory in the system's temp dir gets the project's migrations (`wrangler d1 migrations apply <DB> --local --persist-to <dir>`); the rows go in through wrangler's `getPlatformProxy` on it (the local D1 of `wrangler dev`), with the worker's own SQL where it is a constant in `worker/db/` (read from the source: `INSERT_ACTION_LOGS`, `UPSERT_OSWL`, the `rollup_installations` upsert) and the same shape where drizzle builds it (the structure re-post) or where bench:rollup seeds it (structures, release days). After each kind of row, sqlite3's `dbstat` counts the pages of every table and its indexes: **bytes per row = pages added × page size ÷ rows added** (schema and first pages excluded). *Payload* is the bytes SQLite stores in those pages (cells without page slack). *D1 rows written* is the sum of D1's `meta.rows_written` for the same statements, divided by the rows (what D1 bills; one per row and one per index entry written). The rows: `bench/lib/row-samples.mjs`.",
    "",
    "| rows | table(s), with their indexes | rows added | bytes per row | payload per row | D1 rows written per row | notes |",
    "|---|---|---|---|---|---|---|",
    row(
      "an installation (structure JSON of bench:rollup's fleet mix)",
      "installation_structures + installation_release_days",
      r.installation,
      `${f2(r.installation.releaseDaysPerInstallation)} release days each; a re-post of an unchanged structure: ${f2(r.structureRepost.rowsWrittenPerRow)} rows written`,
    ),
    row("action log, `http_request`", "action_logs", r.actionLog_http_request, `body ${f0(r.actionLog_http_request.bodyBytes)} B of JSON`),
    row("action log, `nailgun_task`", "action_logs", r.actionLog_nailgun_task, `body ${f0(r.actionLog_nailgun_task.bodyBytes)} B of JSON`),
    ...OSWL_TYPES.map((t) =>
      row(
        `OSWL row, \`${t}\``,
        "oswl_stats",
        r[`oswl_${t}`],
        `resource_data ${f0(r[`oswl_${t}`].resourceDataBytes)} B; posted again: ${f2(r[`oswl_${t}`].updateRowsWrittenPerRow)} rows written`,
      ),
    ),
    row("roll-up summary of an installation", "rollup_installations (ANALYTIC_DB)", r.rollupInstallation),
    row(
      "dedup memory of a stored action log, no two ids consecutive (per id)",
      "action_log_ranges (the Installation object's SQLite)",
      r.actionLogKey,
      `not D1: the object's own storage; a range per id, the most it takes. In runs of ${RUN}: ${f2(r.actionLogKeyInRuns.bytesPerRow)} B per id`,
    ),
    "",
    `Local D1's time for one write transaction (median, through wrangler's proxy, one statement per batch): a re-posted structure ${f2(r.structureRepost.localTransactionMs)} ms, 100 action logs ${f2(r.actionLog_http_request.localTransactionMs)} ms. Production D1 also replicates every write durably before it answers; these are not its figures.`,
    "",
    "**What bounds these figures.** The byte counts are SQLite's own pages, the same engine and file format as D1 and SQLite-backed Durable Objects; D1 reports a database's size as its file size, which also holds free pages after deletes. Row sizes follow the sample rows: the structures are bench:rollup's fleet mix (0–5 clusters of 1–50 nodes), the action logs and OSWL rows the shapes of `bench/lib/row-samples.mjs` (its comments say which resource counts an OSWL row of each type carries), so a fleet whose clusters hold more resources stores proportionally larger OSWL rows. The rows written are local D1's count; production D1 bills by the same definition (one per row, one per index entry).",
  ];
  return lines.join("\n");
}

main().catch((error) => {
  console.error("[row-bytes] failed:", error);
  process.exit(1);
});
