// The worker for the browser tests: wrangler's programmatic API on 127.0.0.1 only, a fresh persist
// dir with every D1 database migrated, and the test admin token.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const E2E_ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef";

const toolEnv = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? path.join(root, ".xdg"),
};
const wranglerBin = path.join(root, "node_modules/wrangler/bin/wrangler.js");

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`127.0.0.1:${port} is in use (set E2E_PORT to another port)`)));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

function node(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...toolEnv }, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Builds the UI when public/ has not been built (npm test builds it before the tests). */
export function ensureUiBuilt() {
  if (!existsSync(path.join(root, "public/index.html"))) node([path.join(root, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "warn"]);
}

const DATABASES = ["COLLECTOR_DB", "ANALYTIC_DB", "CONTRIB_DB"];

/** A report as this worker answers it: with SUPPRESSION_K=1 it withholds nothing, so no number is null. */
export type Complete<T> = T extends null ? never : T extends object ? { [K in keyof T]: Complete<T[K]> } : T;

export interface RunningWorker {
  origin: string;
  persistDir: string;
  /** Runs SQL against a local D1 database of this worker's state. */
  d1(database: string, sql: string): void;
  stop(): Promise<void>;
}

/** `stateName`: the folder of test-artifacts/ that holds its state, one per test file run at once. */
export async function startWorker(port: number, stateName = "e2e-state"): Promise<RunningWorker> {
  await assertPortFree(port);
  ensureUiBuilt();
  Object.assign(process.env, toolEnv);
  const persistDir = path.join(root, "test-artifacts", stateName);
  rmSync(persistDir, { recursive: true, force: true });
  mkdirSync(persistDir, { recursive: true });
  const config = path.join(root, "wrangler.toml");
  for (const db of DATABASES) {
    node([wranglerBin, "d1", "migrations", "apply", db, "--local", "--config", config, "--persist-to", persistDir]);
  }
  const { unstable_startWorker } = await import("wrangler");
  const plain = (value: string) => ({ type: "plain_text" as const, value });
  const worker = await unstable_startWorker({
    config,
    dev: {
      server: { hostname: "127.0.0.1", port },
      inspector: false,
      persist: persistDir,
      logLevel: "warn",
      watch: false,
      testScheduled: true,
    },
    bindings: {
      ADMIN_TOKEN: plain(E2E_ADMIN_TOKEN),
      LIMIT_NEW_INSTALLATIONS_PER_HOUR: plain("1000000"),
      COUNTER_FLUSH_MS: plain("50"),
      ROLLUP_OVERLAP_SECONDS: plain("0"),
      // The dashboard's numbers are checked against a handful of seeded installations.
      SUPPRESSION_K: plain("1"),
    },
  });
  await worker.ready;
  return {
    origin: `http://127.0.0.1:${port}`,
    persistDir,
    d1: (database, sql) => {
      node([wranglerBin, "d1", "execute", database, "--local", "--config", config, "--persist-to", persistDir, "--command", sql]);
    },
    stop: () => worker.dispose(),
  };
}
