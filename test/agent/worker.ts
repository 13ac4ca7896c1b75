// The real service for end-to-end tests in Node (the agent's, the admin tools'): wrangler's
// programmatic API on 127.0.0.1 (port 8796 unless AGENT_E2E_PORT or the caller says otherwise), in
// a persist dir of its own that a restart keeps, with every D1 database migrated.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const ADMIN_TOKEN = "agent-e2e-admin-token-0123456789abcdef";
export const PORT = Number(process.env.AGENT_E2E_PORT ?? 8796);

const toolEnv = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? path.join(root, ".xdg"),
};
const wranglerBin = path.join(root, "node_modules/wrangler/bin/wrangler.js");
const config = path.join(root, "wrangler.toml");

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export interface Collector {
  origin: string;
  /** Its wrangler state (D1, R2, Durable Objects): `--persist-to` for wrangler's commands. */
  persistDir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** GET with the admin secret (raw JSON exports, installation identity). */
  admin<T>(p: string, init?: RequestInit): Promise<T>;
}

/**
 * A fresh collector: state wiped and migrated; start() and stop() keep the state between them.
 * Tests of other projects, which may run at the same time, take their own port and state.
 */
export function freshCollector({
  port = PORT,
  state = "agent-e2e-state",
  vars = {},
}: { port?: number; state?: string; vars?: Record<string, string> } = {}): Collector {
  const persistDir = path.join(root, "test-artifacts", state);
  // wrangler.toml serves the dashboard's build as assets; npm test builds it first.
  if (!existsSync(path.join(root, "public/index.html"))) {
    const r = spawnSync(process.execPath, [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  }
  rmSync(persistDir, { recursive: true, force: true });
  mkdirSync(persistDir, { recursive: true });
  for (const db of ["COLLECTOR_DB", "ANALYTIC_DB", "CONTRIB_DB"]) {
    const r = spawnSync(process.execPath, [wranglerBin, "d1", "migrations", "apply", db, "--local", "--config", config, "--persist-to", persistDir], {
      cwd: root,
      env: { ...process.env, ...toolEnv },
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`migrating ${db} failed:\n${r.stdout}\n${r.stderr}`);
  }
  Object.assign(process.env, toolEnv);
  const origin = `http://127.0.0.1:${port}`;
  let worker: { dispose(): Promise<void> } | null = null;
  const plain = (value: string) => ({ type: "plain_text" as const, value });
  return {
    origin,
    persistDir,
    async start() {
      for (let i = 0; !(await portFree(port)); i++) {
        if (i > 50) throw new Error(`127.0.0.1:${port} is in use`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const { unstable_startWorker } = await import("wrangler");
      const started = await unstable_startWorker({
        config,
        dev: { server: { hostname: "127.0.0.1", port }, inspector: false, persist: persistDir, logLevel: "warn", watch: false },
        bindings: {
          ADMIN_TOKEN: plain(ADMIN_TOKEN),
          LIMIT_NEW_INSTALLATIONS_PER_HOUR: plain("1000000"),
          COUNTER_FLUSH_MS: plain("50"),
          ...Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, plain(value)])),
        },
      });
      await started.ready;
      worker = started;
    },
    async stop() {
      await worker?.dispose();
      worker = null;
    },
    async admin<T>(p: string, init: RequestInit = {}) {
      const response = await fetch(`${origin}${p}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(init.headers ?? {}) } });
      if (!response.ok) throw new Error(`${p}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}
