// `npm run bench:ingest`: loads the collector's write endpoints on 127.0.0.1 and writes
// bench/RESULTS.md; with BENCH_PEER, side by side with another collector (the original fuel-stats).
//
// The worker runs through wrangler's programmatic API without the DevTools inspector (the CLI's
// inspector logging costs about a third of the CPU), and the load goes to the runtime's own socket,
// not through wrangler dev's proxy (BENCH_VIA_PROXY=1 goes through it; see bench-worker.mjs), on a
// fresh persist dir, so that the rows in D1
// afterwards can be counted against what the load generator was told was stored (requests cut
// off or answered 5xx are sent again after each run, as a sender would). Before the
// measured runs a fleet of FLEET_SIZE installations is registered on every collector (each posts
// its structure twice; on edgestats the second post presents the token the first one received,
// which binds the installation). Then every scenario × connection mode runs ROUNDS times for
// WARMUP + SECONDS, in a forked process (bench/lib/load.mjs) so that /proc can tell the load
// generator's CPU from the servers'; with a peer, each run on the peer is followed at once by the
// same run on edgestats (A B A B …). After the runs, a short pass on a metered copy of the worker
// (bench/lib/metered-worker.ts) counts the rows D1 and the objects' storage write per stored record.
// Exits non-zero if a row is missing or extra, or a response was not what the protocol promises.
//
// Environment: BENCH_SECONDS (10, at most 10), BENCH_WARMUP (3), BENCH_ROUNDS (3), BENCH_PORT
// (8790), BENCH_MODES (keep-alive,new-connection; keep-alive alone with a peer), BENCH_SCENARIOS
// (all), BENCH_VIA_PROXY (0), BENCH_WAIT_QUIET (60: seconds to wait for other vitest/workerd to finish), BENCH_PEER
// (http://127.0.0.1:PORT of a fuel-stats collector whose database is empty), BENCH_PEER_DB (its
// PostgreSQL, for psql; postgresql://collector:collector@127.0.0.1:5433/collector by default, or
// "none" to skip counting its rows), BENCH_WRITES (1: run the rows-written pass; 0 to skip it),
// BENCH_CONFIG and BENCH_OUT (see below), BENCH_FLOOR (object or direct: edgestats' side runs
// bench/lib/floor-worker.ts, the write path with nothing of the collector's own, instead of worker/;
// the results go to bench/.state/ingest-floor-<floor>.md unless BENCH_OUT says otherwise, and there
// is no rows-written pass). `node bench/ingest.mjs --render` redoes RESULTS.md from the last run's data.
import { fork, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { bin, root, toolEnv } from "../scripts/tool-env.mjs";
import { benchMain, KEPT_MARKER } from "./lib/bench-results.mjs";
import { assertPortFree, freshState, must, node, startBenchWorker, VIA_PROXY } from "./lib/bench-worker.mjs";
import { client } from "./lib/http.mjs";
import { BATCH_SIZE, FLEET_SIZE, structureRequest, uidOf } from "./lib/payloads.mjs";
import { cpuCount, descendants, machineTicks, serverPids, startCpuSample, tcpActiveOpens } from "./lib/procstat.mjs";
import { renderResults } from "./lib/report.mjs";
import { measureWrites } from "./lib/write-accounting.mjs";

// BENCH_CONFIG and BENCH_OUT let a variant of the worker (a copy under bench/.state/ with its own
// wrangler.toml) be measured against the same load without overwriting RESULTS.md.
const CONFIG = path.resolve(root, process.env.BENCH_CONFIG ?? "wrangler.toml");
const FLOOR = process.env.BENCH_FLOOR || null;
const OUT = path.resolve(root, process.env.BENCH_OUT ?? (FLOOR ? `bench/.state/ingest-floor-${FLOOR}.md` : "bench/RESULTS.md"));
const RAW = path.join(root, "bench/.state", `${path.basename(OUT, ".md")}.json`);
const PORT = Number(process.env.BENCH_PORT ?? 8790);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WAIT_QUIET = Number(process.env.BENCH_WAIT_QUIET ?? 60);
const PEER = process.env.BENCH_PEER ? peerPort(process.env.BENCH_PEER) : null;
const PEER_DB = process.env.BENCH_PEER_DB ?? "postgresql://collector:collector@127.0.0.1:5433/collector";
const WRITES = process.env.BENCH_WRITES !== "0" && !FLOOR;
const CONNECTIONS = 16;
const ALL_SCENARIOS = ["fleet-logs", "fleet-structures", "fleet-reposts", "first-logs", "first-structures"];
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? ALL_SCENARIOS.join(",")).split(",");
const MODES = (process.env.BENCH_MODES ?? (PEER ? "keep-alive" : "keep-alive,new-connection")).split(",");

