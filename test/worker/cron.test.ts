import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { listJobRuns, startJobRun } from "../../worker/db/analytic";
import { type CronJob, dispatchScheduled, SCHEDULE, STALE_RUN_MS, UnknownCronError } from "../../worker/cron/dispatcher";
import worker from "../../worker/index";

const job = (name: string, run: CronJob["run"]): CronJob => ({ name, run });

describe("cron dispatcher", () => {
  it("runs the jobs of a cron expression in order and records each run with what it did", async () => {
    const order: string[] = [];
    const schedule = {
      "*/5 * * * *": [
        job("first", async (_, t) => (order.push("first"), { rowsRead: 3, window: t })),
        job("second", async () => (order.push("second"), { rowsWritten: 1 })),
      ],
    };
    const outcomes = await dispatchScheduled(env, "*/5 * * * *", 1_700_000_000_000, schedule);
    expect(order).toEqual(["first", "second"]);
    expect(outcomes).toEqual([{ job: "first", ok: true }, { job: "second", ok: true }]);
    const runs = (await listJobRuns(env.ANALYTIC_DB)).filter((r) => r.scheduledTime === 1_700_000_000_000);
    expect(runs.map((r) => [r.job, r.status, JSON.parse(r.detail!)])).toEqual([
      ["second", "ok", { rowsWritten: 1 }],
      ["first", "ok", { rowsRead: 3, window: 1_700_000_000_000 }],
    ]);
    expect(runs.every((r) => r.finishedAt! >= r.startedAt)).toBe(true);
  });

  it("still runs the later jobs when one fails, records the failure, and fails the invocation", async () => {
    let laterRan = false;
    const schedule = {
      "0 * * * *": [
        job("broken", async () => {
          throw new Error("boom");
        }),
        job("later", async () => ((laterRan = true), {})),
      ],
    };
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expect(dispatchScheduled(env, "0 * * * *", 1_700_000_360_000, schedule)).rejects.toThrow(/broken/);
      expect(logged).toHaveBeenCalledExactlyOnceWith("scheduled job failed", "broken", expect.objectContaining({ message: "boom" }));
    } finally {
      logged.mockRestore();
    }
    expect(laterRan).toBe(true);
    const runs = (await listJobRuns(env.ANALYTIC_DB)).filter((r) => r.scheduledTime === 1_700_000_360_000);
    expect(runs.find((r) => r.job === "broken")).toMatchObject({ status: "failed" });
    expect(JSON.parse(runs.find((r) => r.job === "broken")!.detail!).error).toContain("boom");
  });

  it("marks a run that never recorded its end as abandoned when the job next starts", async () => {
    const cutOff = await startJobRun(env.ANALYTIC_DB, { job: "resumable", cron: "0 * * * *", scheduledTime: 1, startedAt: Date.now() - STALE_RUN_MS - 1 });
    const recent = await startJobRun(env.ANALYTIC_DB, { job: "resumable", cron: "0 * * * *", scheduledTime: 2, startedAt: Date.now() - 1000 });
    await dispatchScheduled(env, "0 * * * *", 3, { "0 * * * *": [job("resumable", async () => ({}))] });
    const runs = new Map((await listJobRuns(env.ANALYTIC_DB)).map((r) => [r.id, r]));
    expect(runs.get(cutOff)).toMatchObject({ status: "abandoned" });
    expect(JSON.parse(runs.get(cutOff)!.detail!).error).toContain("cut off");
    expect(runs.get(recent)).toMatchObject({ status: "running" });
  });

  it("refuses a cron expression it has no jobs for", async () => {
    await expect(dispatchScheduled(env, "13 13 * * *", Date.now())).rejects.toBeInstanceOf(UnknownCronError);
  });

  it("has a schedule for exactly the crons of wrangler.toml, and the scheduled handler dispatches them", async () => {
    expect(env.WRANGLER_CRONS.length).toBeGreaterThan(0);
    expect(Object.keys(SCHEDULE).sort()).toEqual([...env.WRANGLER_CRONS].sort());
    // The handler awaits its jobs itself rather than handing them to ctx.waitUntil.
    for (const cron of env.WRANGLER_CRONS) {
      await expect(worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), env)).resolves.toBeUndefined();
    }
  });
});
