// `edgestats-agent forget`: the deletion request carries the uid and the bound token, goes whatever
// the consent says, forgets the token once the collector confirms, and is explained when refused;
// against the real collector, every stored row goes and the next cycle is a first contact.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../agent/src/cli";
import { CollectorClient } from "../../agent/src/client";
import { runCycle } from "../../agent/src/cycle";
import { forgetInstallation } from "../../agent/src/forget";
import { memoryLogger } from "../../agent/src/log";
import { Outbox } from "../../agent/src/outbox";
import { DeletionReceiptSchema } from "../../schemas/collector";
import { fakeCollector, httpRequestLog, openOutbox, structureFullOfSecrets, tempDir, testConfig, vmRow } from "./helpers";
import { ADMIN_TOKEN, type Collector, freshCollector } from "./worker";

let dir: ReturnType<typeof tempDir>;
let configFile: string;
let outboxFile: string;

function writeConfig(extra: Record<string, unknown> = {}) {
  writeFileSync(configFile, JSON.stringify({ collector: "http://collector.test", outbox: "outbox.sqlite", sendStatistics: true, ...extra }));
}

async function run(args: string[], options: { env?: Record<string, string>; fetch?: typeof fetch } = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(["--config", configFile, ...args], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: options.env ?? {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { code, stdout, stderr };
}

function seed() {
  const outbox = Outbox.open(outboxFile);
  for (let i = 0; i < 3; i++) outbox.appendActionLog(httpRequestLog());
  outbox.putStructure(structureFullOfSecrets());
  outbox.close();
}

const storedToken = () => {
  const outbox = Outbox.open(outboxFile);
  try {
    return outbox.token();
  } finally {
    outbox.close();
  }
};

beforeEach(() => {
  dir = tempDir();
  configFile = path.join(dir.dir, "agent.json");
  outboxFile = path.join(dir.dir, "outbox.sqlite");
  writeConfig();
});
afterEach(() => dir.cleanup());

describe("edgestats-agent forget", () => {
  it("sends DELETE /api/v1/installation with the uid and the bound token, prints the receipt and forgets the token", async () => {
    seed();
    const collector = fakeCollector();
    expect((await run(["once"], { fetch: collector.fetch })).code).toBe(0);
    const token = storedToken();
    expect(token).toEqual({ value: collector.state.issued, bound: true });

    const { code, stdout, stderr } = await run(["forget"], { fetch: collector.fetch });
    expect(code).toBe(0);
    const request = collector.requests.at(-1)!;
    expect(request).toMatchObject({ method: "DELETE", path: "/api/v1/installation" });
    expect(request.headers["x-installation-token"]).toBe(token!.value);
    const uid = JSON.parse((await run(["status"])).stdout).master_node_uid as string;
    expect(request.body).toEqual({ master_node_uid: uid });
    expect(DeletionReceiptSchema.parse(JSON.parse(stdout))).toMatchObject({ master_node_uid: uid, deleted: { action_logs: 3, installation_structures: 1 } });
    expect(stderr).toContain('"sendStatistics" is still true');
    expect(storedToken()).toBeNull();
    expect(JSON.parse((await run(["status"])).stdout).installation_token).toBe("none");
  });

  it("asks even when sending is not allowed: a deletion is no telemetry", async () => {
    seed();
    const collector = fakeCollector();
    expect((await run(["once"], { fetch: collector.fetch })).code).toBe(0);
    writeConfig({ sendStatistics: false });
    const { code, stderr } = await run(["forget"], { fetch: collector.fetch, env: { DO_NOT_TRACK: "1" } });
    expect(code).toBe(0);
    expect(collector.requests.at(-1)!.method).toBe("DELETE");
    expect(stderr).not.toContain("sendStatistics");
  });

  it("without a token, sends nothing and points to the operator (exit 3)", async () => {
    seed();
    const collector = fakeCollector();
    const { code, stdout, stderr } = await run(["forget"], { fetch: collector.fetch });
    expect(code).toBe(3);
    expect(collector.requests).toEqual([]);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: "refused", reason: "no_token" });
    expect(stderr).toContain("DELETE /api/v1/admin/installations/");
  });

  it("reports a refused token (exit 3) and keeps it", async () => {
    seed();
    const collector = fakeCollector();
    expect((await run(["once"], { fetch: collector.fetch })).code).toBe(0);
    collector.state.boundToken = "J".repeat(72);
    const { code, stdout, stderr } = await run(["forget"], { fetch: collector.fetch });
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: "refused", reason: "token_wrong" });
    expect(stderr).toContain("did not delete");
    expect(storedToken()).toEqual({ value: collector.state.issued, bound: true });
  });

  it("exits 1 when the collector is unreachable, keeping the token", async () => {
    seed();
    const collector = fakeCollector();
    expect((await run(["once"], { fetch: collector.fetch })).code).toBe(0);
    collector.state.down = true;
    const { code, stderr } = await run(["forget"], { fetch: collector.fetch });
    expect(code).toBe(1);
    expect(stderr).toContain("ECONNREFUSED");
    expect(storedToken()?.bound).toBe(true);
  });
});