// A run stops by itself within WARMUP + SECONDS + 5 (requests in flight, re-sends).
if (!(SECONDS > 0 && SECONDS <= 10) || !(WARMUP >= 0 && WARMUP <= 5)) {
  console.error("[bench] BENCH_SECONDS must be in (0, 10] and BENCH_WARMUP in [0, 5]");
  process.exit(2);
}
for (const s of SCENARIOS) if (!ALL_SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; one of ${ALL_SCENARIOS.join(", ")}`);
for (const m of MODES) if (!["keep-alive", "new-connection"].includes(m)) throw new Error(`unknown mode ${m}`);
if (FLOOR && !["object", "direct"].includes(FLOOR)) throw new Error(`unknown BENCH_FLOOR ${FLOOR}; object or direct`);
if (SCENARIOS.includes("fleet-reposts") && !SCENARIOS.includes("fleet-logs")) throw new Error("fleet-reposts re-posts what fleet-logs stored");

/** Only a collector on this host's loopback may be loaded. */
function peerPort(url) {
  const u = new URL(url);
  if (u.protocol !== "http:" || u.hostname !== "127.0.0.1" || !u.port || (u.pathname !== "/" && u.pathname !== "")) {
    throw new Error(`BENCH_PEER must be http://127.0.0.1:PORT, not ${url}`);
  }
  return Number(u.port);
}

// wrangler runs in this process: it reads the tool environment from process.env.
Object.assign(process.env, toolEnv);
process.chdir(root);

const log = (...args) => console.log("[bench]", ...args);

/** Cores the whole host keeps busy over `ms`. */
async function hostBusy(ms) {
  const a = machineTicks();
  await sleep(ms);
  const b = machineTicks();
  return ((b.busy - a.busy) / (b.total - a.total)) * cpuCount();
}

/**
 * Someone's tests on the same two cores would skew every figure: wait (at most WAIT_QUIET seconds)
 * until no other vitest/workerd runs and the host is idle, then go ahead either way.
 */
async function waitForQuiet() {
  const deadline = Date.now() + WAIT_QUIET * 1000;
  for (let announced = false; Date.now() < deadline; ) {
    const { others } = otherLoad();
    const busy = await hostBusy(1000);
    if (others.length === 0 && busy < 0.5) return true;
    if (!announced) log(`waiting up to ${WAIT_QUIET} s for a quiet host (busy ${busy.toFixed(2)} cores; ${others.length} other vitest/workerd)`);
    announced = true;
  }
  log("warning: the host is not quiet; the figures will be noisy");
  return false;
}

