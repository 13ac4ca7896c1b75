// `npm run bench:ingest`: loads the collector's write endpoints on 127.0.0.1 and writes
// bench/RESULTS.md.
//
// The worker runs through wrangler's programmatic API without the DevTools inspector (the CLI's
// inspector logging costs about a third of the CPU) on a fresh persist dir, so that the rows in D1
// afterwards can be counted against what the load generator was told was stored. Every scenario ×
// connection mode runs ROUNDS times for SECONDS each, in a forked process (bench/lib/load.mjs) so
// that /proc can tell the load generator's CPU from the server's. Exits non-zero if a row is
// missing or extra, or a response was not what the protocol promises.
//
// Environment: BENCH_SECONDS (10 at most), BENCH_ROUNDS (3), BENCH_PORT (8790),
// BENCH_WAIT_QUIET (60: seconds to wait for other vitest/workerd to finish), BENCH_CONFIG and
// BENCH_OUT (see below). `node bench/ingest.mjs --render` redoes RESULTS.md from the last run's data.
import { fork, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { bin, root, toolEnv } from "../scripts/tool-env.mjs";
import { BATCH_SIZE } from "./lib/payloads.mjs";
import { cpuCount, descendants, machineTicks, startCpuSample, tcpActiveOpens } from "./lib/procstat.mjs";
import { renderResults } from "./lib/report.mjs";
import { benchMain, KEPT_MARKER } from "./lib/bench-results.mjs";

// BENCH_CONFIG and BENCH_OUT let a variant of the worker (a copy under bench/.state/ with its own
// wrangler.toml) be measured against the same load without overwriting RESULTS.md.
const CONFIG = path.resolve(root, process.env.BENCH_CONFIG ?? "wrangler.toml");
const OUT = path.resolve(root, process.env.BENCH_OUT ?? "bench/RESULTS.md");
const RAW = path.join(root, "bench/.state", `${path.basename(OUT, ".md")}.json`);
const PORT = Number(process.env.BENCH_PORT ?? 8790);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WAIT_QUIET = Number(process.env.BENCH_WAIT_QUIET ?? 60);
const CONNECTIONS = 16;
const SCENARIOS = ["structures", "logs", "reposts"];
const MODES = ["keep-alive", "new-connection"];

// A load generator stops by itself within SECONDS + 5 (requests in flight, re-sends): ≤ 15 s a run.
if (!(SECONDS > 0 && SECONDS <= 10)) {
  console.error("[bench] BENCH_SECONDS must be in (0, 10]");
  process.exit(2);
}

// wrangler runs in this process: it reads the tool environment from process.env.
Object.assign(process.env, toolEnv);
process.chdir(root);

const log = (...args) => console.log("[bench]", ...args);
const node = (args) => spawnSync(process.execPath, args, { cwd: root, env: toolEnv, encoding: "utf8" });

function must(result, what) {
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`${what} failed (exit ${result.status})`);
  }
  return result.stdout;
}

/** Fails early if something (an `npm start`, an earlier bench) already listens on the port. */
function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`127.0.0.1:${port} is in use; set BENCH_PORT`)));
    server.listen(port, "127.0.0.1", () => server.close(resolve));
  });
}

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
    autocannon: version("autocannon"),
    kernel: os.release(),
  };
}

/** Which code was measured: the commit, and the paths the Worker is built from that differ from it. */
function source() {
  const git = (args) => spawnSync("git", args, { cwd: root, encoding: "utf8" }).stdout.trim();
  const dirty = git(["diff", "--name-only", "HEAD", "--", "worker", "schemas", "migrations", "wrangler.toml", "package-lock.json"])
    .split("\n")
    .filter(Boolean);
  return { commit: git(["rev-parse", "--short", "HEAD"]), dirty, config: process.env.BENCH_CONFIG ?? null };
}

/** A fresh persist dir with both databases migrated; earlier bench dirs are removed. */
function freshState() {
  const base = path.join(root, "bench/.state");
  mkdirSync(base, { recursive: true });
  for (const entry of readdirSync(base)) if (entry.startsWith("ingest-")) rmSync(path.join(base, entry), { recursive: true, force: true });
  const dir = path.join(base, `ingest-${Date.now()}`);
  for (const db of ["COLLECTOR_DB", "ANALYTIC_DB"]) {
    must(node([bin.wrangler, "d1", "migrations", "apply", db, "--local", "--config", CONFIG, "--persist-to", dir]), `migrations of ${db}`);
  }
  return dir;
}

function d1Query(dir, sql) {
  const out = must(node([bin.wrangler, "d1", "execute", "COLLECTOR_DB", "--local", "--config", CONFIG, "--persist-to", dir, "--json", "--command", sql]), "d1 execute");
  return JSON.parse(out)[0].results[0];
}

/** The two workerd processes wrangler starts: the proxy that owns the port, and the runtime. */
function serverProcesses() {
  const found = descendants(process.pid).filter((p) => p.name === "workerd");
  const proxy = found.find((p) => p.cmdline.includes(`entry=127.0.0.1:${PORT}`));
  const runtime = found.find((p) => p !== proxy);
  if (!proxy || !runtime || found.length !== 2) throw new Error(`expected 2 workerd processes, found ${found.length}`);
  return { runtime: runtime.pid, proxy: proxy.pid, host: process.pid };
}

