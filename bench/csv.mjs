// `npm run bench:csv`: the `nodes` and `clusters` CSV exports (issue 5) over the roll-up bench's
// synthetic installations at growing sizes: rows/s, time to first byte, and the resident memory of
// the runtime workerd during each download, to show whether memory stays flat as the data grows.
// Writes bench/RESULTS.md between `<!-- bench:csv -->` and `<!-- /bench:csv -->`, below the kept
// marker.
//
// One persist dir under bench/.state/ with every database migrated. Per size, ascending:
//  1. the worker stopped, COLLECTOR_DB grows to the size with the roll-up bench's generator and
//     seeding (bench/lib/installations.mjs, bench/lib/rollup-db.mjs: same seed, same rows);
//  2. the worker started (unstable_startWorker on 127.0.0.1, no inspector); per report, REPEATS
//     downloads of /api/v1/csv/<report> over a range that covers every installation, each on a new
//     connection, streamed and counted (bench/lib/csv-download.mjs), while the runtime workerd's
//     and the proxy workerd's RSS are sampled every SAMPLE_MS (bench/lib/memsample.mjs);
//  3. checks: 200 and text/csv, the header's columns (522 / 97, and the names of docs/csv.md), a
//     sample of rows with as many fields, every record CRLF-terminated, the row count equal to
//     what the generated data implies.
//
// Environment: BENCH_PORT (8792), BENCH_SCALES ("10000,30000,100000"), BENCH_REPORTS
// ("nodes,clusters"), BENCH_REPEATS (3), BENCH_SAMPLE_MS (50), BENCH_WAIT_QUIET (60 s),
// BENCH_OUT (bench/RESULTS.md), BENCH_KEEP_STATE (1: keep the persist dir), BENCH_HEAP_MB (32: each
// V8 isolate's heap limit; 0: V8's defaults). `node bench/csv.mjs
// --render` redoes the section from the last run's raw data. Exits non-zero if a check fails or
// memory does not stay flat (the results are written anyway).
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { bin, root, toolEnv } from "../scripts/tool-env.mjs";
import { hostBusy, loadavg, machine, otherProcesses } from "./lib/bench-host.mjs";
import { beforeRun, benchMain, makeChecks, writeSection } from "./lib/bench-results.mjs";
import { freshState, startBenchWorker } from "./lib/bench-worker.mjs";
import { download } from "./lib/csv-download.mjs";
import { flatVerdict, renderCsvResults } from "./lib/csv-report.mjs";
import { installationFacts } from "./lib/installations.mjs";
import { idleMemory, startMemorySampler } from "./lib/memsample.mjs";
import { cpuCount, descendants, machineTicks, processTicks } from "./lib/procstat.mjs";
import { openDatabases, seedInstallations } from "./lib/rollup-db.mjs";
import { busiestIsolateHeap, giveWorkerdV8Flags, parseGcLine } from "./lib/workerd-v8.mjs";

const CONFIG = path.join(root, "wrangler.toml");
const OUT = path.resolve(root, process.env.BENCH_OUT ?? "bench/RESULTS.md");
// The raw data of the last run into OUT (so that --render redoes that file, not another run's).
const RAW = path.join(root, "bench/.state", `csv-${path.basename(OUT, ".md")}.json`);
const PORT = Number(process.env.BENCH_PORT ?? 8792);
const SCALES = (process.env.BENCH_SCALES ?? "10000,30000,100000")
  .split(",")
  .map(Number)
  .sort((a, b) => a - b);
const REPORTS = (process.env.BENCH_REPORTS ?? "nodes,clusters").split(",");
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const SAMPLE_MS = Number(process.env.BENCH_SAMPLE_MS ?? 50);
const WAIT_QUIET = Number(process.env.BENCH_WAIT_QUIET ?? 60);
const KEEP_STATE = process.env.BENCH_KEEP_STATE === "1";
/**
 * Each V8 isolate's heap limit in MB (`--max-heap-size`), 0 for V8's defaults. Cloudflare gives an
 * isolate 128 MB; local workerd gives V8's defaults, whose first full collection waits until the
 * old generation reaches about 465 MB (`old_gen_allocation_limit` in `--trace-gc-nvp`), so without
 * a limit the RSS measures how long V8 puts off collecting, not what the export holds. A quarter of
 * Cloudflare's limit makes V8 collect at every size: anything the export kept per row would show
 * as RSS growing with the data, or as the isolate running out of memory.
 */
