import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      CONTRIB_MIGRATIONS: D1Migration[];
    }
  }
}
export {};
