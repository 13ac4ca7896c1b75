// The processor's schedule: each hour (and whenever an operator asks) the config in force, with
// what discovery found, becomes the list of sources to follow, and each source that is due gets
// one Queue message for its next step.
import { processorConfig } from "../config";
import { currentEngine } from "../contrib/sync";
import {
  type ProcessorSource,
  listCursors,
  listDueSources,
  listProcessorSources,
  makeSourcesDue,
  markSourcesQueued,
  pruneStepLog,
  syncProcessorSources,
} from "../db/processor";
import { type DiscoveredRepo, planSources } from "../domain/contrib/sources/plan";
import type { DiscoveryCursor } from "./projects";
import type { ProcessorMessage } from "./step";

/** A queued or running step that has not moved for this long lost its message: it is sent again. */
export const LOST_AFTER_MS = 30 * 60 * 1000;
/** How long the step log is kept. */
const STEP_LOG_MS = 7 * 86_400_000;
/** Messages sent per planning (a Queue takes 100 per sendBatch). */
const MAX_DUE = 5000;

export interface PlanResult {
  sources: number;
  added: number;
  retired: number;
  queued: number;
  note?: string;
}

/** Makes the followed sources what the config asks for (not touching their cursors). */
export async function syncSources(env: Env, now: number): Promise<Omit<PlanResult, "queued"> | null> {
  const engine = await currentEngine(env.CONTRIB_DB);
  if (!engine) return null;
  const discovered = new Map([...(await listCursors(env.CONTRIB_DB, "projects"))].map(([id, c]) => [id, (c as DiscoveryCursor).repos as DiscoveredRepo[]]));
  const specs = planSources(engine.config, discovered, processorConfig(env).defaultGerrit);
  const { added, retired } = await syncProcessorSources(env.CONTRIB_DB, specs, now);
  return { sources: specs.length, added, retired };
}

/** Sends a step message for each source that is due (or whose step was lost). */
export async function queueDueSources(env: Env, queue: Queue<ProcessorMessage>, now: number): Promise<number> {
  const due = await listDueSources(env.CONTRIB_DB, now, now - LOST_AFTER_MS, MAX_DUE);
  for (let i = 0; i < due.length; i += 100) {
    const chunk = due.slice(i, i + 100);
    await queue.sendBatch(chunk.map((s) => ({ body: { source: s.id, version: s.version } satisfies ProcessorMessage })));
    await markSourcesQueued(env.CONTRIB_DB, chunk.map((s) => s.id), now);
  }
  return due.length;
}

/** The hourly run: sync the sources with the config, then queue what is due (and forget steps older than a week). */
export async function planProcessorRun(env: Env, now: number): Promise<PlanResult> {
  await pruneStepLog(env.CONTRIB_DB, now - STEP_LOG_MS);
  const synced = await syncSources(env, now);
  if (!synced) return { sources: 0, added: 0, retired: 0, queued: 0, note: "no default data is loaded" };
  return { ...synced, queued: await queueDueSources(env, env.PROCESSOR_QUEUE as Queue<ProcessorMessage>, now) };
}

export interface RunSelection {
  source?: string;
  module?: string;
  kind?: string;
}

const matches = (s: ProcessorSource, sel: RunSelection) =>
  (!sel.source || s.id === sel.source) &&
  (!sel.kind || s.kind === sel.kind) &&
  (!sel.module || (s.target as { module?: string; project?: string }).module === sel.module || (s.target as { project?: string }).project === sel.module);

/** An operator's run now: the selected sources (every one when nothing is selected) are made due and queued. */
export async function runProcessorNow(env: Env, selection: RunSelection, now: number): Promise<PlanResult & { selected: string[] }> {
  const synced = await syncSources(env, now);
  if (!synced) return { sources: 0, added: 0, retired: 0, queued: 0, selected: [], note: "no default data is loaded" };
  const selected = (await listProcessorSources(env.CONTRIB_DB)).filter((s) => s.status !== "retired" && matches(s, selection)).map((s) => s.id);
  await makeSourcesDue(env.CONTRIB_DB, selected, now);
  return { ...synced, selected, queued: await queueDueSources(env, env.PROCESSOR_QUEUE as Queue<ProcessorMessage>, now) };
}
