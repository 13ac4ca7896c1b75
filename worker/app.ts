import { Hono } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./http/app-env";
import { dashboardPage } from "./http/dashboard-page";
import { ApiError } from "./http/errors";
import { admin } from "./routes/admin";
import { backupsAdmin } from "./routes/backups";
import { bundlesApi } from "./routes/bundles";
import { collector } from "./routes/collector";
import { contribRead } from "./http/contrib-read";
import { contrib } from "./routes/contrib";
import { contribStats } from "./routes/contrib-stats";
import { contribReports } from "./routes/contrib-reports";
import { contribAdmin } from "./routes/contrib-admin";
import { csv } from "./routes/csv";
import { exportsApi } from "./routes/exports";
import { health } from "./routes/health";
import { installationApi } from "./routes/installation";
import { requestLog } from "./http/request-log";
import { processorAdmin } from "./routes/processor-admin";
import { reports } from "./routes/reports";
import { schemas } from "./routes/schemas";
import { statusAdmin } from "./routes/status";

// strict: false answers every path with and without its trailing slash, as fuel-stats senders
// use `/api/v1/ping/` while fuel-stats itself redirected the bare form. TrieRouter, not Hono's
// default RegExpRouter: that one compiles every route into its matchers on an isolate's first
// request (10 ms in Node for these 100 routes, most of a cold `/api/v1/ping/`), while the trie is
// built as the routes are added, at module evaluation, before the runtime serves; a match then
// takes under a microsecond (LinearRouter, the other router without that cost, takes 7).
export const app = new Hono<AppEnv>({ strict: false, router: new TrieRouter() });

// First, so that its line has every request's status and time (docs/operations.md, "Observability").
app.use("*", requestLog);

app.route("/api/v1/schemas", schemas);
app.route("/api/v1/admin", admin);
app.route("/api/v1/admin/backups", backupsAdmin);
app.route("/api/v1/admin/status", statusAdmin);
app.route("/api/v1/json/collector", health);
app.route("/api/v1/json/report", reports);
app.route("/api/v1/exports", bundlesApi);
app.route("/api/v1/json", exportsApi);
app.route("/api/v1/csv", csv);
app.route("/api/v1/installation", installationApi);
app.route("/api/v1", collector);
app.route("/api/1.0/admin/processor", processorAdmin);
app.route("/api/1.0/admin", contribAdmin);
app.use("/api/1.0/*", contribRead);
app.route("/api/1.0", contribStats);
app.route("/api/1.0/reports", contribReports);
app.route("/api/1.0", contrib);

app.notFound((c) =>
  c.req.path.startsWith("/api/") || !["GET", "HEAD"].includes(c.req.method)
    ? c.json({ status: "error", message: `no such resource: ${c.req.method} ${c.req.path}` }, 404)
    : dashboardPage(c),
);

app.onError((error, c) => {
  if (error instanceof ApiError) {
    return c.json({ status: "error", message: error.message, ...error.fields }, error.status, error.headers);
  }
  if (error instanceof HTTPException) {
    return c.json({ status: "error", message: error.message }, error.status);
  }
  console.error("unhandled error", c.req.method, c.req.path, error);
  return c.json({ status: "error", message: "internal error" }, 500);
});
