// The lists behind the dashboard's selectors (reference §5.2): releases, metrics, project types,
// and the companies, modules and people present in the filtered records.
import { listFieldsOf, listPresent } from "../db/contrib-stats";
import { listCoresOf, listProfilesByUserIds, listProfilesThatMoved } from "../db/contrib";
import { companyAt } from "../domain/contrib/affiliation";
import type { Engine } from "../domain/contrib/engine";
import { type StatsFilter, currentRelease, defaultProjectType, knownCompanies } from "../domain/contrib/filters";
import { DEFAULT_METRIC, METRICS } from "../domain/contrib/metrics";
import type { ModuleGroup } from "../domain/contrib/modules";
import { CORE_WINDOW_SECONDS } from "../domain/contrib/post-process";
import { DAY_SECONDS } from "../domain/contrib/time";
import { compareText } from "../domain/text-order";

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const byText = <T extends { text: string }>(a: T, b: T) => compareText(a.text, b.text);

/** Releases newest first after `all`; the first one (`prehistory`, before the project began) is not offered. */
export function releasesList(engine: Engine, nowSeconds: number) {
  const releases = engine.releases.slice(1).reverse();
  return {
    data: [
      { id: "all", text: "All" },
      ...releases.map((r) => ({ id: r.release_name, text: capitalize(r.release_name), ...(r.project ? { project: r.project } : {}) })),
    ],
    default: currentRelease(engine, nowSeconds) ?? "all",
  };
}

export const metricsList = () => ({
  data: METRICS.filter((m) => !m.hidden)
    .map((m) => ({ id: m.id, text: m.text }))
    .sort(byText),
  default: DEFAULT_METRIC,
});

export const projectTypesList = (engine: Engine) => ({
  data: engine.projectTypes.map((t) => ({ id: t.id, text: t.title, child: t.child })),
  default: defaultProjectType(engine),
});

/** Stackalytics' company id: lower case, without `&`. */
export const companyId = (name: string) => name.toLowerCase().replaceAll("&", "");

export async function companiesList(db: D1Database, filter: StatsFilter, selected: readonly string[]) {
  const present = new Set([...(await listPresent(db, "company_name", filter.metric.types, filter)), ...selected]);
  return { data: [...present].map((name) => ({ id: companyId(name), text: name })).sort(byText) };
}

/** A company by any spelling of its name (case-insensitive), or null. */
export function findCompany(engine: Engine, name: string) {
  const text = knownCompanies(engine).get(name.toLowerCase());
  return text ? { company: { id: name, text } } : null;
}

/** Modules in the filtered records and every group that holds one of them, optionally only of some tags. */
export async function modulesList(db: D1Database, engine: Engine, filter: StatsFilter, tags: readonly string[] | null) {
  const present = new Set(await listPresent(db, "module", filter.metric.types, filter));
  const groups = [...engine.moduleGroups.values()].filter((g) => (g.tag === "module" ? present.has(g.id) : g.modules.some((m) => present.has(m))));
  return {
    data: groups
      .filter((g) => !tags || tags.includes(g.tag))
      .map((g) => ({ id: g.id, text: g.module_group_name, tag: g.tag }))
      .sort(byText),
  };
}

/** A module or group with its members, each `visible` when the query's project type and release select it. */
export function moduleDetail(engine: Engine, filter: StatsFilter, id: string) {
  const group: ModuleGroup | undefined = engine.moduleGroups.get(id.toLowerCase()) ?? engine.moduleGroups.get(id);
  if (!group) return null;
  const repos = new Map(engine.config.repos.map((r) => [r.module.toLowerCase(), r.uri]));
  const members = group.tag === "module" ? [group.id] : [...new Set([...group.modules, ...Object.values(group.releases ?? {}).flat()])];
  return {
    module: {
      id: group.id,
      name: capitalize(group.module_group_name),
      tag: group.tag,
      modules: members.sort().map((m) => ({
        module_name: m,
        visible: !filter.modules || filter.modules.has(m),
        ...(repos.has(m) ? { repo_uri: repos.get(m)! } : {}),
      })),
    },
  };
}

/** People in the filtered records (their names, current companies), only the core reviewers of some branches with `core_in`. */
export async function usersList(db: D1Database, filter: StatsFilter, coreIn: readonly string[] | null, nowSeconds: number) {
  const ids = await listPresent(db, "user_id", filter.metric.types, filter);
  const profiles = await listProfilesByUserIds(db, ids);
  const cores = coreIn ? await listCoresOf(db, [...profiles.values()].map((p) => p.seq), nowSeconds - CORE_WINDOW_SECONDS) : null;
  const data = [];
  for (const id of ids) {
    const profile = profiles.get(id);
    if (!profile) continue;
    const core = cores?.get(profile.seq)?.filter(([module, branch]) => coreIn!.includes(branch) && (!filter.modules || filter.modules.has(module)));
    if (cores && !core?.length) continue;
    data.push({
      id,
      text: profile.user_name,
      company_name: companyAt(profile.companies, nowSeconds).company_name,
      ...(core ? { core: [...new Set(core.map(([module]) => module))] } : {}),
    });
  }
  return { data: data.sort(byText) };
}

/** Languages of the translations under the filter. */
export async function languagesList(db: D1Database, filter: StatsFilter) {
  const languages = new Set((await listFieldsOf(db, "tr", filter, ["language"])).map((f) => String(f.language ?? "unknown")));
  return { data: [...languages].sort().map((l) => ({ id: l, text: l })) };
}

/**
 * People who moved from one company to the next within [from, to] (days): the end of each entry of
 * their history but the open one. Stackalytics' version crashed on Python 3 (§7).
 */
export async function affiliationChanges(db: D1Database, range: { from: number; to: number }) {
  const changes: { user_id: string; user_name: string; old_company_name: string; new_company_name: string; date: number }[] = [];
  for (const p of await listProfilesThatMoved(db)) {
    p.companies.forEach((c, i) => {
      const next = p.companies[i + 1];
      const day = Math.floor(c.end_date / DAY_SECONDS);
      if (!next || c.end_date === 0 || day < range.from || day > range.to) return;
      changes.push({ user_id: p.user_id, user_name: p.user_name, old_company_name: c.company_name, new_company_name: next.company_name, date: c.end_date });
    });
  }
  return { affiliation_changes: changes.sort((a, b) => a.date - b.date || compareText(a.user_id, b.user_id)) };
}
