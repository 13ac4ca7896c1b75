// Operator API: inspect, rotate, clear and accept installation identities. Every route requires
// `Authorization: Bearer <ADMIN_TOKEN>` (wrangler secret put ADMIN_TOKEN; locally .dev.vars).
import { Hono } from "hono";
import { FilteringRulesSchema } from "../../schemas/filtering";
import { secretsEqual } from "../crypto";
import { findFilteringRules, saveFilteringRules } from "../db/analytic";
import { forgetFilteringRules } from "../filtering";
import { collectorConfig } from "../config";
import { parseJsonBody } from "../http/body";
import { installationObject } from "../durable/client";
import type { AppEnv } from "../http/app-env";
import { ApiError, apiError } from "../http/errors";

export const admin = new Hono<AppEnv>();

admin.use("*", async (c, next) => {
  const secret = c.env.ADMIN_TOKEN;
  if (typeof secret !== "string" || secret.length === 0) {
    throw apiError(403, "the admin API is disabled: set the ADMIN_TOKEN secret to enable it");
  }
  const presented = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  if (presented === undefined) {
    throw new ApiError(401, "admin routes require Authorization: Bearer <ADMIN_TOKEN>", {}, { "WWW-Authenticate": "Bearer" });
  }
  if (!(await secretsEqual(presented, secret))) throw apiError(403, "the admin token is wrong");
  await next();
});

admin.get("/installations/:uid", async (c) => {
  const uid = c.req.param("uid");
  return c.json({ status: "ok", master_node_uid: uid, ...(await installationObject(c.env, uid).describeIdentity()) });
});

admin.post("/installations/:uid/token", async (c) => {
  const uid = c.req.param("uid");
  const token = await installationObject(c.env, uid).rotateToken();
  return c.json({ status: "ok", master_node_uid: uid, installation_token: token });
});

admin.delete("/installations/:uid/token", async (c) => {
  const uid = c.req.param("uid");
  await installationObject(c.env, uid).clearToken();
  return c.json({ status: "ok", master_node_uid: uid, bound: false });
});

admin.post("/installations/:uid/accept", async (c) => {
  const uid = c.req.param("uid");
  const released = await installationObject(c.env, uid).accept(uid);
  return c.json({ status: "ok", master_node_uid: uid, released_rows: released });
});

admin.get("/filtering-rules", async (c) => {
  const stored = await findFilteringRules(c.env.ANALYTIC_DB);
  return c.json({ status: "ok", rules: stored?.rules ?? {}, updated_at: stored ? new Date(stored.updatedAt).toISOString() : null });
});

/** Replaces the rules; structures written from now on are classified by them. */
admin.put("/filtering-rules", async (c) => {
  const rules = await parseJsonBody(c.req.raw, FilteringRulesSchema, collectorConfig(c.env).maxBodyBytes);
  await saveFilteringRules(c.env.ANALYTIC_DB, rules, Date.now());
  forgetFilteringRules();
  return c.json({ status: "ok", rules });
});
