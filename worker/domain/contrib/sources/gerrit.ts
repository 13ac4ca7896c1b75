// Gerrit's REST answers → review, patch and mark records. The original read `gerrit query
// --all-approvals` over SSH, which listed every reviewer's vote on every patch set; REST gives only
// the current votes on the current patch set (`labels[*].all`), so earlier votes are read back from
// the change messages Gerrit writes with each vote (`Patch Set 2: Code-Review+2 Workflow+1`).
import type { z } from "zod";
import { RECORD_TEXT_LIMITS, type RawRecord } from "../../../../schemas/contrib/records";
import {
  GerritChangesPageSchema,
  GerritProjectsSchema,
  type GerritAccount,
  type GerritChange,
  type GerritMessage,
  type GerritRevision,
} from "../../../../schemas/contrib/sources/gerrit";
import { parseJsonText, SourceFormatError, toSeconds, truncate } from "./common";

export type { GerritChange };

export interface GerritContext {
  module: string;
  /** The branch whose reviews are keyed by the bare Change-Id. */
  defaultBranch: string;
  /** The Gerrit's web address, for review URLs and error messages. */
  gerritUrl: string;
}

/** Labels whose votes become marks; Verified and CI labels make none, as in the original. */
const MARK_LABELS = new Set(["Code-Review", "Workflow"]);
const ANONYMOUS = "Anonymous Coward";
const NAME_LIMIT = 256;
const TOPIC_LIMIT = 512;

/** Gerrit prefixes JSON with `)]}'` so that a browser cannot run it as a script. */
export function stripXssiPrefix(text: string, source: string): string {
  const prefix = /^\)\]\}'\r?\n/.exec(text);
  if (!prefix) throw new SourceFormatError(source, `not a Gerrit JSON answer (no )]}' prefix); the answer began with ${JSON.stringify(text.slice(0, 80))}`);
  return text.slice(prefix[0].length);
}

function validate<T>(schema: z.ZodType<T>, value: unknown, source: string, root: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  throw new SourceFormatError(source, `unexpected answer at ${root}${path}: ${issue.message}`);
}

export function parseChangesPage(text: string, source: string): { changes: GerritChange[]; more: boolean } {
  const changes = validate(GerritChangesPageSchema, parseJsonText(source, stripXssiPrefix(text, source)), source, "changes");
  return { changes, more: changes.at(-1)?._more_changes === true };
}

/** Names of the projects still worked on: READ_ONLY and HIDDEN ones are skipped. */
export function parseProjectsPage(text: string, source: string): string[] {
  const projects = validate(GerritProjectsSchema, parseJsonText(source, stripXssiPrefix(text, source)), source, "projects");
  return Object.entries(projects)
    .filter(([, project]) => project.state === undefined || project.state === "ACTIVE")
    .map(([name]) => name)
    .sort();
}

/**
 * The key of a change's review. A cherry-pick to a stable branch keeps its Change-Id, so only the
 * default branch uses the bare Change-Id (what commits carry); other branches add `@<branch>`.
 */
export function reviewKey(changeId: string, branch: string, defaultBranch: string): string {
  return branch === defaultBranch ? changeId : `${changeId}@${branch}`;
}

export function changeRecords(change: GerritChange, ctx: GerritContext): RawRecord[] {
  const c = describeChange(change, ctx);
  return [reviewRecord(c), ...patchRecords(c), ...markRecords(c), ...abandonRecords(c)].filter((r): r is RawRecord => r !== null);
}

/** What every record of one change needs, worked out once. */
interface ChangeView {
  change: GerritChange;
  ctx: GerritContext;
  key: string;
  subject: string;
  /** Patch sets by number, in order. */
  patchSets: Map<number, GerritRevision>;
  current: GerritRevision;
  seconds: (text: string) => number;
}

