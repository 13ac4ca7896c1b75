// bench:contrib-api's baseline: a Worker that does nothing of its own, started with the project's
// wrangler.toml (its bindings, assets and objects), to tell what a start costs the local runtime
// from what it costs edgestats. `/api/v1/ping/` answers an empty 200; `/api/d1` runs `SELECT 1`
// on CONTRIB_DB first (local D1's first query).
import { DurableObject } from "cloudflare:workers";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname === "/api/d1") await env.CONTRIB_DB.prepare("SELECT 1").first();
    return new Response(null, { status: 200 });
  },
  async queue(): Promise<void> {},
  async scheduled(): Promise<void> {},
} satisfies ExportedHandler<Env>;

// The config names these classes; the baseline never calls them.
export class Installation extends DurableObject<Env> {}
export class AddressQuota extends DurableObject<Env> {}
