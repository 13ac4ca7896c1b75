// Git commits as records (Stackalytics' vcs source): a commit from a forge's REST answer (Gitea,
// GitHub) or from `git log` text becomes a GitCommit, and a GitCommit becomes commit records —
// one, or one per person when the message credits co-authors.
import type { z } from "zod";
import { RECORD_TEXT_LIMITS, RawRecordSchema, type Coauthor, type RawRecord } from "../../../../schemas/contrib/records";
import {
  GiteaCommitListSchema,
  GithubCommitListSchema,
  GithubCommitSchema,
  GithubRepoListSchema,
  type GiteaCommit,
  type GithubRepo,
} from "../../../../schemas/contrib/sources/forges";
import { SourceFormatError, isValidEmail, parseJsonText, toSeconds, truncate } from "./common";

/** A commit as every source describes it, before it is turned into records. */
export interface GitCommit {
  commit_id: string;
  /** Author time, seconds since the epoch. */
  date: number;
  author_name: string;
  author_email: string;
  /** The first paragraph of the message, as git's `%s`. */
  subject: string;
  /** The body after the subject, as git's `%b` (trailing whitespace removed). */
  message: string;
  /** How many parents: more than one is a merge. */
  parents: number;
  lines_added: number;
  lines_deleted: number;
  files_changed: number;
  /** The GitHub account the forge linked to the author's email. */
  github_id?: string;
}

export interface CommitContext {
  module: string;
  branch: string;
  /** The release of the tag range the commit was found in, when known. */
  release?: string;
}

export interface CommitMessageRefs {
  bug_id: string[];
  blueprint_id: string[];
  change_id: string[];
  coauthor: Coauthor[];
}

/** What the processor needs of a repository to decide whether and how to read it. */
export type GithubRepoEntry = Pick<GithubRepo, "name" | "clone_url" | "default_branch" | "archived" | "fork">;

// Record bounds (RawRecordSchema): list lengths and item sizes.
const MAX_BUG_IDS = 64;
const MAX_BLUEPRINT_IDS = 64;
const MAX_CHANGE_IDS = 16;
const MAX_PEOPLE = 32;
const MAX_ID_LENGTH = 64;
const MAX_BLUEPRINT_LENGTH = 256;
const MAX_NAME_LENGTH = 256;
const MAX_EMAIL_LENGTH = 320;

const BUG = /\bbug\b[ \t#:]*(\d+)/gi;
const BLUEPRINT = /\b(?:blueprint|bp)\b[ \t#:]*([a-z0-9-]+)/gi;
const CHANGE_ID = /\bChange-Id:[ \t]*(I[0-9a-f]{40})\b/g;
// `Co-Author-By:`, `Co-Authored:` and `Also:` are not trailers: the colon must follow the name.
const COAUTHOR_TRAILER = /^[ \t]*(?:co-authored-by|also-by|co-author):[ \t]*(.*)$/gim;
const NAME_AND_ANGLED_EMAIL = /^(.*?)\s*<([^<>\s]*)>/;
const NAME_AND_BARE_EMAIL = /^(.*?)\s*(\S+@\S+)$/;

/** The subject Gerrit's superprojects commit with; Stackalytics never counted these. */
const SUBMODULE_UPDATE = "Update git submodules";

/** Bugs, blueprints, Change-Ids and co-authors named in a commit message, each list de-duplicated in order. */
export function parseCommitMessage(message: string, module: string): CommitMessageRefs {
  const bugs = matches(message, BUG).filter((id) => id.length <= MAX_ID_LENGTH);
  const blueprints = matches(message, BLUEPRINT)
    .map((name) => `${module}:${name.toLowerCase()}`)
    .filter((id) => id.length <= MAX_BLUEPRINT_LENGTH);
  const coauthors = matches(message, COAUTHOR_TRAILER)
    .map(parseCoauthor)
    .filter((c): c is Coauthor => c !== null);
  return {
    bug_id: unique(bugs).slice(0, MAX_BUG_IDS),
    blueprint_id: unique(blueprints).slice(0, MAX_BLUEPRINT_IDS),
    change_id: unique(matches(message, CHANGE_ID)).slice(0, MAX_CHANGE_IDS),
    coauthor: uniqueBy(coauthors, (c) => c.author_email),
  };
}

/** The first capture group of every match. */
const matches = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1] ?? "");

const unique = (values: string[]) => [...new Set(values)];

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `Name <email>`, `Name email` or a bare email; null when the email is not one. */
function parseCoauthor(value: string): Coauthor | null {
  const text = value.trim();
  const m = NAME_AND_ANGLED_EMAIL.exec(text) ?? NAME_AND_BARE_EMAIL.exec(text);
  if (!m) return null;
  const email = (m[2] ?? "").toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !isValidEmail(email)) return null;
  const name = (m[1] ?? "").trim().replace(/^"(.*)"$/, "$1");
  return { author_name: truncate(name, MAX_NAME_LENGTH), author_email: email };
}

