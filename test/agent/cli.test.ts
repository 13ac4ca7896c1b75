// The command line: preview shows exactly the next cycle and sends nothing; the opt-outs win;
// export, upload and receipt leave the outbox as a direct send would.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../agent/src/cli";
import { Outbox } from "../../agent/src/outbox";
import { SECRETS, fakeCollector, httpRequestLog, structureFullOfSecrets, tempDir, vmRow } from "./helpers";

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
  for (let i = 0; i < 120; i++) outbox.appendActionLog(httpRequestLog());
  outbox.putStructure(structureFullOfSecrets());
  outbox.putOswl(vmRow("2026-01-02"));
  outbox.close();
}

beforeEach(() => {
  dir = tempDir();
  configFile = path.join(dir.dir, "agent.json");
  outboxFile = path.join(dir.dir, "outbox.sqlite");
  writeConfig();
});
afterEach(() => dir.cleanup());

describe("edgestats-agent preview", () => {
  it("prints exactly the requests the next cycle makes, and sends nothing", async () => {
    seed();
    const previewCollector = fakeCollector();
    const { code, stdout } = await run(["preview"], { fetch: previewCollector.fetch });
    expect(code).toBe(0);
    expect(previewCollector.requests).toEqual([]);
    const preview = JSON.parse(stdout);
    expect(preview.sending).toBe(true);
    expect(JSON.stringify(preview)).not.toContain(SECRETS.password);

    const sendingCollector = fakeCollector();
    expect((await run(["once"], { fetch: sendingCollector.fetch })).code).toBe(0);
    const sent = sendingCollector.requests.map((r) => ({ method: r.method, url: `http://collector.test${r.path}`, ...(r.body ? { body: r.body } : {}) }));
    expect(preview.requests).toEqual(sent);
  });

  it("still shows what would be sent under DO_NOT_TRACK, and says that nothing will be", async () => {
    seed();
    const { stdout } = await run(["preview"], { env: { DO_NOT_TRACK: "1" } });
    const preview = JSON.parse(stdout);
    expect(preview.sending).toBe(false);
    expect(preview.reason).toContain("DO_NOT_TRACK");
    expect(preview.requests.length).toBe(5);
  });
});

describe("edgestats-agent once", () => {
  it("sends nothing under EDGESTATS_NO_TELEMETRY=1 even when the config opts in", async () => {
    seed();
    const collector = fakeCollector();
    const { code, stdout } = await run(["once"], { env: { EDGESTATS_NO_TELEMETRY: "1" }, fetch: collector.fetch });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).outcome).toBe("not-allowed");
    expect(collector.requests).toEqual([]);
  });

  it("exits 3 and explains a token mismatch", async () => {
    seed();
    const collector = fakeCollector();
    collector.state.boundToken = "B".repeat(72);
    expect((await run(["token", "set", "W".repeat(72)])).code).toBe(0);
    const { code, stderr } = await run(["once"], { fetch: collector.fetch });
    expect(code).toBe(3);
    expect(stderr).toMatch(/token mismatch: the collector refused the installation token of master_node_uid/);
  });
});

describe("edgestats-agent export, upload and receipt", () => {
  it("refuses to export without consent", async () => {
    seed();
    writeConfig({ sendStatistics: false });
    const { code, stderr } = await run(["export", path.join(dir.dir, "bundle.json")]);
    expect(code).toBe(1);
    expect(stderr).toContain("not opted in");
  });

  it("leaves the collector and the outbox as a direct send would", async () => {
    seed();
    const bundleFile = path.join(dir.dir, "bundle.json");
    expect((await run(["export", bundleFile])).code).toBe(0);
    expect(statSync(bundleFile).mode & 0o777).toBe(0o600);
    const collector = fakeCollector();
    const upload = await run(["upload", bundleFile, "--collector", "http://collector.test"], { fetch: collector.fetch });
    expect(upload.code).toBe(0);
    const receipt = JSON.parse(readFileSync(`${bundleFile}.receipt.json`, "utf8"));
    expect(receipt.complete).toBe(true);
    expect((await run(["receipt", `${bundleFile}.receipt.json`])).code).toBe(0);

    const status = JSON.parse((await run(["status"])).stdout);
    expect(status.outbox).toEqual({ actionLogs: { pending: 0, sent: 120 }, oswl: { pending: 0, sent: 1 }, structure: "sent" });
    expect(status.installation_token).toBe("bound");
    expect(collector.storedLogs.size).toBe(120);
    // The next cycle presents the bound token and has nothing left to send.
    const next = await run(["once"], { fetch: collector.fetch });
    expect(JSON.parse(next.stdout)).toMatchObject({ outcome: "sent", actionLogs: { sent: 0 }, oswl: { sent: 0 } });
  });
});
