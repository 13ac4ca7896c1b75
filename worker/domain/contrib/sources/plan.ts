// What the processor follows, from the config in force and the repositories its project sources
// discovered: one source per (kind, repository or project, branch), each with a stable id so that
// its cursor survives config edits that do not change it.
import type { ConfigProjectSource, ConfigRepo, DefaultData } from "../../../../schemas/contrib/default-data";

export type GerritTarget = { base: string; project: string; branch: string; module: string; defaultBranch: string };
/** A repository's commits through its forge's REST API: Gitea (`api` ends in /api/v1) or GitHub. */
export type GitTarget = { forge: "gitea" | "github"; api: string; owner: string; repo: string; branch: string; module: string; release?: string };
export type LaunchpadTarget = { project: string };
/** A mailing list; `modules` are those a message's subject is matched against (every followed repo's, discovered ones too). */
export type MailTarget = { url: string; list: string; modules?: string[] };
export type DiscoveryTarget = {
  organization: string;
  /** The Gerrit's REST base, or null for a GitHub organization. */
  gerrit: string | null;
  gitBase: string | null;
  pattern: string;
  exclude: string[];
  defaultBranch: string | null;
  launchpad: boolean;
};

/** A repo's tag range on its forge: the commits of `from..to` get `release`; `to` is a branch when the range ends at HEAD. */
export type TagRangeTarget = Omit<GitTarget, "branch" | "release"> & { release: string; from: string; to: string; open: boolean };

export type SourceSpec =
  | { id: string; kind: "gerrit"; target: GerritTarget }
  | { id: string; kind: "git"; target: GitTarget }
  | { id: string; kind: "git-tags"; target: TagRangeTarget }
  | { id: string; kind: "launchpad-bugs"; target: LaunchpadTarget }
  | { id: string; kind: "launchpad-blueprints"; target: LaunchpadTarget }
  | { id: string; kind: "pipermail"; target: MailTarget }
  | { id: string; kind: "hyperkitty"; target: MailTarget }
  | { id: string; kind: "projects"; target: DiscoveryTarget };
export type SourceKind = SourceSpec["kind"];

/** A repository a project source found: `name` is `org/repo`; `uri` null when no git host is known for it. */
export interface DiscoveredRepo {
  name: string;
  uri: string | null;
  defaultBranch: string | null;
}

/** A repo as the processor follows it; a discovered one knows its Gerrit project by name. */
export type FollowedRepo = ConfigRepo & { gerrit_project?: string };

/** How often a source is read again once it is up to date. */
export const INTERVAL_SECONDS: Record<SourceKind, number> = {
  gerrit: 3600,
  git: 3600,
  "git-tags": 3600,
  "launchpad-bugs": 3600,
  "launchpad-blueprints": 21_600,
  pipermail: 3600,
  hyperkitty: 3600,
  projects: 86_400,
};

/** Where a config names a Gerrit (`gerrit://host[:ssh port]`, or its web address), its REST base. */
export function gerritBase(uri: string): string {
  const gerrit = /^gerrit:\/\/([^/:]+)(?::\d+)?\/?$/.exec(uri);
  return gerrit ? `https://${gerrit[1]}` : uri.replace(/\/+$/, "");
}

/** The forge API of a repository URI: GitHub for github.com, Gitea (OpenDev's kind) for any other http(s) host. */
export function forgeOf(uri: string): Pick<GitTarget, "forge" | "api" | "owner" | "repo"> | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const parts = url.pathname.replace(/\.git$/, "").split("/").filter(Boolean);
  if (parts.length < 2) return null;
  const repo = parts.at(-1)!;
  const owner = parts.slice(0, -1).join("/");
  if (url.hostname === "github.com") return { forge: "github", api: "https://api.github.com", owner, repo };
  return { forge: "gitea", api: `${url.origin}/api/v1`, owner, repo };
}

/** The `org/name` of a repository URI (the Gerrit project). */
const projectOf = (uri: string) => {
  try {
    return new URL(uri).pathname.replace(/\.git$/, "").replace(/^\/+/, "");
  } catch {
    return uri.replace(/\.git$/, "");
  }
};

/** The branches a repo is followed on: its default branch and each branch its releases name. */
function branchesOf(repo: ConfigRepo): string[] {
  return [...new Set([repo.default_branch ?? "master", ...(repo.releases ?? []).flatMap((r) => (r.branch ? [r.branch] : []))])];
}

/** A discovered repository as a repo entry, as Stackalytics' project list made them. */
function discoveredRepo(source: ConfigProjectSource, target: DiscoveryTarget, found: DiscoveredRepo): FollowedRepo {
  const module = found.name.split("/").at(-1)!.toLowerCase();
  return {
    uri: found.uri ?? "",
    ...(target.gerrit ? { gerrit_project: found.name } : {}),
    module,
    organization: source.organization,
    launchpad_name: target.launchpad ? module : null,
    ...(target.gerrit ? { gerrit_uri: target.gerrit } : {}),
    ...(found.defaultBranch || target.defaultBranch ? { default_branch: (target.defaultBranch ?? found.defaultBranch)! } : {}),
  };
}

