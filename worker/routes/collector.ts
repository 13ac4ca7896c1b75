// The fuel-stats collector protocol: /api/v1/{ping,installation_structure,action_logs,oswl_stats}/
import { Hono } from "hono";
import {
  ActionLogsRequestSchema,
  InstallationStructureRequestSchema,
  OswlStatsRequestSchema,
} from "../../schemas/collector";
import { storeActionLogs, storeInstallationStructure, storeOswlStats } from "../durable/client";
import { type AppContext, type AppEnv, execTime, maxBodyBytes } from "../http/app-env";
import { parseJsonBody } from "../http/body";
import { apiError } from "../http/errors";

export const collector = new Hono<AppEnv>();

const ok = <T extends object>(c: AppContext, body: T, status: 200 | 201 = 200) =>
  c.json({ status: "ok" as const, exec_time: execTime(c), ...body }, status);

/** Coarse location only: the two-letter country Cloudflare attaches; the address is never kept. */
const countryOf = (c: AppContext) => {
  const country = (c.req.raw.cf as IncomingRequestCfProperties | undefined)?.country;
  return typeof country === "string" ? country : null;
};

collector.get("/ping", (c) => ok(c, {}));

collector.post("/installation_structure", async (c) => {
  const body = await parseJsonBody(c.req.raw, InstallationStructureRequestSchema, maxBodyBytes(c));
  const { created } = await storeInstallationStructure(c.env, body.installation_structure, countryOf(c));
  return ok(c, {}, created ? 201 : 200);
});

collector.post("/action_logs", async (c) => {
  const body = await parseJsonBody(c.req.raw, ActionLogsRequestSchema, maxBodyBytes(c));
  return ok(c, { action_logs: await storeActionLogs(c.env, body.action_logs) });
});

collector.post("/oswl_stats", async (c) => {
  const body = await parseJsonBody(c.req.raw, OswlStatsRequestSchema, maxBodyBytes(c));
  return ok(c, { oswl_stats: await storeOswlStats(c.env, body.oswl_stats) });
});

const allowed: Record<string, string> = {
  "/ping": "GET",
  "/installation_structure": "POST",
  "/action_logs": "POST",
  "/oswl_stats": "POST",
};
for (const [path, method] of Object.entries(allowed)) {
  collector.all(path, (c) => {
    c.header("Allow", method === "GET" ? "GET, HEAD" : method);
    throw apiError(405, `method ${c.req.method} is not allowed on ${c.req.path}; use ${method}`);
  });
}