const HEAP_MB = Number(process.env.BENCH_HEAP_MB ?? 32);
/** The roll-up bench's seed: the same installations. */
const SEED = 20261127;
/** Columns each report must have (issue 5, docs/csv.md). */
const COLUMNS = { nodes: 522, clusters: 97, plugins: 19 };
/** The range starts this many days ago: the generator creates installations up to 1,000 days ago. */
const RANGE_DAYS = 1100;
const READY_TIMEOUT_MS = 90_000;
/** Downloads per size run again after the runtime restarted under them (wrangler rebundles and restarts it whenever a source file of the worker changes: its esbuild always watches, `watch: false` notwithstanding). */
const RETRIES = 6;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * "Flat": the runtime's peak RSS at the largest size exceeds the smallest size's by at most this
 * share or FLAT_SLACK_BYTES, whichever is larger, while the data grows SCALES.at(-1)/SCALES[0] times.
 */
const FLAT_SHARE = 0.15;
const FLAT_SLACK_BYTES = 16 * 1024 * 1024;

Object.assign(process.env, toolEnv);
// wrangler restarts the runtime when wrangler.toml or the assets directory changes, even without
// `watch`, and replays a GET in flight: others edit this tree and rebuild public/ meanwhile. So
// the config is not watched and the assets are a snapshot (as bench/rollup.mjs does).
process.env.WRANGLER_CI_DISABLE_CONFIG_WATCHING = "true";
process.chdir(root);

const log = (...args) => console.log("[bench:csv]", ...args);

/** Collections reported by `--trace-gc` from every workerd this process starts, in order. */
const gcEvents = [];
/** V8 reporting that an isolate ran out of memory (the runtime aborts, the download fails). */
const outOfMemory = [];
const V8_FLAGS = ["--trace-gc", ...(HEAP_MB > 0 ? [`--max-heap-size=${HEAP_MB}`] : [])];
const onWorkerdLine = (pid, line) => {
  const event = parseGcLine(line);
  if (event) gcEvents.push(event);
  else if (/out of memory|heap limit/i.test(line)) outOfMemory.push({ pid, line: line.slice(0, 300) });
};
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

/** The column names docs/csv.md lists for a report (generated from the code by a unit test), or null. */
function documentedColumns(report) {
  const docs = readFileSync(path.join(root, "docs/csv.md"), "utf8");
  const block = docs.match(new RegExp(`<code>${report}\\.csv</code>[^\\n]*\\n+\`\`\`text\\n([\\s\\S]*?)\`\`\``))?.[1];
  return block ? block.trim().split("\n").map((line) => line.trim().replace(/^\d+\s+/, "")) : null;
}

// ---------------------------------------------------------------------------------------------
// What the generated data implies

/**
 * Whether an installation is in a report over [from, to] (docs/csv.md "Which installations"),
 * compared as the worker's SQL compares the stored ISO texts.
 */
function inRange(facts, from, to) {
  const created = new Date(facts.createdAt).toISOString();
  const modified = facts.updatedAt > facts.createdAt ? new Date(facts.updatedAt).toISOString() : null;
  const end = `${dayOf(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS)}T00:00:00.000Z`;
  const after = created >= from || (modified !== null && modified >= from);
  const before = created <= end || (modified !== null && modified <= end);
  return after && before;
}