/** Other people's vitest or workerd share the two cores: recorded with the results. */
function otherLoad() {
  const mine = new Set(descendants(process.pid).map((p) => p.pid));
  const ps = spawnSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" }).stdout.split("\n");
  const others = ps
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m) => m && !mine.has(Number(m[1])) && Number(m[1]) !== process.pid && /vitest|workerd/.test(m[2]))
    .map((m) => m[2].slice(0, 100));
  return { loadavg: os.loadavg().map((l) => l.toFixed(2)).join(" "), others };
}

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = cpuinfo.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "unknown";
  const memKb = Number(readFileSync("/proc/meminfo", "utf8").match(/^MemTotal:\s*(\d+)/m)?.[1] ?? 0);
  const version = (pkg) => JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version;
  return {
    nproc: spawnSync("nproc", { encoding: "utf8" }).stdout.trim(),
    model,
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    node: process.version,
    wrangler: version("wrangler"),
    workerd: version("workerd"),
    kernel: os.release(),
  };
}

/** Which code was measured: the commit, and the paths the Worker is built from that differ from it. */
function source() {
  const git = (args) => spawnSync("git", args, { cwd: root, encoding: "utf8" }).stdout.trim();
  const paths = ["worker", "schemas", "migrations", "wrangler.toml", "package-lock.json", ...(FLOOR ? ["bench/lib/floor-worker.ts"] : [])];
  const dirty = git(["diff", "--name-only", "HEAD", "--", ...paths])
    .split("\n")
    .filter(Boolean);
  return { commit: git(["rev-parse", "--short", "HEAD"]), dirty, config: process.env.BENCH_CONFIG ?? null, floor: FLOOR };
}

function d1Query(dir, sql) {
  const out = must(node([bin.wrangler, "d1", "execute", "COLLECTOR_DB", "--local", "--config", CONFIG, "--persist-to", dir, "--json", "--command", sql]), "d1 execute");
  return JSON.parse(out)[0].results[0];
}

/** One row of numbers from the peer's PostgreSQL. */
function peerQuery(sql) {
  const result = spawnSync("psql", [PEER_DB, "-X", "-At", "-F", ",", "-c", sql], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`psql on the peer's database failed: ${result.stderr.trim()}`);
  return result.stdout.trim().split(",").map(Number);
}

const PEER_COUNTS = "SELECT (SELECT count(*) FROM action_logs), (SELECT count(*) FROM installation_structures), (SELECT count(DISTINCT master_node_uid) FROM installation_structures)";

const workerdProcesses = () => descendants(process.pid).filter((p) => p.name === "workerd");

/**
 * The two workerd processes wrangler starts: the proxy that owns the port, and the runtime. The
 * runtime is a group: wrangler starts a new one when a file the bundle was built from changes
 * (its esbuild watches them even without `watch`: with node_modules shared with another checkout,
 * that checkout's package.json is one), and the new one counts from its start.
 */
function edgestatsProcesses() {
  const found = workerdProcesses();
  const proxy = found.find((p) => p.cmdline.includes(`entry=127.0.0.1:${PORT}`));
  if (!proxy || found.length !== 2) throw new Error(`expected 2 workerd processes, found ${found.length}`);
  const runtime = () => workerdProcesses().filter((p) => p.pid !== proxy.pid).map((p) => p.pid);
  return { runtime, proxy: proxy.pid, host: process.pid };
}

/** The runtime workerd's pid now: a different one after a run means wrangler reloaded it meanwhile. */
const runtimePid = () => workerdProcesses().find((p) => !p.cmdline.includes(`entry=127.0.0.1:${PORT}`))?.pid ?? null;

/**
 * The peer's processes: whatever listens on its port (gunicorn's master and workers) and, when
 * its database is local, on the database's port (PostgreSQL's postmaster and backends).
 */
function peerProcesses() {
  const groups = { server: () => serverPids(PEER) };
  const dbPort = PEER_DB !== "none" ? new URL(PEER_DB).port || "5432" : null;
  if (dbPort && ["127.0.0.1", "localhost"].includes(new URL(PEER_DB).hostname)) groups.database = () => serverPids(Number(dbPort));
  return groups;
}

/**
 * Registers the fleet on one collector: each installation posts its structure (201) and posts it
 * again (200). On edgestats the first answer carries a token and the second post presents it,
 * which binds the installation; returns uid → token (empty for a peer, which has no identity).
 */
