// The environments of the committed wrangler.toml: each repeats what wrangler does not inherit,
// each has resources of its own, and `wrangler deploy --dry-run` builds every one of them (the
// dry run CI keeps; `npm run check` runs the same three).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unstable_readConfig } from "wrangler";
import { afterAll, describe, expect, it } from "vitest";
import { environmentResources, missingFromEnvironment } from "../../../scripts/lib/wrangler-env.mjs";
import { bin, root, toolEnv } from "../../../scripts/tool-env.mjs";

const config = path.join(root, "wrangler.toml");
const ENVIRONMENTS = ["staging", "production"];
/** What these tests read of wrangler's config (its own types are not shipped with it). */
interface WranglerConfig {
  d1_databases: { binding: string }[];
  queues: { consumers: { queue: string }[] };
  durable_objects: { bindings: { class_name: string }[] };
  vars: Record<string, string>;
  observability?: { enabled?: boolean; logs?: { invocation_logs?: boolean } };
}
interface Resources {
  worker: string;
  databases: { binding: string; name: string }[];
  queues: string[];
  buckets: { binding: string; name: string }[];
}
const read = (env?: string): WranglerConfig => unstable_readConfig({ config, env }, { hideWarnings: true });
const scratch = mkdtempSync(path.join(tmpdir(), "edgestats-dry-run-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the environments of wrangler.toml", () => {
  it.each(ENVIRONMENTS)("[env.%s] repeats every binding and variable of the top level", (env) => {
    expect(missingFromEnvironment(read(), read(env))).toEqual([]);
  });

  it("gives every environment its own Worker, databases, queues and bucket", () => {
    const all: Resources[] = [undefined, ...ENVIRONMENTS].map((env) => environmentResources(read(env)));
    const names = all.flatMap((r) => [r.worker, ...r.databases.map((d) => `d1:${d.name}`), ...r.queues.map((q) => `queue:${q}`), ...r.buckets.map((b) => `r2:${b.name}`)]);
    expect(new Set(names).size).toBe(names.length);
    expect(all.map((r) => r.worker)).toEqual(["edgestats", "edgestats-staging", "edgestats-production"]);
  });

  it.each(["", ...ENVIRONMENTS])("turns Workers Logs on for env %j, without the invocation logs", (env) => {
    // Inherited from the top level's [observability] unless an environment sets its own.
    expect(read(env || undefined).observability).toEqual({ enabled: true, logs: { invocation_logs: false } });
  });

  it("reports what an environment lacks", () => {
    const top = read();
    const env = structuredClone(read("staging"));
    env.d1_databases = env.d1_databases.filter((d) => d.binding !== "CONTRIB_DB");
    env.queues.consumers = env.queues.consumers.filter((c) => !c.queue.startsWith("edgestats-processor"));
    env.durable_objects.bindings[0].class_name = "Other";
    delete env.vars.LEGACY_POLICY;
    expect(missingFromEnvironment(top, env)).toEqual([
      "d1_databases CONTRIB_DB",
      "queues.consumers of edgestats-processor-staging (PROCESSOR_QUEUE)",
      'durable_objects.bindings INSTALLATION (class_name = "Installation")',
      "vars LEGACY_POLICY",
    ]);
  });
});

/** `wrangler deploy --dry-run` for one environment: its exit code and what it printed. */
function dryRun(env: string): Promise<{ code: number; output: string }> {
  const args = [bin.wrangler, "deploy", "--dry-run", "--env", env, "--outdir", path.join(scratch, env || "top")];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...toolEnv, FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

describe("wrangler deploy --dry-run", () => {
  it.each(["", ...ENVIRONMENTS])("builds the Worker of env %j with that environment's resources, without a warning", async (env) => {
    // wrangler.toml serves the dashboard's build as assets; npm test builds it first.
    if (!existsSync(path.join(root, "public/index.html"))) {
      const build = spawnSync(process.execPath, [bin.vite, "build", "--logLevel", "warn"], { cwd: root, encoding: "utf8" });
      expect(build.status, build.stderr).toBe(0);
    }
    const { code, output } = await dryRun(env);
    expect(code, output).toBe(0);
    expect(output).toContain("--dry-run: exiting now.");
    expect(output).not.toMatch(/WARNING|ERROR/);
    const resources: Resources = environmentResources(read(env || undefined));
    for (const db of resources.databases) expect(output).toContain(`env.${db.binding} (${db.name})`);
    for (const bucket of resources.buckets) expect(output).toContain(`env.${bucket.binding} (${bucket.name})`);
  }, 60_000);
});
