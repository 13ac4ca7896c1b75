// A Launchpad project's bugs (`searchTasks` with every status, modified since the cursor's day) and
// blueprints (`all_specifications`, read whole each run), paged by `next_collection_link`. A
// project Launchpad does not know (404) is skipped, and only that one.
import type { RawRecord } from "../../schemas/contrib/records";
import { bugTaskRecords, parseLaunchpadCollection, specificationRecords } from "../domain/contrib/sources/launchpad";
import type { LaunchpadTarget } from "../domain/contrib/sources/plan";
import { HttpStatusError } from "./http-client";
import type { StepContext, StepFn, StepResult } from "./kinds";

export interface LaunchpadCursor {
  /** Bugs: the day (YYYY-MM-DD) the last finished walk began; the next asks for tasks modified since. */
  modifiedSince: string | null;
  walk: { next: string; started: number } | null;
}

const STATUSES = [
  "New", "Incomplete", "Opinion", "Invalid", "Won't Fix", "Expired", "Confirmed", "Triaged", "In Progress",
  "Fix Committed", "Fix Released", "Incomplete (with response)", "Incomplete (without response)",
];
const PAGE_SIZE = "75";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function walkCollection(
  first: string,
  cursor: LaunchpadCursor | null,
  ctx: StepContext,
  toRecords: (entry: unknown, source: string) => Promise<RawRecord[]>,
): Promise<StepResult<LaunchpadCursor>> {
  const walk = cursor?.walk ?? { next: first, started: ctx.now };
  const records: RawRecord[] = [];
  for (let page = 0; page < ctx.settings.pagesPerStep; page++) {
    let text: string;
    try {
      text = await ctx.http.getText(walk.next, { headers: { accept: "application/json" } });
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) return { records, cursor: { modifiedSince: cursor?.modifiedSince ?? null, walk: null }, done: true };
      throw error;
    }
    const { entries, next } = parseLaunchpadCollection(text, walk.next);
    for (const entry of entries) records.push(...(await toRecords(entry, walk.next)));
    if (!next) return { records, cursor: { modifiedSince: day(walk.started - 86_400_000), walk: null }, done: true };
    walk.next = next;
  }
  return { records, cursor: { modifiedSince: cursor?.modifiedSince ?? null, walk }, done: false };
}

export const launchpadBugsStep: StepFn<LaunchpadTarget, LaunchpadCursor> = (target, cursor, ctx) => {
  const params = new URLSearchParams({ "ws.op": "searchTasks", "ws.size": PAGE_SIZE, omit_duplicates: "false" });
  for (const status of STATUSES) params.append("status", status);
  if (cursor?.modifiedSince) params.set("modified_since", cursor.modifiedSince);
  const first = `${ctx.settings.launchpadApi}/devel/${encodeURIComponent(target.project)}?${params}`;
  return walkCollection(first, cursor, ctx, async (entry, source) => {
    const records = bugTaskRecords(entry, target.project, source);
    // A bug's tasks on the project's series (`sahara/kilo`) come from its related tasks.
    const related = (entry as { related_tasks_collection_link?: unknown }).related_tasks_collection_link;
    if (typeof related !== "string") return records;
    const { entries } = parseLaunchpadCollection(await ctx.http.getText(related, { headers: { accept: "application/json" } }), related);
    const series = entries.filter((t) => String((t as { bug_target_name?: unknown }).bug_target_name ?? "").startsWith(`${target.project}/`));
    return [...records, ...series.flatMap((t) => bugTaskRecords(t, target.project, related))];
  });
};

export const launchpadBlueprintsStep: StepFn<LaunchpadTarget, LaunchpadCursor> = (target, cursor, ctx) => {
  const first = `${ctx.settings.launchpadApi}/devel/${encodeURIComponent(target.project)}/all_specifications?ws.size=${PAGE_SIZE}`;
  return walkCollection(first, cursor, ctx, async (entry, source) => specificationRecords(entry, target.project, source));
};