async function registerFleet(target) {
  const http = client(target.port, { connections: CONNECTIONS });
  const tokens = {};
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < FLEET_SIZE; i = next++) {
      const uid = uidOf("fleet", i);
      const first = await http.post("/api/v1/installation_structure/", structureRequest(uid, 0));
      if (first.status !== 201) throw new Error(`${target.name}: registering ${uid} answered ${first.status} ${first.text.slice(0, 200)}`);
      const token = JSON.parse(first.text).installation_token ?? null;
      const second = await http.post("/api/v1/installation_structure/", structureRequest(uid, 1), token ? { "x-installation-token": token } : {});
      if (second.status !== 200) throw new Error(`${target.name}: the second post of ${uid} answered ${second.status} ${second.text.slice(0, 200)}`);
      // Bound: a bound installation is issued no more tokens.
      if (token && JSON.parse(second.text).installation_token) throw new Error(`${target.name}: ${uid} did not bind to its token`);
      if (token) tokens[uid] = token;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  http.close();
  return tokens;
}

/** Every process of every collector, keyed `<target>.<process>`: CPU used by none of them is others'. */
const allProcesses = (targets) =>
  Object.fromEntries(targets.flatMap((t) => Object.entries(t.processes()).map(([key, value]) => [`${t.name}.${key}`, value])));

