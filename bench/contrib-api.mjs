// `npm run bench:contrib-api`: the contribution statistics read API (`/api/1.0`, docs/contrib-api.md)
// over 1,000,000 records of realistic shape: p50/p95 of every `stats/*` endpoint, `/contribution`
// and `/activity` under the busiest filter and a typical one, the first answer of a freshly
// started worker, and the V8 heap of the isolate. Writes bench/RESULTS.md between
// `<!-- bench:contrib-api -->` and `<!-- /bench:contrib-api -->`, below the kept marker.
//
//  1. A fresh persist dir under bench/.state/ with every database migrated; the worker started
//     (unstable_startWorker, no inspector, V8's default heap), the generated default_data.json
//     loaded (`PUT /api/1.0/admin/default-data`) and the records (bench/lib/contrib-api-data.mjs)
//     posted through the real path, `POST /api/1.0/admin/records`, 1,000 at a time, one request
//     after the other (the processor writes one step at a time too); a batch cut by a restart of
//     the runtime is posted again (a batch is one transaction, and posting it again changes
//     nothing). The typical filter's company is the top one of `stats/companies` under its release
//     and project type. The worker is stopped and D1 read directly: records per type, the rows of
//     release_totals and daily_totals, profiles.
//  2. Per endpoint and filter (a case): the worker started afresh on the same persist dir, its
//     workerd given `--trace-gc` (and `--max-heap-size`, BENCH_HEAP_MB); the first request is the
//     cold figure; then BENCH_WARMUP unmeasured requests and BENCH_REQUESTS measured ones, one
//     after the other on one keep-alive connection, none with If-None-Match (a 304 would not run
//     the query): p50, p95, max. Every answer must be a 200 with JSON and the endpoint's key. The
//     isolate's heap is V8's account (`--trace-gc`) during the measured requests. BENCH_COLD=once
//     starts the worker once for all cases instead (the first request of each case in turn is
//     then its "cold" figure, with the isolate already up for every case but the first).
//     Besides (BENCH_COLD=each): the case's first answer after the runtime has answered one
//     `/api/1.0/metrics` (a start of its own: start, /metrics, the case timed), and once a round
//     a start's fixed cost step by step (its own start: `/api/v1/ping/`, which asks D1 nothing, a
//     404 under /api/1.0, which asks D1 one small query, `/metrics`, `/releases`, which compiles
//     the config, each twice), on this persist dir and on a freshly migrated empty one.
//     BENCH_ROUNDS rounds, interleaved (every case once, then every case again, …): the table
//     shows the median of the rounds' figures.
//  3. Checks: `/contribution` under the busiest filter adds up to what was seeded, per type, per
//     mark bucket, in lines of code and abandoned reviews; the rankings' metrics add up to the
//     counted marks; `stats/companies?metric=commits` to the commits; D1 holds the records made.
//
// Environment: BENCH_PORT (8792), BENCH_RECORDS (1000000), BENCH_REQUESTS (100), BENCH_WARMUP (3),
// BENCH_ROUNDS (3), BENCH_COLD (each | once), BENCH_HEAP_MB (64: each V8 isolate's heap limit; 0: V8's defaults),
// BENCH_WAIT_QUIET (60 s), BENCH_OUT (bench/RESULTS.md), BENCH_KEEP_STATE (1: keep the persist
// dir), BENCH_STATE (a kept persist dir of an earlier run with the same BENCH_RECORDS, on the same
// day: seeding is skipped, migrations added since are applied). `node bench/contrib-api.mjs --render` redoes the section from the last
// run's raw data. Exits non-zero if a check fails (the results are written anyway).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { root, toolEnv } from "../scripts/tool-env.mjs";
import { loadavg, machine, otherProcesses } from "./lib/bench-host.mjs";
import { beforeRun, benchMain, makeChecks, writeSection } from "./lib/bench-results.mjs";
import { freshState, migrateState, startBenchWorker, VIA_PROXY } from "./lib/bench-worker.mjs";
import { createContribApiData, DEFAULT_SEED } from "./lib/contrib-api-data.mjs";
import { renderContribApiResults } from "./lib/contrib-api-report.mjs";
import { client, median, percentile } from "./lib/http.mjs";
import { descendants } from "./lib/procstat.mjs";
import { openDatabases } from "./lib/rollup-db.mjs";
import { busiestIsolateHeap, giveWorkerdV8Flags, parseGcLine } from "./lib/workerd-v8.mjs";

const CONFIG = path.join(root, "wrangler.toml");
const OUT = path.resolve(root, process.env.BENCH_OUT ?? "bench/RESULTS.md");
const RAW = path.join(root, "bench/.state", `contrib-api-${path.basename(OUT, ".md")}.json`);
const PORT = Number(process.env.BENCH_PORT ?? 8792);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const COLD = process.env.BENCH_COLD ?? "each";
/** Rounds of every case, interleaved; the figures reported are the medians of the rounds'. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * Each V8 isolate's heap limit in MB (`--max-heap-size`), 0 for V8's defaults. The goal's 64 MB:
 * V8 then keeps every isolate under it (collecting fully as it nears it) or the runtime aborts, so
 * a run that completes shows the worker fits, and the live heap after a full collection says what
 * it holds. bench:csv's 32 MB would bind local D1's isolate too, which is not the worker's and not
 * production's: it peaked at 26 MB for `stats/engineers_extended` over 100,000 records.
 */
