// Project sources: the repositories of a Gerrit (`GET /projects/?p=<org>/`, kept when they match
// the source's pattern) or of a GitHub organization (every page of `GET /orgs/<org>/repos`). What
// a discovery finds is its cursor; the plan follows those repositories like the config's own.
import { parseGithubRepos } from "../domain/contrib/sources/git";
import { parseProjectsPage } from "../domain/contrib/sources/gerrit";
import type { DiscoveredRepo, DiscoveryTarget } from "../domain/contrib/sources/plan";
import type { StepFn } from "./kinds";

export interface DiscoveryCursor {
  repos: DiscoveredRepo[];
  /** A GitHub listing under way: the next page, and what the pages before it found. */
  walk: { page: number; found: DiscoveredRepo[] } | null;
}

const GITHUB_PAGE = 100;

export const projectsStep: StepFn<DiscoveryTarget, DiscoveryCursor> = async (target, cursor, ctx) => {
  if (target.gerrit) {
    const url = `${target.gerrit}/projects/?${new URLSearchParams({ p: `${target.organization}/` })}`;
    const pattern = new RegExp(target.pattern);
    const repos = parseProjectsPage(await ctx.http.getText(url, { headers: { accept: "application/json" } }), url)
      .filter((name) => pattern.test(name))
      .map((name) => ({ name, uri: target.gitBase ? `${target.gitBase}/${name}.git` : null, defaultBranch: target.defaultBranch }));
    return { records: [], cursor: { repos, walk: null }, done: true };
  }
  const walk = cursor?.walk ?? { page: 1, found: [] };
  for (let i = 0; i < ctx.settings.pagesPerStep; i++) {
    const url = `https://api.github.com/orgs/${encodeURIComponent(target.organization)}/repos?per_page=${GITHUB_PAGE}&page=${walk.page}`;
    const headers: Record<string, string> = {
      accept: "application/vnd.github+json",
      ...(ctx.settings.githubToken ? { authorization: `Bearer ${ctx.settings.githubToken}` } : {}),
    };
    const page = parseGithubRepos(await ctx.http.getText(url, { headers }), url);
    walk.found.push(
      ...page.filter((r) => !r.archived).map((r) => ({ name: `${target.organization}/${r.name}`, uri: r.clone_url, defaultBranch: r.default_branch })),
    );
    if (page.length < GITHUB_PAGE) return { records: [], cursor: { repos: walk.found, walk: null }, done: true };
    walk.page++;
  }
  return { records: [], cursor: { repos: cursor?.repos ?? [], walk }, done: false };
};