/** One run in a forked load generator; CPU is sampled only while it loads (warm-up included). */
async function runOnce(target, spec, targets) {
  const child = fork(path.join(root, "bench/lib/load.mjs"), [], { env: toolEnv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const messages = [];
  let wake = () => {};
  child.on("message", (m) => { messages.push(m); wake(); });
  child.on("exit", () => wake());
  const nextMessage = async () => {
    while (messages.length === 0) {
      if (child.exitCode !== null) throw new Error(`load generator exited with ${child.exitCode}`);
      await new Promise((resolve) => (wake = resolve));
    }
    return messages.shift();
  };
  await nextMessage(); // ready
  const runtimeBefore = runtimePid();
  const stopSample = startCpuSample({ loadgen: child.pid, ...allProcesses(targets) });
  const opens0 = tcpActiveOpens();
  child.send({ run: { ...spec, port: target.port, connections: CONNECTIONS, warmup: WARMUP, seconds: SECONDS, tokens: target.tokens } });
  const message = await nextMessage();
  // Includes the re-sends after the run (at most the 16 requests in flight): a small overstatement.
  const cpu = stopSample();
  const activeOpens = tcpActiveOpens() - opens0;
  if (message.error) throw new Error(`load generator: ${message.error}`);
  return { ...message.result, cpu, activeOpens, edgestatsReloaded: runtimePid() !== runtimeBefore };
}

/** What each collector was told it stored, carried from run to run. */
function freshTally() {
  return {
    state: Object.fromEntries(ALL_SCENARIOS.map((s) => [s, { seq: 0 }])),
    // Action-log rows acknowledged `added`, plus cut-off batches found stored on re-send.
    storedLogRows: 0,
    structuresAcknowledged: FLEET_SIZE,
  };
}

async function main() {
  if (!existsSync("/proc/stat")) throw new Error("the bench reads /proc: Linux only");
  await assertPortFree(PORT);
  if (!existsSync(path.join(root, "public/index.html"))) {
    log("building the UI (public/ is missing)");
    must(node([bin.vite, "build", "--logLevel", "warn"]), "vite build");
  }
  if (PEER) {
    const ping = await fetch(`http://127.0.0.1:${PEER}/api/v1/ping/`).catch((error) => ({ status: String(error) }));
    if (ping.status !== 200) throw new Error(`the peer at 127.0.0.1:${PEER} answered ping with ${ping.status}`);
    if (PEER_DB !== "none") {
      const [logs, structures] = peerQuery(PEER_COUNTS);
      if (logs !== 0 || structures !== 0) throw new Error(`the peer's database is not empty (${logs} action logs, ${structures} structures): start it afresh`);
    }
  }
  const code = source(); // before building: the Worker is bundled from the tree as it is now
  const persistDir = freshState("ingest", CONFIG);
  log(`state: ${path.relative(root, persistDir)}`);

  const quiet = await waitForQuiet();
  const before = otherLoad();

  // Every bench installation comes from 127.0.0.1, while a deployment's come from many
  // addresses: lift the per-address limit on new installations. Identity and the
  // per-installation limits stay on, at their shipped values.
  const bindings = { LIMIT_NEW_INSTALLATIONS_PER_HOUR: "1000000", ...(FLOOR ? { FLOOR } : {}) };
  const entrypoint = FLOOR ? path.join(root, "bench/lib/floor-worker.ts") : undefined;
  const edgestats = await startBenchWorker({ config: CONFIG, entrypoint, port: PORT, persistDir, bindings });
  const targets = [
    ...(PEER ? [{ name: "peer", port: PEER, processes: peerProcesses, tokens: {}, tally: freshTally() }] : []),
    // Looked up per run: the runtime starts after `ready` and could be restarted by wrangler.
    { name: "edgestats", port: edgestats.port, processes: edgestatsProcesses, tokens: {}, tally: freshTally() },
  ];
  const runs = [];
  const startedAt = new Date();
  try {
    const ping = await fetch(`http://127.0.0.1:${edgestats.port}/api/v1/ping/`);
    if (ping.status !== 200) throw new Error(`ping answered ${ping.status}`);
    for (const target of targets) {
      target.tokens = await registerFleet(target);
      log(`${target.name}: ${FLEET_SIZE} installations registered${Object.keys(target.tokens).length ? " and bound to their tokens" : ""}`);
    }

    for (let round = 1; round <= ROUNDS; round++) {
      for (const scenario of SCENARIOS) {
        for (const mode of MODES) {
          for (const target of targets) {
            const { tally } = target;
            const state = { ...tally.state[scenario], stored: tally.state["fleet-logs"].seq };
            const r = await runOnce(target, { scenario, mode, state }, targets);
            tally.state[scenario] = r.state;
            if (scenario === "fleet-logs" || scenario === "first-logs") tally.storedLogRows += r.rowsTotal + (r.reconciled.records.existed ?? 0);
            if (scenario === "first-structures") tally.structuresAcknowledged += r.rowsTotal;
            runs.push({ target: target.name, round, ...r });
            log(
              `${round} ${target.name.padEnd(9)} ${scenario.padEnd(16)} ${mode.padEnd(14)} ${r.rps.toFixed(0).padStart(5)} req/s`,
              `${r.rowsPerSecond.toFixed(0).padStart(6)} rows/s  p50 ${r.p50.toFixed(0)} ms  p99 ${r.p99.toFixed(0)} ms`,
              `loadgen ${r.cpu.processes.loadgen.cores.toFixed(2)} cores  non2xx ${r.non2xx} unexpected ${r.unexpected} errors ${r.errors}`,
              r.edgestatsReloaded ? "(wrangler reloaded edgestats' runtime during this run)" : "",
            );
            await sleep(500);
          }
        }
      }
    }
  } finally {
    await edgestats.stop();
  }
  const finishedAt = new Date();
  const after = otherLoad();

  const verification = [];
  for (const target of targets) {
    const { tally } = target;
    let counts;
    if (target.name === "edgestats") {
      const logs = d1Query(persistDir, "SELECT count(*) AS n FROM action_logs");
      const structures = d1Query(persistDir, "SELECT count(*) AS n, count(DISTINCT master_node_uid) AS uids FROM installation_structures");
      counts = { logs: logs.n, structures: structures.n, uids: structures.uids, where: "D1 (wrangler d1 execute --local)" };
    } else if (PEER_DB !== "none") {
      const [logs, structures, uids] = peerQuery(PEER_COUNTS);
      counts = { logs, structures, uids, where: "PostgreSQL (psql)" };
    } else continue;
    const mine = runs.filter((r) => r.target === target.name);
    const newConnectionRuns = mine.filter((r) => r.mode === "new-connection");
    const newBatches = tally.state["fleet-logs"].seq + tally.state["first-logs"].seq;
    verification.push(
      { target: target.name, what: "action_logs rows = distinct (uid, external_id) answered `added` (+ cut-off batches found stored on re-send)", expected: tally.storedLogRows, actual: counts.logs },
      { target: target.name, what: "action_logs rows = records in the new batches sent", expected: newBatches * BATCH_SIZE, actual: counts.logs },
      { target: target.name, what: "installation_structures rows = installations acknowledged (fleet + first contacts)", expected: tally.structuresAcknowledged, actual: counts.structures },
      { target: target.name, what: "installation_structures: one row per installation", expected: counts.structures, actual: counts.uids },
      ...(newConnectionRuns.length > 0
        ? [
            {
              target: target.name,
              what: "new-connection runs: TCP connections opened = requests",
              expected: newConnectionRuns.reduce((n, r) => n + r.completed + r.errors, 0),
              actual: newConnectionRuns.reduce((n, r) => n + r.connects, 0),
            },
          ]
        : []),
      { target: target.name, what: "non-2xx responses", expected: 0, actual: mine.reduce((n, r) => n + r.non2xx, 0) },
      { target: target.name, what: "responses with a status other than expected", expected: 0, actual: mine.reduce((n, r) => n + r.unexpectedTotal, 0) },
    );
    target.countedIn = counts.where;
  }
  const failed = verification.filter((v) => v.expected !== v.actual);

  // Rows written per stored record, on a metered copy of the worker and a state of its own.
  let writes = null;
  if (WRITES) {
    log("rows-written pass (bench/lib/metered-worker.ts)");
    writes = await measureWrites({ config: CONFIG, port: PORT, bindings, log });
  }

  const report = {
    startedAt,
    finishedAt,
    machine: machine(),
    source: code,
    load: { quiet, before, after },
    config: { port: PORT, viaProxy: VIA_PROXY, peer: PEER, seconds: SECONDS, warmup: WARMUP, rounds: ROUNDS, connections: CONNECTIONS, modes: MODES, scenarios: SCENARIOS, fleet: FLEET_SIZE },
    verifiedIn: Object.fromEntries(targets.map((t) => [t.name, t.countedIn ?? null])),
    runs,
    verification,
    writes,
  };
  // The raw data, so that `node bench/ingest.mjs --render` can redo RESULTS.md after a report change.
  writeFileSync(RAW, JSON.stringify(report));
  writeResults(report);
  log(`wrote ${path.relative(root, OUT)} (${((finishedAt - startedAt) / 1000).toFixed(0)} s of load)`);
  for (const v of verification) log(`${v.expected === v.actual ? "ok  " : "FAIL"} ${v.target}: ${v.what}: expected ${v.expected}, found ${v.actual}`);
  if (failed.length > 0) {
    console.error(`[bench] VERIFICATION FAILED: ${failed.length} check(s) differ; state kept in ${path.relative(root, persistDir)}`);
    process.exit(1);
  }
  rmSync(persistDir, { recursive: true, force: true }); // about 1 GB of rows
}

/** The generated part of OUT; the hand-written text below the kept marker survives a re-run. */
function writeResults(report) {
  const previous = existsSync(OUT) ? readFileSync(OUT, "utf8") : "";
  const kept = previous.includes(KEPT_MARKER) ? previous.slice(previous.indexOf(KEPT_MARKER)) : `${KEPT_MARKER}\n`;
  writeFileSync(OUT, `${renderResults(report).trimEnd()}\n\n${kept}`);
}

benchMain({ main, write: writeResults, raw: RAW, out: OUT, label: "bench", log });
