// Paths outside the API that are no static asset: a dashboard page gets the app's index.html, any
// other path the same document with a 404 status, which the app draws as its "not found" page.
import { isDashboardPage } from "../../schemas/pages";
import type { AppContext } from "./app-env";

export async function dashboardPage(c: AppContext): Promise<Response> {
  const status = isDashboardPage(c.req.path) ? 200 : 404;
  // Not the request's own headers: a conditional request must not turn into a 304 of another path.
  const index = await c.env.ASSETS.fetch(new URL("/", c.req.url));
  if (!index.ok) {
    return c.text(status === 404 ? `no such page: ${c.req.path}` : "the dashboard is not built (npm run build:ui)", status === 404 ? 404 : 503);
  }
  const headers = new Headers(index.headers);
  headers.delete("etag");
  headers.set("cache-control", "no-cache");
  return new Response(c.req.method === "HEAD" ? null : index.body, { status, headers });
}
