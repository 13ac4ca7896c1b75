// The agent against the real collector (the worker under wrangler on 127.0.0.1, started here):
// what a cycle sends is exactly what is stored, a collector that goes away and comes back loses and
// duplicates nothing, unfinished tasks come back when they end, a token mismatch is explained, and
// the air-gapped route stores the same rows as a direct send.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import { applyReceipt, buildBundle, previewCycle, uploadBundle } from "../../agent/src/airgap";
import { CollectorClient } from "../../agent/src/client";
import type { AgentConfig } from "../../agent/src/config";
import { runCycle } from "../../agent/src/cycle";
import { memoryLogger } from "../../agent/src/log";
import type { Outbox } from "../../agent/src/outbox";
import { httpRequestLog, nailgunTask, openOutbox, structureFullOfSecrets, tempDir, testConfig, vmRow, SECRETS } from "./helpers";
import { type Collector, freshCollector } from "./worker";

type Paged<T> = { paging_params: { total: number }; objs: T[] };
type StoredLog = { external_id: number; body: Record<string, unknown> };
type StoredOswl = { external_id: number; cluster_id: number; created_date: string; updated_time: string; resource_type: string; resource_data: unknown; resource_checksum: string; version_info: unknown };

let collector: Collector;
let dir: ReturnType<typeof tempDir>;
let uidCounter = 0;

beforeAll(async () => {
  collector = freshCollector();
  await collector.start();
}, 180_000);
afterAll(async () => {
  await collector?.stop();
});
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

function agent(name: string, fetchImpl: typeof fetch = fetch) {
  const masterNodeUid = `agent-e2e-${name}-${process.pid}-${++uidCounter}`;
  const config: AgentConfig = testConfig(dir.dir, { collector: collector.origin, masterNodeUid, outbox: `${dir.dir}/${name}.sqlite` });
  const outbox = openOutbox(config);
  const log = memoryLogger();
  const client = new CollectorClient(config.collector, { timeoutMs: config.timeoutMs, fetch: fetchImpl });
  return { config, outbox, log, client, uid: masterNodeUid, cycle: () => runCycle({ outbox, config, client, env: {}, log }) };
}

function seed(outbox: Outbox, logs: number, oswlDays: number) {
  for (let i = 0; i < logs; i++) outbox.appendActionLog(i % 2 ? httpRequestLog() : nailgunTask());
  outbox.putStructure(structureFullOfSecrets());
  for (let i = 0; i < oswlDays; i++) outbox.putOswl(vmRow(new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10)));
}

const storedLogs = (uid: string) =>
  collector.admin<Paged<StoredLog>>(`/api/v1/json/action_logs/${uid}?paging_params=${encodeURIComponent('{"limit":1000}')}`).then((p) => p.objs);
const storedOswl = (uid: string) =>
  collector.admin<Paged<StoredOswl>>(`/api/v1/json/oswls/${uid}?paging_params=${encodeURIComponent('{"limit":1000}')}`).then((p) => p.objs);
const storedStructure = (uid: string) => collector.admin<{ structure: Record<string, unknown> }>(`/api/v1/json/installation_info/${uid}`).then((i) => i.structure);

