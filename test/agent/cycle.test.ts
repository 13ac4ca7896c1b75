// The outbox and the cycle against a fake collector: order, batch sizes, keyset paging, marking by
// per-record status, rows changed in flight, identity, timeouts and back-off.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CollectorClient } from "../../agent/src/client";
import type { AgentConfig } from "../../agent/src/config";
import { runCycle } from "../../agent/src/cycle";
import { memoryLogger } from "../../agent/src/log";
import type { Outbox } from "../../agent/src/outbox";
import { fakeCollector, httpRequestLog, nailgunTask, openOutbox, tempDir, testConfig, vmRow } from "./helpers";

const TODAY = new Date("2026-11-27T12:00:00Z");
const days = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 10, 26 - i)).toISOString().slice(0, 10));

let dir: ReturnType<typeof tempDir>;
let config: AgentConfig;
let outbox: Outbox;

beforeEach(() => {
  dir = tempDir();
  config = testConfig(dir.dir);
  outbox = openOutbox(config);
});
afterEach(() => {
  outbox.close();
  dir.cleanup();
});

function cycle(collector: ReturnType<typeof fakeCollector>, overrides: { env?: Record<string, string>; config?: AgentConfig; timeoutMs?: number } = {}) {
  const cfg = overrides.config ?? config;
  const log = memoryLogger();
  const client = new CollectorClient(cfg.collector, { timeoutMs: overrides.timeoutMs ?? cfg.timeoutMs, fetch: collector.fetch });
  return runCycle({ outbox, config: cfg, client, env: overrides.env ?? {}, log, now: () => TODAY }).then((report) => ({ report, log }));
}

