// `/api/1.0/activity`: a page of the filtered records, newest first, as the dashboard's activity
// log shows them.
import { listActivity } from "../db/contrib-stats";
import { listRecordsByKeys } from "../db/contrib";
import { activityRecord } from "../domain/contrib/activity";
import type { Engine } from "../domain/contrib/engine";
import type { StatsFilter } from "../domain/contrib/filters";
import { gerritBase } from "../domain/contrib/sources/plan";

export async function activityPage(
  db: D1Database,
  engine: Engine,
  filter: StatsFilter,
  page: { start: number; size: number; messageContains?: string; metricGiven: boolean },
) {
  const rows = await listActivity(db, page.metricGiven ? filter.metric.types : null, filter, page);
  const records = rows.map((r) => JSON.parse(r.fields) as Record<string, unknown>);
  const parentKeys = records.flatMap((f) =>
    f.record_type === "mark" ? [String(f.review_id), `${f.review_id}:${f.patch}`] : f.record_type === "patch" ? [String(f.review_id)] : [],
  );
  const parents = new Map((await listRecordsByKeys(db, parentKeys)).map((row) => [row.primary_key, JSON.parse(row.fields) as Record<string, unknown>]));
  const gerrits = new Map(engine.config.repos.flatMap((r) => (r.gerrit_uri ? [[r.module.toLowerCase(), gerritBase(r.gerrit_uri)] as const] : [])));
  const ctx = { parents, gerritOf: (module: string) => gerrits.get(module) ?? null };
  return { activity: records.flatMap((f) => activityRecord(f, ctx) ?? []) };
}
