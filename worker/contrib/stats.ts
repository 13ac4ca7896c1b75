// The answers of Stackalytics' statistics endpoints (reference §3, §5.2), from the daily totals:
// rankings by company, module or person with the marks columns, and the contribution summary.
import type { StatsQuery, StatsRow, UnrankedRow } from "../../schemas/contrib/stats";
import {
  findFirstRead,
  listFieldValuesOf,
  listFieldsOf,
  listModulesPresent,
  listPresent,
  sumMarksAndCountsByUser,
  sumTotalsBy,
  sumTotalsByWeek,
  type TotalsGroup,
  type TotalsRow,
} from "../db/contrib-stats";
import { type ReadVersions, findDataVersion, findProfileByUserId, findReadVersions, listNamesAndCoresByUserIds, listPeopleAndCoresByUserIds, listPeopleByUserIds } from "../db/contrib";
import { dateStr } from "../domain/contrib/activity";
import { companyAt } from "../domain/contrib/affiliation";
import { INDEPENDENT } from "../domain/contrib/companies";
import { EMPTY_ENGINE, type Engine } from "../domain/contrib/engine";
import { type FilterOptions, type StatsFilter, isFilterError, resolveFilter } from "../domain/contrib/filters";
import { type Measures, type Metric, contributionMarks, countedMarks, withMarksColumns, zeroMeasures } from "../domain/contrib/metrics";
import { CORE_WINDOW_SECONDS } from "../domain/contrib/post-process";
import { releaseRange } from "../domain/contrib/releases";
import { DAY_SECONDS, isoDay, weekOf } from "../domain/contrib/time";
import { textOrderOf } from "../domain/text-order";
import { ApiError } from "../http/errors";
import { currentEngine, offerConfigText } from "./sync";

// The modules with records, per isolate, until the data changes; and for each module scope asked
// since (a project type's is the same object every time: filters.ts keeps them), whether it
// selects every one of them.
type PresentModules = { version: number; modules: Set<string>; coversAll: WeakMap<object, boolean> };
let present: PresentModules | null = null;
/** Whether this isolate has answered (readAnswerVersions). */
let firstReadDone = false;

/**
 * The versions an answer starts from (findReadVersions). An isolate's first answer also needs the
 * config and the modules with records, so it reads them in the same round trip (findFirstRead):
 * one wait for D1 before its question instead of two.
 */
export async function readAnswerVersions(db: D1Database): Promise<ReadVersions> {
  if (firstReadDone) return findReadVersions(db);
  const first = await findFirstRead(db);
  firstReadDone = true;
  if (first.versions.defaultData && first.defaultDataText !== null) offerConfigText(first.versions.defaultData.digest, first.defaultDataText);
  if (present?.version !== first.versions.data) keepPresent(first.versions.data, first.modulesPresent);
  return first.versions;
}

function keepPresent(version: number, modules: readonly string[]): PresentModules {
  present = { version, modules: new Set(modules), coversAll: new WeakMap() };
  return present;
}

/** The modules with records at the data version (read again only when it moved). */
async function presentModules(db: D1Database, dataVersion?: number): Promise<PresentModules> {
  const version = dataVersion ?? (await findDataVersion(db));
  return present?.version === version ? present : keepPresent(version, await listModulesPresent(db));
}

/** A module condition that every module with records meets selects nothing less: it is dropped (the queries are cheaper). */
function withoutIdleScope(filter: StatsFilter, known: PresentModules): StatsFilter {
  const scope = filter.moduleScope;
  if (!scope || !("modules" in scope)) return filter;
  let coversAll = known.coversAll.get(scope);
  if (coversAll === undefined) {
    const selected = new Set(scope.modules);
    coversAll = [...known.modules].every((m) => selected.has(m));
    known.coversAll.set(scope, coversAll);
  }
  return coversAll ? { ...filter, moduleScope: null } : filter;
}

/**
 * The engine in force and what the query selects; an unknown value is a 404 naming its parameter.
 * `versions`, when the answer has read them already, spare their queries.
 */
