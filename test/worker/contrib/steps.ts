// Running the processor's steps by hand in workerd tests, and reading back what they stored.
import { env } from "cloudflare:workers";
import { processorConfig } from "../../../worker/config";
import { findProcessorSource } from "../../../worker/db/processor";
import { type ProcessorMessage, type StepDeps, runStep, stepDeps } from "../../../worker/processor/step";

export interface RunOptions {
  settings?: Partial<StepDeps["settings"]>;
  /** The clock the steps run at (epoch ms). */
  now?: number;
}

/** Step deps whose queue keeps what it is sent (`sent`), with settings and clock changed as given. */
export function testDeps({ settings = {}, now }: RunOptions = {}) {
  const sent: ProcessorMessage[] = [];
  const base = stepDeps(env, async () => undefined);
  const queue = { send: async (m: ProcessorMessage) => void sent.push(m), sendBatch: async () => undefined } as unknown as Queue<ProcessorMessage>;
  const clock = now === undefined ? {} : { now: () => now };
  return { sent, deps: { ...base, ...clock, queue, settings: { ...processorConfig(env), ...settings } } satisfies StepDeps };
}

/** The message of a source's next step. */
export const nextStep = async (id: string): Promise<ProcessorMessage> => ({ source: id, version: (await findProcessorSource(env.CONTRIB_DB, id))!.version });

/** Runs a source's steps one after another until it is done (or a step fails); returns each step's outcome. */
export async function runToEnd(id: string, options: RunOptions = {}): Promise<string[]> {
  const { sent, deps } = testDeps(options);
  let message = await nextStep(id);
  const outcomes: string[] = [];
  for (;;) {
    const { outcome } = await runStep(env, message, deps);
    outcomes.push(outcome);
    if (outcome !== "advanced") return outcomes;
    message = sent.at(-1)!;
  }
}

/** Everything storing records writes (records, totals, links, core reviewers), in a stable order. */
export async function snapshot() {
  const q = (sql: string) => env.CONTRIB_DB.prepare(sql).all().then((r) => r.results);
  return {
    records: await q("SELECT primary_key, record_type, date, day, week, user_id, company_name, release, module, loc, raw, fields, derived FROM records ORDER BY primary_key"),
    totals: await q("SELECT * FROM daily_totals ORDER BY day, release, module, company_name, user_id, record_type"),
    refs: await q("SELECT * FROM record_refs ORDER BY ref, primary_key"),
    cores: await q("SELECT * FROM core_marks ORDER BY profile_seq, module, branch"),
  };
}

/** Stored records per type. */
export const countByType = async () =>
  Object.fromEntries(
    (await env.CONTRIB_DB.prepare("SELECT record_type, count(*) AS n FROM records GROUP BY record_type").all<{ record_type: string; n: number }>()).results.map((r) => [
      r.record_type,
      r.n,
    ]),
  );
