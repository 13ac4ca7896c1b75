// Starting the worker for a benchmark: a fresh persist directory with every D1 database migrated,
// and the worker on 127.0.0.1 without the inspector, its assets a snapshot of public/.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { keepIdleConnections, LOOPBACK_IDLE_CONNECTION_MS } from "../../scripts/lib/idle-connections.mjs";
import { bin, root, toolEnv } from "../../scripts/tool-env.mjs";
import { descendants } from "./procstat.mjs";
import { d1Bindings } from "./rollup-db.mjs";

/** Runs `node <args>` in the project with the tools' environment. */
export const node = (args) => spawnSync(process.execPath, args, { cwd: root, env: toolEnv, encoding: "utf8" });

/** The stdout of a finished command, or an error naming `what` with its output. */
export function must(result, what) {
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`${what} failed (exit ${result.status})`);
  }
  return result.stdout;
}

export function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`127.0.0.1:${port} is in use; set BENCH_PORT`)));
    server.listen(port, "127.0.0.1", () => server.close(resolve));
  });
}

/**
 * A new persist directory bench/.state/<name>-<time>, with the earlier ones of `name` removed and
 * every database of `config` migrated.
 */
export function freshState(name, config) {
  const base = path.join(root, "bench/.state");
  mkdirSync(base, { recursive: true });
  const earlier = new RegExp(`^${name}-\\d+$`);
  for (const entry of readdirSync(base)) if (earlier.test(entry)) rmSync(path.join(base, entry), { recursive: true, force: true });
  const dir = path.join(base, `${name}-${Date.now()}`);
  migrateState(dir, config);
  return dir;
}

/** Applies the migrations of every database of `config` that `dir` has not had yet (all of them, to a new dir). */
export function migrateState(dir, config) {
  for (const db of d1Bindings(config)) {
    must(node([bin.wrangler, "d1", "migrations", "apply", db, "--local", "--config", config, "--persist-to", dir]), `migrations of ${db}`);
  }
}

let keepingIdleConnections = false;

/**
 * `port` in what startBenchWorker returns is the runtime's own socket (miniflare's entry, what
 * wrangler's proxy forwards to), as Cloudflare's edge hands a request to the Worker: wrangler
 * dev's proxy is a development tool (it holds requests while the runtime reloads) that cost a
 * second workerd about a quarter of workerd's CPU per structure update, and a hop of latency.
 * bench:ingest and bench:contrib-api send their requests there; the other benches still use the
 * proxy's port they asked for. BENCH_VIA_PROXY=1 gives the proxy's port as `port` too.
 */
export const VIA_PROXY = process.env.BENCH_VIA_PROXY === "1";

/**
 * The runtime's address, as the runtime reports it to wrangler's proxy on each (re)load. wrangler
 * 4.86 keeps it to itself: its DevEnv's proxy controller is told through `onReloadComplete`.
 */
function watchRuntimeAddress(devEnv) {
  let latest = null;
  const proxy = devEnv.proxy;
  if (typeof proxy?.onReloadComplete !== "function") throw new Error("wrangler's DevEnv has no proxy.onReloadComplete: bench-worker.mjs needs updating for this wrangler");
  const forward = proxy.onReloadComplete.bind(proxy);
  proxy.onReloadComplete = (event) => {
    const url = event?.proxyData?.userWorkerUrl;
    if (url?.port) latest = Number(url.port);
    return forward(event);
  };
  return {
    /** The runtime's port once it has loaded, or null after `timeoutMs`. */
    async port(timeoutMs) {
      for (const until = Date.now() + timeoutMs; latest === null && Date.now() < until; ) await sleep(20);
      return latest;
    },
  };
}

/**
 * Starts the worker of `config` (or of another `entrypoint` with that config) on
 * 127.0.0.1:`port` over `persistDir`, with `bindings` (plain text) overriding its vars. wrangler restarts the runtime when the config or the assets change,
 * even without `watch`, so the config is not watched (set before wrangler loads) and the assets
 * are a snapshot of public/. Gives up after `readyTimeoutMs` (a build error leaves `ready`
 * pending for ever). `stop()` waits until workerd has exited and closed its SQLite files.
 */
export async function startBenchWorker({ config, entrypoint, port, persistDir, bindings = {}, testScheduled = false, readyTimeoutMs = 90_000 }) {
  process.env.WRANGLER_CI_DISABLE_CONFIG_WATCHING = "true";
  if (!keepingIdleConnections) {
    keepIdleConnections(LOOPBACK_IDLE_CONNECTION_MS);
    keepingIdleConnections = true;
  }
  const { unstable_DevEnv } = await import("wrangler");
  const assets = path.join(persistDir, "public");
  if (!existsSync(assets)) cpSync(path.join(root, "public"), assets, { recursive: true });
  const devEnv = new unstable_DevEnv();
  const runtime = watchRuntimeAddress(devEnv);
  const worker = await devEnv.startWorker({
    config,
    ...(entrypoint ? { entrypoint } : {}),
    assets,
    dev: {
      server: { hostname: "127.0.0.1", port },
      inspector: false,
      persist: persistDir,
      logLevel: process.env.BENCH_LOG_LEVEL ?? "warn",
      watch: false,
      testScheduled,
    },
    bindings: Object.fromEntries(Object.entries(bindings).map(([name, value]) => [name, { type: "plain_text", value }])),
  });
  let timer;
  const startedOk = await Promise.race([
    worker.ready.then(() => true),
    new Promise((resolve) => (timer = setTimeout(() => resolve(false), readyTimeoutMs))),
  ]);
  clearTimeout(timer);
  const runtimePort = startedOk ? await runtime.port(readyTimeoutMs) : null;
  if (runtimePort === null) {
    await worker.dispose().catch(() => {});
    throw new Error(`the worker did not start within ${readyTimeoutMs / 1000} s (a build error above?)`);
  }
  return {
    worker,
    /** The port the bench talks to: the runtime's own, or wrangler's proxy's with BENCH_VIA_PROXY=1. */
    port: VIA_PROXY ? port : runtimePort,
    runtimePort,
    proxyPort: port,
    async stop() {
      await worker.dispose();
      for (let i = 0; i < 50 && descendants(process.pid).some((p) => p.name === "workerd"); i++) await sleep(200);
    },
  };
}
