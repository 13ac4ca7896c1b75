// Operator API: installation identities and filtering rules. Every route requires the admin secret.
import { Hono } from "hono";
import { FilteringRulesSchema } from "../../schemas/filtering";
import { findFilteringRules, saveFilteringRules } from "../db/analytic";
import { forgetFilteringRules } from "../filtering";
import { collectorConfig } from "../config";
import { parseJsonBody } from "../http/body";
import { deleteInstallation, installationObject } from "../durable/client";
import type { IdentityView } from "../durable/installation";
import { requireAdmin } from "../http/admin-auth";
import type { AppEnv } from "../http/app-env";

export const admin = new Hono<AppEnv>();

admin.use("*", requireAdmin);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The identity as answered: times in ISO 8601 (UTC), as everywhere else in the API. */
const identityAnswer = (view: IdentityView) => ({
  known: view.known,
  bound: view.bound,
  boundAt: iso(view.boundAt),
  acceptedAt: iso(view.acceptedAt),
  firstSeen: iso(view.firstSeen),
  lastSeen: iso(view.lastSeen),
  issuingSince: iso(view.issuingSince),
});

admin.get("/installations/:uid", async (c) => {
  const uid = c.req.param("uid");
  return c.json({ status: "ok", master_node_uid: uid, ...identityAnswer(await installationObject(c.env, uid).describeIdentity(uid)) });
});

/** Deletes everything stored about an installation, as its owner can with its token (docs/privacy.md). */
admin.delete("/installations/:uid", async (c) => {
  const result = await deleteInstallation(c.env, c.req.param("uid"), { by: "operator" });
  if (!result.ok) throw new Error("an operator's deletion is never refused");
  c.header("Cache-Control", "no-store");
  return c.json(result.receipt);
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
  return c.json({ status: "ok", rules: stored?.rules ?? {}, updated_at: iso(stored?.updatedAt ?? null) });
});

/** Replaces the rules; structures written from now on are classified by them. */
admin.put("/filtering-rules", async (c) => {
  const rules = await parseJsonBody(c.req.raw, FilteringRulesSchema, collectorConfig(c.env).maxBodyBytes);
  await saveFilteringRules(c.env.ANALYTIC_DB, rules, Date.now());
  forgetFilteringRules();
  return c.json({ status: "ok", rules });
});
