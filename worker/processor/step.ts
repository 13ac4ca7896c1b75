// One step of one source, as a Queue message: read where the source stopped, fetch a few pages,
// and store the records with the next cursor in one transaction. The transaction also claims the
// step's version, so a second delivery of the same step (or one that overlaps it) stores nothing;
// a failure stores nothing and keeps the cursor, and the step is delivered again with back-off.
import type { RawRecord } from "../../schemas/contrib/records";
import { type ProcessorConfig, processorConfig } from "../config";
import { ingestRecords } from "../contrib/ingest";
import { currentEngine } from "../contrib/sync";
import {
  type ProcessorSource,
  findProcessorSource,
  insertStepLog,
  isClaimConflict,
  markSourceRunning,
  recordSourceFailure,
  stepCommitWrites,
} from "../db/processor";
import { meteredD1 } from "../db/metered";
import { INTERVAL_SECONDS, type SourceKind } from "../domain/contrib/sources/plan";
import { logStep } from "../observability/log";
import { gerritStep } from "./gerrit";
import { gitStep } from "./git";
import { gitTagsStep } from "./tags";
import { HostLimiter, HttpClient, RetryLaterError } from "./http-client";
import type { StepContext, StepFn } from "./kinds";
import { addLaunchpadIds } from "./launchpad-people";
import { launchpadBlueprintsStep, launchpadBugsStep } from "./launchpad";
import { hyperkittyStep, pipermailStep } from "./mail";
import { projectsStep } from "./projects";

export interface ProcessorMessage {
  source: string;
  version: number;
}

// Targets and cursors are stored as JSON; each kind reads back what it wrote.
const STEPS: Record<SourceKind, StepFn<any, any>> = {
  gerrit: gerritStep,
  git: gitStep,
  "git-tags": gitTagsStep,
  "launchpad-bugs": launchpadBugsStep,
  "launchpad-blueprints": launchpadBlueprintsStep,
  pipermail: pipermailStep,
  hyperkitty: hyperkittyStep,
  projects: projectsStep,
};

/** Kinds whose records need Launchpad's word on who their authors are. */
const LOOKUP_KINDS = new Set<string>(["gerrit", "git", "pipermail", "hyperkitty"]);

export interface StepDeps {
  queue: Queue<ProcessorMessage>;
  http: HttpClient;
  settings: ProcessorConfig;
  now: () => number;
  /** Called when a discovery finished (its repos are now known): plans their sources at once. */
  replan: () => Promise<unknown>;
}

// One limiter per isolate and setting: every step running here shares each host's budget.
let limiter: { key: string; limiter: HostLimiter } | null = null;

export function stepDeps(env: Env, replan: () => Promise<unknown>): StepDeps {
  const settings = processorConfig(env);
  const key = `${settings.http.hostConcurrency}/${settings.http.hostPerSecond}`;
  if (limiter?.key !== key) limiter = { key, limiter: new HostLimiter({ concurrency: settings.http.hostConcurrency, perSecond: settings.http.hostPerSecond }) };
  return {
    queue: env.PROCESSOR_QUEUE as Queue<ProcessorMessage>,
    http: new HttpClient({ userAgent: settings.userAgent, ...settings.http, limiter: limiter.limiter }),
    settings,
    now: Date.now,
    replan,
  };
}

export type StepOutcome = "advanced" | "done" | "skipped";

/** When a source that failed `failures` runs in a row is tried again: 1 h, 2 h, 4 h … at most a day. */
export const retryDelayMs = (failures: number) => Math.min(2 ** failures, 24) * 3_600_000;