function describeChange(change: GerritChange, ctx: GerritContext): ChangeView {
  const current = change.revisions[change.current_revision];
  if (!current) throw new SourceFormatError(ctx.gerritUrl, `change ${change._number}: current_revision ${change.current_revision} is not among its revisions`);
  const sorted = Object.values(change.revisions).sort((a, b) => a._number - b._number);
  return {
    change,
    ctx,
    key: reviewKey(change.change_id, change.branch, ctx.defaultBranch),
    subject: truncate(change.subject, RECORD_TEXT_LIMITS.subject),
    patchSets: new Map(sorted.map((r) => [r._number, r])),
    current,
    seconds: (text) => {
      const s = toSeconds(text);
      if (s === null) throw new SourceFormatError(ctx.gerritUrl, `change ${change._number}: ${JSON.stringify(text)} is not a time`);
      return s;
    },
  };
}

type Person = Pick<RawRecord, "author_email" | "author_name" | "gerrit_id">;

/** The author fields of an account, or null when it has neither an email nor a username to key it. */
function person(account: GerritAccount): Person | null {
  const email = account.email?.trim().toLowerCase();
  const username = account.username?.trim();
  if (!email && !username) return null;
  return {
    ...(email ? { author_email: email } : {}),
    ...(username ? { gerrit_id: username } : {}),
    author_name: truncate(account.name?.trim() || username || ANONYMOUS, NAME_LIMIT),
  };
}

const samePerson = (a: GerritAccount, b: GerritAccount) => a._account_id === b._account_id;
const voterKey = (account: GerritAccount) => account.username?.trim() || `account-${account._account_id}`;
const isVote = (value: number | undefined): value is number => value !== undefined && value !== 0;

function reviewRecord(c: ChangeView): RawRecord | null {
  const { change, ctx } = c;
  const owner = person(change.owner);
  if (!owner) return null;
  const votes = Object.values(change.labels).flatMap((label) => label.all ?? []).filter((a) => isVote(a.value));
  const voteDates = votes.flatMap((a) => (a.date ? [c.seconds(a.date)] : []));
  const topic = change.topic?.trim();
  return {
    primary_key: c.key,
    record_type: "review",
    date: c.seconds(change.created),
    ...owner,
    module: ctx.module,
    branch: change.branch,
    project: change.project,
    ...(topic ? { topic: truncate(topic, TOPIC_LIMIT) } : {}),
    subject: c.subject,
    status: change.status,
    open: change.status === "NEW",
    url: `${ctx.gerritUrl.replace(/\/+$/, "")}/c/${change.project}/+/${change._number}`,
    review_number: change._number,
    change_id: [change.change_id],
    last_updated: c.seconds(change.updated),
    value: votes.length > 0 ? Math.min(...votes.map((a) => a.value!)) : 0,
    updated_on: voteDates.length > 0 ? Math.max(...voteDates) : c.seconds(c.current.created),
  };
}

function patchRecords(c: ChangeView): RawRecord[] {
  return [...c.patchSets.values()].flatMap((revision) => {
    const uploader = person(revision.uploader);
    if (!uploader) return [];
    return [{
      primary_key: `${c.key}:${revision._number}`,
      record_type: "patch" as const,
      date: c.seconds(revision.created),
      ...uploader,
      module: c.ctx.module,
      branch: c.change.branch,
      review_id: c.key,
      patch: revision._number,
      subject: c.subject,
    }];
  });
}

/** One vote (value 0: a vote removed) as either source tells it. */
interface Vote {
  label: string;
  value: number;
  date: number;
  patch: number;
  voter: GerritAccount;
}

/**
 * `Patch Set 2: Code-Review+2 Workflow+1` (a review) or `Uploaded patch set 3: Code-Review+2.`
 * (a push with votes): the patch set, each `Label±N`, and `-Label` for a vote removed (value 0).
 */
export function parseVoteLine(message: string): { patch: number; votes: { label: string; value: number }[] } | null {
  const line = /^(?:Patch Set|Uploaded patch set) (\d+):(.*)$/.exec(message.split("\n", 1)[0]!.trim());
  if (!line) return null;
  const votes = line[2]!.trim().replace(/\.$/, "").split(/\s+/).flatMap((token) => {
    const vote = /^([A-Za-z][\w-]*?)([+-]\d+)$/.exec(token);
    if (vote) return [{ label: vote[1]!, value: Number(vote[2]) }];
    const removal = /^-([A-Za-z][\w-]*)$/.exec(token);
    return removal ? [{ label: removal[1]!, value: 0 }] : [];
  });
  return { patch: Number(line[1]), votes };
}

