// Stackalytics' statistics endpoints (reference §5.2): rankings, the contribution summary and the
// activity log, read from the daily totals and the records' indexes.
import { Hono } from "hono";
import { StatsQuerySchema } from "../../schemas/contrib/stats";
import { activityPage } from "../contrib/activity";
import { blueprintStats, contributionOf, distinctEngineers, engineersExtended, languageStats, readFilter, statsBy, timeline } from "../contrib/stats";
import type { TotalsGroup } from "../db/contrib-stats";
import type { FilterOptions } from "../domain/contrib/filters";
import type { AppContext, AppEnv } from "../http/app-env";
import { parseQuery } from "../http/query";

export const contribStats = new Hono<AppEnv>();

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The query, the engine in force and what the query selects (400 or 404 naming a bad parameter). */
export async function filtered(c: AppContext, options: FilterOptions = {}) {
  const query = parseQuery(c, StatsQuerySchema);
  return { query, ...(await readFilter(c.env.CONTRIB_DB, query, nowSeconds(), options, c.get("contribVersions"))) };
}

const ranking = (group: TotalsGroup, ignore: FilterOptions["ignore"]) => async (c: AppContext) => {
  const { filter } = await filtered(c, { ignore });
  return c.json({ stats: await statsBy(c.env.CONTRIB_DB, group, filter, nowSeconds()) });
};

contribStats.get("/stats/companies", ranking("company_name", []));
contribStats.get("/stats/modules", ranking("module", []));
contribStats.get("/stats/engineers", ranking("user_id", []));

contribStats.get("/contribution", async (c) => {
  const { filter } = await filtered(c, { ignore: ["metric"] });
  return c.json({ contribution: await contributionOf(c.env.CONTRIB_DB, filter) });
});

contribStats.get("/activity", async (c) => {
  const { query, engine, filter } = await filtered(c);
  const page = { start: query.start_record ?? 0, size: query.page_size ?? 10, messageContains: query.query_message, metricGiven: query.metric !== undefined };
  return c.json(await activityPage(c.env.CONTRIB_DB, engine, filter, page));
});

contribStats.get("/stats/engineers_extended", async (c) => {
  const { filter } = await filtered(c, { ignore: ["metric"] });
  return c.json({ stats: await engineersExtended(c.env.CONTRIB_DB, filter, nowSeconds()) });
});

contribStats.get("/stats/distinct_engineers", async (c) => {
  const { filter } = await filtered(c);
  return c.json({ stats: await distinctEngineers(c.env.CONTRIB_DB, filter) });
});

contribStats.get("/stats/bp", async (c) => {
  const { filter } = await filtered(c, { ignore: ["metric"] });
  return c.json({ stats: await blueprintStats(c.env.CONTRIB_DB, filter) });
});

contribStats.get("/stats/languages", async (c) => {
  const { query, filter } = await filtered(c, { ignore: ["metric"] });
  return c.json({ stats: await languageStats(c.env.CONTRIB_DB, filter, query.language ?? null) });
});

contribStats.get("/stats/timeline", async (c) => {
  const { engine, filter } = await filtered(c);
  return c.json(await timeline(c.env.CONTRIB_DB, engine, filter, nowSeconds()));
});
