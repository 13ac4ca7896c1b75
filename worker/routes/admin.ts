// Operator API: inspect, rotate, clear and accept installation identities. Every route requires
// `Authorization: Bearer <ADMIN_TOKEN>` (wrangler secret put ADMIN_TOKEN; locally .dev.vars).
import { Hono } from "hono";
import { secretsEqual } from "../crypto";
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