function currentVotes(c: ChangeView): Vote[] {
  return Object.entries(c.change.labels).flatMap(([label, info]) => {
    if (!MARK_LABELS.has(label)) return [];
    return (info.all ?? []).flatMap((a) =>
      isVote(a.value) && a.date ? [{ label, value: a.value, date: c.seconds(a.date), patch: c.current._number, voter: a }] : [],
    );
  });
}

function messageVotes(c: ChangeView): Vote[] {
  return c.change.messages.flatMap((m) => {
    const parsed = m.author ? parseVoteLine(m.message) : null;
    if (!parsed) return [];
    const date = c.seconds(m.date);
    return parsed.votes.filter((v) => MARK_LABELS.has(v.label)).map((v) => ({ ...v, date, patch: parsed.patch, voter: m.author! }));
  });
}

/**
 * Every vote once. A vote in `labels.all` and its message share a time (one update writes both),
 * and a vote copied onto a new patch set keeps its time, so (time, label, voter) finds the same
 * vote twice; the message's patch set wins. Each vote counts, a changed one too (+1 then +2 on one
 * patch set are two marks): stored marks are never taken back, so keeping only the last vote would
 * make the count depend on when the processor happened to read the change. A removed vote is none.
 */
function distinctVotes(c: ChangeView): Vote[] {
  const byEvent = new Map<string, Vote>();
  for (const vote of [...currentVotes(c), ...messageVotes(c)]) byEvent.set(`${vote.date}:${vote.label}:${vote.voter._account_id}`, vote);
  return [...byEvent.values()].filter((v) => v.value !== 0);
}

function markRecord(c: ChangeView, voter: GerritAccount, fields: { label: string; type: string; value: number; date: number; patch: number }): RawRecord | null {
  const who = person(voter);
  if (!who) return null;
  return {
    primary_key: `${c.key}:${fields.date}:${fields.label}:${voterKey(voter)}`,
    record_type: "mark",
    date: fields.date,
    ...who,
    module: c.ctx.module,
    branch: c.change.branch,
    value: fields.value,
    type: fields.type,
    review_id: c.key,
    patch: fields.patch,
    subject: c.subject,
  };
}

function markRecords(c: ChangeView): (RawRecord | null)[] {
  return distinctVotes(c)
    .sort((a, b) => a.date - b.date || a.patch - b.patch || a.label.localeCompare(b.label) || a.voter._account_id - b.voter._account_id)
    .map((vote) => {
      const uploader = c.patchSets.get(vote.patch)?.uploader;
      const type = uploader && samePerson(vote.voter, uploader) ? `Self-${vote.label}` : vote.label;
      return markRecord(c, vote.voter, { label: vote.label, type, value: vote.value, date: vote.date, patch: vote.patch });
    });
}

const isAbandonMessage = (m: GerritMessage) => m.message === "Abandoned" || m.message.startsWith("Abandoned\n");

/** The newest abandon of an abandoned change, as a mark on its last patch set. */
function abandonRecords(c: ChangeView): (RawRecord | null)[] {
  if (c.change.status !== "ABANDONED") return [];
  let newest: { author: GerritAccount; date: number } | null = null;
  for (const m of c.change.messages) {
    if (!m.author || !isAbandonMessage(m)) continue;
    const date = c.seconds(m.date);
    if (!newest || date >= newest.date) newest = { author: m.author, date };
  }
  if (!newest) return [];
  const lastPatch = Math.max(...c.patchSets.keys());
  const type = samePerson(newest.author, c.change.owner) ? "Self-Abandon" : "Abandon";
  return [markRecord(c, newest.author, { label: "Abandon", type, value: 0, date: newest.date, patch: lastPatch })];
}
