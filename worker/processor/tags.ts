// A repo's tag range (`releases: [{release_name, tag_from, tag_to, branch}]` in the config): the
// commits `git log tag_from..tag_to` would list, through the forge's API (Gitea's commit list with
// `not=<tag_from>`, GitHub's compare), each credited to the range's release. A range between two
// tags never changes, so once read it is not asked again; one that ends at a branch (`HEAD`) is
// read again on every run.
import type { TagRangeTarget } from "../domain/contrib/sources/plan";
import { parseJsonText, SourceFormatError } from "../domain/contrib/sources/common";
import { parseGithubCommitList } from "../domain/contrib/sources/git";
import type { StepContext, StepFn } from "./kinds";

export interface TagRangeCursor {
  /** Commits credited so far in this reading, and the next page. */
  page: number;
  listed: number;
  /** A closed range read to its end. */
  complete: boolean;
}

const PAGE = 50;
const GITHUB_PAGE = 100;

const headers = (ctx: StepContext, target: TagRangeTarget): Record<string, string> =>
  target.forge === "github"
    ? { accept: "application/vnd.github+json", ...(ctx.settings.githubToken ? { authorization: `Bearer ${ctx.settings.githubToken}` } : {}) }
    : { accept: "application/json" };

/** The commit ids of a Gitea commit list page (without stats: only the ids matter here). */
function giteaIds(text: string, source: string): string[] {
  const page = parseJsonText(source, text);
  if (!Array.isArray(page) || page.some((c) => typeof (c as { sha?: unknown })?.sha !== "string")) {
    throw new SourceFormatError(source, "expected a list of commits with their sha");
  }
  return page.map((c) => (c as { sha: string }).sha);
}

export const gitTagsStep: StepFn<TagRangeTarget, TagRangeCursor> = async (target, cursor, ctx) => {
  if (cursor?.complete && !target.open) return { records: [], cursor, done: true };
  let page = cursor && !cursor.complete ? cursor.page : 1;
  let listed = cursor && !cursor.complete ? cursor.listed : 0;
  const releases = new Map<string, string>();
  const base = `${target.api}/repos/${target.owner}/${target.repo}`;
  for (let i = 0; i < ctx.settings.pagesPerStep; i++) {
    const size = target.forge === "github" ? GITHUB_PAGE : PAGE;
    const url =
      target.forge === "github"
        ? `${base}/compare/${encodeURIComponent(target.from)}...${encodeURIComponent(target.to)}?per_page=${size}&page=${page}`
        : `${base}/commits?${new URLSearchParams({ sha: target.to, not: target.from, stat: "false", files: "false", limit: String(size), page: String(page) })}`;
    const text = await ctx.http.getText(url, { headers: headers(ctx, target) });
    const ids =
      target.forge === "github"
        ? (() => {
            const body = parseJsonText(url, text) as { commits?: unknown };
            if (!Array.isArray(body.commits)) throw new SourceFormatError(url, "a compare answer without a commits list");
            return parseGithubCommitList(JSON.stringify(body.commits), url).map((c) => c.sha);
          })()
        : giteaIds(text, url);
    for (const id of ids) releases.set(id, target.release);
    listed += ids.length;
    if (ids.length < size) return { records: [], releases, cursor: { page: 1, listed, complete: true }, done: true };
    page++;
  }
  return { records: [], releases, cursor: { page, listed, complete: false }, done: false };
};
