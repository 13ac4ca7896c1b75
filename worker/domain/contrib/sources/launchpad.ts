// Launchpad answers → records: bug tasks give `bugf` (filed) and `bugr` (resolved), blueprints give
// `bpd` (drafted) and `bpc` (completed); a person lookup gives the id and display name.
import type { z } from "zod";
import { RECORD_TEXT_LIMITS, type RawRecord } from "../../../../schemas/contrib/records";
import {
  LaunchpadBugTaskSchema,
  LaunchpadCollectionSchema,
  LaunchpadPersonSchema,
  LaunchpadSpecificationSchema,
  type LaunchpadBugTask,
} from "../../../../schemas/contrib/sources/launchpad";
import { SourceFormatError, parseJsonText, toSeconds, truncate } from "./common";

/** The person of a `bugr` record when the bug was fixed with nobody assigned. */
export const UNASSIGNED = "*unassigned";

const FIXED_STATUSES = new Set(["Fix Committed", "Fix Released"]);
/** The display name Launchpad shows for people who hide their address. */
const HIDDEN_EMAIL = "<email address hidden>";
/** The records' upper bound on times (2100). */
const MAX_SECONDS = 4_102_444_800;

function parseAs<S extends z.ZodType>(schema: S, value: unknown, source: string, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.length ? issue.path.join(".") : "(root)";
  throw new SourceFormatError(source, `${what} is not in Launchpad's format: ${path}: ${issue.message}`);
}

function secondsOf(text: string, source: string, field: string): number {
  const seconds = toSeconds(text);
  if (seconds === null || seconds < 0 || seconds > MAX_SECONDS) throw new SourceFormatError(source, `${field} ${JSON.stringify(text)} is out of range`);
  return seconds;
}

const optionalSeconds = (text: string | null | undefined, source: string, field: string) => (text ? secondsOf(text, source, field) : undefined);

/** One page of a Launchpad collection: its entries (validated by the caller) and the next page's link. */
export function parseLaunchpadCollection(text: string, source: string): { entries: unknown[]; next: string | null } {
  const page = parseAs(LaunchpadCollectionSchema, parseJsonText(source, text), source, "a collection page");
  return { entries: page.entries, next: page.next_collection_link || null };
}