/** Rows each report must have for these installations: one per cluster, one per node. */
function expectedRows(factsList, range) {
  const rows = { clusters: 0, nodes: 0, plugins: 0, installations: 0, withClusters: 0 };
  for (const f of factsList) {
    if (!inRange(f, range.from, range.to)) continue;
    rows.installations++;
    if (f.clusters.length > 0) rows.withClusters++;
    rows.clusters += f.clusters.length;
    for (const c of f.clusters) rows.nodes += c.nodes;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The worker

async function withCollector(persistDir, fn) {
  const proxy = await openDatabases(CONFIG, persistDir);
  try {
    return await fn(proxy.env.COLLECTOR_DB);
  } finally {
    await proxy.dispose();
  }
}

/** The two workerd processes wrangler starts: the proxy that owns the port, and the runtime. */
function workerdPids() {
  const found = descendants(process.pid).filter((p) => p.name === "workerd");
  const proxy = found.find((p) => p.cmdline.includes(`entry=127.0.0.1:${PORT}`));
  const runtime = found.find((p) => p !== proxy);
  if (!proxy || !runtime || found.length !== 2) throw new Error(`expected 2 workerd processes, found ${found.length}`);
  return { runtime: runtime.pid, proxy: proxy.pid };
}

/** The worker, its workerd processes given V8_FLAGS (only these: seeding needs V8's defaults). */
async function startWorker(persistDir) {
  const restoreSpawn = giveWorkerdV8Flags(V8_FLAGS, onWorkerdLine);
  try {
    // The exports as the public got them before they wanted the admin secret: no contact details.
    const bindings = { PUBLIC_ROW_EXPORTS: "true" };
    const { stop } = await startBenchWorker({ config: CONFIG, port: PORT, persistDir, bindings, readyTimeoutMs: READY_TIMEOUT_MS });
    const ping = await download(PORT, "/api/v1/ping/");
    if (ping.status !== 200) throw new Error(`ping answered ${ping.status}`);
    return {
      pids: workerdPids(),
      async stop() {
        await stop();
        restoreSpawn();
      },
    };
  } catch (error) {
    restoreSpawn();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// One download

async function measuredDownload(pids, report, range) {
  const url = `/api/v1/csv/${report}?from_date=${range.from}&to_date=${range.to}`;
  // Idle before: the baseline of this download.
  const baseline = await idleMemory(pids);
  const ticks = (pid) => processTicks(pid).ticks;
  const m0 = machineTicks();
  const c0 = { runtime: ticks(pids.runtime), proxy: ticks(pids.proxy), bench: ticks(process.pid) };
  const load = loadavg();
  const stop = startMemorySampler(pids, { intervalMs: SAMPLE_MS });
  gcEvents.length = 0;
  let result;
  let memory;
  try {
    result = await download(PORT, url);
  } finally {
    memory = await stop();
  }
  const m1 = machineTicks();
  const cpu = {
    runtime: (ticks(pids.runtime) - c0.runtime) / 100,
    proxy: (ticks(pids.proxy) - c0.proxy) / 100,
    bench: (ticks(process.pid) - c0.bench) / 100,
    hostCores: ((m1.busy - m0.busy) / (m1.total - m0.total)) * cpuCount(),
  };
  const heap = busiestIsolateHeap(gcEvents.filter((e) => e.pid === pids.runtime));
  await sleep(1000);
  const after = await idleMemory(pids);
  // A compact trace of the runtime's RSS (for the growth within a download): ≤ 40 points.
  const step = Math.max(1, Math.ceil(memory.samples.length / 40));
  const trace = memory.samples.filter((_, i) => i % step === 0 || i === memory.samples.length - 1).map((s) => [Math.round(s.t), s.runtime?.rss ?? null]);
  return {
    url,
    status: result.status,
    contentType: result.headers?.["content-type"] ?? null,
    error: result.error,
    bytes: result.bytes,
    rows: result.rows,
    headerColumns: result.header?.length ?? 0,
    header: result.header ?? [],
    sampleFieldCounts: [...new Set((result.sample ?? []).map((r) => r.length))],
    sampleRows: result.sample?.length ?? 0,
    bareLf: result.bareLf ?? null,
    unterminated: result.unterminated ?? null,
    ms: result.ms,
    load,
    cpu,
    heap,
    memory: {
      baseline,
      peak: memory.peak,
      samples: memory.samples.length,
      gapMs: memory.gapMs,
      after,
      trace,
      // The peak's anonymous and file-backed parts: those of the sample with the highest RSS.
      peakParts: Object.fromEntries(
        Object.keys(pids).map((key) => {
          const top = memory.samples.reduce((best, s) => ((s[key]?.rss ?? 0) > (best?.[key]?.rss ?? 0) ? s : best), null);
          return [key, top?.[key] ?? null];
        }),
      ),
    },
  };
}

function checkDownload(checks, label, report, d, expected, documented) {
  checks.equal(`${label}: status`, 200, d.status);
  checks.truth(`${label}: content-type text/csv`, /^text\/csv/.test(d.contentType ?? ""), d.contentType ?? "none");
  checks.truth(`${label}: body complete`, d.error === null && d.unterminated === false, d.error ?? (d.unterminated ? "last record not terminated" : ""));
  checks.equal(`${label}: header columns`, COLUMNS[report], d.headerColumns);
  if (documented) checks.truth(`${label}: header = docs/csv.md's column list`, documented.join(",") === d.header.join(","));
  checks.truth(
    `${label}: sampled rows have ${COLUMNS[report]} fields`,
    d.sampleRows > 0 && d.sampleFieldCounts.length === 1 && d.sampleFieldCounts[0] === COLUMNS[report],
    `${d.sampleRows} rows, field counts ${d.sampleFieldCounts.join("/")}`,
  );
  checks.equal(`${label}: records ending in a bare LF`, 0, d.bareLf);
  checks.equal(`${label}: rows = the generated data's`, expected, d.rows);
  checks.truth(`${label}: V8's GC trace came (its flags are in force)`, (d.heap?.collections ?? 0) > 0);
  if (HEAP_MB > 0) checks.truth(`${label}: the export's isolate within its ${HEAP_MB} MB heap`, d.heap !== null && d.heap.peakCommitted <= HEAP_MB, `${d.heap?.peakCommitted} MB committed`);
}

// ---------------------------------------------------------------------------------------------

async function runScales(checks) {
  const persistDir = freshState("csv", CONFIG);
  log(`state: ${path.relative(root, persistDir)}`);
  const now = Date.now();
  const range = { from: dayOf(now - RANGE_DAYS * DAY_MS), to: dayOf(now) };
  const documented = Object.fromEntries(REPORTS.map((r) => [r, documentedColumns(r)]));
  const scales = [];
  const expected = { clusters: 0, nodes: 0, plugins: 0, installations: 0, withClusters: 0 };
  let seededUpTo = 0;
  try {
    for (const scale of SCALES) {
      log(`— ${scale.toLocaleString("en-US")} installations`);
      // Grow the same database: installations [seededUpTo, scale), exactly as bench:rollup makes them.
      const facts = Array.from({ length: scale - seededUpTo }, (_, i) => installationFacts(SEED, seededUpTo + i, now));
      const seed = await withCollector(persistDir, (collector) => seedInstallations(collector, facts));
      const added = expectedRows(facts, range);
      for (const k of Object.keys(expected)) expected[k] += added[k];
      seededUpTo = scale;
      log(
        `seeded ${facts.length.toLocaleString("en-US")} more in ${(seed.ms / 1000).toFixed(1)} s: ${seed.structures.toLocaleString("en-US")} structures,`,
        `${mib(seed.structure_bytes)} MiB of JSON; expected ${expected.clusters.toLocaleString("en-US")} cluster rows, ${expected.nodes.toLocaleString("en-US")} node rows`,
      );
      checks.equal(`${scale}: installation_structures rows`, scale, seed.structures);
      checks.equal(`${scale}: every installation in the range`, scale, expected.installations);

      const worker = await startWorker(persistDir);
      const downloads = [];
      const interrupted = [];
      let startedMemory;
      try {
        startedMemory = await idleMemory(worker.pids);
        log(`worker up: runtime workerd pid ${worker.pids.runtime} RSS ${mib(startedMemory.runtime.rss)} MiB, proxy pid ${worker.pids.proxy} RSS ${mib(startedMemory.proxy.rss)} MiB`);
        for (const report of REPORTS) {
          for (let rep = 1; rep <= REPEATS; rep++) {
            const before = workerdPids();
            const d = await measuredDownload(before, report, range);
            const after = workerdPids();
            // wrangler restarted the runtime (something in the tree changed): not a measurement of
            // the export. Recorded (with what the client saw) and run again, up to RETRIES times.
            if (after.runtime !== before.runtime) {
              interrupted.push({ report, rep, rows: d.rows, expected: expected[report], bytes: d.bytes, status: d.status, error: d.error, unterminated: d.unterminated, ms: d.ms.total });
              log(`${report} ${rep}: the runtime restarted during the download (pid ${before.runtime} → ${after.runtime}); the client got ${d.rows.toLocaleString("en-US")} of ${expected[report].toLocaleString("en-US")} rows, ${d.error ? `error ${d.error}` : "a normally ended body"}; again`);
              if (interrupted.length > RETRIES) throw new Error("the runtime keeps restarting: is something rewriting the tree?");
              rep--;
              continue;
            }
            checkDownload(checks, `${scale} ${report} ${rep}`, report, d, expected[report], documented[report]);
            const rowsPerSecond = d.rows / (d.ms.total / 1000);
            downloads.push({ report, rep, ...d, rowsPerSecond });
            const rt = d.memory;
            log(
              `${report} ${rep}: ${d.rows.toLocaleString("en-US")} rows, ${mib(d.bytes)} MiB in ${(d.ms.total / 1000).toFixed(2)} s`,
              `(${Math.round(rowsPerSecond).toLocaleString("en-US")} rows/s, ${mib(d.bytes / (d.ms.total / 1000))} MiB/s),`,
              `first byte ${d.ms.firstByte?.toFixed(1)} ms, first row ${d.ms.firstRow?.toFixed(1)} ms;`,
              `runtime RSS ${mib(rt.baseline.runtime.rss)} → peak ${mib(rt.peak.runtime.hwm ?? rt.peak.runtime.sampled)} MiB`,
              `(sampled ${mib(rt.peak.runtime.sampled)}, ${rt.samples} samples, max gap ${rt.gapMs.toFixed(0)} ms), after ${mib(rt.after.runtime.rss)};`,
              `proxy peak ${mib(rt.peak.proxy.hwm ?? rt.peak.proxy.sampled)} MiB; workerd CPU ${d.cpu.runtime.toFixed(1)}+${d.cpu.proxy.toFixed(1)} s, bench ${d.cpu.bench.toFixed(1)} s, host ${d.cpu.hostCores.toFixed(2)} cores`,
            );
          }
        }
      } finally {
        await worker.stop();
      }
      scales.push({ scale, seed, expected: { ...expected }, startedMemory, downloads, interrupted, others: otherProcesses().length });
    }
  } finally {
    if (KEEP_STATE) log(`kept ${path.relative(root, persistDir)}`);
    else rmSync(persistDir, { recursive: true, force: true });
  }
  return { range, scales };
}

// ---------------------------------------------------------------------------------------------

/** Replaces our section below the kept marker, leaving the rest of the file as it is. */
function writeResults(report) {
  writeSection(OUT, "bench:csv", renderCsvResults(report));
}

async function main() {
  const { code, quiet, load } = await beforeRun({ port: PORT, waitQuiet: WAIT_QUIET, log });
  const startedAt = new Date();
  const checks = makeChecks(log);
  const { range, scales } = await runScales(checks);
  const finishedAt = new Date();
  load.after = { loadavg: loadavg(), busy: await hostBusy(1000), others: otherProcesses() };
  const report = {
    startedAt,
    finishedAt,
    machine: machine(root),
    source: code,
    quiet: quiet.quiet,
    load,
    outOfMemory,
    config: { port: PORT, heapMb: HEAP_MB, repeats: REPEATS, sampleMs: SAMPLE_MS, seed: SEED, reports: REPORTS, columns: COLUMNS, rangeDays: RANGE_DAYS, flatShare: FLAT_SHARE, flatSlackBytes: FLAT_SLACK_BYTES },
    range,
    scales,
    checks: checks.list,
  };
  const verdicts = flatVerdict(report);
  for (const v of verdicts) log(`memory ${v.report}: ${v.text}`);
  writeFileSync(RAW, JSON.stringify(report));
  writeResults(report);
  const failed = checks.list.filter((c) => !c.ok);
  log(`wrote ${path.relative(root, OUT)} (${((finishedAt - startedAt) / 1000).toFixed(0)} s)`);
  log(`${checks.list.length - failed.length}/${checks.list.length} checks passed`);
  for (const c of failed) log(`FAIL ${c.what}`);
  if (failed.length > 0 || verdicts.some((v) => !v.flat)) process.exit(1);
}

benchMain({ main, write: writeResults, raw: RAW, out: OUT, label: "bench:csv", log });
