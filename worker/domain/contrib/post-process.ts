// Post-processing as pure decisions: what links a record makes to others, a commit's date from its
// merged review, who counts as a core reviewer, and which votes a core reviewer contradicted.
// Stackalytics ran these as full scans over every record each run; here they are applied to what
// one batch of records touches (worker/contrib/sync.ts gathers that).
import type { RawRecord } from "../../../schemas/contrib/records";

/** Votes that make someone a core reviewer: a ±2 Code-Review. */
export const CORE_LABEL = "Code-Review";
/** A core reviewer is one who gave a ±2 within this many seconds (the users API's `core`). */
export const CORE_WINDOW_SECONDS = 90 * 86_400;

export const changeRef = (changeId: string, branch: string) => `change:${changeId}:${branch}`;
export const reviewRef = (reviewKey: string) => `review:${reviewKey}`;
export const blueprintRef = (id: string) => `bp:${id}`;
export const commitRef = (commitId: string) => `commit:${commitId}`;

/**
 * The links a record makes: a review to its Change-Id on its branch, a commit with exactly one
 * Change-Id to the same (on each branch it was seen on), a commit to its commit id (a co-authored
 * commit has a record per person), a mark to its review, a commit or an email to each blueprint
 * it mentions.
 */
export function refsOf(raw: RawRecord): string[] {
  const refs: string[] = [];
  const branches = raw.branches ?? (raw.branch ? [raw.branch] : []);
  if (raw.record_type === "review" && raw.change_id?.[0] && raw.branch) refs.push(changeRef(raw.change_id[0], raw.branch));
  if (raw.record_type === "commit" && raw.change_id?.length === 1) for (const b of branches) refs.push(changeRef(raw.change_id[0]!, b));
  if (raw.record_type === "commit" && raw.commit_id) refs.push(commitRef(raw.commit_id));
  if (raw.record_type === "mark" && raw.review_id) refs.push(reviewRef(raw.review_id));
  if (raw.record_type === "commit" || raw.record_type === "email") for (const bp of raw.blueprint_id ?? []) refs.push(blueprintRef(bp));
  return [...new Set(refs)];
}

/** The blueprint a `bpd`/`bpc` record is about. */
export const blueprintOf = (raw: RawRecord) => (raw.record_type === "bpd" || raw.record_type === "bpc" ? (raw.id ?? null) : null);

/** A commit counts when its review merged: the date of the first merged review among those it links to. */
export function mergeDateOf(reviews: readonly RawRecord[]): number | undefined {
  const merged = reviews.find((r) => r.record_type === "review" && r.status === "MERGED" && r.last_updated !== undefined);
  return merged?.last_updated;
}

/** A ±2 Code-Review vote, which proves its author a core reviewer of the module and branch. */
export const isCoreVote = (raw: RawRecord) => raw.record_type === "mark" && raw.type === CORE_LABEL && Math.abs(raw.value ?? 0) === 2;

export interface Vote {
  primary_key: string;
  patch: number;
  date: number;
  value: number;
  type: string;
  /** Who voted (a profile seq). */
  voter: number;
}

/**
 * Which Code-Review votes disagree (§2.8.8): on each patch set with at least two Code-Review votes,
 * the newest vote by a core reviewer is the reference, and every older vote of the opposite sign
 * disagrees with it. Votes newer than the reference never do. Every Code-Review vote gets an
 * answer, so a flag that no longer holds is cleared.
 */
export function findDisagreements(votes: readonly Vote[], isCore: (voter: number) => boolean): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const byPatch = new Map<number, Vote[]>();
  for (const v of votes) {
    if (v.type !== CORE_LABEL) continue;
    out.set(v.primary_key, false);
    byPatch.set(v.patch, [...(byPatch.get(v.patch) ?? []), v]);
  }
  for (const patchVotes of byPatch.values()) {
    if (patchVotes.length < 2) continue;
    const newestFirst = [...patchVotes].sort((a, b) => b.date - a.date || a.primary_key.localeCompare(b.primary_key));
    const at = newestFirst.findIndex((v) => isCore(v.voter));
    if (at < 0) continue;
    const reference = newestFirst[at]!;
    for (const older of newestFirst.slice(at + 1)) {
      if (older.date < reference.date && Math.sign(older.value) === -Math.sign(reference.value) && older.value !== 0) out.set(older.primary_key, true);
    }
  }
  return out;
}