describe("a cycle", () => {
  it("pings, then sends action logs in batches of 100, the structure, then OSWL in batches of 10", async () => {
    for (let i = 0; i < 250; i++) outbox.appendActionLog(httpRequestLog());
    outbox.putStructure({ clusters: [], unallocated_nodes_num: 0 });
    for (const day of days(25)) outbox.putOswl(vmRow(day));
    const collector = fakeCollector();
    const { report } = await cycle(collector);
    expect(report).toMatchObject({ outcome: "sent", actionLogs: { sent: 250, skipped: 0, failed: 0 }, structure: "sent", oswl: { sent: 25, failed: 0 } });
    const shape = collector.requests.map((r) => {
      const body = r.body as Record<string, unknown[]> | undefined;
      return `${r.path}${body?.action_logs ? ` ${body.action_logs.length}` : ""}${body?.oswl_stats ? ` ${body.oswl_stats.length}` : ""}`;
    });
    expect(shape).toEqual([
      "/api/v1/ping/",
      "/api/v1/action_logs/ 100",
      "/api/v1/action_logs/ 100",
      "/api/v1/action_logs/ 50",
      "/api/v1/installation_structure/",
      "/api/v1/oswl_stats/ 10",
      "/api/v1/oswl_stats/ 10",
      "/api/v1/oswl_stats/ 5",
    ]);
    expect(outbox.counts()).toEqual({ actionLogs: { pending: 0, sent: 250 }, oswl: { pending: 0, sent: 25 }, structure: "sent" });
  });

  it("sends every row exactly once: no page repeats an earlier one, none is skipped", async () => {
    for (let i = 0; i < 230; i++) outbox.appendActionLog(httpRequestLog());
    for (const day of days(23)) outbox.putOswl(vmRow(day));
    const collector = fakeCollector();
    await cycle(collector);
    const logIds = collector.writes().flatMap((r) => ((r.body as any).action_logs ?? []).map((l: any) => l.external_id));
    const oswlIds = collector.writes().flatMap((r) => ((r.body as any).oswl_stats ?? []).map((o: any) => o.id));
    expect(logIds).toEqual(Array.from({ length: 230 }, (_, i) => i + 1));
    expect(oswlIds).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });

  it("marks only added and existed logs sent; failed and skipped stay pending and go again", async () => {
    for (let i = 0; i < 10; i++) outbox.appendActionLog(httpRequestLog());
    const running = outbox.appendActionLog(nailgunTask({ end_timestamp: null }));
    const collector = fakeCollector({ actionLogStatus: (r) => (r.external_id % 3 === 0 ? "failed" : "added") });
    const { report } = await cycle(collector);
    expect(report.actionLogs).toEqual({ sent: 7, skipped: 1, failed: 3 });
    expect(outbox.counts().actionLogs).toEqual({ pending: 4, sent: 7 });
    expect(outbox.pendingActionLogs(0, 100).map((r) => r.id)).toEqual([3, 6, 9, running]);

    // The task finishes; the collector recovers: everything pending goes, nothing twice.
    outbox.updateActionLog(running, nailgunTask());
    const healthy = fakeCollector();
    const second = await cycle(healthy);
    expect(second.report.actionLogs).toEqual({ sent: 4, skipped: 0, failed: 0 });
    expect(healthy.writes().flatMap((r) => (r.body as any).action_logs.map((l: any) => l.external_id))).toEqual([3, 6, 9, running]);
  });

  it("marks OSWL rows sent unless failed, and never sends today's row", async () => {
    const ids = days(3).map((day) => outbox.putOswl(vmRow(day)));
    const today = outbox.putOswl(vmRow("2026-11-27"));
    const collector = fakeCollector({ oswlStatus: (id) => (id === ids[1] ? "failed" : "added") });
    const { report } = await cycle(collector);
    expect(report.oswl).toEqual({ sent: 2, failed: 1 });
    const sentIds = collector.writes().flatMap((r) => ((r.body as any).oswl_stats ?? []).map((o: any) => o.id));
    expect(sentIds).not.toContain(today);
    expect(outbox.counts().oswl).toEqual({ pending: 2, sent: 2 });
  });

  it("sends today's row when the collect period is 0", async () => {
    outbox.putOswl(vmRow("2026-11-27"));
    const { report } = await cycle(fakeCollector(), { config: { ...config, oswlCollectPeriodDays: 0 } });
    expect(report.oswl.sent).toBe(1);
  });

  it("keeps a row pending that the host changed while its old content was in flight", async () => {
    const id = outbox.appendActionLog(nailgunTask({ end_timestamp: "2026-11-26T10:00:01", action_name: "provision" }));
    const collector = fakeCollector();
    collector.state.onRequest = (r) => {
      if (r.path === "/api/v1/action_logs/") outbox.updateActionLog(id, nailgunTask({ action_name: "deployment" }));
    };
    await cycle(collector);
    expect(outbox.pendingActionLogs(0, 10).map((r) => r.id)).toEqual([id]);
  });

  it("re-sends a day's OSWL row that the host updated after it was sent", async () => {
    const [day] = days(1);
    outbox.putOswl(vmRow(day!));
    await cycle(fakeCollector());
    expect(outbox.counts().oswl.pending).toBe(0);
    outbox.putOswl({ ...vmRow(day!), updated_time: "23:59:00" });
    expect(outbox.counts().oswl.pending).toBe(1);
  });
});

describe("one outbox file, two processes", () => {
  it("lets the host append through its own connection while the agent sends", async () => {
    const host = openOutbox(config);
    try {
      host.appendActionLog(httpRequestLog());
      const collector = fakeCollector();
      let appended = false;
      collector.state.onRequest = (r) => {
        if (r.path === "/api/v1/action_logs/" && !appended) appended = Boolean(host.appendActionLog(httpRequestLog()));
      };
      const { report } = await cycle(collector);
      // A cycle sends what was pending when it started; the new row waits for the next one.
      expect(report.actionLogs.sent).toBe(1);
      expect(host.counts().actionLogs).toEqual({ pending: 1, sent: 1 });
      expect((await cycle(fakeCollector())).report.actionLogs.sent).toBe(1);
    } finally {
      host.close();
    }
  });
});

describe("consent", () => {
  it("sends nothing, not even a ping, until the operator opts in", async () => {
    outbox.appendActionLog(httpRequestLog());
    const collector = fakeCollector();
    const { report } = await cycle(collector, { config: { ...config, sendStatistics: false } });
    expect(report.outcome).toBe("not-allowed");
    expect(collector.requests).toEqual([]);
  });

  for (const variable of ["DO_NOT_TRACK", "EDGESTATS_NO_TELEMETRY"]) {
    it(`${variable}=1 wins over the config's opt-in`, async () => {
      outbox.appendActionLog(httpRequestLog());
      const collector = fakeCollector();
      const { report } = await cycle(collector, { env: { [variable]: "1" } });
      expect(report).toMatchObject({ outcome: "not-allowed", message: expect.stringContaining(variable) });
      expect(collector.requests).toEqual([]);
      expect(outbox.counts().actionLogs.pending).toBe(1);
    });
  }
});

