// Contribution statistics' read API (Stackalytics' /api/1.0): profiles and attributions, so that
// operators can check whom the engine credits.
import { Hono } from "hono";
import { AffiliationQuerySchema, AUTHOR_KEYS, parseIsoDay } from "../../schemas/contrib/api";
import { currentEngine, findAffiliation } from "../contrib/sync";
import { findProfileByUserId, listCoreOf } from "../db/contrib";
import { CORE_WINDOW_SECONDS } from "../domain/contrib/post-process";
import { EMPTY_ENGINE } from "../domain/contrib/engine";
import { toUserProfile } from "../domain/contrib/users";
import type { AppEnv } from "../http/app-env";
import { apiError } from "../http/errors";
import { parseQuery } from "../http/query";

export const contrib = new Hono<AppEnv>();

contrib.get("/users/:user_id", async (c) => {
  const profile = await findProfileByUserId(c.env.CONTRIB_DB, c.req.param("user_id"));
  if (!profile) throw apiError(404, `no user with user_id "${c.req.param("user_id")}"`);
  const now = Math.floor(Date.now() / 1000);
  return c.json({ user: toUserProfile(profile, now, await listCoreOf(c.env.CONTRIB_DB, profile.seq, now - CORE_WINDOW_SECONDS)) });
});

contrib.get("/affiliation", async (c) => {
  const query = parseQuery(c, AffiliationQuerySchema, ["query"]);
  const key = AUTHOR_KEYS.find((k) => query[k] !== undefined)!;
  const engine = (await currentEngine(c.env.CONTRIB_DB)) ?? EMPTY_ENGINE;
  const author = { [key]: query[key] };
  return c.json(await findAffiliation(c.env.CONTRIB_DB, engine, author, parseIsoDay(query.date)!));
});
