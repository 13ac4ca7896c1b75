// Query functions for the `/api/1.0` statistics: sums of the totals (release_totals, or
// daily_totals when dates are asked) under a filter, grouped by company, module, person, release or
// nothing. Conditions are added only when the filter has them, so that SQLite can use the indexes
// of the common queries.
import { BUCKET_COLUMN, type Measure, MEASURES, type Measures, measuresAt } from "../domain/contrib/metrics";
import type { StatsFilter } from "../domain/contrib/filters";
import { ALL_RELEASES, READ_VERSIONS_QUERY, type ReadVersions, type ReadVersionsRow, toReadVersions } from "./contrib";
import { listJsonRows } from "./json-rows";

export type TotalsGroup = "company_name" | "module" | "user_id" | "release";

/** The filter's part that a totals query reads (its metric picks the record types). */
export type TotalsFilter = Pick<StatsFilter, "releases" | "days" | "moduleScope" | "companies" | "users">;

/**
 * The WHERE clause of a filter over daily_totals or records (they have the same columns), or over
 * one level of release_totals, with its parameters.
 */
export function where(
  types: readonly string[] | null,
  f: TotalsFilter,
  level?: Level,
  options: { byDate?: boolean; perRelease?: boolean } = {},
): { sql: string; binds: unknown[] } {
  // Paging records newest first wants a (…, date) index: the type and module must not pick another.
  const [type, module] = options.byDate ? ["+record_type", "+module"] : ["record_type", "module"];
  const binds: unknown[] = [];
  const param = (value: unknown) => {
    binds.push(value);
    return `?${binds.length}`;
  };
  // One value is an equality, which SQLite can read an index in order by (`/activity`, newest first).
  const among = (column: string, values: readonly unknown[]) =>
    values.length === 1 ? `${column} = ${param(values[0])}` : `${column} IN (SELECT value FROM json_each(${param(JSON.stringify(values))}))`;
  const parts = level === undefined ? [] : [`level = ${param(level)}`];
  if (types) parts.push(among(type, types));
  if (f.releases) parts.push(among("release", f.releases));
  // Every release: levels 1 to 4 have their sums over releases (release `*`), unless the releases
  // are asked one by one (a grouping by release, or a project type's per-release modules).
  else if (level !== undefined && level > 0 && !(f.moduleScope && "pairs" in f.moduleScope)) {
    parts.push(options.perRelease ? `release <> ${param(ALL_RELEASES)}` : `release = ${param(ALL_RELEASES)}`);
  }
  if (f.days) parts.push(`day BETWEEN ${param(f.days.from)} AND ${param(f.days.to)}`);
  if (f.moduleScope && "modules" in f.moduleScope) parts.push(among(module, f.moduleScope.modules));
  if (f.moduleScope && "pairs" in f.moduleScope) {
    parts.push(`(${module}, release) IN (SELECT j.value ->> 0, j.value ->> 1 FROM json_each(${param(JSON.stringify(f.moduleScope.pairs))}) AS j)`);
  }
  if (f.companies) parts.push(among("company_name", f.companies));
  if (f.users) parts.push(among("user_id", f.users));
  // The dashboard ignores robots' records but their patch sets and reviews (Stackalytics' rule).
  parts.push("NOT (company_name = '*robots' AND record_type NOT IN ('patch', 'review'))");
  return { sql: parts.join(" AND "), binds };
}

export type TotalsRow = { id: string | null; record_type?: string; person_days: number } & Measures;

const SUMS = MEASURES.map((m: Measure) => `sum(${m}) AS ${m}`).join(", ");

/** Distinct (person, day) pairs of daily_totals rows; robots' days are no one's effort. */
const PERSON_DAYS = "count(DISTINCT CASE WHEN company_name <> '*robots' THEN day || ':' || user_id END)";

/**
 * The levels of release_totals (worker/db/contrib-schema.ts): by (module, company, person), by
 * (company, person) across modules, by company, by module, and the whole release; levels 1 to 4
 * also for every release at once (release `*`).
 */
type Level = 0 | 1 | 2 | 3 | 4;

/** The coarsest level that has what a question groups and filters by. */
function levelFor(group: TotalsGroup | null, f: TotalsFilter): Level {
  const module = group === "module" || f.moduleScope !== null;
  const company = group === "company_name" || f.companies !== null;
  const person = group === "user_id" || f.users !== null;
  if (module) return company || person ? 0 : 3;
  if (person) return 1;
  return company ? 2 : 4;
}