/** Runs one step. Throws when the step failed; the caller retries the message. */
export async function runStep(env: Env, message: ProcessorMessage, deps: StepDeps): Promise<{ outcome: StepOutcome; stored: number; fetched: number }> {
  const now = deps.now();
  const requestsBefore = deps.http.stats.requests;
  const { db, meter } = meteredD1(env.CONTRIB_DB);
  const source = await findProcessorSource(db, message.source);
  const engine = await currentEngine(db);
  if (!source || !engine || source.version !== message.version || !(await markSourceRunning(db, source.id, source.version, now))) {
    return { outcome: "skipped", stored: 0, fetched: 0 };
  }
  const ctx: StepContext = { http: deps.http, engine, settings: deps.settings, now, source: source.id };
  const step = STEPS[source.kind as SourceKind];
  if (!step) throw new Error(`${source.id}: no such kind of source "${source.kind}"`);
  const result = await step(source.target, source.cursor, ctx);
  const records: RawRecord[] =
    deps.settings.launchpadLookups && LOOKUP_KINDS.has(source.kind) ? await addLaunchpadIds(db, result.records, ctx) : result.records;
  const commit = stepCommitWrites(db, {
    id: source.id,
    version: source.version,
    cursor: result.cursor,
    done: result.done,
    now,
    nextRunAt: now + INTERVAL_SECONDS[source.kind as SourceKind] * 1000,
  });
  let stored: number;
  try {
    const ingested = await ingestRecords(db, engine, records, now, {
      alongside: commit,
      ...(result.releases ? { commitReleases: { sourceId: source.id, releases: result.releases } } : {}),
    });
    stored = ingested.added + ingested.updated;
  } catch (error) {
    if (isClaimConflict(error)) return { outcome: "skipped", stored: 0, fetched: records.length };
    throw error;
  }
  await insertStepLog(env.CONTRIB_DB, {
    sourceId: source.id,
    version: source.version + 1,
    startedAt: now,
    ms: deps.now() - now,
    requests: deps.http.stats.requests - requestsBefore,
    queries: meter.queries,
    fetched: records.length,
    stored,
    rowsRead: meter.rowsRead,
    rowsWritten: meter.rowsWritten,
  });
  if (!result.done) {
    await deps.queue.send({ source: source.id, version: source.version + 1 });
    return { outcome: "advanced", stored, fetched: records.length };
  }
  if (source.kind === "projects") await deps.replan();
  return { outcome: "done", stored, fetched: records.length };
}

/** The Queue consumer: each message is one step; a failed step is retried with back-off, then its source marked failed. */
export async function consumeProcessorMessages(batch: MessageBatch<ProcessorMessage>, env: Env, deps: StepDeps): Promise<void> {
  for (const message of batch.messages) {
    try {
      await logStep(
        { trigger: "queue", job: "processor", step: String(message.body.version), target: message.body.source, attempt: message.attempts },
        () => runStep(env, message.body, deps),
        ({ outcome, fetched, stored }) => ({ outcome, counts: { fetched, stored } }),
        message.attempts >= deps.settings.stepAttempts ? "given_up" : "retry",
      );
      message.ack();
    } catch (error) {
      const source: ProcessorSource | null = await findProcessorSource(env.CONTRIB_DB, message.body.source).catch(() => null);
      const giveUp = message.attempts >= deps.settings.stepAttempts;
      const now = deps.now();
      console.error("processor step failed", message.body, `attempt ${message.attempts}`, String(error));
      try {
        await recordSourceFailure(env.CONTRIB_DB, {
          id: message.body.source,
          version: message.body.version,
          error: `${new Date(now).toISOString()} attempt ${message.attempts}: ${String(error)}`,
          failed: giveUp,
          now,
          nextRunAt: now + retryDelayMs(source?.failures ?? 0),
        });
      } catch (bookkeeping) {
        // The failure could not be recorded (D1 itself failing): the step comes again, and the
        // batch's other messages are still handled, instead of the whole batch being retried.
        console.error("processor step failure not recorded", message.body, String(bookkeeping));
        message.retry({ delaySeconds: retryDelaySeconds(error, message.attempts) });
        continue;
      }
      if (giveUp) message.ack();
      else message.retry({ delaySeconds: retryDelaySeconds(error, message.attempts) });
    }
  }
}

/** A server that said when to come back is believed (within a Queue's 12 hours); else 30 s, 60 s, 120 s … */
function retryDelaySeconds(error: unknown, attempts: number): number {
  if (error instanceof RetryLaterError) return Math.min(Math.max(1, Math.ceil(error.retryAfterSeconds)), 43_200);
  return Math.min(30 * 2 ** (attempts - 1), 3600);
}