describe("forget against the real collector", () => {
  let collector: Collector;
  const port = Number(process.env.AGENT_FORGET_PORT ?? 8930);
  beforeAll(async () => {
    collector = freshCollector({ port, state: "agent-forget-state" });
    await collector.start();
  }, 180_000);
  afterAll(async () => {
    await collector?.stop();
  });

  it("deletes every row the agent sent, and the next cycle is a first contact", async () => {
    const uid = `agent-forget-${process.pid}`;
    const config = testConfig(dir.dir, { collector: collector.origin, masterNodeUid: uid, oswlCollectPeriodDays: 0 });
    const outbox = openOutbox(config);
    const client = new CollectorClient(config.collector, { timeoutMs: config.timeoutMs });
    const cycle = () => runCycle({ outbox, config, client, env: {}, log: memoryLogger() });
    try {
      for (let i = 0; i < 4; i++) outbox.appendActionLog(httpRequestLog());
      outbox.putStructure(structureFullOfSecrets());
      outbox.putOswl(vmRow("2026-01-02"));
      expect((await cycle()).outcome).toBe("sent");
      expect(outbox.token()?.bound).toBe(true);
      const summaryBefore = await collector.admin<{ action_logs: { total: number } }>("/api/v1/json/summary");

      const result = await forgetInstallation(outbox, client, uid);
      expect(result).toMatchObject({
        outcome: "deleted",
        receipt: { master_node_uid: uid, requested_by: "installation", deleted: { installation_structures: 1, action_logs: 4, oswl_stats: 1 } },
      });
      expect(outbox.token()).toBeNull();
      const gone = await fetch(`${collector.origin}/api/v1/json/installation_info/${uid}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(gone.status).toBe(404);
      const summaryAfter = await collector.admin<{ action_logs: { total: number } }>("/api/v1/json/summary");
      expect(summaryAfter.action_logs.total).toBe(summaryBefore.action_logs.total - 4);
      expect(await collector.admin(`/api/v1/admin/installations/${uid}`)).toMatchObject({ known: false, bound: false });

      // A new row sends as a first contact: a fresh token is issued, then bound.
      outbox.appendActionLog(httpRequestLog());
      expect((await cycle()).outcome).toBe("sent");
      expect(outbox.token()?.bound).toBe(true);
      expect(await collector.admin(`/api/v1/admin/installations/${uid}`)).toMatchObject({ known: true, bound: true });
      const info = await collector.admin<{ modification_date: string | null }>(`/api/v1/json/installation_info/${uid}`);
      expect(info.modification_date).toBeNull();
    } finally {
      outbox.close();
    }
  });
});