/**
 * An email as Stackalytics compared them: without invisible characters (control, format), lower-cased;
 * null when nothing valid is left (old commits carry empty or broken author emails).
 */
function cleanEmail(email: string): string | null {
  const clean = email.replace(/\p{C}/gu, "").trim().toLowerCase();
  return clean.length <= MAX_EMAIL_LENGTH && isValidEmail(clean) ? clean : null;
}

/**
 * The records of one commit: none for a merge, a submodule update, an author without a valid email
 * or a date records cannot hold; else one, or one per person (author first) when co-authors are
 * credited, each with the whole loc, keyed commit id + email.
 */
export function commitRecords(commit: GitCommit, ctx: CommitContext): RawRecord[] {
  if (commit.parents > 1 || commit.subject === SUBMODULE_UPDATE) return [];
  const email = cleanEmail(commit.author_email);
  if (!email || !RawRecordSchema.shape.date.safeParse(commit.date).success) return [];
  const refs = parseCommitMessage(commit.message, ctx.module);
  const author: Coauthor = { author_name: truncate(commit.author_name, MAX_NAME_LENGTH), author_email: email };
  const people = uniqueBy([author, ...refs.coauthor], (p) => p.author_email).slice(0, MAX_PEOPLE);
  const record = commitRecord(commit, ctx, refs);
  // The forge's account is the author's: a co-author's record carrying it would merge the two people.
  const account = (person: Coauthor) => (commit.github_id && person === author ? { github_id: commit.github_id } : {});
  // A trailer naming only the author credits nobody else: the plain record, keyed by commit id.
  if (people.length === 1) return [{ primary_key: commit.commit_id, ...author, ...account(author), ...record }];
  return people.map((person) => ({
    primary_key: commit.commit_id + person.author_email,
    ...person,
    ...account(person),
    ...record,
    coauthor: people.map((p) => ({ ...p })),
  }));
}

/** The fields every record of a commit shares. */
function commitRecord(commit: GitCommit, ctx: CommitContext, refs: CommitMessageRefs) {
  return {
    record_type: "commit" as const,
    date: commit.date,
    module: ctx.module,
    branch: ctx.branch,
    branches: [ctx.branch],
    ...(ctx.release ? { release: ctx.release } : {}),
    loc: commit.lines_added + commit.lines_deleted,
    commit_id: commit.commit_id,
    lines_added: commit.lines_added,
    lines_deleted: commit.lines_deleted,
    files_changed: commit.files_changed,
    subject: truncate(commit.subject, RECORD_TEXT_LIMITS.subject),
    message: truncate(commit.message, RECORD_TEXT_LIMITS.message),
    ...(refs.bug_id.length ? { bug_id: refs.bug_id } : {}),
    ...(refs.blueprint_id.length ? { blueprint_id: refs.blueprint_id } : {}),
    ...(refs.change_id.length ? { change_id: refs.change_id } : {}),
  };
}

/**
 * A full commit message split as git's `%s` and `%b` do, so that a forge's commit and the same
 * commit read by `git log` agree: the subject is the first paragraph with its lines joined by
 * spaces, the message is what follows the blank line.
 */
export function splitCommitMessage(text: string): { subject: string; message: string } {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const isBlank = (line: string) => line.trim() === "";
  const start = lines.findIndex((line) => !isBlank(line));
  if (start < 0) return { subject: "", message: "" };
  const blank = lines.findIndex((line, i) => i > start && isBlank(line));
  const end = blank < 0 ? lines.length : blank;
  const subject = lines
    .slice(start, end)
    .map((line) => line.trim())
    .join(" ");
  const message = lines.slice(end).join("\n").replace(/^\s*\n/, "").trimEnd();
  return { subject, message };
}

/** Validates a parsed answer, naming the source and the path of the first field that fails. */
function validate<S extends z.ZodType>(schema: S, value: unknown, source: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length ? issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("") : "the answer";
  throw new SourceFormatError(source, `${where}: ${issue.message}${forgeMessage(value)}`);
}

/** A forge's own error text (`{"message": "Not Found"}`), worth showing when the answer is not a list. */
function forgeMessage(value: unknown): string {
  const message = typeof value === "object" && value !== null && "message" in value ? value.message : undefined;
  return typeof message === "string" ? ` (the forge said: ${truncate(message, 200)})` : "";
}

type ForgeCommit = Pick<GiteaCommit, "sha" | "commit" | "parents" | "stats" | "files">;