/** One run in a forked load generator; CPU is sampled only while it loads. */
async function runOnce(servers, spec) {
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
  const stopSample = startCpuSample({ loadgen: child.pid, ...servers });
  const opens0 = tcpActiveOpens();
  child.send({ run: { ...spec, port: PORT, connections: CONNECTIONS, seconds: SECONDS } });
  const message = await nextMessage();
  // Includes the re-sends after the run (at most the 16 requests in flight): a small overstatement.
  const cpu = stopSample();
  const activeOpens = tcpActiveOpens() - opens0;
  if (message.error) throw new Error(`load generator: ${message.error}`);
  return { ...message.result, cpu, activeOpens };
}

async function main() {
  if (!existsSync("/proc/stat")) throw new Error("the bench reads /proc: Linux only");
  await assertPortFree(PORT);
  if (!existsSync(path.join(root, "public/index.html"))) {
    log("building the UI (public/ is missing)");
    must(node([bin.vite, "build", "--logLevel", "warn"]), "vite build");
  }
  const code = source(); // before building: the Worker is bundled from the tree as it is now
  const persistDir = freshState();
  log(`state: ${path.relative(root, persistDir)}`);

  const quiet = await waitForQuiet();
  const before = otherLoad();

  const { unstable_startWorker } = await import("wrangler");
  const worker = await unstable_startWorker({
    config: CONFIG,
    dev: {
      server: { hostname: "127.0.0.1", port: PORT },
      inspector: false,
      persist: persistDir,
      logLevel: "warn",
      watch: false,
    },
    // Every bench installation comes from 127.0.0.1, while a deployment's come from many
    // addresses: lift the per-address limit on new installations. Identity and the
    // per-installation limits stay on, at their shipped values.
    bindings: { LIMIT_NEW_INSTALLATIONS_PER_HOUR: { type: "plain_text", value: "1000000" } },
  });
  const runs = [];
  // What the load generators were told was stored, carried from run to run.
  const state = { structures: { seq: 0, known: [] }, logs: { seq: 0 }, reposts: { repostCursor: 0 } };
  let storedLogRows = 0;
  const startedAt = new Date();
  try {
    await worker.ready;
    const ping = await fetch(`http://127.0.0.1:${PORT}/api/v1/ping/`);
    if (ping.status !== 200) throw new Error(`ping answered ${ping.status}`);

    for (let round = 1; round <= ROUNDS; round++) {
      for (const scenario of SCENARIOS) {
        for (const mode of MODES) {
          const spec = { scenario, mode, state: { ...state[scenario], stored: state.logs.seq } };
          // Looked up per run: the runtime starts after `ready` and could be restarted by wrangler.
          const r = await runOnce(serverProcesses(), spec);
          state[scenario] = r.state;
          if (scenario === "logs") storedLogRows += r.rowsTotal + (r.reconciled.records.existed ?? 0);
          runs.push({ round, ...r });
          log(
            `${round} ${scenario.padEnd(10)} ${mode.padEnd(14)} ${r.rps.toFixed(0).padStart(5)} req/s`,
            `${r.rowsPerSecond.toFixed(0).padStart(6)} rows/s  p50 ${r.p50.toFixed(0)} ms  p99 ${r.p99.toFixed(0)} ms`,
            `non2xx ${r.non2xx} unexpected ${r.unexpected} errors ${r.errors}${r.connects === null ? "" : ` connects ${r.connects}/${r.completed + r.errors}`}`,
          );
          await sleep(500);
        }
      }
    }
  } finally {
    await worker.dispose();
  }
  const finishedAt = new Date();
  // workerd exits a moment after dispose; wait so that its SQLite files are closed.
  for (let i = 0; i < 50 && descendants(process.pid).some((p) => p.name === "workerd"); i++) await sleep(200);

  const db = {
    actionLogs: d1Query(persistDir, "SELECT count(*) AS n FROM action_logs"),
    structures: d1Query(persistDir, "SELECT count(*) AS n, count(DISTINCT master_node_uid) AS uids FROM installation_structures"),
  };
  const newConnectionRuns = runs.filter((r) => r.mode === "new-connection");
  const verification = [
    {
      what: "action_logs rows = distinct (uid, external_id) answered `added` (+ cut-off batches found stored on re-send)",
      expected: storedLogRows,
      actual: db.actionLogs.n,
    },
    { what: "action_logs rows = records in the new batches sent", expected: state.logs.seq * BATCH_SIZE, actual: db.actionLogs.n },
    { what: "installation_structures rows = distinct installations acknowledged", expected: state.structures.known.length, actual: db.structures.n },
    { what: "installation_structures: one row per installation", expected: db.structures.n, actual: db.structures.uids },
    {
      what: "new-connection runs: TCP connections opened = requests",
      expected: newConnectionRuns.reduce((n, r) => n + r.completed + r.errors, 0),
      actual: newConnectionRuns.reduce((n, r) => n + r.connects, 0),
    },
    { what: "non-2xx responses", expected: 0, actual: runs.reduce((n, r) => n + r.non2xx, 0) },
    { what: "responses with a status other than expected", expected: 0, actual: runs.reduce((n, r) => n + r.unexpectedTotal, 0) },
  ];
  const failed = verification.filter((v) => v.expected !== v.actual);

  const report = {
    startedAt,
    finishedAt,
    machine: machine(),
    source: code,
    load: { quiet, before, after: otherLoad() },
    config: { port: PORT, seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS },
    runs,
    verification,
  };
  // The raw data, so that `node bench/ingest.mjs --render` can redo RESULTS.md after a report change.
  writeFileSync(RAW, JSON.stringify(report));
  writeResults(report);
  log(`wrote ${path.relative(root, OUT)} (${((finishedAt - startedAt) / 1000).toFixed(0)} s of load)`);
  for (const v of verification) log(`${v.expected === v.actual ? "ok  " : "FAIL"} ${v.what}: expected ${v.expected}, found ${v.actual}`);
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