describe("the agent against the real collector", () => {
  it("stores exactly the outbox rows and marks them sent", async () => {
    const a = agent("exact");
    seed(a.outbox, 150, 12);
    const preview = previewCycle(a.outbox, a.config, {});
    const report = await a.cycle();
    expect(report).toMatchObject({ outcome: "sent", actionLogs: { sent: 150, skipped: 0, failed: 0 }, structure: "sent", oswl: { sent: 12, failed: 0 } });
    expect(a.outbox.counts()).toEqual({ actionLogs: { pending: 0, sent: 150 }, oswl: { pending: 0, sent: 12 }, structure: "sent" });

    const previewed = preview.requests.flatMap((r) => ((r.body as { action_logs?: StoredLog[] })?.action_logs ?? []).map((l) => [l.external_id, l.body]));
    const logs = await storedLogs(a.uid);
    expect(logs.map((l) => [l.external_id, l.body])).toEqual(previewed);
    const oswl = await storedOswl(a.uid);
    expect(oswl.map((o) => o.external_id)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const structure = await storedStructure(a.uid);
    expect(structure.clusters_num).toBe(1);
    const everything = JSON.stringify({ logs, oswl, structure });
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);

    const identity = await collector.admin<{ bound: boolean }>(`/api/v1/admin/installations/${a.uid}`);
    expect(identity.bound).toBe(true);
    expect(a.outbox.token()?.bound).toBe(true);
    a.outbox.close();
  });

  it("loses and duplicates nothing when the collector stops mid-cycle and comes back", async () => {
    let posts = 0;
    const stopping: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method !== "POST" || ++posts !== 1) return response;
      // The first batch is answered in full, then the collector goes away.
      const body = await response.arrayBuffer();
      await collector.stop();
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const a = agent("restart", stopping);
    seed(a.outbox, 250, 15);
    try {
      const down = await a.cycle();
      expect(down).toMatchObject({ outcome: "collector-down", actionLogs: { sent: 100 } });
      expect(a.outbox.counts().actionLogs).toEqual({ pending: 150, sent: 100 });
      const whileDown = await a.cycle();
      expect(whileDown.outcome).toBe("collector-down");
    } finally {
      await collector.start();
    }
    const back = await a.cycle();
    expect(back).toMatchObject({ outcome: "sent", actionLogs: { sent: 150 }, structure: "sent", oswl: { sent: 15 } });
    const logs = await storedLogs(a.uid);
    expect(logs.map((l) => l.external_id)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect((await storedOswl(a.uid)).length).toBe(15);
    a.outbox.close();
  }, 120_000);

  it("re-sends a batch whose answer was lost, and the collector stores it once", async () => {
    let posts = 0;
    const losing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === "POST" && ++posts === 2) throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      return response;
    };
    const a = agent("lost-answer", losing);
    seed(a.outbox, 200, 0);
    const first = await a.cycle();
    expect(first).toMatchObject({ outcome: "collector-down", actionLogs: { sent: 100 } });
    const second = await a.cycle();
    expect(second).toMatchObject({ outcome: "sent", actionLogs: { sent: 100 } });
    const logs = await storedLogs(a.uid);
    expect(logs.map((l) => l.external_id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    a.outbox.close();
  });

  it("re-sends a skipped task once it has finished", async () => {
    const a = agent("skipped");
    const done = a.outbox.appendActionLog(nailgunTask());
    const running = a.outbox.appendActionLog(nailgunTask({ end_timestamp: null, action_name: "provision" }));
    const first = await a.cycle();
    expect(first.actionLogs).toEqual({ sent: 1, skipped: 1, failed: 0 });
    expect((await storedLogs(a.uid)).map((l) => l.external_id)).toEqual([done]);
    expect(a.outbox.pendingActionLogs(0, 10).map((r) => r.id)).toEqual([running]);

    a.outbox.updateActionLog(running, nailgunTask({ action_name: "provision", end_timestamp: "2026-11-26T11:00:00" }));
    const second = await a.cycle();
    expect(second.actionLogs).toEqual({ sent: 1, skipped: 0, failed: 0 });
    const logs = await storedLogs(a.uid);
    expect(logs.map((l) => [l.external_id, l.body.end_timestamp])).toEqual([
      [done, "2026-11-26T10:30:00"],
      [running, "2026-11-26T11:00:00"],
    ]);
    a.outbox.close();
  });

  it("reports a token mismatch clearly, and sends again with the operator's new token", async () => {
    const a = agent("mismatch");
    a.outbox.appendActionLog(httpRequestLog());
    a.outbox.appendActionLog(httpRequestLog());
    a.outbox.putStructure({ clusters: [] });
    expect((await a.cycle()).outcome).toBe("sent");
    expect(a.outbox.token()?.bound).toBe(true);

    const rotated = await collector.admin<{ installation_token: string }>(`/api/v1/admin/installations/${a.uid}/token`, { method: "POST" });
    a.outbox.appendActionLog(httpRequestLog());
    const refused = await a.cycle();
    expect(refused.outcome).toBe("identity");
    expect(refused.message).toContain(`token mismatch: the collector refused the installation token of master_node_uid ${a.uid}`);
    expect(refused.message).toContain("does not match the token this installation is bound to");
    expect(a.log.lines.some((l) => l.level === "error" && l.message.startsWith("token mismatch"))).toBe(true);
    expect(a.outbox.counts().actionLogs.pending).toBe(1);

    a.outbox.setToken({ value: rotated.installation_token, bound: true });
    expect(await a.cycle()).toMatchObject({ outcome: "sent", actionLogs: { sent: 1 } });
    expect((await storedLogs(a.uid)).length).toBe(3);
    a.outbox.close();
  });

  it("stores the same rows from export then upload as from a direct send", async () => {
    const direct = agent("direct");
    const airgapped = agent("airgapped");
    seed(direct.outbox, 130, 11);
    seed(airgapped.outbox, 130, 11);
    const skippedDirect = direct.outbox.appendActionLog(nailgunTask({ end_timestamp: null }));
    const skippedAirgapped = airgapped.outbox.appendActionLog(nailgunTask({ end_timestamp: null }));

    expect((await direct.cycle()).outcome).toBe("sent");

    const bundle = JSON.parse(JSON.stringify(buildBundle(airgapped.outbox, airgapped.config)));
    const uploader = new CollectorClient(collector.origin, { timeoutMs: 5000 });
    const receipt = JSON.parse(JSON.stringify(await uploadBundle(bundle, uploader, {})));
    expect(receipt.complete).toBe(true);
    applyReceipt(airgapped.outbox, airgapped.config, receipt);

    const strip = <T extends object>(rows: T[]) => rows.map(({ id: _id, master_node_uid: _uid, ...rest }: any) => rest);
    expect(strip(await storedLogs(airgapped.uid))).toEqual(strip(await storedLogs(direct.uid)));
    expect(strip(await storedOswl(airgapped.uid))).toEqual(strip(await storedOswl(direct.uid)));
    const { master_node_uid: _a, ...airStructure } = await storedStructure(airgapped.uid);
    const { master_node_uid: _d, ...directStructure } = await storedStructure(direct.uid);
    expect(airStructure).toEqual(directStructure);

    expect(airgapped.outbox.counts()).toEqual(direct.outbox.counts());
    expect(airgapped.outbox.pendingActionLogs(0, 10).map((r) => r.id)).toEqual([skippedAirgapped]);
    expect(direct.outbox.pendingActionLogs(0, 10).map((r) => r.id)).toEqual([skippedDirect]);
    expect(airgapped.outbox.token()?.bound).toBe(true);
    // Back on the air-gapped side, the next direct cycle presents the same bound identity.
    airgapped.outbox.updateActionLog(skippedAirgapped, nailgunTask());
    expect(await airgapped.cycle()).toMatchObject({ outcome: "sent", actionLogs: { sent: 1 } });
    direct.outbox.close();
    airgapped.outbox.close();
  });
});