export function discoveryTarget(source: ConfigProjectSource, defaultGerrit: string): DiscoveryTarget {
  const uri = source.uri ?? defaultGerrit;
  const gerrit = uri.startsWith("github://") ? null : gerritBase(uri);
  return {
    organization: source.organization,
    gerrit,
    gitBase: source.git_base_uri?.replace(/\/+$/, "") ?? null,
    pattern: source.pattern ?? `^${source.organization}/.*`,
    exclude: source.exclude ?? [],
    defaultBranch: source.default_branch ?? null,
    // Only a Gerrit's projects are Launchpad projects of the same name (Stackalytics' rule).
    launchpad: gerrit !== null && source.launchpad_metrics !== false,
  };
}

/**
 * The repos the processor follows: the config's, each filled in with what discovery learned of it
 * (a Gerrit to read reviews from), then the discovered ones the config does not list (never
 * `deb-*` packaging repos, nor those a source excludes).
 */
export function followedRepos(config: DefaultData, discovered: ReadonlyMap<string, readonly DiscoveredRepo[]>, defaultGerrit: string): FollowedRepo[] {
  const repos = new Map<string, FollowedRepo>(config.repos.map((r) => [r.module.toLowerCase(), { ...r }]));
  for (const source of config.project_sources ?? []) {
    const target = discoveryTarget(source, defaultGerrit);
    for (const found of discovered.get(discoverySourceId(source)) ?? []) {
      const entry = discoveredRepo(source, target, found);
      if (entry.module.startsWith("deb-") || target.exclude.includes(entry.module)) continue;
      const known = repos.get(entry.module);
      repos.set(entry.module, known ? { ...entry, ...known, uri: known.uri } : entry);
    }
  }
  return [...repos.values()];
}

export const discoverySourceId = (source: Pick<ConfigProjectSource, "organization" | "uri">) => `projects:${source.uri ?? "gerrit"}:${source.organization}`;

/** Every source the config (with what was discovered) asks the processor to follow. */
export function planSources(config: DefaultData, discovered: ReadonlyMap<string, readonly DiscoveredRepo[]>, defaultGerrit: string): SourceSpec[] {
  const specs: SourceSpec[] = [];
  for (const source of config.project_sources ?? []) {
    specs.push({ id: discoverySourceId(source), kind: "projects", target: discoveryTarget(source, defaultGerrit) });
  }
  const launchpadProjects = new Set<string>();
  const repos = followedRepos(config, discovered, defaultGerrit);
  for (const repo of repos) {
    const module = repo.module.toLowerCase();
    const defaultBranch = repo.default_branch ?? "master";
    const forge = forgeOf(repo.uri);
    for (const branch of branchesOf(repo)) {
      if (forge) specs.push({ id: `git:${repo.uri}:${branch}`, kind: "git", target: { ...forge, branch, module } });
      if (repo.gerrit_uri) {
        const base = gerritBase(repo.gerrit_uri);
        const project = repo.gerrit_project ?? projectOf(repo.uri);
        specs.push({ id: `gerrit:${base}:${project}:${branch}`, kind: "gerrit", target: { base, project, branch, module, defaultBranch } });
      }
    }
    if (forge) {
      for (const range of repo.releases ?? []) {
        const open = range.tag_to === "HEAD";
        const to = open ? (range.branch ?? defaultBranch) : range.tag_to;
        const release = range.release_name.toLowerCase();
        specs.push({ id: `git-tags:${repo.uri}:${release}:${range.tag_from}..${range.tag_to}${open ? `@${to}` : ""}`, kind: "git-tags", target: { ...forge, module, release, from: range.tag_from, to, open } });
      }
    }
    if (repo.launchpad_name) for (const name of [repo.launchpad_name, ...(repo.aliases ?? [])]) launchpadProjects.add(name.toLowerCase());
  }
  for (const project of launchpadProjects) {
    specs.push({ id: `launchpad-bugs:${project}`, kind: "launchpad-bugs", target: { project } });
    specs.push({ id: `launchpad-blueprints:${project}`, kind: "launchpad-blueprints", target: { project } });
  }
  const modules = [...new Set(repos.map((r) => r.module.toLowerCase()))].sort();
  for (const url of config.mail_lists ?? []) {
    const hyperkitty = /\/(?:archives|hyperkitty)\/list\//.test(url);
    const list = url.replace(/\/+$/, "").split("/").at(-1)!.split("@")[0]!;
    specs.push({ id: `mail:${url}`, kind: hyperkitty ? "hyperkitty" : "pipermail", target: { url, list, modules } });
  }
  return specs;
}