/**
 * The measures of the totals under a filter, per group (one row with id null without a group),
 * optionally per record type too; `personDays` counts distinct (person, day) pairs per group.
 * Without dates release_totals answers, at the coarsest level that serves; its person-days hold
 * for a person across modules, a company, a module, or a module's people, so only a question by
 * company or person within some modules needs the daily rows.
 */
export async function sumTotalsBy(
  db: D1Database,
  group: TotalsGroup | null,
  types: readonly string[],
  filter: TotalsFilter,
  options: { byType?: boolean; personDays?: boolean } = {},
): Promise<TotalsRow[]> {
  const id = group ?? "NULL";
  const keys = [group, options.byType ? "record_type" : null].filter(Boolean);
  const grouped = keys.length ? ` GROUP BY ${keys.join(", ")}` : "";
  // release_totals is read in its stored order (level, type, release, company, …), where a query's
  // rows are one range: grouping by expressions keeps SQLite from taking the key index instead, to
  // have the rows come grouped (by module, say) at the price of a lookup each.
  const groupedStored = keys.length ? ` GROUP BY ${keys.map((k) => `+${k}`).join(", ")}` : "";
  const select = `SELECT ${id} AS id${options.byType ? ", record_type" : ""}, ${SUMS}`;
  // Rows as arrays (listJsonRows), made into objects here: id, [record_type], the measures, person_days.
  const at = options.byType ? 2 : 1;
  const columns = ["id", ...(options.byType ? ["record_type"] : []), ...MEASURES, "person_days"];
  const run = async (sql: string, binds: unknown[]) =>
    (await listJsonRows(db, sql, binds, columns)).map((cells) => {
      const row = measuresAt(cells, at) as TotalsRow;
      row.id = cells[0] as string | null;
      if (options.byType) row.record_type = cells[1] as string;
      row.person_days = cells[at + MEASURES.length] as number;
      return row;
    });
  const level = levelFor(group, filter);
  const perRelease = group === "release";

  if (!filter.days && !options.personDays) {
    const w = where(types, filter, level, { perRelease });
    return run(`${select}, 0 AS person_days FROM release_totals WHERE ${w.sql}${groupedStored}`, w.binds);
  }
  if (!filter.days && !options.byType && (level === 1 || level === 2 || level === 3 || (level === 0 && group === "module"))) {
    const w = where(["pd"], filter, level, { perRelease });
    return run(`${select}, sum(days) AS person_days FROM release_totals WHERE ${w.sql}${groupedStored}`, w.binds);
  }
  const w = where(types, filter);
  const personDays = options.personDays ? PERSON_DAYS : "0";
  return run(`${select}, ${personDays} AS person_days FROM daily_totals WHERE ${w.sql}${grouped}`, w.binds);
}

const MARK_MEASURES: readonly Measure[] = [...Object.values(BUCKET_COLUMN), "disagreements"];

/** SQLite's BINARY order of two texts: their UTF-8 bytes', that is their code points' (UTF-16 units differ past U+FFFF). */
function compareBinary(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    return xSurrogate === ySurrogate ? x - y : xSurrogate ? 1 : -1;
  }
  return a.length - b.length;
}

/**
 * Per person: the measures of their marks, and how many records of each of `counted` types they
 * have (`stats/engineers_extended`), as one row each: the types side by side, not a row per type.
 * Two queries at once: the marks columns summed over the mark rows (only marks have them:
 * measuresOf), the counts over the rows of their types, merged here in the order of user_id as
 * SQLite groups it. One query that summed every column over every row cost a third more.
 */
