import { describe, expect, it, vi } from "vitest";
import { OutcomeCounter } from "../../worker/http/outcome-counter";

/** A stand-in for D1 that records the JSON each write binds, and can be made to fail. */
function fakeDb(failures = 0) {
  const writes: unknown[] = [];
  const db = {
    prepare: () => ({
      bind: (json: string) => ({
        run: async () => {
          if (failures-- > 0) throw new Error("D1 unavailable");
          writes.push(JSON.parse(json));
        },
      }),
    }),
  };
  return { db: db as unknown as D1Database, writes };
}

function fakeCtx() {
  const waiting: Promise<unknown>[] = [];
  return { ctx: { waitUntil: (p: Promise<unknown>) => void waiting.push(p) }, settle: () => Promise.all(waiting.splice(0)) };
}

describe("OutcomeCounter", () => {
  it("adds up counts from many requests and writes them once per interval", async () => {
    const counter = new OutcomeCounter();
    const { db, writes } = fakeDb();
    const { ctx, settle } = fakeCtx();
    counter.add(db, ctx, 10, "2026-11-27", "action_logs", { accepted: 100 });
    counter.add(db, ctx, 10, "2026-11-27", "action_logs", { accepted: 50, existed: 50 });
    counter.add(db, ctx, 10, "2026-11-27", "oswl_stats", { rejected_schema: 1, replaced: 0 });
    await settle();
    expect(writes).toEqual([
      [
        { day: "2026-11-27", endpoint: "action_logs", outcome: "accepted", count: 150 },
        { day: "2026-11-27", endpoint: "action_logs", outcome: "existed", count: 50 },
        { day: "2026-11-27", endpoint: "oswl_stats", outcome: "rejected_schema", count: 1 },
      ],
    ]);
    counter.add(db, ctx, 10, "2026-11-27", "action_logs", { skipped: 1 });
    await settle();
    expect(writes).toHaveLength(2);
  });

  it("keeps the counts of a failed write for the next one", async () => {
    const counter = new OutcomeCounter();
    const { db, writes } = fakeDb(1);
    const { ctx, settle } = fakeCtx();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      counter.add(db, ctx, 5, "2026-11-27", "action_logs", { accepted: 3 });
      await settle();
      expect(logged).toHaveBeenCalledExactlyOnceWith(expect.stringContaining("keeping them for the next flush"), expect.objectContaining({ message: "D1 unavailable" }));
    } finally {
      logged.mockRestore();
    }
    expect(writes).toEqual([]);
    counter.add(db, ctx, 5, "2026-11-27", "action_logs", { accepted: 2 });
    await settle();
    expect(writes).toEqual([[{ day: "2026-11-27", endpoint: "action_logs", outcome: "accepted", count: 5 }]]);
  });
});
