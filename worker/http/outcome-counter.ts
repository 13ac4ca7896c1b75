// Data-quality counters are added up in the isolate and written at most once per interval, so that
// counting costs one D1 statement per second rather than one per request.
import type { Outcome } from "../../schemas/health";
import { addOutcomes, type OutcomeRow } from "../db/collector";
import type { OutcomeCounts } from "../domain/outcomes";

export class OutcomeCounter {
  private pending = new Map<string, OutcomeRow>();
  private flushing = false;

  /**
   * Adds counts; the first request after a flush schedules the next one through its
   * `waitUntil`, which keeps the isolate alive until the counts are written.
   */
  add(
    db: D1Database,
    ctx: { waitUntil(promise: Promise<unknown>): void },
    intervalMs: number,
    day: string,
    endpoint: string,
    counts: OutcomeCounts,
  ): void {
    for (const [outcome, count] of Object.entries(counts)) {
      if (count) this.merge({ day, endpoint, outcome: outcome as Outcome, count });
    }
    if (!this.flushing) {
      this.flushing = true;
      ctx.waitUntil(this.flushLater(db, intervalMs));
    }
  }

  private async flushLater(db: D1Database, intervalMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const rows = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = false;
    try {
      await addOutcomes(db, rows);
    } catch (error) {
      console.error("writing outcome counters failed; keeping them for the next flush", error);
      for (const row of rows) this.merge(row);
    }
  }

  private merge(row: OutcomeRow): void {
    const key = `${row.day}|${row.endpoint}|${row.outcome}`;
    const pending = this.pending.get(key);
    if (pending) pending.count += row.count;
    else this.pending.set(key, { ...row });
  }
}

/** One counter per isolate. */
export const outcomeCounter = new OutcomeCounter();
