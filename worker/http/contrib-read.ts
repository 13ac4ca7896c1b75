// What every `/api/1.0` read answer shares (reference §5.1): CORS for any origin, JSONP when a
// `callback` is given, and caching until the processor's next hourly run with an ETag of the data
// version, so a dashboard's repeat is a 304 that runs no query; Last-Modified says when the data
// was last known current. The admin routes are left alone.
import type { MiddlewareHandler } from "hono";
import { JSONP_CALLBACK } from "../../schemas/contrib/stats";
import { readAnswerVersions } from "../contrib/stats";
import type { AppEnv } from "./app-env";
import { apiError } from "./errors";

/** The processor's Cron Trigger runs at the start of every hour (wrangler.toml). */
const RUN_EVERY_MS = 3_600_000;

export const contribRead: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.path.startsWith("/api/1.0/admin")) return next();
  const callback = c.req.query("callback");
  if (callback !== undefined && !JSONP_CALLBACK.test(callback)) {
    throw apiError(400, "invalid request: callback: expected a JavaScript function name (letters, digits, _ and $, dotted)");
  }
  const now = Date.now();
  const nextRun = Math.ceil((now + 1) / RUN_EVERY_MS) * RUN_EVERY_MS;
  // The hour is part of it: answers that depend on the time (waits of open reviews, who is core,
  // the current release) move without new data, and a cached answer lives an hour at most anyway.
  // The versions are read once, here, for the answer too (routes/contrib-stats.ts); an isolate's
  // first answer reads the config and the modules with records with them.
  const versions = await readAnswerVersions(c.env.CONTRIB_DB);
  c.set("contribVersions", versions);
  const etag = `W/"${versions.data}-${Math.floor(now / RUN_EVERY_MS)}"`;
  const cache: Record<string, string> = {
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": `public, max-age=${Math.floor((nextRun - now) / 1000)}`,
    Expires: new Date(nextRun).toUTCString(),
    ETag: etag,
  };
  // When the data was last known current (a change, or a processor step): the dashboard's "last
  // updated" and its banner when that is older than the schedule. On a 304 too, so that a
  // revalidated copy carries the newer time.
  if (versions.updatedAt !== null) cache["Last-Modified"] = new Date(versions.updatedAt * 1000).toUTCString();
  if (c.req.header("if-none-match")?.split(",").some((t) => t.trim() === etag)) return c.body(null, 304, cache);
  await next();
  c.header("Access-Control-Allow-Origin", "*");
  if (c.res.status !== 200) return;
  for (const [name, value] of Object.entries(cache)) c.header(name, value);
  if (callback !== undefined && c.res.headers.get("content-type")?.startsWith("application/json")) {
    const body = await c.res.text();
    c.res = new Response(`${callback}(${body});`, { status: 200, headers: c.res.headers });
    c.res.headers.set("content-type", "application/javascript; charset=utf-8");
  }
};
