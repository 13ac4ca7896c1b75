// Contribution statistics' read API (Stackalytics' /api/1.0): the selectors' lists (releases,
// metrics, project types, companies, modules, people), profiles and attributions.
import { Hono } from "hono";
import { AffiliationQuerySchema, AUTHOR_KEYS, parseIsoDay } from "../../schemas/contrib/api";
import { currentEngine, findAffiliation } from "../contrib/sync";
import { findProfileByUserId, listCoreOf } from "../db/contrib";
import { CORE_WINDOW_SECONDS } from "../domain/contrib/post-process";
import { EMPTY_ENGINE } from "../domain/contrib/engine";
import { toUserProfile } from "../domain/contrib/users";
import { StatsQuerySchema, parseApiDay } from "../../schemas/contrib/stats";
import {
  affiliationChanges,
  companiesList,
  findCompany,
  languagesList,
  metricsList,
  moduleDetail,
  modulesList,
  projectTypesList,
  releasesList,
  usersList,
} from "../contrib/selectors";
import type { AppContext, AppEnv } from "../http/app-env";
import { ApiError } from "../http/errors";
import { filtered } from "./contrib-stats";
import { parseQuery } from "../http/query";

export const contrib = new Hono<AppEnv>();

const nowSeconds = () => Math.floor(Date.now() / 1000);
const engineOf = async (c: AppContext) => (await currentEngine(c.env.CONTRIB_DB, c.get("contribVersions")?.defaultData)) ?? EMPTY_ENGINE;

contrib.get("/releases", async (c) => c.json(releasesList(await engineOf(c), nowSeconds())));
contrib.get("/metrics", (c) => c.json(metricsList()));
contrib.get("/project_types", async (c) => c.json(projectTypesList(await engineOf(c))));

contrib.get("/companies", async (c) => {
  const { query, engine, filter } = await filtered(c, { ignore: ["company"] });
  const selected = (query.company ?? []).map((name) => {
    const found = findCompany(engine, name);
    if (!found) throw new ApiError(404, `no company "${name}" (parameter company)`, { parameter: "company", value: name });
    return found.company.text;
  });
  return c.json(await companiesList(c.env.CONTRIB_DB, filter, selected));
});

contrib.get("/companies/:name", async (c) => {
  const found = findCompany(await engineOf(c), c.req.param("name"));
  if (!found) throw new ApiError(404, `no company "${c.req.param("name")}"`, { parameter: "company", value: c.req.param("name") });
  return c.json(found);
});

contrib.get("/modules", async (c) => {
  const { query, engine, filter } = await filtered(c, { ignore: ["module"] });
  const tags = query.tags ?? query.tag ?? null;
  return c.json(await modulesList(c.env.CONTRIB_DB, engine, filter, tags));
});

contrib.get("/modules/:id", async (c) => {
  const { engine, filter } = await filtered(c, { ignore: ["module"] });
  const found = moduleDetail(engine, filter, c.req.param("id"));
  if (!found) throw new ApiError(404, `no module "${c.req.param("id")}"`, { parameter: "module", value: c.req.param("id") });
  return c.json(found);
});

contrib.get("/languages", async (c) => {
  const { filter } = await filtered(c, { ignore: ["metric"] });
  return c.json(await languagesList(c.env.CONTRIB_DB, filter));
});

contrib.get("/affiliation_changes", async (c) => {
  const query = parseQuery(c, StatsQuerySchema);
  const today = Math.floor(nowSeconds() / 86_400);
  const range = { from: query.start_days ? parseApiDay(query.start_days)! : today - 365, to: query.end_days ? parseApiDay(query.end_days)! : today };
  return c.json(await affiliationChanges(c.env.CONTRIB_DB, range));
});

contrib.get("/users", async (c) => {
  const { query, filter } = await filtered(c, { ignore: ["user_id"] });
  return c.json(await usersList(c.env.CONTRIB_DB, filter, query.core_in ?? null, nowSeconds()));
});

contrib.get("/users/:user_id", async (c) => {
  const profile = await findProfileByUserId(c.env.CONTRIB_DB, c.req.param("user_id"));
  if (!profile) throw new ApiError(404, `no user with user_id "${c.req.param("user_id")}"`, { parameter: "user_id", value: c.req.param("user_id") });
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