export async function sumMarksAndCountsByUser<T extends string>(
  db: D1Database,
  counted: readonly T[],
  filter: TotalsFilter,
): Promise<(Measures & { id: string } & Record<T, number>)[]> {
  const table = filter.days ? "daily_totals" : "release_totals";
  const level = filter.days ? undefined : levelFor("user_id", filter);
  const mw = where(["mark"], filter, level);
  const cw = where(counted, filter, level);
  // The types are the caller's constants, not the query's: their names are columns and literals.
  const counts = counted.map((t) => `sum(iif(record_type = '${t}', records, 0)) AS "${t}"`);
  const [marks, tallies] = await Promise.all([
    listJsonRows(db, `SELECT user_id AS id, ${MARK_MEASURES.map((m) => `sum(${m}) AS ${m}`).join(", ")} FROM ${table} WHERE ${mw.sql} GROUP BY +user_id`, mw.binds, ["id", ...MARK_MEASURES]),
    listJsonRows(db, `SELECT user_id AS id, ${counts.join(", ")} FROM ${table} WHERE ${cw.sql} GROUP BY +user_id`, cw.binds, ["id", ...counted.map((t) => `"${t}"`)]),
  ]);
  // Rows made into objects here: id, the measures, the counts.
  const out: (Measures & { id: string } & Record<T, number>)[] = [];
  let i = 0;
  let j = 0;
  while (i < marks.length || j < tallies.length) {
    const m = marks[i];
    const t = tallies[j];
    const order = !m ? 1 : !t ? -1 : compareBinary(m[0] as string, t[0] as string);
    const row = marksAt(order <= 0 ? m! : null) as Measures & { id: string } & Record<T, number>;
    row.id = (order <= 0 ? m![0] : t![0]) as string;
    counted.forEach((type, k) => {
      (row as Record<string, unknown>)[type] = order >= 0 ? t![1 + k] : 0;
    });
    out.push(row);
    if (order <= 0) i++;
    if (order >= 0) j++;
  }
  return out;
}

const NO_MEASURES: readonly number[] = MEASURES.map(() => 0);

/** The measures of a row of MARK_MEASURES' sums after the id (null: no marks), the others 0. */
function marksAt(cells: readonly unknown[] | null): Measures {
  const m = measuresAt(NO_MEASURES, 0);
  if (cells) MARK_MEASURES.forEach((name, k) => (m[name] = cells[1 + k] as number));
  return m;
}

/**
 * Every module with records (release_totals), to tell a filter that selects them all: one seek per
 * module in the modules' index (each the least module after the last), not a scan of its entries
 * (about a hundred per module: one per type and release).
 */
export const MODULES_PRESENT_QUERY = `WITH RECURSIVE present(module) AS (
       SELECT min(module) FROM release_totals INDEXED BY release_totals_modules_idx WHERE level = 3
       UNION ALL
       SELECT (SELECT min(module) FROM release_totals INDEXED BY release_totals_modules_idx WHERE level = 3 AND module > present.module)
       FROM present WHERE present.module IS NOT NULL)
     SELECT module FROM present WHERE module IS NOT NULL`;

/** MODULES_PRESENT_QUERY's modules. Hundreds of rows of one value: as one JSON text (listJsonRows), not a result row each. */
export async function listModulesPresent(db: D1Database): Promise<string[]> {
  const rows = await listJsonRows(db, MODULES_PRESENT_QUERY, [], ["module"]);
  return rows.map((r) => r[0] as string);
}

/** The read versions and what an isolate's first answer needs besides: the config's text and the modules with records. */
export interface FirstRead {
  versions: ReadVersions;
  /** The text of the config in force (`versions.defaultData`), or null before any is loaded. */
  defaultDataText: string | null;
  /** The modules with records at `versions.data`. */
  modulesPresent: string[];
}

/**
 * findReadVersions, the config's text and the modules with records in one batch: one round trip
 * to D1 instead of three in a row (the versions, then the config and the modules), read in one
 * transaction, so they agree with each other.
 */
export async function findFirstRead(db: D1Database): Promise<FirstRead> {
  const [versions, parts, modules] = await db.batch([
    db.prepare(READ_VERSIONS_QUERY),
    db.prepare(
      `SELECT p.text FROM config_parts AS p
       WHERE p.version_id = (SELECT id FROM config_versions WHERE kind = 'default_data' ORDER BY id DESC LIMIT 1)
       ORDER BY p.part`,
    ),
    db.prepare(`SELECT json_group_array(module) AS modules FROM (${MODULES_PRESENT_QUERY})`),
  ]);
  const read = toReadVersions(versions!.results[0] as ReadVersionsRow | undefined);
  const texts = (parts!.results as { text: string }[]).map((r) => r.text);
  return {
    versions: read,
    defaultDataText: read.defaultData === null ? null : texts.join(""),
    modulesPresent: JSON.parse((modules!.results[0] as { modules: string }).modules) as string[],
  };
}

