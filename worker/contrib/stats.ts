// The answers of Stackalytics' statistics endpoints (reference §3, §5.2), from the daily totals:
// rankings by company, module or person with the marks columns, and the contribution summary.
import type { StatsQuery, StatsRow, UnrankedRow } from "../../schemas/contrib/stats";
import { sumTotalsBy, type TotalsGroup, type TotalsRow } from "../db/contrib-stats";
import { findProfileByUserId, listCoresOf, listProfilesByUserIds } from "../db/contrib";
import { INDEPENDENT } from "../domain/contrib/companies";
import { EMPTY_ENGINE, type Engine } from "../domain/contrib/engine";
import { type FilterOptions, type StatsFilter, isFilterError, resolveFilter } from "../domain/contrib/filters";
import { type Measures, type Metric, contributionMarks, countedMarks, marksColumns, zeroMeasures } from "../domain/contrib/metrics";
import { CORE_WINDOW_SECONDS } from "../domain/contrib/post-process";
import { ApiError } from "../http/errors";
import { currentEngine } from "./sync";

/** The engine in force and what the query selects; an unknown value is a 404 naming its parameter. */
export async function readFilter(db: D1Database, query: StatsQuery, nowSeconds: number, options: FilterOptions = {}): Promise<{ engine: Engine; filter: StatsFilter }> {
  const engine = (await currentEngine(db)) ?? EMPTY_ENGINE;
  const filter = resolveFilter(engine, query, nowSeconds, options);
  if (isFilterError(filter)) throw new ApiError(404, filter.message, { parameter: filter.parameter, value: filter.value });
  for (const userId of filter.users ?? []) {
    if (!(await findProfileByUserId(db, userId))) throw new ApiError(404, `no user "${userId}" (parameter user_id)`, { parameter: "user_id", value: userId });
  }
  return { engine, filter };
}

/** A metric's value of a totals row. */
export function metricValue(metric: Metric, row: Measures & { person_days: number }): number {
  switch (metric.value) {
    case "records":
      return row.records;
    case "loc":
      return row.loc;
    case "marks":
      return countedMarks(row);
    case "person-day":
      return row.person_days;
  }
}

/**
 * Ranked rows: sorted by metric descending (then name), rows of zero dropped, a 1-based index that
 * `*independent` does not take (it shows `""` in its place).
 */
export function rank(rows: UnrankedRow[]): StatsRow[] {
  let index = 0;
  return rows
    .filter((r) => r.metric !== 0)
    .sort((a, b) => b.metric - a.metric || a.name.localeCompare(b.name))
    .map((r) => ({ ...r, index: r.id === INDEPENDENT ? "" : ++index }));
}

/** The branch a person is core in among the selected modules: master (✻) first, else a stable branch (✬). */
export function coreBranch(cores: readonly [string, string][], modules: ReadonlyMap<string, unknown> | null): string | null {
  const inScope = cores.filter(([module]) => !modules || modules.has(module));
  if (inScope.some(([, branch]) => branch === "master")) return "master";
  return inScope[0]?.[1] ?? null;
}

/** `stats/companies`, `stats/modules`, `stats/engineers`: the metric per company, module or person. */
export async function statsBy(db: D1Database, group: TotalsGroup, filter: StatsFilter, nowSeconds: number): Promise<StatsRow[]> {
  const { metric } = filter;
  const totals = await sumTotalsBy(db, group, metric.types, filter, { personDays: metric.value === "person-day" });
  const marks = metric.value === "marks";
  const rows = totals.map((t: TotalsRow) => ({ id: t.id!, name: t.id!, metric: metricValue(metric, t), ...(marks ? marksColumns(t) : {}) }));
  if (group !== "user_id") return rank(rows);

  const profiles = await listProfilesByUserIds(db, rows.map((r) => r.id));
  const cores = await listCoresOf(db, [...profiles.values()].map((p) => p.seq), nowSeconds - CORE_WINDOW_SECONDS);
  return rank(
    rows.map((r) => {
      const profile = profiles.get(r.id);
      return { ...r, name: profile?.user_name ?? r.id, core: profile ? coreBranch(cores.get(profile.seq) ?? [], filter.modules) : null };
    }),
  );
}

export const CONTRIBUTION_TYPES = ["commit", "mark", "email", "bpd", "bpc", "bugf", "bugr", "patch", "review", "tr"] as const;

/** `/contribution`: what the filtered records add up to, whatever the metric. */
export async function contributionOf(db: D1Database, filter: StatsFilter) {
  const byType = new Map((await sumTotalsBy(db, null, CONTRIBUTION_TYPES, filter, { byType: true })).map((r) => [r.record_type!, r]));
  const records = (type: string) => byType.get(type)?.records ?? 0;
  const marks = byType.get("mark");
  return {
    commit_count: records("commit"),
    loc: byType.get("commit")?.loc ?? 0,
    marks: contributionMarks(marks ?? zeroMeasures()),
    email_count: records("email"),
    drafted_blueprint_count: records("bpd"),
    completed_blueprint_count: records("bpc"),
    filed_bug_count: records("bugf"),
    resolved_bug_count: records("bugr"),
    patch_set_count: records("patch"),
    change_request_count: records("review"),
    abandoned_change_requests_count: byType.get("review")?.abandoned ?? 0,
    translations: byType.get("tr")?.loc ?? 0,
  };
}