/** The Launchpad id in a person link: `samueldmq` in `https://api.launchpad.net/devel/~samueldmq`. */
export function launchpadIdOfLink(link: string | null | undefined): string | null {
  const match = /~([^/?#\s]+)/.exec(link ?? "");
  return match ? match[1]! : null;
}

/** The bug number: the last segment of `bug_link`, else the number after `+bug/` in `web_link`. */
function bugNumber(task: LaunchpadBugTask, source: string): number {
  const fromApi = /\/bugs\/(\d+)\/?$/.exec(task.bug_link ?? "");
  const fromWeb = /\/\+bug\/(\d+)/.exec(task.web_link);
  const digits = fromApi?.[1] ?? fromWeb?.[1];
  if (!digits) throw new SourceFormatError(source, `a bug task has no bug number in bug_link or web_link (${task.web_link})`);
  return Number(digits);
}

/**
 * The series of a task's target (`kilo` for `sahara/kilo`), "" for the project itself, or null
 * when the task belongs to another project (searchTasks lists tasks of related projects too).
 */
function seriesOfTarget(target: string, module: string): string | null {
  const name = target.toLowerCase();
  if (name === module) return "";
  const series = name.startsWith(`${module}/`) ? name.slice(module.length + 1) : "";
  return series && !series.includes("/") ? series : null;
}

/**
 * The records of one bug task of `module`: `bugf` when its owner is known, and `bugr` when it is
 * fixed and has a fix date. A series target keeps its series as the records' release (the
 * original lost it by dating the bug into a release afterwards).
 */
export function bugTaskRecords(value: unknown, module: string, source: string): RawRecord[] {
  const task = parseAs(LaunchpadBugTaskSchema, value, source, "a bug task");
  const mod = module.toLowerCase();
  const series = seriesOfTarget(task.bug_target_name, mod);
  if (series === null) return [];
  const number = bugNumber(task, source);
  const id = series ? `${mod}/${series}/${number}` : `${mod}/${number}`;
  const created = secondsOf(task.date_created, source, "date_created");
  const committed = optionalSeconds(task.date_fix_committed, source, "date_fix_committed");
  const released = optionalSeconds(task.date_fix_released, source, "date_fix_released");
  const fields = {
    module: mod,
    id,
    number,
    title: truncate(task.title, RECORD_TEXT_LIMITS.title),
    status: task.status,
    ...(task.importance ? { importance: task.importance } : {}),
    web_link: task.web_link,
    date_created: created,
    ...(committed !== undefined ? { date_fix_committed: committed } : {}),
    ...(released !== undefined ? { date_fix_released: released } : {}),
    ...(series ? { release: series } : {}),
  };
  const records: RawRecord[] = [];
  const owner = launchpadIdOfLink(task.owner_link);
  if (owner) records.push({ primary_key: `bugf:${id}`, record_type: "bugf", launchpad_id: owner, date: created, ...fields });
  const fixedAt = committed ?? released;
  if (FIXED_STATUSES.has(task.status) && fixedAt !== undefined) {
    const assignee = launchpadIdOfLink(task.assignee_link) ?? UNASSIGNED;
    records.push({ primary_key: `bugr:${id}`, record_type: "bugr", launchpad_id: assignee, date: fixedAt, ...fields });
  }
  return records;
}

/**
 * The records of one blueprint of `module`: `bpd` for its drafter (else its owner), and `bpc` for
 * its assignee once it is implemented and completed.
 */
export function specificationRecords(value: unknown, module: string, source: string): RawRecord[] {
  const spec = parseAs(LaunchpadSpecificationSchema, value, source, "a specification");
  const mod = module.toLowerCase();
  const id = `${mod}:${spec.name}`;
  const created = secondsOf(spec.date_created, source, "date_created");
  const completed = optionalSeconds(spec.date_completed, source, "date_completed");
  const fields = {
    module: mod,
    id,
    name: spec.name,
    title: truncate(spec.title, RECORD_TEXT_LIMITS.title),
    ...(spec.summary ? { summary: truncate(spec.summary, RECORD_TEXT_LIMITS.summary) } : {}),
    ...(spec.lifecycle_status ? { lifecycle_status: spec.lifecycle_status } : {}),
    status: spec.implementation_status,
    web_link: spec.web_link,
    date_created: created,
    ...(completed !== undefined ? { date_completed: completed } : {}),
  };
  const records: RawRecord[] = [];
  const drafter = launchpadIdOfLink(spec.drafter_link) ?? launchpadIdOfLink(spec.owner_link);
  if (drafter) records.push({ primary_key: `bpd:${id}`, record_type: "bpd", launchpad_id: drafter, date: created, ...fields });
  const assignee = launchpadIdOfLink(spec.assignee_link);
  if (assignee && completed !== undefined && spec.implementation_status === "Implemented") {
    records.push({ primary_key: `bpc:${id}`, record_type: "bpc", launchpad_id: assignee, date: completed, ...fields });
  }
  return records;
}

/**
 * A person from `~<id>` or `people?ws.op=getByEmail` (which answers `null` when nobody has the
 * address). People who hide their address are named by their id.
 */
export function parseLaunchpadPerson(text: string, source: string): { launchpad_id: string; display_name: string } | null {
  const value = parseJsonText(source, text);
  if (value === null) return null;
  const person = parseAs(LaunchpadPersonSchema, value, source, "a person");
  const shown = person.display_name.trim();
  return { launchpad_id: person.name, display_name: shown && shown !== HIDDEN_EMAIL ? shown : person.name };
}
