// Timing: jitter around the interval, exponential back-off, and a loop that survives a crashed
// cycle and never holds up the host.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CollectorClient } from "../../agent/src/client";
import { parseConfig } from "../../agent/src/config";
import type { CycleReport } from "../../agent/src/cycle";
import { memoryLogger } from "../../agent/src/log";
import type { Outbox } from "../../agent/src/outbox";
import { AgentLoop, jittered, nextDelaySeconds } from "../../agent/src/scheduler";
import { fakeCollector, httpRequestLog, openOutbox, tempDir, testConfig } from "./helpers";

const intervals = parseConfig({ collector: "http://c.test", outbox: "x" });
const report = (outcome: CycleReport["outcome"], retryAfterSeconds?: number) =>
  ({ outcome, requests: 0, rejected: 0, actionLogs: { sent: 0, skipped: 0, failed: 0 }, structure: "none", oswl: { sent: 0, failed: 0 }, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) }) as CycleReport;

describe("when the next cycle runs", () => {
  it("spreads the interval ±10%", () => {
    expect(jittered(3600, () => 0)).toBe(3240);
    expect(jittered(3600, () => 0.5)).toBe(3600);
    expect(jittered(3600, () => 0.999999)).toBeCloseTo(3960, 1);
    for (let i = 0; i < 1000; i++) {
      const d = jittered(3600);
      expect(d).toBeGreaterThanOrEqual(3240);
      expect(d).toBeLessThanOrEqual(3960);
    }
  });

  it("waits about an hour after a good cycle and five minutes while sending is not allowed", () => {
    expect(nextDelaySeconds(report("sent"), 0, intervals, () => 0.5)).toBe(3600);
    expect(nextDelaySeconds(report("not-allowed"), 0, intervals, () => 0.5)).toBe(300);
  });

  it("backs off exponentially while the collector is down, up to the maximum", () => {
    const delays = [1, 2, 3, 4, 5, 6, 20].map((n) => nextDelaySeconds(report("collector-down"), n, intervals, () => 0.5));
    expect(delays).toEqual([300, 600, 1200, 2400, 3600, 3600, 3600]);
    expect(nextDelaySeconds(null, 2, intervals, () => 0.5)).toBe(600);
  });

  it("waits at least as long as the collector's Retry-After", () => {
    expect(nextDelaySeconds(report("collector-down", 5000), 1, intervals, () => 0.5)).toBe(5000);
  });
});

describe("the loop", () => {
  let dir: ReturnType<typeof tempDir>;
  let outbox: Outbox;
  beforeEach(() => {
    dir = tempDir();
    outbox = openOutbox(testConfig(dir.dir));
  });
  afterEach(() => {
    outbox.close();
    dir.cleanup();
  });

  it("logs a crashed cycle and runs the next one", async () => {
    const config = testConfig(dir.dir, { sendIntervalSeconds: 0.02, retryIntervalSeconds: 0.02, maxBackoffSeconds: 0.05 });
    outbox.appendActionLog(httpRequestLog());
    const original = outbox.pendingActionLogs.bind(outbox);
    let calls = 0;
    outbox.pendingActionLogs = (...args) => {
      if (calls++ === 0) throw new Error("disk I/O error");
      return original(...args);
    };
    const collector = fakeCollector();
    const log = memoryLogger();
    const results: { report: CycleReport | null; error?: unknown }[] = [];
    const done = new Promise<void>((resolve) => {
      const loop = new AgentLoop(
        { outbox, config, client: new CollectorClient(config.collector, { timeoutMs: 1000, fetch: collector.fetch }), env: {}, log },
        {
          onCycle: (r) => {
            results.push(r);
            if (results.length === 2) void loop.stop().then(resolve);
          },
        },
      );
      loop.start();
    });
    await done;
    expect(results[0]!.report).toBeNull();
    expect(String(results[0]!.error)).toContain("disk I/O error");
    expect(log.lines.some((l) => l.level === "error" && l.message.includes("the cycle crashed") && l.message.includes("disk I/O error"))).toBe(true);
    expect(results[1]!.report).toMatchObject({ outcome: "sent", actionLogs: { sent: 1 } });
  });

  it("never makes the host wait: appending while a cycle hangs on the collector is immediate", async () => {
    const config = testConfig(dir.dir);
    outbox.appendActionLog(httpRequestLog());
    const collector = fakeCollector();
    let release!: () => void;
    collector.state.onRequest = (r) => (r.path === "/api/v1/action_logs/" ? new Promise<void>((resolve) => (release = resolve)) : undefined);
    const finished = new Promise<void>((resolve) => {
      const loop = new AgentLoop(
        { outbox, config, client: new CollectorClient(config.collector, { timeoutMs: 5000, fetch: collector.fetch }), env: {}, log: memoryLogger() },
        { onCycle: () => void loop.stop().then(resolve) },
      );
      loop.start();
    });
    while (!release) await new Promise((r) => setTimeout(r, 5));
    // Appending is synchronous and takes no lock the cycle holds: each call returns the row's id
    // (no promise to wait on), and the rows are in the outbox while the request is in flight.
    for (let i = 0; i < 100; i++) expect(typeof outbox.appendActionLog(httpRequestLog())).toBe("number");
    expect(outbox.counts().actionLogs).toEqual({ pending: 101, sent: 0 });
    release();
    await finished;
    // The row in flight is confirmed; the hundred appended meanwhile wait for the next cycle.
    expect(outbox.counts().actionLogs).toEqual({ pending: 100, sent: 1 });
  });
});

describe("inside a host process", () => {
  it("never keeps the host alive: a host that is done exits while the agent waits for its next cycle", () => {
    const dir = tempDir();
    try {
      const index = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../agent/src/index.ts");
      const host = path.join(dir.dir, "host.mts");
      writeFileSync(
        host,
        `import { startAgent, memoryLogger } from ${JSON.stringify(index)};
         const agent = startAgent({ collector: "http://127.0.0.1:9", outbox: ${JSON.stringify(path.join(dir.dir, "o.sqlite"))}, sendStatistics: true }, { log: memoryLogger() });
         agent.outbox.appendActionLog({ action_type: "http_request", action_name: "deploy" });
         console.log("host done");`,
      );
      // The agent's next cycle is an hour away: a host it kept alive would still be running when
      // spawnSync gives up on it (and kills it), however slow the machine.
      const result = spawnSync(process.execPath, ["--import", "tsx", host], { encoding: "utf8", timeout: 50_000 });
      expect(result.error, "the host did not exit on its own").toBeUndefined();
      expect(result.signal).toBeNull();
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe("host done");
    } finally {
      dir.cleanup();
    }
  });
});
