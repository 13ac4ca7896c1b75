// What the data-quality counters count, from the statuses and errors of collector requests.
import type { ActionLogStatus, OswlStatus } from "../../schemas/collector";
import type { Outcome } from "../../schemas/health";
import { dayOf } from "./days";

export type OutcomeCounts = Partial<Record<Outcome, number>>;

/** Record outcomes count records; the others count requests. */
export const OUTCOME_UNITS: Record<Outcome, "records" | "requests"> = {
  accepted: "records",
  replaced: "records",
  existed: "records",
  skipped: "records",
  failed: "records",
  bound: "requests",
  rejected_schema: "requests",
  rejected_identity: "requests",
  rate_limited: "requests",
  too_large: "requests",
};

const ACTION_LOG_OUTCOME: Record<ActionLogStatus, Outcome> = {
  added: "accepted",
  existed: "existed",
  skipped: "skipped",
  failed: "failed",
};
const OSWL_OUTCOME: Record<OswlStatus, Outcome> = { added: "accepted", updated: "replaced", failed: "failed" };

function tally(outcomes: readonly Outcome[], bound: boolean): OutcomeCounts {
  const counts: OutcomeCounts = bound ? { bound: 1 } : {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

export const structureOutcomes = (created: boolean, bound: boolean) => tally([created ? "accepted" : "replaced"], bound);
export const actionLogOutcomes = (statuses: readonly ActionLogStatus[], bound: boolean) =>
  tally(statuses.map((s) => ACTION_LOG_OUTCOME[s]), bound);
export const oswlOutcomes = (statuses: readonly OswlStatus[], bound: boolean) => tally(statuses.map((s) => OSWL_OUTCOME[s]), bound);

/** The outcome of a refused request, by its HTTP status; null for statuses that are not counted. */
export function rejectionOutcome(httpStatus: number): OutcomeCounts | null {
  const outcome = ({ 400: "rejected_schema", 403: "rejected_identity", 413: "too_large", 429: "rate_limited" } as const)[
    httpStatus as 400 | 403 | 413 | 429
  ];
  return outcome ? { [outcome]: 1 } : null;
}

export const utcDay = dayOf;

/** Every day from `from` to `to` (YYYY-MM-DD, inclusive) with its totals and per-endpoint counts. */
export function summarizeOutcomes(
  rows: readonly { day: string; endpoint: string; outcome: Outcome; count: number }[],
  from: string,
  to: string,
) {
  const days = new Map<string, { date: string; totals: OutcomeCounts; by_endpoint: Record<string, OutcomeCounts> }>();
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.set(utcDay(t), { date: utcDay(t), totals: {}, by_endpoint: {} });
  }
  for (const row of rows) {
    const day = days.get(row.day);
    if (!day) continue;
    day.totals[row.outcome] = (day.totals[row.outcome] ?? 0) + row.count;
    const endpoint = (day.by_endpoint[row.endpoint] ??= {});
    endpoint[row.outcome] = (endpoint[row.outcome] ?? 0) + row.count;
  }
  return [...days.values()];
}
