// The fuel-stats collector protocol: /api/v1/{ping,installation_structure,action_logs,oswl_stats}/
import { Hono } from "hono";
import {
  ActionLogsRequestSchema,
  INSTALLATION_TOKEN_HEADER,
  InstallationStructureRequestSchema,
  OswlStatsRequestSchema,
} from "../../schemas/collector";
import { collectorConfig } from "../config";
import { soleInstallation } from "../domain/batch";
import { actionLogOutcomes, oswlOutcomes, rejectionOutcome, structureOutcomes, utcDay } from "../domain/outcomes";
import { type Caller, storeActionLogs, storeInstallationStructure, storeOswlStats } from "../durable/client";
import type { Guarded } from "../durable/installation";
import { type AppContext, type AppEnv, execTime } from "../http/app-env";
import { parseJsonBody } from "../http/body";
import { outcomeCounter } from "../http/outcome-counter";
import { ApiError, apiError, methodNotAllowed } from "../http/errors";

export const collector = new Hono<AppEnv>();

const WRITE_ENDPOINTS = ["installation_structure", "action_logs", "oswl_stats"] as const;

// Counts what every write request came to, off the response path.
for (const endpoint of WRITE_ENDPOINTS) {
  collector.post(`/${endpoint}`, async (c, next) => {
    await next();
    const counts = c.get("outcomes") ?? rejectionOutcome(c.res.status);
    if (!counts) return;
    const { counterFlushMs } = collectorConfig(c.env);
    outcomeCounter.add(c.env.COLLECTOR_DB, c.executionCtx, counterFlushMs, utcDay(Date.now()), endpoint, counts);
  });
}

function caller(c: AppContext): Caller {
  return {
    token: c.req.header(INSTALLATION_TOKEN_HEADER) ?? null,
    address: c.req.header("cf-connecting-ip") ?? null,
    config: collectorConfig(c.env),
  };
}

/** Coarse location only: the two-letter country Cloudflare attaches; the address is never kept. */
const countryOf = (c: AppContext) => {
  const country = (c.req.raw.cf as IncomingRequestCfProperties | undefined)?.country;
  return typeof country === "string" ? country : null;
};

const body = <S extends Parameters<typeof parseJsonBody>[1]>(c: AppContext, schema: S) =>
  parseJsonBody(c.req.raw, schema, collectorConfig(c.env).maxBodyBytes);

/** The installation's object refused the write: 403 or 429, nothing stored. */
function refusal(result: Extract<Guarded<unknown>, { ok: false }>): ApiError {
  const fields: Record<string, string> = result.token ? { installation_token: result.token } : {};
  const headers: Record<string, string> = result.token ? { [INSTALLATION_TOKEN_HEADER]: result.token } : {};
  if (result.retryAfterSeconds !== undefined) headers["Retry-After"] = String(result.retryAfterSeconds);
  return new ApiError(result.status, result.message, fields, headers);
}

/** The ok envelope, with a fresh installation token while the installation is unbound. */
function ok<T extends object>(c: AppContext, token: string | null, fields: T, status: 200 | 201 = 200) {
  if (token) c.header(INSTALLATION_TOKEN_HEADER, token);
  return c.json({ status: "ok" as const, exec_time: execTime(c), ...fields, ...(token ? { installation_token: token } : {}) }, status);
}

function sole(items: readonly { master_node_uid: string }[]) {
  const found = soleInstallation(items);
  if ("error" in found) throw apiError(400, `invalid request: ${found.error}`);
  return found.uid;
}

collector.get("/ping", (c) => ok(c, null, {}));

collector.post("/installation_structure", async (c) => {
  const { installation_structure } = await body(c, InstallationStructureRequestSchema);
  c.set("installation", installation_structure.master_node_uid);
  const result = await storeInstallationStructure(c.env, installation_structure, countryOf(c), caller(c));
  if (!result.ok) throw refusal(result);
  c.set("outcomes", structureOutcomes(result.value.created, result.bound));
  return ok(c, result.token, {}, result.value.created ? 201 : 200);
});

collector.post("/action_logs", async (c) => {
  const { action_logs } = await body(c, ActionLogsRequestSchema);
  const uid = sole(action_logs);
  if (uid === null) return ok(c, null, { action_logs: [] });
  c.set("installation", uid);
  const result = await storeActionLogs(c.env, uid, action_logs, caller(c));
  if (!result.ok) throw refusal(result);
  c.set("outcomes", actionLogOutcomes(result.value.map((r) => r.status), result.bound));
  return ok(c, result.token, { action_logs: result.value });
});

collector.post("/oswl_stats", async (c) => {
  const { oswl_stats } = await body(c, OswlStatsRequestSchema);
  const uid = sole(oswl_stats);
  if (uid === null) return ok(c, null, { oswl_stats: [] });
  c.set("installation", uid);
  const result = await storeOswlStats(c.env, uid, oswl_stats, caller(c));
  if (!result.ok) throw refusal(result);
  c.set("outcomes", oswlOutcomes(result.value.map((r) => r.status), result.bound));
  return ok(c, result.token, { oswl_stats: result.value });
});

const allowed: Record<string, string> = {
  "/ping": "GET",
  "/installation_structure": "POST",
  "/action_logs": "POST",
  "/oswl_stats": "POST",
};
for (const [path, method] of Object.entries(allowed)) {
  collector.all(path, (c) => {
    throw methodNotAllowed(c.req.method, c.req.path, method);
  });
}