describe("identity", () => {
  it("stores the token the collector issues and presents it on every later write", async () => {
    for (let i = 0; i < 150; i++) outbox.appendActionLog(httpRequestLog());
    outbox.putStructure({ clusters: [] });
    const collector = fakeCollector();
    await cycle(collector);
    const presented = collector.writes().map((r) => r.headers["x-installation-token"] ?? null);
    expect(presented).toEqual([null, collector.state.issued, collector.state.issued]);
    expect(collector.state.boundToken).toBe(collector.state.issued);
    expect(outbox.token()).toEqual({ value: collector.state.issued, bound: true });
    expect(collector.requests.every((r) => r.headers["master-node-uid"] === outbox.masterNodeUid())).toBe(true);
  });

  it("reports a token mismatch clearly and marks nothing sent", async () => {
    outbox.appendActionLog(httpRequestLog());
    outbox.setToken({ value: "W".repeat(72), bound: true });
    const collector = fakeCollector();
    collector.state.boundToken = "B".repeat(72);
    const { report, log } = await cycle(collector);
    expect(report.outcome).toBe("identity");
    expect(report.message).toMatch(/token mismatch/);
    expect(report.message).toContain(outbox.masterNodeUid());
    expect(log.lines.some((l) => l.level === "error" && /token mismatch/.test(l.message))).toBe(true);
    expect(outbox.counts().actionLogs.pending).toBe(1);
    expect(outbox.token()?.value).toBe("W".repeat(72));
  });

  it("drops a token that never bound and was refused, and enrols afresh", async () => {
    outbox.appendActionLog(httpRequestLog());
    outbox.appendActionLog(httpRequestLog());
    outbox.setToken({ value: "S".repeat(72), bound: false });
    const collector = fakeCollector();
    const { report } = await cycle(collector);
    expect(report.outcome).toBe("sent");
    expect(outbox.token()).toEqual({ value: collector.state.issued, bound: false });
  });
});

describe("never in the way", () => {
  it("treats a collector that is down as a failed cycle and keeps every row", async () => {
    outbox.appendActionLog(httpRequestLog());
    const collector = fakeCollector();
    collector.state.down = true;
    const { report } = await cycle(collector);
    expect(report).toMatchObject({ outcome: "collector-down", message: expect.stringContaining("ECONNREFUSED") });
    expect(outbox.counts().actionLogs.pending).toBe(1);
  });

  it("gives up on a collector that does not answer within the timeout", async () => {
    outbox.appendActionLog(httpRequestLog());
    const hanging = fakeCollector();
    hanging.state.onRequest = () => new Promise(() => {});
    // The client's timeout is AbortSignal.timeout(ms): hand it a signal the test fires itself, so
    // the test checks which timeout is asked for and what a timeout does, not the machine's speed.
    const timeouts: { ms: number; fire: () => void }[] = [];
    const spy = vi.spyOn(AbortSignal, "timeout").mockImplementation((ms) => {
      const controller = new AbortController();
      timeouts.push({ ms, fire: () => controller.abort(new DOMException("timed out", "TimeoutError")) });
      return controller.signal;
    });
    try {
      let settled = false;
      const running = cycle(hanging, { timeoutMs: 150 }).finally(() => (settled = true));
      await vi.waitFor(() => expect(timeouts).toHaveLength(1));
      expect(timeouts[0]!.ms).toBe(150);
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled, "the cycle waits while the request is within its timeout").toBe(false);
      timeouts[0]!.fire();
      const { report } = await running;
      expect(report).toMatchObject({ outcome: "collector-down", message: expect.stringContaining("no answer within 150 ms") });
      expect(timeouts).toHaveLength(1);
      expect(outbox.counts().actionLogs.pending).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("uses a 5 second timeout by default", () => {
    expect(config.timeoutMs).toBe(5000);
  });
});
