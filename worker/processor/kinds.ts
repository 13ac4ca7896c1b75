// What every kind of source implements: one bounded step from a cursor to records and the next
// cursor. A step reads at most a few pages and returns; the step runner stores the records and
// the cursor in one transaction and queues the next step while the source is not done.
import type { RawRecord } from "../../schemas/contrib/records";
import type { ProcessorConfig } from "../config";
import type { Engine } from "../domain/contrib/engine";
import type { HttpClient } from "./http-client";

export interface StepContext {
  http: HttpClient;
  engine: Engine;
  settings: ProcessorConfig;
  /** Epoch milliseconds when the step started. */
  now: number;
  /** The source's id, for error messages. */
  source: string;
}

export interface StepResult<C> {
  records: RawRecord[];
  /** Commit id → release, from a repo's tag range (the `git-tags` kind). */
  releases?: Map<string, string>;
  cursor: C;
  /** The source is up to date: no step follows until its next run. */
  done: boolean;
}

export type StepFn<T, C> = (target: T, cursor: C | null, ctx: StepContext) => Promise<StepResult<C>>;