const HEAP_MB = Number(process.env.BENCH_HEAP_MB ?? 64);
const WAIT_QUIET = Number(process.env.BENCH_WAIT_QUIET ?? 60);
const KEEP_STATE = process.env.BENCH_KEEP_STATE === "1";
const REUSE_STATE = process.env.BENCH_STATE ? path.resolve(root, process.env.BENCH_STATE) : null;
const SCALE = { records: RECORDS, people: 3000, companies: 200, configUsers: 300, modules: 500, groups: 40 };
const ADMIN_TOKEN = "bench-contrib-api-admin-token-0123456789";
/** Goals (the issue): p95 under 100 ms for the busiest filter, 20 ms for a typical one; the first answer after a start within 2× a warm one; the heap under 64 MB. */
const GOALS = { busiestP95Ms: 100, typicalP95Ms: 20, coldRatio: 2, heapMb: 64 };
/** Posts of a batch, and runs of a case, again after the runtime restarted under them (wrangler restarts it when a source file of the worker changes). */
const RETRIES = 6;
const DAY = 86_400;

Object.assign(process.env, toolEnv);
process.chdir(root);
const log = (...args) => console.log("[bench:contrib-api]", ...args);
const int = (n) => Math.round(n).toLocaleString("en-US");

/** Collections reported by `--trace-gc` from every workerd this process starts, in order, with each pause. */
const gcEvents = [];
const outOfMemory = [];
// The heap limit applies to every start; V8's GC trace only to the starts that measure the heap:
// printing a line per collection made a start's first answer 3-4 ms slower (a first request
// compiles and allocates enough for several scavenges), so no timed start carries it.
const HEAP_FLAGS = HEAP_MB > 0 ? [`--max-heap-size=${HEAP_MB}`] : [];
const TRACE_FLAGS = ["--trace-gc", ...HEAP_FLAGS];
const onWorkerdLine = (pid, line) => {
  const event = parseGcLine(line);
  if (event) gcEvents.push({ ...event, pauseMs: Number(/MB, ([\d.]+) \/ [\d.]+ ms/.exec(line)?.[1] ?? 0) });
  else if (/out of memory|heap limit/i.test(line)) outOfMemory.push({ pid, line: line.slice(0, 300) });
};

/** The endpoints measured, each with the key its answer must have and whether the metric changes what it reads. */
const ENDPOINTS = [
  { path: "stats/companies", key: "stats", metric: true },
  { path: "stats/modules", key: "stats", metric: true },
  { path: "stats/engineers", key: "stats", metric: true },
  { path: "stats/engineers_extended", key: "stats", metric: false },
  { path: "stats/distinct_engineers", key: "stats", metric: true },
  { path: "stats/bp", key: "stats", metric: false },
  { path: "stats/languages", key: "stats", metric: false },
  { path: "stats/timeline", key: "timeline", metric: true },
  { path: "contribution", key: "contribution", metric: false },
  { path: "activity", key: "activity", metric: true },
];

/**
 * (a) the busiest filter under marks and person-day (once where the metric is ignored), (b) the
 * typical one; and the floor: `/metrics`, an answer that asks D1 one small query (the versions
 * every answer reads) and no totals, whose first answer after a start is the start's own cost.
 */
function benchCases(typical) {
  const busiest = "release=all&project_type=all";
  const typicalQuery = `release=${encodeURIComponent(typical.release)}&project_type=${encodeURIComponent(typical.projectType)}&company=${encodeURIComponent(typical.company)}`;
  const floor = { endpoint: "metrics", key: "data", filter: "floor", metric: null, url: "/api/1.0/metrics" };
  return [floor, ...ENDPOINTS.flatMap((e) => [
    ...(e.metric ? ["marks", "person-day"] : [null]).map((metric) => ({
      endpoint: e.path,
      key: e.key,
      filter: "a",
      metric,
      url: `/api/1.0/${e.path}?${busiest}${metric ? `&metric=${metric}` : ""}`,
    })),
    { endpoint: e.path, key: e.key, filter: "b", metric: null, url: `/api/1.0/${e.path}?${typicalQuery}` },
  ])];
}

/** The two workerd processes wrangler starts: the proxy that owns the port, and the runtime. */
function workerdPids() {
  const found = descendants(process.pid).filter((p) => p.name === "workerd");
  const proxy = found.find((p) => p.cmdline.includes(`entry=127.0.0.1:${PORT}`));
  const runtime = found.find((p) => p !== proxy);
  return { runtime: runtime?.pid ?? null, proxy: proxy?.pid ?? null, count: found.length };
}

const bindings = { ADMIN_TOKEN, CONTRIB_USER_SOURCE: "none" };

