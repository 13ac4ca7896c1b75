// The scripts' tool environment keeps wrangler on loopback: no telemetry, no request metadata, and
// no update check for its version banner. The check is observed offline: wrangler's update-check
// cache (in the temp dir) is seeded with a fresh answer that names a newer version, so wrangler
// would print "update available" without asking the registry, unless the banner's check is off.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bin, root, toolEnv } from "../../../scripts/tool-env.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "edgestats-tool-env-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function wranglerWithCachedUpdate(env: NodeJS.ProcessEnv): string {
  const temp = path.join(scratch, `tmp-${Math.random().toString(36).slice(2)}`);
  mkdirSync(path.join(temp, "update-check"), { recursive: true });
  writeFileSync(path.join(temp, "update-check", "wrangler-latest.json"), JSON.stringify({ latest: "99.0.0", lastUpdate: Date.now() }));
  const args = [bin.wrangler, "d1", "migrations", "list", "COLLECTOR_DB", "--local", "--persist-to", path.join(scratch, "state")];
  const run = spawnSync(process.execPath, args, { cwd: root, env: { ...env, TMPDIR: temp }, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout + run.stderr;
}

describe("the scripts' tool environment", () => {
  it("turns off telemetry and the request-metadata fetch", () => {
    expect(toolEnv).toMatchObject({ WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" });
  });

  it("stops wrangler's update check, which a bare environment makes", () => {
    const bare: NodeJS.ProcessEnv = { ...toolEnv };
    delete bare.WRANGLER_HIDE_BANNER;
    expect(wranglerWithCachedUpdate(bare)).toContain("update available 99.0.0");
    const output = wranglerWithCachedUpdate(toolEnv);
    expect(output).toContain("0000_init.sql");
    expect(output).not.toContain("update available");
  }, 60_000);
});
