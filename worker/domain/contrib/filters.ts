// What a `/api/1.0` query selects (reference §5.1): releases (default: the current one), a day
// range, the (module, release) pairs its project type and module expand to, companies, people and
// the metric. An unknown value is an error naming the parameter, never a silent empty answer.
import { type StatsQuery, parseApiDay } from "../../../schemas/contrib/stats";
import { INDEPENDENT, ROBOTS, resolveCompanyName } from "./companies";
import type { Engine } from "./engine";
import { DEFAULT_METRIC, type Metric, metricById } from "./metrics";
import { expandModules, expandProjectType } from "./modules";

export interface StatsFilter {
  metric: Metric;
  /** null: every release. */
  releases: string[] | null;
  /** Inclusive day numbers (days since the epoch). */
  days: { from: number; to: number } | null;
  /** null: every module; else each module with the releases it is selected in. */
  modules: Map<string, Set<string>> | null;
  /**
   * The same as a condition: null, the modules (when each is selected in every release the query
   * covers, the usual case), or (module, release) pairs (a group's membership varies by release).
   */
  moduleScope: null | { modules: string[] } | { pairs: [string, string][] };
  companies: string[] | null;
  users: string[] | null;
}

export interface FilterError {
  status: 404;
  parameter: string;
  value: string;
  message: string;
}

const notFound = (parameter: string, value: string, what: string): FilterError => ({
  status: 404,
  parameter,
  value,
  message: `no ${what} "${value}" (parameter ${parameter})`,
});

/** The release in progress at `nowSeconds`: the first that has not ended, else the last. */
export function currentRelease(engine: Engine, nowSeconds: number): string | null {
  return (engine.releases.find((r) => r.end_date > nowSeconds) ?? engine.releases.at(-1))?.release_name ?? null;
}

/** The project type a query without one means: the config's first. */
export const defaultProjectType = (engine: Engine) => engine.projectTypes.find((t) => !t.child)?.id ?? engine.projectTypes[0]?.id ?? null;

// Per compiled config: the company names by lower case (a `company` parameter is looked up in it).
const knownCompaniesCache = new WeakMap<Engine, ReadonlyMap<string, string>>();

/**
 * Every company name a record can carry, by its lower case: the config's companies, the names its
 * users' histories use, and the two pseudo-companies. Made once per compiled config. The
 * histories' names are resolved as the engine's users have them (normalizeAffiliations), without
 * making the users: a read answer needs nothing else of them.
 */
export function knownCompanies(engine: Engine): ReadonlyMap<string, string> {
  let known = knownCompaniesCache.get(engine);
  if (!known) {
    const names = new Set<string>([INDEPENDENT, ROBOTS, ...engine.companies.byName.values()]);
    for (const user of engine.config.users) for (const c of user.companies) names.add(resolveCompanyName(engine.companies, c.company_name));
    known = new Map([...names].map((n) => [n.toLowerCase(), n]));
    knownCompaniesCache.set(engine, known);
  }
  return known;
}

/** Every module or group id a `module` parameter may name. */
function knownModules(engine: Engine): Set<string> {
  const ids = new Set<string>();
  for (const [id, group] of engine.moduleGroups) {
    ids.add(id.toLowerCase());
    for (const m of group.modules) ids.add(m.toLowerCase());
  }
  return ids;
}

function intersect(a: Map<string, Set<string>>, b: Map<string, Set<string>>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [module, releases] of a) {
    const other = b.get(module);
    if (!other) continue;
    const both = new Set([...releases].filter((r) => other.has(r)));
    if (both.size > 0) out.set(module, both);
  }
  return out;
}

export interface FilterOptions {
  /** Parameters the endpoint ignores (Stackalytics' `/companies` ignores `company`, …). */
  ignore?: readonly (keyof StatsQuery)[];
  /** The release when the query names none (Stackalytics' default: the current one). */
  defaultRelease?: "current" | "all";
  /** Without a project type in the query: the config's first (the default), or none (a report of one module). */
  defaultProjectType?: "first" | "none";
}

