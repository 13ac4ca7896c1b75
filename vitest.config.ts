import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { unstable_readConfig } from "wrangler";

const root = import.meta.dirname;
// The Cron Triggers as wrangler reads them from wrangler.toml, for the test that the schedule matches.
const WRANGLER_CRONS = unstable_readConfig({ config: path.join(root, "wrangler.toml") }).triggers.crons ?? [];
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

/**
 * A project whose tests run inside workerd with real D1 and Durable Objects, under the given
 * collector settings (each project is its own workerd, so settings cannot leak between them).
 */
function workerProject(name: string, include: string[], vars: Record<string, string>): TestProjectInlineConfiguration {
  return {
    plugins: [
      cloudflareTest(async () => ({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            ADMIN_TOKEN: TEST_ADMIN_TOKEN,
            COUNTER_FLUSH_MS: "50",
            ...vars,
            WRANGLER_CRONS,
            COLLECTOR_MIGRATIONS: await readD1Migrations(path.join(root, "migrations/collector")),
            ANALYTIC_MIGRATIONS: await readD1Migrations(path.join(root, "migrations/analytic")),
            CONTRIB_MIGRATIONS: await readD1Migrations(path.join(root, "migrations/contrib")),
          },
        },
      })),
    ],
    test: { name, include, setupFiles: ["./test/worker/setup.ts"] },
  };
}

export default defineConfig({
  test: {
    // The worker's own log lines (one per request and job step) are not printed: tests that check
    // them spy on console.log (captureLog in test/worker/helpers.ts). vitest reads this at the root only.
    onConsoleLog: (log) => !/^\{"kind":"(?:request|step)"/.test(log),
    projects: [
      // Pure functions (worker/domain, schemas): plain Node, fast.
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" } },
      // The shipped defaults, except that every test request comes from one address, and that
      // small-cell suppression is off: these tests count a handful of installations.
      // Backups in pages of 3 rows and steps of 16, so that a few seeded rows make several files;
      // no scheduled backup unless a test asks for one (started by another test's cron run, its
      // Queue steps would still be running when that test's file ends).
      workerProject("worker", ["test/worker/**/*.test.ts"], {
        LIMIT_NEW_INSTALLATIONS_PER_HOUR: "1000000",
        ROLLUP_OVERLAP_SECONDS: "0",
        SUPPRESSION_K: "1",
        BACKUP_HOUR_UTC: "off",
        BACKUP_PAGE_ROWS: "3",
        BACKUP_ROWS_PER_STEP: "16",
      }),
      // Small-cell suppression at its shipped k (5): the public reports as the public gets them.
      workerProject("worker-privacy", ["test/worker-privacy/**/*.test.ts"], {
        LIMIT_NEW_INSTALLATIONS_PER_HOUR: "1000000",
        ROLLUP_OVERLAP_SECONDS: "0",
        BACKUP_HOUR_UTC: "off",
      }),
      // Small limits, the strictest legacy policy, and no admin secret.
      workerProject("worker-strict", ["test/worker-strict/**/*.test.ts"], {
        ADMIN_TOKEN: "",
        LEGACY_POLICY: "deny",
        LIMIT_REQUESTS_PER_MINUTE: "5",
        LIMIT_RECORDS_PER_DAY: "50",
        LIMIT_NEW_INSTALLATIONS_PER_HOUR: "3",
        SUPPRESSION_K: "1",
      }),
      workerProject("worker-quarantine", ["test/worker-quarantine/**/*.test.ts"], {
        LEGACY_POLICY: "quarantine",
        LIMIT_NEW_INSTALLATIONS_PER_HOUR: "1000000",
        SUPPRESSION_K: "1",
      }),
      // The dashboard's components and data mapping, in a simulated DOM.
      {
        oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
        test: { name: "ui", include: ["test/ui/**/*.test.{ts,tsx}"], environment: "happy-dom" },
      },
      // The reference sender (agent/): its outbox, cycle and CLI in Node, and end to end against
      // the worker on 127.0.0.1:8796.
      {
        test: {
          name: "agent",
          include: ["test/agent/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      // The admin tools (npm run contrib:import-git) against a real git repository and the worker on 127.0.0.1:8797.
      {
        test: {
          name: "tools",
          include: ["test/tools/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      // The dashboard in headless Chromium against a worker on 127.0.0.1 (without Chromium: skipped,
      // or failed under CI=true; test/e2e/chromium.ts says where it looks).
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
