// `/api/1.0/activity`: a page of the filtered records, newest first, as the dashboard's activity
// log shows them; and the same for records found otherwise (a blueprint's mentions, a permalink).
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
  return { activity: await describeRecords(db, engine, rows.map((r) => JSON.parse(r.fields) as Record<string, unknown>)) };
}

/**
 * Stored records (their `fields`) as the activity log shows them, in the same order. A mark or
 * patch set whose review (or patch set) is not stored is left out, or with `keepOrphans` shown
 * without its `parent_*` (`patch_*`) fields.
 */
export async function describeRecords(db: D1Database, engine: Engine, records: Record<string, unknown>[], keepOrphans = false) {
  const parentKeys = records.flatMap((f) =>
    f.record_type === "mark" ? [String(f.review_id), `${f.review_id}:${f.patch}`] : f.record_type === "patch" ? [String(f.review_id)] : [],
  );
  const parents = new Map((await listRecordsByKeys(db, parentKeys)).map((row) => [row.primary_key, JSON.parse(row.fields) as Record<string, unknown>]));
  if (keepOrphans) for (const key of parentKeys) if (!parents.has(key)) parents.set(key, {});
  const gerrits = new Map(engine.config.repos.flatMap((r) => (r.gerrit_uri ? [[r.module.toLowerCase(), gerritBase(r.gerrit_uri)] as const] : [])));
  const ctx = { parents, gerritOf: (module: string) => gerrits.get(module) ?? null };
  return records.flatMap((f) => activityRecord(f, ctx) ?? []);
}
