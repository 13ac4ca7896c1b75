// Module groups and project types: which (module, release) pairs a filter selects.
import type { ConfigModuleGroup, ConfigProjectSource, ConfigProjectType, ConfigRepo } from "../../../schemas/contrib/default-data";

export type ModuleGroupTag = "module" | "group" | "organization" | "program";

export interface ModuleGroup {
  id: string;
  module_group_name: string;
  tag: ModuleGroupTag;
  modules: string[];
  /** Membership that depends on the release (official projects per governance); wins over `modules`. */
  releases?: Record<string, string[]>;
}

export const UNKNOWN_MODULE = "unknown";

/**
 * The groups the config defines or implies: one per repo (tag module), the custom groups (tag
 * group), one per project source organization (tag organization) over the repos of that
 * organization, and `unknown` for records no module could be found for. Groups the processor
 * derives from governance files are added to these, with per-release membership.
 */
export function buildModuleGroups(config: {
  repos: readonly ConfigRepo[];
  module_groups?: readonly ConfigModuleGroup[];
  project_sources?: readonly ConfigProjectSource[];
}): Map<string, ModuleGroup> {
  const groups = new Map<string, ModuleGroup>();
  const put = (group: ModuleGroup) => {
    if (!groups.has(group.id)) groups.set(group.id, group);
  };
  for (const repo of config.repos) {
    const module = repo.module.toLowerCase();
    put({ id: module, module_group_name: module, tag: "module", modules: [module] });
  }
  for (const group of config.module_groups ?? []) {
    put({ id: group.module_group_name, module_group_name: group.module_group_name, tag: "group", modules: group.modules.map((m) => m.toLowerCase()) });
  }
  for (const source of config.project_sources ?? []) {
    const modules = config.repos.filter((r) => r.organization === source.organization).map((r) => r.module.toLowerCase());
    const id = source.module_group_id ?? source.organization;
    put({ id, module_group_name: source.module_group_name ?? source.organization, tag: "organization", modules });
  }
  put({ id: UNKNOWN_MODULE, module_group_name: UNKNOWN_MODULE, tag: "module", modules: [UNKNOWN_MODULE] });
  return groups;
}

/** Old module name → current one (a repo's `aliases`: sahara ← savanna). */
export function buildModuleAliases(repos: readonly ConfigRepo[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const repo of repos) for (const alias of repo.aliases ?? []) aliases.set(alias.toLowerCase(), repo.module.toLowerCase());
  return aliases;
}

export const canonicalModule = (aliases: ReadonlyMap<string, string>, module: string) => {
  const lower = module.toLowerCase();
  return aliases.get(lower) ?? lower;
};

/**
 * The (module → releases) a set of group or module ids selects within `releases`. A group with
 * per-release membership gives a module only for the releases it belongs to in; an id that is no
 * group is taken as a module of its own. Groups may name groups; cycles are cut. A group whose
 * membership is the same in every release is walked once for all of them, not once per release:
 * `all` over a dozen releases was otherwise a dozen walks of every group, most of a first answer's
 * filter (4 ms of 5, bench:contrib-api's config in Node).
 */
export function expandModules(
  groups: ReadonlyMap<string, ModuleGroup>,
  ids: readonly string[],
  releases: readonly string[],
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (module: string, within: readonly string[]) => {
    const set = out.get(module);
    if (!set) out.set(module, new Set(within));
    else for (const r of within) set.add(r);
  };
  const visit = (id: string, within: readonly string[], path: Set<string>) => {
    const group = groups.get(id);
    if (!group) {
      add(id.toLowerCase(), within);
      return;
    }
    if (path.has(id)) return;
    path.add(id);
    if (group.releases) {
      for (const r of within) for (const member of group.releases[r] ?? []) step(id, member, [r], path);
    } else {
      for (const member of group.modules) step(id, member, within, path);
    }
    path.delete(id);
  };
  const step = (id: string, member: string, within: readonly string[], path: Set<string>) => {
    if (member === id) add(member, within);
    else visit(member, within, path);
  };
  for (const id of ids) visit(id, releases, new Set());
  return out;
}

export interface ProjectTypeNode {
  id: string;
  title: string;
  modules: string[];
  child: boolean;
  /** The nearest preceding top-level entry, for a child. */
  parent: string | null;
}

/** Project types in file order, each child tied to the nearest top-level entry before it. */
export function buildProjectTypes(types: readonly ConfigProjectType[]): ProjectTypeNode[] {
  let parent: string | null = null;
  return types.map((t) => {
    const child = t.child === true;
    if (!child) parent = t.id;
    return { id: t.id, title: t.title, modules: [...t.modules], child, parent: child ? parent : null };
  });
}

/** The (module → releases) of a project type, or null if there is no such type. */
export function expandProjectType(
  types: readonly ProjectTypeNode[],
  groups: ReadonlyMap<string, ModuleGroup>,
  id: string,
  releases: readonly string[],
): Map<string, Set<string>> | null {
  const type = types.find((t) => t.id === id);
  return type ? expandModules(groups, type.modules, releases) : null;
}
