// One log line per request (worker/observability/log.ts): written after the response is made, from
// what the context already holds. The installation's hash is computed under waitUntil, so that no
// request waits for it.
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { type RequestLine, errorText, installationHash, writeLine } from "../observability/log";
import type { AppEnv } from "./app-env";

/** What answered a path no route matched: the dashboard's page fallback, or the API's 404. */
export const NO_ROUTE = { api: "(no route)", page: "(page)" } as const;

/**
 * The pattern of the last matched route that is a handler, not a middleware (a middleware takes
 * `next`): the route asked for, even when a middleware before it answered (a 401, a 304).
 */
export function routeOf(c: Context<AppEnv>): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i]!.handler.length < 2) return routes[i]!.path;
  return c.req.path.startsWith("/api/") ? NO_ROUTE.api : NO_ROUTE.page;
}

export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  c.set("startedAt", started);
  await next();
  const line: RequestLine = {
    kind: "request",
    method: c.req.method,
    route: routeOf(c),
    status: c.res.status,
    ms: Math.round(performance.now() - started),
  };
  const outcomes = c.get("outcomes");
  if (outcomes) line.outcomes = outcomes as Record<string, number>;
  if (c.res.status >= 500 && c.error) line.error = errorText(c.error);
  const uid = c.get("installation");
  if (uid === undefined) return writeLine(line);
  const written = installationHash(uid).then((installation) => writeLine({ ...line, installation }));
  try {
    c.executionCtx.waitUntil(written);
  } catch {
    // No execution context (app.request in a test): the line is written when the hash is ready.
  }
};