function fromForge(entry: ForgeCommit, source: string, path: string): GitCommit {
  const date = toSeconds(entry.commit.author.date);
  if (date === null) throw new SourceFormatError(source, `${path}.commit.author.date: not a time`);
  return {
    commit_id: entry.sha,
    date,
    author_name: entry.commit.author.name,
    author_email: entry.commit.author.email,
    ...splitCommitMessage(entry.commit.message),
    parents: entry.parents.length,
    lines_added: entry.stats.additions,
    lines_deleted: entry.stats.deletions,
    files_changed: entry.files.length,
  };
}

/**
 * A page of Gitea's (or Forgejo's) commit list, asked with `stat=true` (and files, the default).
 * A Gitea account is not a GitHub one, so no github_id.
 */
export function parseGiteaCommits(text: string, source: string): GitCommit[] {
  const list = validate(GiteaCommitListSchema, parseJsonText(source, text), source);
  return list.map((entry, i) => fromForge(entry, source, `[${i}]`));
}

/** A page of GitHub's commit list: which commits to fetch one by one (the list has no stats). */
export function parseGithubCommitList(text: string, source: string): { sha: string; parents: number }[] {
  const list = validate(GithubCommitListSchema, parseJsonText(source, text), source);
  return list.map((entry) => ({ sha: entry.sha, parents: entry.parents.length }));
}

/** GitHub's answer for one commit; github_id is the account GitHub linked to the author's email. */
export function parseGithubCommit(text: string, source: string): GitCommit {
  const entry = validate(GithubCommitSchema, parseJsonText(source, text), source);
  const login = entry.author?.login?.trim();
  return { ...fromForge(entry, source, "the answer"), ...(login ? { github_id: login } : {}) };
}

/** A page of GitHub's `GET /orgs/{org}/repos`. */
export function parseGithubRepos(text: string, source: string): GithubRepoEntry[] {
  const list = validate(GithubRepoListSchema, parseJsonText(source, text), source);
  return list.map(({ name, clone_url, default_branch, archived, fork }) => ({ name, clone_url, default_branch, archived, fork }));
}

// Control characters no name, email or message uses: a record separator before each commit and a
// unit separator after each field, so any subject or body is read as it is.
const RS = "\x1e";
const US = "\x1f";
const LOG_FIELDS = 7;

/** The `git log --format=` that parseGitLog reads: hash, author time, name, email, parents, subject, body. */
export const GIT_LOG_FORMAT = "%x1e%H%x1f%at%x1f%an%x1f%ae%x1f%P%x1f%s%x1f%b%x1f";

/** The arguments of the `git log` whose output parseGitLog reads (append a revision range). */
export const GIT_LOG_ARGS = ["log", "--no-merges", "-M", "--numstat", `--format=${GIT_LOG_FORMAT}`] as const;

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const NUMSTAT = /^(\d+|-)\t(\d+|-)\t./;

/** The output of `git log --no-merges -M --numstat --format=<GIT_LOG_FORMAT>`. */
export function parseGitLog(text: string, source = "git log"): GitCommit[] {
  const [before = "", ...entries] = text.split(RS);
  if (before.trim() !== "") {
    throw new SourceFormatError(source, `not git log output in GIT_LOG_FORMAT; it began with ${JSON.stringify(before.slice(0, 80))}`);
  }
  return entries.map((entry, i) => parseLogEntry(entry, source, i));
}

function parseLogEntry(entry: string, source: string, index: number): GitCommit {
  const fields = entry.split(US);
  if (fields.length !== LOG_FIELDS + 1) {
    throw new SourceFormatError(source, `commit ${index + 1}: expected ${LOG_FIELDS} fields, found ${fields.length - 1}`);
  }
  const [sha = "", time = "", name = "", email = "", parents = "", subject = "", body = "", stat = ""] = fields;
  if (!SHA.test(sha)) throw new SourceFormatError(source, `commit ${index + 1}: not a commit hash: ${JSON.stringify(sha.slice(0, 80))}`);
  if (!/^-?\d+$/.test(time)) throw new SourceFormatError(source, `commit ${sha}: not an author time: ${JSON.stringify(time)}`);
  return {
    commit_id: sha,
    date: Number(time),
    author_name: name,
    author_email: email,
    subject: subject.trim(),
    message: body.trimEnd(),
    parents: parents.split(" ").filter(Boolean).length,
    ...parseNumstat(stat, source, sha),
  };
}

/** `added<TAB>deleted<TAB>path` lines; a binary file shows `-` and counts no lines. */
function parseNumstat(text: string, source: string, sha: string) {
  const totals = { lines_added: 0, lines_deleted: 0, files_changed: 0 };
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const m = NUMSTAT.exec(line);
    if (!m) throw new SourceFormatError(source, `commit ${sha}: not a numstat line: ${JSON.stringify(line.slice(0, 80))}`);
    totals.lines_added += m[1] === "-" ? 0 : Number(m[1]);
    totals.lines_deleted += m[2] === "-" ? 0 : Number(m[2]);
    totals.files_changed += 1;
  }
  return totals;
}
