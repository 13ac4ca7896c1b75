import { describe, expect, it } from "vitest";
import { actionLogOutcomes, oswlOutcomes, rejectionOutcome, structureOutcomes, summarizeOutcomes } from "../../worker/domain/outcomes";

describe("outcome counts", () => {
  it("count records of accepted requests by status, and a binding", () => {
    expect(actionLogOutcomes(["added", "added", "existed", "skipped", "failed"], false)).toEqual({ accepted: 2, existed: 1, skipped: 1, failed: 1 });
    expect(oswlOutcomes(["added", "updated", "updated"], true)).toEqual({ bound: 1, accepted: 1, replaced: 2 });
    expect(structureOutcomes(true, false)).toEqual({ accepted: 1 });
    expect(structureOutcomes(false, false)).toEqual({ replaced: 1 });
  });
  it("count refused requests by status, and nothing for others", () => {
    expect([400, 403, 413, 429].map(rejectionOutcome)).toEqual([
      { rejected_schema: 1 },
      { rejected_identity: 1 },
      { too_large: 1 },
      { rate_limited: 1 },
    ]);
    expect(rejectionOutcome(405)).toBeNull();
    expect(rejectionOutcome(500)).toBeNull();
  });
  it("summarise every day of the range, with totals and per-endpoint counts", () => {
    const days = summarizeOutcomes(
      [
        { day: "2026-11-26", endpoint: "action_logs", outcome: "accepted", count: 100 },
        { day: "2026-11-26", endpoint: "oswl_stats", outcome: "accepted", count: 10 },
        { day: "2026-11-28", endpoint: "action_logs", outcome: "rate_limited", count: 2 },
      ],
      "2026-11-26",
      "2026-11-28",
    );
    expect(days).toEqual([
      { date: "2026-11-26", totals: { accepted: 110 }, by_endpoint: { action_logs: { accepted: 100 }, oswl_stats: { accepted: 10 } } },
      { date: "2026-11-27", totals: {}, by_endpoint: {} },
      { date: "2026-11-28", totals: { rate_limited: 2 }, by_endpoint: { action_logs: { rate_limited: 2 } } },
    ]);
  });
});
