// A Gerrit project's branch over REST: the changes updated since the cursor, newest first, paged
// with `S=` until `_more_changes` is gone. A walk can span several steps; only when it ends does
// the cursor move to the newest `updated` it saw, and the next walk starts an overlap before that,
// so a change updated while a walk was under way is read again rather than lost.
import { changeRecords, parseChangesPage } from "../domain/contrib/sources/gerrit";
import type { GerritTarget } from "../domain/contrib/sources/plan";
import type { StepFn } from "./kinds";

export interface GerritCursor {
  /** Newest `updated` (seconds) of the last finished walk; null before the first. */
  since: number | null;
  walk: { after: number | null; skip: number; newest: number } | null;
}

const OPTIONS = ["ALL_REVISIONS", "DETAILED_LABELS", "DETAILED_ACCOUNTS", "MESSAGES", "ALL_COMMITS"];

/** Gerrit's query time: `2024-03-01 12:00:00 +0000`. */
const queryTime = (seconds: number) => `${new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ")} +0000`;

export function changesUrl(target: GerritTarget, after: number | null, skip: number, pageSize: number): string {
  const query = [`project:${target.project}`, `branch:${target.branch}`, ...(after === null ? [] : [`after:"${queryTime(after)}"`])].join(" ");
  const params = new URLSearchParams({ q: query });
  for (const o of OPTIONS) params.append("o", o);
  params.set("n", String(pageSize));
  params.set("S", String(skip));
  return `${target.base}/changes/?${params}`;
}

export const gerritStep: StepFn<GerritTarget, GerritCursor> = async (target, cursor, ctx) => {
  const since = cursor?.since ?? null;
  const walk = cursor?.walk ?? { after: since === null ? null : Math.max(0, since - ctx.settings.gerritOverlapSeconds), skip: 0, newest: since ?? 0 };
  const records = [];
  const context = { module: target.module, defaultBranch: target.defaultBranch, gerritUrl: target.base };
  for (let page = 0; page < ctx.settings.pagesPerStep; page++) {
    const url = changesUrl(target, walk.after, walk.skip, ctx.settings.gerritPageSize);
    const { changes, more } = parseChangesPage(await ctx.http.getText(url, { headers: { accept: "application/json" } }), url);
    for (const change of changes) {
      records.push(...changeRecords(change, context));
      walk.newest = Math.max(walk.newest, Math.floor(Date.parse(`${change.updated.replace(" ", "T").slice(0, 19)}Z`) / 1000));
    }
    walk.skip += changes.length;
    if (!more || changes.length === 0) return { records, cursor: { since: walk.newest || since, walk: null }, done: true };
  }
  return { records, cursor: { since, walk }, done: false };
};
