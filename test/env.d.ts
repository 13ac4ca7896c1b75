import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      COLLECTOR_MIGRATIONS: D1Migration[];
      ANALYTIC_MIGRATIONS: D1Migration[];
      /** `triggers.crons` of wrangler.toml, as wrangler reads it (vitest.config.ts). */
      WRANGLER_CRONS: string[];
    }
  }
}
export {};
