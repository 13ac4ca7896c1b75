// A repository's branch through its forge's REST API, so that no clone is needed. A walk lists the
// commits of the branch's tip as it was when the walk began (so pages stay stable while the branch
// moves), excluding what the last finished walk covered: Gitea's `not=` parameter, GitHub's
// compare API. Only a finished walk moves the cursor to its tip.
import type { RawRecord } from "../../schemas/contrib/records";
import { type GitCommit, commitRecords, parseGiteaCommits, parseGithubCommit, parseGithubCommitList } from "../domain/contrib/sources/git";
import type { GitTarget } from "../domain/contrib/sources/plan";
import { parseJsonText, SourceFormatError } from "../domain/contrib/sources/common";
import { HttpStatusError } from "./http-client";
import type { StepContext, StepFn, StepResult } from "./kinds";

export interface GitCursor {
  /** The tip of the last finished walk: everything reachable from it is stored. */
  head: string | null;
  walk: { tip: string; page: number } | null;
}

/** Gitea answers at most 50 commits a page unless its administrator raised MAX_RESPONSE_ITEMS. */
const GITEA_PAGE = 50;
const GITHUB_PAGE = 100;

const repoPath = (t: GitTarget) => `${t.api}/repos/${t.owner}/${t.repo}`;

function records(commits: readonly GitCommit[], target: GitTarget): RawRecord[] {
  return commits.flatMap((c) => commitRecords(c, { module: target.module, branch: target.branch, ...(target.release ? { release: target.release } : {}) }));
}

/**
 * The text of a walk's first request, or null when the repository has no commits yet: both forges
 * answer 409 Conflict ("Git Repository is empty."), which is nothing to read rather than a failure
 * (discovery lists new repositories before anything is pushed to them).
 */
async function firstAnswer(ctx: StepContext, url: string, headers: Record<string, string>): Promise<string | null> {
  try {
    return await ctx.http.getText(url, { headers });
  } catch (error) {
    if (error instanceof HttpStatusError && error.status === 409) return null;
    throw error;
  }
}

async function giteaStep(target: GitTarget, cursor: GitCursor | null, ctx: StepContext): Promise<StepResult<GitCursor>> {
  const head = cursor?.head ?? null;
  let walk = cursor?.walk ?? null;
  const out: RawRecord[] = [];
  for (let i = 0; i < ctx.settings.pagesPerStep; i++) {
    const params = new URLSearchParams({ sha: walk?.tip ?? target.branch, stat: "true", limit: String(GITEA_PAGE), page: String(walk?.page ?? 1) });
    if (head) params.set("not", head);
    const url = `${repoPath(target)}/commits?${params}`;
    const headers = { accept: "application/json" };
    const text = walk ? await ctx.http.getText(url, { headers }) : await firstAnswer(ctx, url, headers);
    if (text === null) return { records: out, cursor: { head, walk: null }, done: true };
    const commits = parseGiteaCommits(text, url);
    if (!walk) {
      // The first page names the tip this walk follows; nothing new when it is the head already.
      if (commits.length === 0 || commits[0]!.commit_id === head) return { records: out, cursor: { head, walk: null }, done: true };
      walk = { tip: commits[0]!.commit_id, page: 1 };
    }
    // A forge without `not=` lists the old commits too: they stop the walk where the last one ended.
    const at = head ? commits.findIndex((c) => c.commit_id === head) : -1;
    out.push(...records(at >= 0 ? commits.slice(0, at) : commits, target));
    if (at >= 0 || commits.length < GITEA_PAGE) return { records: out, cursor: { head: walk.tip, walk: null }, done: true };
    walk = { tip: walk.tip, page: walk.page + 1 };
  }
  return { records: out, cursor: { head, walk }, done: false };
}

const githubHeaders = (ctx: StepContext): Record<string, string> => ({
  accept: "application/vnd.github+json",
  ...(ctx.settings.githubToken ? { authorization: `Bearer ${ctx.settings.githubToken}` } : {}),
});

/** GitHub's list and compare answers carry no line counts: each commit is fetched (one page per step). */
async function githubStep(target: GitTarget, cursor: GitCursor | null, ctx: StepContext): Promise<StepResult<GitCursor>> {
  const head = cursor?.head ?? null;
  let walk = cursor?.walk ?? null;
  if (!walk) {
    const url = `${repoPath(target)}/commits?${new URLSearchParams({ sha: target.branch, per_page: "1" })}`;
    const text = await firstAnswer(ctx, url, githubHeaders(ctx));
    const [tip] = text === null ? [] : parseGithubCommitList(text, url);
    if (!tip || tip.sha === head) return { records: [], cursor: { head, walk: null }, done: true };
    walk = { tip: tip.sha, page: 1 };
  }
  const params = new URLSearchParams({ per_page: String(GITHUB_PAGE), page: String(walk.page) });
  const url = head
    ? `${repoPath(target)}/compare/${head}...${walk.tip}?${params}`
    : `${repoPath(target)}/commits?${new URLSearchParams({ sha: walk.tip })}&${params}`;
  const text = await ctx.http.getText(url, { headers: githubHeaders(ctx) });
  const listed = head ? compareCommits(text, url) : parseGithubCommitList(text, url);
  const wanted = listed.filter((c) => c.parents <= 1);
  // Settled, not raced: a step that fails has no request of its own still running after it.
  const fetched = await Promise.allSettled(
    wanted.map(async ({ sha }) => {
      const one = `${repoPath(target)}/commits/${sha}`;
      return parseGithubCommit(await ctx.http.getText(one, { headers: githubHeaders(ctx) }), one);
    }),
  );
  const failed = fetched.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  const commits = fetched.map((r) => (r as PromiseFulfilledResult<GitCommit>).value);
  if (listed.length < GITHUB_PAGE) return { records: records(commits, target), cursor: { head: walk.tip, walk: null }, done: true };
  return { records: records(commits, target), cursor: { head, walk: { tip: walk.tip, page: walk.page + 1 } }, done: false };
}

/** The commits of a compare answer (`{"commits": [...]}`), as a list page gives them. */
function compareCommits(text: string, source: string): { sha: string; parents: number }[] {
  const body = parseJsonText(source, text) as { commits?: unknown };
  if (!Array.isArray(body.commits)) throw new SourceFormatError(source, "a compare answer without a commits list");
  return parseGithubCommitList(JSON.stringify(body.commits), source);
}

export const gitStep: StepFn<GitTarget, GitCursor> = (target, cursor, ctx) =>
  target.forge === "github" ? githubStep(target, cursor, ctx) : giteaStep(target, cursor, ctx);