export async function readFilter(
  db: D1Database,
  query: StatsQuery,
  nowSeconds: number,
  options: FilterOptions = {},
  versions?: ReadVersions,
): Promise<{ engine: Engine; filter: StatsFilter }> {
  // The first answer after the config or the data changed reads the config and the modules with
  // records at once, one wait for D1 instead of two in a row (an isolate's first answer has them
  // from readAnswerVersions). The modules are read even for a filter without a module condition,
  // once per data version.
  const [compiled, known] = await Promise.all([currentEngine(db, versions?.defaultData), presentModules(db, versions?.data)]);
  const engine = compiled ?? EMPTY_ENGINE;
  const resolved = resolveFilter(engine, query, nowSeconds, options);
  if (isFilterError(resolved)) throw new ApiError(404, resolved.message, { parameter: resolved.parameter, value: resolved.value });
  const filter = withoutIdleScope(resolved, known);
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
 * Ranked rows: sorted by metric descending (then name), rows of zero dropped (unless `keepZero`),
 * a 1-based index that `*independent` does not take (it shows `""` in its place).
 */
export function rank(rows: UnrankedRow[], keepZero = false): StatsRow[] {
  let index = 0;
  const kept = rows.filter((r) => keepZero || r.metric !== 0);
  const byName = textOrderOf(kept.map((r) => r.name));
  const ranked = kept.sort((a, b) => b.metric - a.metric || byName(a.name, b.name)) as StatsRow[];
  // The rows are the caller's, made for this: numbered in place (a copy of thousands costs more than the query).
  for (const r of ranked) r.index = r.id === INDEPENDENT ? "" : ++index;
  return ranked;
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
  const rows: UnrankedRow[] = totals.map((t: TotalsRow) => {
    const row = { id: t.id!, name: t.id!, metric: metricValue(metric, t) };
    return marks ? withMarksColumns(row, t) : row;
  });
  if (group !== "user_id") return rank(rows);

  const { names, cores } = await listNamesAndCoresByUserIds(db, rows.map((r) => r.id), nowSeconds - CORE_WINDOW_SECONDS);
  for (const r of rows) {
    const profile = names.get(r.id);
    r.name = profile?.user_name ?? r.id;
    r.core = profile ? coreBranch(cores.get(profile.seq) ?? [], filter.modules) : null;
  }
  return rank(rows);
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

/** What `stats/engineers_extended` counts beside the marks. */
const EXTENDED_COUNTED = ["review", "commit", "email", "patch"] as const;

/**
 * `stats/engineers_extended`: per person, whatever the metric, their reviews (the marks metric, with
 * its columns), change requests, commits, emails and patch sets; people with none of them left out.
 */
export async function engineersExtended(db: D1Database, filter: StatsFilter, nowSeconds: number): Promise<StatsRow[]> {
  const totals = await sumMarksAndCountsByUser(db, EXTENDED_COUNTED, filter);
  const { people: profiles, cores } = await listPeopleAndCoresByUserIds(db, totals.map((t) => t.id), nowSeconds - CORE_WINDOW_SECONDS);
  const rows: UnrankedRow[] = [];
  for (const t of totals) {
    const mark = countedMarks(t);
    if (mark + t.review + t.commit + t.email + t.patch === 0) continue;
    const profile = profiles.get(t.id);
    const row = {
      id: t.id,
      name: profile?.user_name ?? t.id,
      company: profile ? companyAt(profile.companies, nowSeconds).company_name : INDEPENDENT,
      core: profile ? coreBranch(cores.get(profile.seq) ?? [], filter.modules) : null,
      mark,
      review: t.review,
      commit: t.commit,
      email: t.email,
      patch: t.patch,
      metric: mark,
    };
    rows.push(withMarksColumns(row, t));
  }
  return rank(rows, true);
}

/** `stats/distinct_engineers`: the people with records of the metric, by user_id. */
export async function distinctEngineers(db: D1Database, filter: StatsFilter) {
  const people = await listPeopleByUserIds(db, await listPresent(db, "user_id", filter.metric.types, filter));
  return Object.fromEntries([...people].map(([id, p]) => [id, { author_name: p.user_name, author_email: p.email }]));
}

/** `04 Mar 2024` */
const shortDate = (seconds: number) => dateStr(seconds).slice(0, 11);

/** `stats/bp`: drafted blueprints by how often commits and emails mention them. */
export async function blueprintStats(db: D1Database, filter: StatsFilter): Promise<StatsRow[]> {
  // Thousands of blueprints share a few hundred days: each day is written once.
  const days = new Map<number, string>();
  const dayOf = (seconds: number) => {
    const day = Math.floor(seconds / DAY_SECONDS);
    let text = days.get(day);
    if (text === undefined) days.set(day, (text = shortDate(day * DAY_SECONDS)));
    return text;
  };
  const rows = (await listFieldValuesOf(db, "bpd", filter, ["id", "lifecycle_status", "mention_date", "mention_count"])).map(([id, status, date, count]) => {
    const [module, name] = String(id ?? "").split(":");
    return {
      id: name ?? String(id),
      name: name ?? String(id),
      status: status ?? null,
      date: Number(date) > 0 ? dayOf(Number(date)) : "never",
      metric: Number(count ?? 0),
      link: `<a href="/report/blueprint/${module}/${name}">${name}</a>`,
    };
  });
  return rank(rows);
}

/** `stats/languages`: words translated per language (the language filter applies here). */
export async function languageStats(db: D1Database, filter: StatsFilter, languages: readonly string[] | null): Promise<StatsRow[]> {
  const words = new Map<string, number>();
  for (const f of await listFieldsOf(db, "tr", filter, ["language", "loc"])) {
    const language = String(f.language ?? "unknown");
    if (languages && !languages.includes(language)) continue;
    words.set(language, (words.get(language) ?? 0) + Number(f.loc ?? 0));
  }
  return rank([...words].map(([language, metric]) => ({ id: language, name: language, metric })));
}

const WEEK_DAYS = 7;
/** `2024-03-03 00:00:00`: the Sunday starting a week. */
const weekStart = (week: number) => `${isoDay((week * WEEK_DAYS + 3) * DAY_SECONDS)} 00:00:00`;

/**
 * `stats/timeline`: the metric per week over the selected releases (or the date range, or the
 * last year), widened to 52 weeks and cut at today; the releases' (or the range's) weeks again as
 * the highlighted series, and lines of code per week.
 */
export async function timeline(db: D1Database, engine: Engine, filter: StatsFilter, nowSeconds: number) {
  const today = Math.floor(nowSeconds / DAY_SECONDS);
  let highlight: { from: number; to: number } | null = filter.days;
  if (filter.releases) {
    const ranges = filter.releases.flatMap((r) => releaseRange(engine.releases, r) ?? []);
    const release = { from: Math.min(...ranges.map((r) => Math.floor(r.start / DAY_SECONDS))), to: Math.max(...ranges.map((r) => Math.ceil(r.end / DAY_SECONDS) - 1)) };
    highlight = filter.days ? { from: Math.max(release.from, filter.days.from), to: Math.min(release.to, filter.days.to) } : release;
  }
  const to = Math.min(highlight?.to ?? today, today);
  const from = Math.min(highlight?.from ?? to, to - 52 * WEEK_DAYS + 1);
  const window = { ...filter, releases: null, days: { from, to } };
  const { metric } = filter;
  const [metricWeeks, commitWeeks] = await sumTotalsByWeek(
    db,
    [
      { types: metric.types, personDays: metric.value === "person-day" },
      { types: ["commit"], personDays: false },
    ],
    window,
  );
  const values = new Map(metricWeeks!.map((r) => [r.week, metricValue(metric, r)]));
  const loc = new Map(commitWeeks!.map((r) => [r.week, r.loc]));
  const weeks: number[] = [];
  for (let w = weekOf(from * DAY_SECONDS); w <= weekOf(to * DAY_SECONDS); w++) weeks.push(w);
  const inHighlight = (w: number) => !highlight || (w >= weekOf(highlight.from * DAY_SECONDS) && w <= weekOf(highlight.to * DAY_SECONDS));
  return {
    timeline: [
      weeks.map((w) => [weekStart(w), values.get(w) ?? 0]),
      weeks.map((w) => [weekStart(w), inHighlight(w) ? (values.get(w) ?? 0) : 0]),
      weeks.map((w) => [weekStart(w), loc.get(w) ?? 0]),
    ],
  };
}