/** Where requests go: the running runtime's own port (see bench-worker.mjs), set at each start. */
let servingPort = PORT;

/**
 * Waits until the runtime serves: wrangler's `ready` is the proxy's, and the runtime workerd is
 * spawned after it (the first request would wait for it). A static asset is served without the
 * worker's code (run_worker_first is only /api/*), so the worker's first request stays its own.
 */
async function untilServing() {
  const http = client(servingPort);
  try {
    for (let i = 0; i < 300; i++) {
      const res = await http.get("/").catch(() => null);
      if (res?.status === 200 && workerdPids().runtime) return;
      await sleep(200);
    }
    throw new Error("the runtime did not serve within 60 s");
  } finally {
    http.close();
  }
}

/**
 * The worker (or another `entrypoint`) with its workerd given HEAP_FLAGS, and V8's GC trace when
 * `trace` (seeding runs with V8's defaults), serving.
 */
async function startMeasuredWorker(persistDir, { entrypoint, trace = false } = {}) {
  const restoreSpawn = giveWorkerdV8Flags(trace ? TRACE_FLAGS : HEAP_FLAGS, onWorkerdLine);
  try {
    const started = performance.now();
    const { stop, port } = await startBenchWorker({ config: CONFIG, entrypoint, port: PORT, persistDir, bindings });
    servingPort = port;
    await untilServing();
    return {
      startMs: performance.now() - started,
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

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function adminCall(http, method, route, body) {
  const res = await http.request(method, route, { body: body === undefined ? null : body, headers: admin });
  if (res.status !== 200) throw new Error(`${method} ${route}: ${res.status} ${res.text.slice(0, 300)}`);
  return JSON.parse(res.text);
}

/** Posts one batch, again after a restart of the runtime cut it (a batch is one transaction: a repeat changes nothing). */
async function postBatch(http, body, n) {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await http.request("POST", "/api/1.0/admin/records", { body, headers: admin });
      if (res.status === 200) return { ...JSON.parse(res.text), attempts: attempt + 1 };
      if (res.status < 500 || attempt >= RETRIES) throw new Error(`batch ${n}: ${res.status} ${res.text.slice(0, 300)}`);
      log(`batch ${n}: ${res.status} ${res.text.slice(0, 120)}; again`);
    } catch (error) {
      if (!error.code || attempt >= RETRIES) throw error;
      log(`batch ${n}: ${error.code}; again`);
    }
    await sleep(3000);
  }
}

/** Seeds the config and the records; returns the seeding's figures and the typical filter. */
async function seed(persistDir, data, checks) {
  const { stop, port } = await startBenchWorker({ config: CONFIG, port: PORT, persistDir, bindings });
  servingPort = port;
  const http = client(servingPort);
  try {
    const loaded = await adminCall(http, "PUT", "/api/1.0/admin/default-data", JSON.stringify(data.config));
    log(`config loaded: ${loaded.profiles_updated} profiles`);
    const started = performance.now();
    const totals = { added: 0, updated: 0, unchanged: 0, profilesCreated: 0, profilesMerged: 0, recordsReattributed: 0, retried: 0 };
    const batchMs = [];
    const batches = data.batches();
    let next = batches.next();
    let n = 0;
    let lastLog = started;
    let bytes = 0;
    while (!next.done) {
      const body = JSON.stringify({ records: next.value });
      bytes += body.length;
      const t0 = performance.now();
      const pending = postBatch(http, body, ++n);
      // The next batch is made while the worker stores this one.
      next = batches.next();
      const r = await pending;
      batchMs.push(performance.now() - t0);
      totals.added += r.added;
      totals.updated += r.updated;
      totals.unchanged += r.unchanged;
      totals.profilesCreated += r.profiles_created;
      totals.profilesMerged += r.profiles_merged;
      totals.recordsReattributed += r.records_reattributed;
      totals.retried += r.attempts - 1;
      const now = performance.now();
      if (now - lastLog > 30_000 || next.done) {
        const done = data.expected.records - (next.done ? 0 : next.value.length);
        log(`seeded ${int(done)} of ${int(RECORDS)} records in ${((now - started) / 1000).toFixed(0)} s (${int(done / ((now - started) / 1000))}/s)`);
        lastLog = now;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    checks.equal("seeding: every record added once", data.expected.records, totals.added + totals.unchanged);

    // The typical filter: the release and child project type with the most records, the company
    // with the most counted marks there.
    const release = data.busiestRelease();
    const projectType = data.busiestChildType();
    const top = await http.get(`/api/1.0/stats/companies?release=${release}&project_type=${projectType}&metric=marks`);
    const company = JSON.parse(top.text).stats.find((row) => row.id !== "*independent")?.id;
    if (!company) throw new Error(`no company under release ${release}, project type ${projectType}: ${top.text.slice(0, 200)}`);

    const commits = await http.get("/api/1.0/stats/companies?metric=commits&release=all&project_type=all");
    checks.equal("stats/companies?metric=commits&release=all&project_type=all adds up to the commits seeded", data.expected.byType.commit, sumMetric(commits));
    return {
      seeding: { seconds, recordsPerSecond: data.expected.records / seconds, batches: n, megabytes: bytes / 1e6, batchMs: { median: median(batchMs), p95: percentile(batchMs, 95), max: Math.max(...batchMs) }, ...totals },
      typical: { release, projectType, company },
    };
  } finally {
    http.close();
    await stop();
  }
}

const sumMetric = (res) => JSON.parse(res.text).stats.reduce((n, row) => n + row.metric, 0);

/** What D1 holds after seeding (read directly while the worker is stopped). */
async function readBack(persistDir) {
  const proxy = await openDatabases(CONFIG, persistDir);
  try {
    const db = proxy.env.CONTRIB_DB;
    const all = (sql) => db.prepare(sql).all().then((r) => r.results);
    const records = Object.fromEntries((await all("SELECT record_type, count(*) AS n FROM records GROUP BY record_type")).map((r) => [r.record_type, r.n]));
    const totals = Object.fromEntries((await all("SELECT record_type, sum(records) AS n FROM daily_totals GROUP BY record_type")).map((r) => [r.record_type, r.n]));
    const totalsRows = (await all("SELECT count(*) AS n FROM daily_totals"))[0].n;
    const profiles = (await all("SELECT count(*) AS n FROM profiles"))[0].n;
    // release_totals (migration 0007) also holds person-day rows (`pd`), which are no records, and
    // (0008) sums of its rows at coarser levels: the records are those of level 0.
    const releaseTotalsRows = await all("SELECT count(*) AS n FROM release_totals").then((r) => r[0].n, () => null);
    const levelZero = await all("SELECT record_type, sum(records) AS n FROM release_totals WHERE level = 0 GROUP BY record_type").catch(() =>
      all("SELECT record_type, sum(records) AS n FROM release_totals GROUP BY record_type").catch(() => null),
    );
    return {
      records,
      totals,
      totalsRows,
      releaseTotals: levelZero && Object.fromEntries(levelZero.filter((r) => r.record_type !== "pd").map((r) => [r.record_type, r.n])),
      releaseTotalsRows,
      profiles,
      databaseBytes: largestSqlite(path.join(persistDir, "v3", "d1")),
    };
  } finally {
    await proxy.dispose();
  }
}

/** The size of the largest SQLite file under a directory (the contribution database's, by far). */
function largestSqlite(dir) {
  if (!existsSync(dir)) return null;
  let largest = 0;
  for (const entry of readdirSync(dir, { recursive: true })) {
    const file = path.join(dir, String(entry));
    if (file.endsWith(".sqlite")) largest = Math.max(largest, statSync(file).size);
  }
  return largest;
}

/** The answer is a 200 with JSON that has the endpoint's key; returns the parsed body or null. */
function answerOf(res, key) {
  if (res.status !== 200) return null;
  try {
    const body = JSON.parse(res.text);
    return body !== null && typeof body === "object" && key in body ? body : null;
  } catch {
    return null;
  }
}

const label = (c) => `${c.endpoint} (${c.filter}${c.metric ? `, ${c.metric}` : ""})`;
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/**
 * One case on a running worker: the first request (cold when the worker was just started), the
 * warm-up, the measured requests; the isolate's heap over the measured ones.
 */
async function runCase(c, pids) {
  const http = client(servingPort);
  try {
    const first = await http.get(c.url);
    const firstBody = answerOf(first, c.key);
    for (let i = 0; i < WARMUP; i++) await http.get(c.url);
    const from = gcEvents.length;
    const ms = [];
    let bad = 0;
    let badExample = null;
    for (let i = 0; i < REQUESTS; i++) {
      const res = await http.get(c.url);
      ms.push(res.ms);
      if (!answerOf(res, c.key)) {
        bad++;
        badExample ??= `${res.status} ${res.text.slice(0, 200)}`;
      }
    }
    const events = gcEvents.slice(from).filter((e) => e.pid === pids.runtime);
    const isolates = isolateHeaps(events);
    return {
      first: { ms: first.ms, status: first.status, ok: firstBody !== null, text: firstBody ? null : first.text.slice(0, 300), sha256: sha256(first.text) },
      firstBody,
      bytes: Buffer.byteLength(first.text),
      warm: { n: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms), min: Math.min(...ms), mean: ms.reduce((a, b) => a + b, 0) / ms.length },
      bad,
      badExample,
      heap: isolates[0] ?? null,
      otherIsolates: isolates.slice(1),
      gcPauseMs: events.reduce((n, e) => n + e.pauseMs, 0),
    };
  } finally {
    http.close();
  }
}

/** The case's first answer after the runtime answered one `/api/1.0/metrics` (on a worker just started for it). */
async function runAfterMetrics(c) {
  const http = client(servingPort);
  try {
    const metrics = await http.get("/api/1.0/metrics");
    if (metrics.status !== 200) throw new Error(`/api/1.0/metrics: ${metrics.status} ${metrics.text.slice(0, 200)}`);
    const res = await http.get(c.url);
    return { ms: res.ms, metricsMs: metrics.ms, status: res.status, ok: answerOf(res, c.key) !== null, sha256: sha256(res.text) };
  } finally {
    http.close();
  }
}

/**
 * What a start costs a first answer, step by step, on a worker just started: each step's path
 * asked once and then STEP_REPEATS times more (their median: the warm figure). `/api/v1/ping/`
 * runs the worker and asks D1 nothing; a path under /api/1.0 that no route has reads the data
 * version (local D1's first query) and answers 404; `/api/1.0/metrics` is the cheapest answer;
 * `/api/1.0/releases` reads the config and compiles it into the engine (an empty database has
 * none: not asked there).
 */
const START_STEPS = [
  { step: "ping", url: "/api/v1/ping/", status: 200 },
  { step: "404", url: "/api/1.0/no-such-resource", status: 404 },
  { step: "metrics", url: "/api/1.0/metrics", status: 200 },
  { step: "releases", url: "/api/1.0/releases", status: 200 },
];

/**
 * The same on a Worker that does nothing of its own (bench/lib/baseline-worker.ts, with this
 * config): what a start costs the local runtime, whatever the Worker.
 */
const BASELINE_WORKER = path.join(root, "bench/lib/baseline-worker.ts");
const BASELINE_STEPS = [
  { step: "baseline ping", url: "/api/v1/ping/", status: 200 },
  { step: "baseline d1", url: "/api/d1", status: 200 },
];

/** Answers after a step's first that give its warm figure (their median). */
const STEP_REPEATS = 5;
/** Starts per round for the steps (a first answer is one figure per start). */
const STEP_STARTS = 2;

async function runStartSteps(steps = START_STEPS) {
  const http = client(servingPort);
  try {
    const out = [];
    for (const s of steps) {
      const first = await http.get(s.url);
      const again = [];
      for (let i = 0; i < STEP_REPEATS; i++) {
        const res = await http.get(s.url);
        if (res.status !== s.status) throw new Error(`${s.url}: ${res.status}, expected ${s.status}`);
        again.push(res.ms);
      }
      if (first.status !== s.status) throw new Error(`${s.url}: ${first.status}, expected ${s.status}`);
      out.push({ step: s.step, url: s.url, first: first.ms, warm: median(again) });
    }
    return { steps: out };
  } finally {
    http.close();
  }
}

/**
 * Every isolate's heap among `events`, the worker's first. The runtime runs the worker and local D1
 * (and wrangler's small router and asset workers) in isolates of their own. Their peaks tell them
 * apart badly (under a heap limit both fill up to near it before a full collection), their floors
 * well: the least any collection left is about 6.5 MB in the worker's (its bundle and the compiled
 * config), 1–2 MB in local D1's.
 */
function isolateHeaps(events) {
  const by = new Map();
  for (const e of events) by.set(e.isolate, [...(by.get(e.isolate) ?? []), e]);
  return [...by.values()]
    .map((own) => ({ ...busiestIsolateHeap(own), floor: Math.min(...own.map((e) => e.usedAfter)), pauseMs: own.reduce((n, e) => n + e.pauseMs, 0) }))
    .sort((a, b) => b.floor - a.floor);
}

/**
 * Runs `run(worker)` on a worker started for it (or on the shared one), again after the runtime
 * restarted under it or a request failed; returns its result and the start's time.
 */
async function onWorker(what, persistDir, run, interrupted, { shared = null, entrypoint, trace = false } = {}) {
  for (let attempt = 0; ; attempt++) {
    const worker = shared ? await shared.get() : await startMeasuredWorker(persistDir, { entrypoint, trace });
    let r;
    let restarted = false;
    try {
      r = await run(worker);
      restarted = workerdPids().runtime !== worker.pids.runtime;
    } catch (error) {
      r = { error: String(error) };
    } finally {
      if (!shared) await worker.stop();
    }
    const problem = r.error ?? (restarted ? "the runtime restarted" : null);
    if (problem && attempt < RETRIES) {
      interrupted.push({ case: what, error: problem });
      log(`${what}: ${problem}; again`);
      if (shared) await shared.reset();
      await sleep(3000);
      continue;
    }
    if (r.error) throw new Error(`${what}: ${r.error}`);
    return { ...r, startMs: worker.startMs };
  }
}

const medianOf = (rounds, f) => median(rounds.map(f).filter((x) => x !== null && x !== undefined));

/**
 * A case's figures over its rounds: the median of each (the first answer, the first after
 * /metrics, p50, p95, max), the range of the rounds' p95, the largest heap of any round.
 */
export function combineRounds(c, rounds) {
  const one = rounds[0];
  const warm = {};
  for (const k of ["p50", "p95", "max", "min", "mean"]) warm[k] = medianOf(rounds, (r) => r.warm[k]);
  warm.n = one.warm.n;
  const heaps = rounds.filter((r) => r.heap);
  const worst = heaps.length ? heaps.reduce((a, b) => (b.heap.peakUsed > a.heap.peakUsed ? b : a)) : null;
  const firstMs = medianOf(rounds, (r) => r.first.ms);
  const afterMs = medianOf(rounds, (r) => r.afterMetrics?.ms);
  const failedFirst = rounds.find((r) => !r.first.ok);
  return {
    ...c,
    first: { ms: firstMs, ok: !failedFirst, status: (failedFirst ?? one).first.status, text: failedFirst?.first.text ?? null },
    afterMetrics: afterMs === null ? null : { ms: afterMs, ratio: afterMs / warm.p50, ok: rounds.every((r) => !r.afterMetrics || r.afterMetrics.ok) },
    warm: { ...warm, p95Range: [Math.min(...rounds.map((r) => r.warm.p95)), Math.max(...rounds.map((r) => r.warm.p95))] },
    coldRatio: firstMs / warm.p50,
    bytes: one.bytes,
    sameAnswer: rounds.every(
      (r) => r.first.sha256 === one.first.sha256 && (!r.afterMetrics || r.afterMetrics.sha256 === one.first.sha256) && (!r.tracedSha256 || r.tracedSha256 === one.first.sha256),
    ),
    bad: rounds.reduce((n, r) => n + r.bad, 0),
    badExample: rounds.find((r) => r.badExample)?.badExample ?? null,
    heap: worst?.heap ?? null,
    otherIsolates: worst?.otherIsolates ?? [],
    gcPauseMs: medianOf(rounds, (r) => r.gcPauseMs),
    startMs: medianOf(rounds, (r) => r.startMs),
    rounds: rounds.map(({ firstBody, ...r }) => r),
  };
}

/** A start's steps over its starts: the median first answer and warm figure of each, and what the first costs more. */
function combineStartSteps(runs) {
  if (runs.length === 0) return null;
  return [...START_STEPS, ...BASELINE_STEPS].flatMap((s) => {
    const of = runs.map((r) => r.steps.find((x) => x.step === s.step)).filter(Boolean);
    if (of.length === 0) return [];
    return [{ step: s.step, url: s.url, starts: of.length, first: median(of.map((x) => x.first)), warm: median(of.map((x) => x.warm)), extra: median(of.map((x) => x.first - x.warm)) }];
  });
}

/**
 * Every case, each from a fresh start of the worker (BENCH_COLD=each) or all on one per round
 * (once), in BENCH_ROUNDS interleaved rounds; with fresh starts also each case's first answer
 * after /metrics, and a round's start steps on this persist dir, on an empty one and on the
 * baseline worker.
 */
async function measure(persistDir, cases, emptyDir) {
  const runs = new Map(cases.map((c) => [c, []]));
  const startSteps = { data: [], empty: [], baseline: [] };
  const interrupted = [];
  for (let round = 1; round <= ROUNDS; round++) {
    let current = null;
    const shared =
      COLD === "once"
        ? {
            // One start for every case: it measures the heap too, so it carries the trace.
            get: async () => (current ??= await startMeasuredWorker(persistDir, { trace: true })),
            reset: async () => {
              await current?.stop();
              current = null;
            },
          }
        : null;
    try {
      for (let i = 0; COLD === "each" && i < STEP_STARTS; i++) {
        startSteps.data.push(await onWorker(`round ${round}: a start's steps`, persistDir, () => runStartSteps(), interrupted));
        const withoutConfig = START_STEPS.filter((x) => x.step !== "releases");
        if (emptyDir) startSteps.empty.push(await onWorker(`round ${round}: a start's steps (empty database)`, emptyDir, () => runStartSteps(withoutConfig), interrupted));
        startSteps.baseline.push(await onWorker(`round ${round}: a start's steps (baseline worker)`, persistDir, () => runStartSteps(BASELINE_STEPS), interrupted, { entrypoint: BASELINE_WORKER }));
      }
      for (const c of cases) {
        const r = await onWorker(label(c), persistDir, (w) => runCase(c, w.pids), interrupted, { shared });
        if (r.bad > 0) log(`${label(c)}: ${r.bad} bad answers, e.g. ${r.badExample}`);
        if (COLD === "each") {
          // The same requests again on a start of its own with V8's GC trace: the heap.
          const traced = await onWorker(`${label(c)} heap`, persistDir, (w) => runCase(c, w.pids), interrupted, { trace: true });
          Object.assign(r, { heap: traced.heap, otherIsolates: traced.otherIsolates, gcPauseMs: traced.gcPauseMs, tracedSha256: traced.first.sha256 });
          r.bad += traced.bad;
          r.badExample ??= traced.badExample;
        }
        if (COLD === "each" && c.filter !== "floor") r.afterMetrics = await onWorker(`${label(c)} after /metrics`, persistDir, () => runAfterMetrics(c), interrupted);
        runs.get(c).push(r);
        log(
          `round ${round}/${ROUNDS} ${label(c)}: first ${r.first.ms.toFixed(1)} ms${r.afterMetrics ? ` (after /metrics ${r.afterMetrics.ms.toFixed(1)})` : ""}; warm p50 ${r.warm.p50.toFixed(1)}, ` +
            `p95 ${r.warm.p95.toFixed(1)}, max ${r.warm.max.toFixed(1)} ms; ${int(r.bytes)} bytes; heap ${r.heap ? `peak ${r.heap.peakUsed} MB used, live ${r.heap.liveAfterFull ? `${r.heap.liveAfterFull.min}–${r.heap.liveAfterFull.max}` : "–"} MB, ${r.heap.collections} collections, ${r.heap.pauseMs.toFixed(0)} ms of pauses; local D1's isolate peak ${r.otherIsolates[0]?.peakUsed ?? "–"} MB` : "no collection"}`,
        );
      }
    } finally {
      await shared?.reset();
    }
  }
  const results = cases.map((c) => {
    const rounds = runs.get(c);
    return { ...combineRounds(c, rounds), firstBody: rounds[0].firstBody };
  });
  return { results, interrupted, startSteps: { data: combineStartSteps(startSteps.data), empty: combineStartSteps(startSteps.empty), baseline: combineStartSteps(startSteps.baseline) } };
}

function check(checks, data, results, back) {
  const find = (endpoint, filter, metric = null) => results.find((r) => r.endpoint === endpoint && r.filter === filter && r.metric === metric);
  for (const r of results) {
    checks.truth(`${label(r)}: the first answer is a 200 with "${r.key}"`, r.first.ok, r.first.ok ? "" : `${r.first.status} ${r.first.text}`);
    if (r.afterMetrics) checks.truth(`${label(r)}: the first answer after /metrics is a 200 with "${r.key}"`, r.afterMetrics.ok);
    checks.truth(`${label(r)}: the same first answer in every round, after /metrics and in the heap's start`, r.sameAnswer);
    checks.equal(`${label(r)}: every measured answer is a 200 with "${r.key}"`, 0, r.bad);
  }
  const e = data.expected;
  const contribution = find("contribution", "a")?.firstBody?.contribution;
  if (contribution) {
    checks.equal("/contribution (a): counts per record type = the records seeded", {
      commit_count: e.byType.commit,
      patch_set_count: e.byType.patch,
      change_request_count: e.byType.review,
      email_count: e.byType.email,
      filed_bug_count: e.byType.bugf,
      resolved_bug_count: e.byType.bugr,
      drafted_blueprint_count: e.byType.bpd,
      completed_blueprint_count: e.byType.bpc,
    }, {
      commit_count: contribution.commit_count,
      patch_set_count: contribution.patch_set_count,
      change_request_count: contribution.change_request_count,
      email_count: contribution.email_count,
      filed_bug_count: contribution.filed_bug_count,
      resolved_bug_count: contribution.resolved_bug_count,
      drafted_blueprint_count: contribution.drafted_blueprint_count,
      completed_blueprint_count: contribution.completed_blueprint_count,
    });
    checks.equal("/contribution (a): marks per bucket = the votes seeded", e.marks, contribution.marks);
    checks.equal("/contribution (a): loc = the commits' lines seeded", e.loc, contribution.loc);
    checks.equal("/contribution (a): abandoned change requests = the abandoned reviews seeded", e.abandoned, contribution.abandoned_change_requests_count);
  }
  const counted = e.marks["-2"] + e.marks["-1"] + e.marks["1"] + e.marks["2"] + e.marks.x;
  for (const endpoint of ["stats/companies", "stats/modules", "stats/engineers"]) {
    const body = find(endpoint, "a", "marks")?.firstBody;
    if (body) checks.equal(`${endpoint} (a, marks): the metrics add up to the counted marks seeded`, counted, body.stats.reduce((n, row) => n + row.metric, 0));
  }
  const activity = find("activity", "a", "marks")?.firstBody;
  if (activity) checks.equal("activity (a, marks): a full page (every mark's review is stored)", 10, activity.activity.length);
  const timeline = find("stats/timeline", "a", "marks")?.firstBody;
  if (timeline) checks.truth("stats/timeline (a, marks): three series of at least 52 weeks", timeline.timeline.length === 3 && timeline.timeline.every((s) => s.length >= 52 && s.length === timeline.timeline[0].length));
  if (back) {
    checks.equal("D1: records per type = the records made", e.byType, back.records);
    checks.equal("D1: daily totals per type = the records", back.records, back.totals);
    if (back.releaseTotals) checks.equal("D1: release totals per type = the records", back.records, back.releaseTotals);
  }
  checks.truth("V8's GC trace came (its flags are in force)", results.some((r) => r.heap), "");
  checks.equal("no isolate ran out of memory", 0, outOfMemory.length);
}

async function main() {
  const { code, quiet, load } = await beforeRun({ port: PORT, waitQuiet: WAIT_QUIET, log });
  const startedAt = new Date();
  const checks = makeChecks(log);
  const todaySeconds = Math.floor(Date.now() / 1000 / DAY) * DAY;
  const data = createContribApiData({ seed: DEFAULT_SEED, todaySeconds, ...SCALE });
  let persistDir = REUSE_STATE;
  let emptyDir = null;
  let seeded = null;
  let back = null;
  const phases = {};
  try {
    if (REUSE_STATE) {
      // The data is made again (for what the checks expect) without posting it.
      for (const _ of data.batches());
      // Migrations added since it was seeded upgrade it, as they would a deployment's databases.
      let t = performance.now();
      migrateState(persistDir, CONFIG);
      phases.migrateS = (performance.now() - t) / 1000;
      log(`migrated ${path.relative(root, persistDir)} in ${phases.migrateS.toFixed(0)} s`);
      const { stop, port } = await startBenchWorker({ config: CONFIG, port: PORT, persistDir, bindings });
      servingPort = port;
      const http = client(servingPort);
      try {
        const release = data.busiestRelease();
        const projectType = data.busiestChildType();
        const top = await http.get(`/api/1.0/stats/companies?release=${release}&project_type=${projectType}&metric=marks`);
        // What the run that seeded it measured, kept in the dir (none in a dir older than that).
        const kept = path.join(persistDir, "seeded.json");
        const earlier = existsSync(kept) ? JSON.parse(readFileSync(kept, "utf8")) : null;
        seeded = {
          seeding: earlier?.seeding ?? null,
          seededBy: earlier ? { at: earlier.at, code: earlier.code } : null,
          typical: { release, projectType, company: JSON.parse(top.text).stats.find((row) => row.id !== "*independent").id },
        };
      } finally {
        http.close();
        await stop();
      }
      log(`reusing ${path.relative(root, persistDir)} (not seeded by this run)`);
      t = performance.now();
      back = await readBack(persistDir);
      phases.readBackS = (performance.now() - t) / 1000;
    } else {
      let t = performance.now();
      // A run at another scale (a smoke run) keeps its own dirs and leaves a kept full-scale one alone.
      persistDir = freshState(RECORDS === 1_000_000 ? "contrib-api" : `contrib-api-${RECORDS}`, CONFIG);
      log(`state: ${path.relative(root, persistDir)}; seeding ${int(RECORDS)} records`);
      seeded = await seed(persistDir, data, checks);
      phases.seedS = (performance.now() - t) / 1000;
      log(`seeded in ${seeded.seeding.seconds.toFixed(0)} s (${int(seeded.seeding.recordsPerSecond)} records/s); typical filter: ${JSON.stringify(seeded.typical)}`);
      writeFileSync(path.join(persistDir, "seeded.json"), JSON.stringify({ at: startedAt, code, seeding: seeded.seeding }));
      t = performance.now();
      back = await readBack(persistDir);
      phases.readBackS = (performance.now() - t) / 1000;
      log(`D1: ${int(back.releaseTotalsRows ?? 0)} release_totals rows, ${int(back.totalsRows)} daily_totals rows, ${int(back.profiles)} profiles, ${(back.databaseBytes / 1e6).toFixed(0)} MB`);
    }
    const cases = benchCases(seeded.typical);
    // A start's steps on an empty database too: what opening this one's 2.6 GB adds, if anything.
    if (COLD === "each") emptyDir = freshState("contrib-api-empty", CONFIG);
    const t = performance.now();
    const { results, interrupted, startSteps } = await measure(persistDir, cases, emptyDir);
    phases.measureS = (performance.now() - t) / 1000;
    check(checks, data, results, back);
    const report = {
      startedAt,
      finishedAt: new Date(),
      machine: machine(root),
      code,
      quiet: quiet.quiet,
      load: { ...load, after: { loadavg: loadavg(), others: otherProcesses() } },
      config: { port: PORT, viaProxy: VIA_PROXY, requests: REQUESTS, warmup: WARMUP, rounds: ROUNDS, cold: COLD, heapMb: HEAP_MB, seed: DEFAULT_SEED, reusedState: REUSE_STATE !== null },
      scale: SCALE,
      goals: GOALS,
      releases: data.releases,
      span: data.span,
      expected: data.expected,
      seeding: seeded.seeding,
      seededBy: seeded.seededBy ?? null,
      typical: seeded.typical,
      back,
      phases,
      results: results.map(({ firstBody, ...r }) => r),
      startSteps,
      interrupted,
      outOfMemory,
      checks: checks.list,
    };
    mkdirSync(path.dirname(RAW), { recursive: true });
    writeFileSync(RAW, JSON.stringify(report, null, 1));
    write(report);
    const failed = checks.list.filter((c) => !c.ok);
    log(`${checks.list.length - failed.length}/${checks.list.length} checks passed; results in ${path.relative(root, OUT)} (${((report.finishedAt - startedAt) / 1000).toFixed(0)} s)`);
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    if (emptyDir) rmSync(emptyDir, { recursive: true, force: true });
    if (persistDir && !REUSE_STATE) {
      if (KEEP_STATE) log(`kept ${path.relative(root, persistDir)}`);
      else rmSync(persistDir, { recursive: true, force: true });
    }
  }
}

function write(report) {
  writeSection(OUT, "bench:contrib-api", renderContribApiResults(report));
}

benchMain({ main, write, raw: RAW, out: OUT, label: "bench:contrib-api", log });
