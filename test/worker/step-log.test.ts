// The step log line (worker/observability/log.ts): one JSON line per cron job run and per Queue
// step, with the job, the step, its time, outcome and counts, and the error of a failed one.
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type BundleMessage, consumeBundleMessages, MAX_ATTEMPTS, stepDeps } from "../../worker/bundles/job";
import { dispatchScheduled, SCHEDULE } from "../../worker/cron/dispatcher";
import worker from "../../worker/index";
import { withStepLines } from "../../worker/observability/log";
import { ADMIN_AUTH, captureLog, freshUid, postJson, structure } from "./helpers";

const log = captureLog();
// Also restores the console.error spies that the failure tests set.
afterEach(() => vi.restoreAllMocks());

const HOURLY = "0 * * * *";

describe("the step log line of a cron job", () => {
  it("writes one line per job of an hourly run, in order, with what each did", async () => {
    const uid = freshUid("step-log");
    expect((await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) })).status).toBe(201);
    log.clear();
    await worker.scheduled(createScheduledController({ cron: HOURLY, scheduledTime: Date.now() }), env);
    const lines = log.lines("step");
    expect(lines.map((l) => l.job)).toEqual(SCHEDULE[HOURLY]!.map((job) => job.name));
    for (const line of lines) {
      expect(line).toMatchObject({ kind: "step", trigger: "cron", step: "run", outcome: "ok" });
      expect(Number.isInteger(line.ms) && line.ms >= 0).toBe(true);
      expect(line.error).toBeUndefined();
    }
    const rollup = lines.find((l) => l.job === "installations-rollup")!;
    expect(rollup.counts).toMatchObject({ installations: 1, chunks: 1 });
    expect(rollup.counts!.rowsRead).toBeGreaterThan(0);
    // Numbers only: the roll-up's cursor and the processor's note stay out of the line.
    expect(Object.values(lines.flatMap((l) => Object.values(l.counts ?? {}))).every((v) => typeof v === "number")).toBe(true);
    expect(log.written().join("\n")).not.toContain(uid);
  });

  it("writes a failed job's line with its error, and the next job's line still", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const schedule = {
      [HOURLY]: [
        { name: "broken", run: async () => Promise.reject(new Error("boom: the job broke")) },
        { name: "later", run: async () => ({ expired: 2, note: "words are left out" }) },
      ],
    };
    await expect(dispatchScheduled(env, HOURLY, Date.now(), withStepLines(schedule))).rejects.toThrow(/broken/);
    expect(log.lines("step")).toEqual([
      { kind: "step", trigger: "cron", job: "broken", step: "run", ms: expect.any(Number), outcome: "failed", error: "Error: boom: the job broke" },
      { kind: "step", trigger: "cron", job: "later", step: "run", ms: expect.any(Number), outcome: "ok", counts: { expired: 2 } },
    ]);
  });
});

describe("the step log line of a Queue step", () => {
  it("names the job, the step, what it works on, the delivery and the outcome", async () => {
    const created = await (await postJson("/api/v1/exports", { from_date: "2026-01-01", to_date: "2026-01-02" }, ADMIN_AUTH)).json<{ id: string }>();
    log.clear();
    for (const attempts of [1, 2]) {
      // The second delivery of the same step finds it done.
      const batch = createMessageBatch("edgestats-bundles", [{ id: `m${attempts}`, timestamp: new Date(), attempts, body: { id: created.id, step: 0 } }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`m${attempts}`]);
    }
    expect(log.lines("step")).toEqual([
      { kind: "step", trigger: "queue", job: "bundle", step: "0", target: created.id, attempt: 1, ms: expect.any(Number), outcome: "advanced" },
      { kind: "step", trigger: "queue", job: "bundle", step: "0", target: created.id, attempt: 2, ms: expect.any(Number), outcome: "skipped" },
    ]);
  });

  it("writes a step that threw as retry with its error, and as given_up on its last delivery", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const created = await (await postJson("/api/v1/exports", { from_date: "2026-02-01", to_date: "2026-02-02" }, ADMIN_AUTH)).json<{ id: string }>();
    log.clear();
    const failing = stepDeps(env, {
      ids: ["installations"],
      async *chunks() {
        throw new Error("R2 said no");
      },
    });
    for (const attempts of [1, MAX_ATTEMPTS]) {
      const batch = createMessageBatch<BundleMessage>("edgestats-bundles", [{ id: `f${attempts}`, timestamp: new Date(), attempts, body: { id: created.id, step: 0 } }]);
      await consumeBundleMessages(batch, env, failing);
    }
    expect(log.lines("step").map((l) => [l.job, l.step, l.attempt, l.outcome, l.error])).toEqual([
      ["bundle", "0", 1, "retry", "Error: R2 said no"],
      ["bundle", "0", MAX_ATTEMPTS, "given_up", "Error: R2 said no"],
    ]);
  });
});
