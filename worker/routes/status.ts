// GET /api/v1/admin/status (admin secret): the jobs' last runs and failures, the backups, the
// backlog of bundles and processor steps, D1 sizes and row counts, the collector's refusals and the
// processor's sources, in one answer (schemas/status.ts; docs/operations.md, "Observability").
import { Hono } from "hono";
import { requireAdmin } from "../http/admin-auth";
import type { AppEnv } from "../http/app-env";
import { readServiceStatus } from "../observability/status";

export const statusAdmin = new Hono<AppEnv>();

statusAdmin.use("*", requireAdmin);

statusAdmin.get("/", async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await readServiceStatus(c.env, Date.now()));
});