export function resolveFilter(engine: Engine, query: StatsQuery, nowSeconds: number, options: FilterOptions = {}): StatsFilter | FilterError {
  const ignored = new Set(options.ignore ?? []);
  const given = <K extends keyof StatsQuery>(k: K) => (ignored.has(k) ? undefined : query[k]);

  const metricId = given("metric") ?? DEFAULT_METRIC;
  const metric = metricById(metricId);
  if (!metric) return notFound("metric", metricId, "metric");

  const releaseNames = new Set(engine.releases.map((r) => r.release_name));
  const asked = given("release")?.map((r) => r.toLowerCase()) ?? [options.defaultRelease === "all" ? "all" : (currentRelease(engine, nowSeconds) ?? "all")];
  for (const r of asked) if (r !== "all" && !releaseNames.has(r)) return notFound("release", r, "release");
  const releases = asked.includes("all") ? null : asked;
  const expandOver = releases ?? [...releaseNames];

  const fallback = options.defaultProjectType === "none" ? null : defaultProjectType(engine);
  const types = given("project_type") ?? (fallback ? [fallback] : []);
  const byTypes = projectTypesModules(engine, types, expandOver);
  if (typeof byTypes === "string") return notFound("project_type", byTypes, "project type");
  let modules = byTypes.modules;
  let moduleScope = byTypes.scope;
  const moduleIds = given("module");
  if (moduleIds) {
    const known = knownModules(engine);
    for (const id of moduleIds) if (!known.has(id.toLowerCase())) return notFound("module", id, "module");
    const expanded = expandModules(engine.moduleGroups, moduleIds.map((m) => m.toLowerCase()), expandOver);
    modules = modules ? intersect(modules, expanded) : expanded;
    moduleScope = scopeOf(modules, expandOver.length);
  }

  const companyNames = given("company");
  let companies: string[] | null = null;
  if (companyNames) {
    const known = knownCompanies(engine);
    companies = [];
    for (const c of companyNames) {
      const name = known.get(c.toLowerCase());
      if (!name) return notFound("company", c, "company");
      companies.push(name);
    }
  }

  const start = given("start_date");
  const end = given("end_date");
  const days = start !== undefined || end !== undefined ? { from: start ? parseApiDay(start)! : 0, to: end ? parseApiDay(end)! : Number.MAX_SAFE_INTEGER } : null;

  return { metric, releases, days, modules, moduleScope, companies, users: given("user_id") ?? null };
}

type TypesModules = { modules: Map<string, Set<string>> | null; scope: StatsFilter["moduleScope"] };

// Per compiled config: what project types select over some releases. Every answer asks it, and
// `all` visits every group of every release; the maps are read, never changed, by the queries.
const typesModulesCache = new WeakMap<Engine, Map<string, TypesModules>>();
const TYPES_MODULES_KEPT = 64;

/** The modules (with their releases) of some project types, or the first unknown type's id. */
function projectTypesModules(engine: Engine, types: readonly string[], releases: readonly string[]): TypesModules | string {
  const key = JSON.stringify([types, releases]);
  let cache = typesModulesCache.get(engine);
  const kept = cache?.get(key);
  if (kept) return kept;
  let modules: Map<string, Set<string>> | null = null;
  for (const id of types) {
    const expanded = expandProjectType(engine.projectTypes, engine.moduleGroups, id, releases);
    if (!expanded) return id;
    if (!modules) modules = expanded;
    else for (const [module, rs] of expanded) modules.set(module, new Set([...(modules.get(module) ?? []), ...rs]));
  }
  const found = { modules, scope: scopeOf(modules, releases.length) };
  if (!cache) typesModulesCache.set(engine, (cache = new Map()));
  if (cache.size >= TYPES_MODULES_KEPT) cache.delete(cache.keys().next().value!);
  cache.set(key, found);
  return found;
}

function scopeOf(modules: Map<string, Set<string>> | null, releases: number): StatsFilter["moduleScope"] {
  if (!modules) return null;
  if ([...modules.values()].every((r) => r.size === releases)) return { modules: [...modules.keys()] };
  return { pairs: [...modules].flatMap(([m, rs]) => [...rs].map((r) => [m, r] as [string, string])) };
}

export const isFilterError = (f: StatsFilter | FilterError): f is FilterError => "status" in f;
