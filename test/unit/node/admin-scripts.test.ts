// The local tools find the service where `npm start` put it ($PORT) or where $EDGESTATS_URL says,
// and a failure to connect names the URL that was tried. The "service" here is a plain HTTP server
// on 127.0.0.1 that records what reaches it.
import { execFile } from "node:child_process";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a script under `env` (on top of a clean EDGESTATS_URL/PORT) without blocking this process's server. */
function runScript(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env, ADMIN_TOKEN: "test-admin-secret" };
  delete base.EDGESTATS_URL;
  delete base.PORT;
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, script), ...args], { cwd: root, env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const seen: string[] = [];
let server: Server | undefined;

/** A service on a free loopback port that answers every request with 200 `{}`. */
async function startService(): Promise<number> {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`);
    req.resume();
    req.on("end", () => res.end("{}"));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A loopback port that nothing listens on (one the system just handed out and took back). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

afterEach(async () => {
  seen.length = 0;
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  server = undefined;
  vi.unstubAllEnvs();
});

describe("npm run admin", () => {
  it("calls the local service on $PORT", async () => {
    const port = await startService();
    const run = await runScript("scripts/admin.mjs", ["filtering-rules", "get"], { PORT: String(port) });
    expect(run).toMatchObject({ code: 0, stdout: "{}\n" });
    expect(seen).toEqual(["GET /api/v1/admin/filtering-rules Bearer test-admin-secret"]);
  });

  it("prefers $EDGESTATS_URL to $PORT", async () => {
    const port = await startService();
    const run = await runScript("scripts/admin.mjs", ["installation", "abc"], { PORT: "1", EDGESTATS_URL: `http://127.0.0.1:${port}/` });
    expect(run.code).toBe(0);
    expect(seen).toEqual(["GET /api/v1/admin/installations/abc Bearer test-admin-secret"]);
  });

  it("lists the backups, shows one and starts one", async () => {
    const port = await startService();
    for (const args of [["backups"], ["backups", "20260501T030000Z"], ["backups", "start"]]) {
      expect((await runScript("scripts/admin.mjs", args, { PORT: String(port) })).code).toBe(0);
    }
    expect(seen).toEqual([
      "GET /api/v1/admin/backups Bearer test-admin-secret",
      "GET /api/v1/admin/backups/20260501T030000Z Bearer test-admin-secret",
      "POST /api/v1/admin/backups Bearer test-admin-secret",
    ]);
  });

  it("shows the service's status", async () => {
    const port = await startService();
    expect((await runScript("scripts/admin.mjs", ["status"], { PORT: String(port) })).code).toBe(0);
    expect(seen).toEqual(["GET /api/v1/admin/status Bearer test-admin-secret"]);
  });

  it("deletes an installation with DELETE on its admin route", async () => {
    const port = await startService();
    const run = await runScript("scripts/admin.mjs", ["installation", "a/b", "delete"], { PORT: String(port) });
    expect(run.code).toBe(0);
    expect(seen).toEqual(["DELETE /api/v1/admin/installations/a%2Fb Bearer test-admin-secret"]);
  });

  it("names the URL it tried when nothing answers there", async () => {
    const port = await closedPort();
    const run = await runScript("scripts/admin.mjs", ["filtering-rules", "get"], { PORT: String(port) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`GET http://127.0.0.1:${port}/api/v1/admin/filtering-rules: connect ECONNREFUSED`);
  });

  it("refuses a PORT that is not a port, and --url without a value, saying which", async () => {
    const badPort = await runScript("scripts/admin.mjs", ["filtering-rules", "get"], { PORT: "eighty" });
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain('PORT must be a port number from 1 to 65535, not "eighty"');
    const noUrl = await runScript("scripts/admin.mjs", ["filtering-rules", "get", "--url"], {});
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toContain("--url needs a value");
  });
});

describe("npm run contrib:config", () => {
  it("loads the file into the local service on $PORT", async () => {
    const port = await startService();
    const run = await runScript("scripts/contrib-config.mjs", ["config/contrib/default_data.json"], { PORT: String(port) });
    expect(run.code).toBe(0);
    expect(seen).toEqual(["PUT /api/1.0/admin/default-data Bearer test-admin-secret"]);
  });

  it("names the URL of a source it cannot fetch", async () => {
    const port = await closedPort();
    const source = `http://127.0.0.1:${port}/default_data.json`;
    const run = await runScript("scripts/contrib-config.mjs", [source], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`GET ${source}: connect ECONNREFUSED`);
  });

  it("names the service's URL when nothing answers there", async () => {
    const port = await closedPort();
    const run = await runScript("scripts/contrib-config.mjs", ["config/contrib/default_data.json"], { PORT: String(port) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`PUT http://127.0.0.1:${port}/api/1.0/admin/default-data: connect ECONNREFUSED`);
  });
});

describe("the Vite dev server", () => {
  it("proxies /api to the service on $PORT", async () => {
    vi.stubEnv("PORT", "8812");
    vi.stubEnv("EDGESTATS_URL", "");
    vi.resetModules();
    const { default: config } = await import("../../../vite.config");
    expect(config.server?.proxy?.["/api"]).toMatchObject({ target: "http://127.0.0.1:8812" });
  });

  it("proxies /api to $EDGESTATS_URL when it is set", async () => {
    vi.stubEnv("EDGESTATS_URL", "https://stats.example.org/");
    vi.resetModules();
    const { default: config } = await import("../../../vite.config");
    expect(config.server?.proxy?.["/api"]).toMatchObject({ target: "https://stats.example.org", changeOrigin: true });
  });
});

