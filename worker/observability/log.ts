// The structured log lines (docs/operations.md, "Observability"): one JSON object per request and
// per job step, written with console.log, which Workers Logs indexes field by field and
// `wrangler tail --search` matches as text. A line holds no token, header, address, raw path or
// query string: routes are their patterns, an installation is a short hash of its uid.
import type { Schedule } from "../cron/dispatcher";

/** Counts of what a request or step did (records accepted, rows read, …). */
export type Counts = Record<string, number>;

export interface RequestLine {
  kind: "request";
  method: string;
  /** The pattern of the route that answered (`/api/v1/admin/installations/:uid`), never the path. */
  route: string;
  status: number;
  ms: number;
  /** installationHash of the master_node_uid a collector write named. */
  installation?: string;
  /** What an accepted collector write did, as the data-quality counters count it. */
  outcomes?: Counts;
  /** The exception behind a 5xx. */
  error?: string;
}

export interface StepLine {
  kind: "step";
  trigger: "cron" | "queue";
  job: string;
  /** cron: "run"; queue: the message's step (a bundle's or backup's step number, a source's version). */
  step: string;
  /** The bundle, backup or source the step works on. */
  target?: string;
  /** Deliveries of the Queue message so far, this one included. */
  attempt?: number;
  ms: number;
  /** ok | failed (cron); advanced | done | skipped | failed (queue), or retry | given_up when it threw. */
  outcome: string;
  counts?: Counts;
  error?: string;
}

export const writeLine = (line: RequestLine | StepLine): void => console.log(JSON.stringify(line));

/** Short enough for a line, long enough (48 bits) that two of 100,000 installations almost never share one. */
const HASH_HEX_CHARS = 12;

/**
 * The first 12 hex digits of the SHA-256 of a master_node_uid: lines of one installation can be
 * found (`printf %s "$uid" | sha256sum | cut -c1-12`) without logs holding the uid itself.
 */
export async function installationHash(uid: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(uid));
  return Array.from(new Uint8Array(digest, 0, HASH_HEX_CHARS / 2), (b) => b.toString(16).padStart(2, "0")).join("");
}

const MAX_ERROR_CHARS = 500;
export const errorText = (error: unknown) => String(error).slice(0, MAX_ERROR_CHARS);

/** The numbers among a job's result (rowsRead, expired, queued …); nested values are left out. */
export function countsOf(result: unknown): Counts | undefined {
  if (result === null || typeof result !== "object") return undefined;
  const counts = Object.fromEntries(Object.entries(result).filter(([, v]) => typeof v === "number" && Number.isFinite(v)));
  return Object.keys(counts).length > 0 ? counts : undefined;
}

const elapsed = (since: number) => Math.round(performance.now() - since);

/**
 * Runs one step and writes its line: `describe` turns the step's result into its outcome and
 * counts; a step that throws is written with `failure` as its outcome and the error, and rethrown.
 */
export async function logStep<T>(
  step: Pick<StepLine, "trigger" | "job" | "step" | "target" | "attempt">,
  run: () => Promise<T>,
  describe: (result: T) => Pick<StepLine, "outcome" | "counts">,
  failure = "failed",
): Promise<T> {
  const started = performance.now();
  let result: T;
  try {
    result = await run();
  } catch (error) {
    writeLine({ kind: "step", ...step, ms: elapsed(started), outcome: failure, error: errorText(error) });
    throw error;
  }
  const { outcome, counts } = describe(result);
  writeLine({ kind: "step", ...step, ms: elapsed(started), outcome, ...(counts ? { counts } : {}) });
  return result;
}

/** The schedule with a step line written for each job's run (worker/index.ts hands it to the dispatcher). */
export function withStepLines(schedule: Schedule): Schedule {
  return Object.fromEntries(
    Object.entries(schedule).map(([cron, jobs]) => [
      cron,
      jobs.map((job) => ({
        name: job.name,
        run: (env: Env, scheduledTime: number) =>
          logStep({ trigger: "cron", job: job.name, step: "run" }, () => job.run(env, scheduledTime), (detail) => ({ outcome: "ok", counts: countsOf(detail) })),
      })),
    ]),
  );
}