/** Companies, modules or people that have any counted record under a filter (for the selectors). */
export async function listPresent(db: D1Database, group: TotalsGroup, types: readonly string[], filter: TotalsFilter): Promise<string[]> {
  const w = where(types, filter, filter.days ? undefined : levelFor(group, filter), { perRelease: group === "release" });
  const { results } = await db
    .prepare(`SELECT DISTINCT ${filter.days ? group : `+${group}`} AS id FROM ${filter.days ? "daily_totals" : "release_totals"} WHERE ${w.sql}`)
    .bind(...w.binds)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** One page of the records under a filter, newest first, optionally only those whose message contains a text. */
export async function listActivity(
  db: D1Database,
  types: readonly string[] | null,
  filter: TotalsFilter,
  page: { start: number; size: number; messageContains?: string },
): Promise<{ primary_key: string; record_type: string; fields: string }[]> {
  const w = where(types, filter, undefined, { byDate: true });
  const extra = [`release <> 'ignored'`];
  if (page.messageContains) {
    w.binds.push(page.messageContains);
    extra.push(`instr(fields ->> '$.message', ?${w.binds.length}) > 0`);
  }
  w.binds.push(page.size, page.start);
  const { results } = await db
    .prepare(
      `SELECT primary_key, record_type, fields FROM records WHERE ${w.sql} AND ${extra.join(" AND ")}
       ORDER BY date DESC, primary_key DESC LIMIT ?${w.binds.length - 1} OFFSET ?${w.binds.length}`,
    )
    .bind(...w.binds)
    .all<{ primary_key: string; record_type: string; fields: string }>();
  return results;
}

/** The query of listFieldsOf and listFieldValuesOf. */
function fieldsOf(type: string, filter: TotalsFilter, names: readonly string[]): { sql: string; binds: unknown[] } {
  const w = where([type], filter);
  // The names are the caller's constants, not the query's. These types are rare: their own index
  // finds them, where a release's and company's (which SQLite would rather take) reads every kind.
  const columns = names.map((k) => `fields ->> '$.${k}' AS "${k}"`).join(", ");
  return { sql: `SELECT ${columns} FROM records INDEXED BY records_type_module_idx WHERE ${w.sql}`, binds: w.binds };
}

/**
 * Some scalar fields of the records of one type under a filter (blueprints, translations: a few
 * thousand at most), read out of their JSON by the database: the rest of each record stays there.
 */
export async function listFieldsOf<K extends string>(db: D1Database, type: string, filter: TotalsFilter, names: readonly K[]): Promise<Record<K, unknown>[]> {
  const q = fieldsOf(type, filter, names);
  const { results } = await db.prepare(q.sql).bind(...q.binds).all<Record<K, unknown>>();
  return results;
}

/** listFieldsOf's values as arrays in the order of `names` (listJsonRows: no value, let alone object, per field). */
export async function listFieldValuesOf(db: D1Database, type: string, filter: TotalsFilter, names: readonly string[]): Promise<unknown[][]> {
  const q = fieldsOf(type, filter, names);
  return listJsonRows(db, q.sql, q.binds, names.map((k) => `"${k}"`));
}

/** A metric's measures per week under a filter: everyone's from day_totals, else from the daily totals. */
function weekTotals(db: D1Database, types: readonly string[], filter: TotalsFilter, personDays: boolean): D1PreparedStatement {
  if (!filter.moduleScope && !filter.companies && !filter.users) {
    const days = filter.days ? ` AND day BETWEEN ?2 AND ?3` : "";
    const binds = [JSON.stringify(personDays ? ["pd"] : types), ...(filter.days ? [filter.days.from, filter.days.to] : [])];
    return db
      .prepare(
        `SELECT (day - 3) / 7 AS week, ${SUMS}, ${personDays ? "sum(people)" : "0"} AS person_days
         FROM day_totals WHERE record_type IN (SELECT value FROM json_each(?1))${days} GROUP BY week ORDER BY week`,
      )
      .bind(...binds);
  }
  const w = where(types, filter);
  return db
    .prepare(
      `SELECT (day - 3) / 7 AS week, ${SUMS}, ${personDays ? PERSON_DAYS : "0"} AS person_days
       FROM daily_totals WHERE ${w.sql} GROUP BY week ORDER BY week`,
    )
    .bind(...w.binds);
}

/**
 * Metrics' measures per Sunday-based week (week = (day − 3) div 7) under one filter, one list per
 * question (record types, and whether person-days are counted), in one round trip to D1.
 */
export async function sumTotalsByWeek(
  db: D1Database,
  questions: readonly { types: readonly string[]; personDays: boolean }[],
  filter: TotalsFilter,
): Promise<(TotalsRow & { week: number })[][]> {
  const results = await db.batch<TotalsRow & { week: number }>(questions.map((q) => weekTotals(db, q.types, filter, q.personDays)));
  return results.map((r) => r.results);
}
