import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  test: {
    projects: [
      {
        // Pure functions (worker/domain, schemas): plain Node, fast.
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        // Routes, Durable Objects, D1 and cron, inside workerd with real bindings.
        plugins: [
          cloudflareTest(async () => ({
            main: "./worker/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                COLLECTOR_MIGRATIONS: await readD1Migrations(path.join(root, "migrations/collector")),
                ANALYTIC_MIGRATIONS: await readD1Migrations(path.join(root, "migrations/analytic")),
              },
            },
          })),
        ],
        test: { name: "worker", include: ["test/worker/**/*.test.ts"], setupFiles: ["./test/worker/setup.ts"] },
      },
    ],
  },
});
