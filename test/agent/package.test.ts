// The agent installs outside the repository: `npm pack` bundles it (with the wire schemas it shares
// with the collector, which live outside agent/) into a tarball of bin/ and dist/, and the unpacked
// package runs with nothing but its declared dependencies beside it. No registry is asked: the
// dependencies are linked from the repository's node_modules, as an install would place them.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers";

const root = path.resolve(import.meta.dirname, "../..");
const scratch = tempDir();
const installed = path.join(scratch.dir, "site", "node_modules", "edgestats-agent");
let files: string[] = [];

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

function agent(args: string[], env: NodeJS.ProcessEnv = {}) {
  const bin = path.join(installed, "bin", "edgestats-agent.mjs");
  return spawnSync(process.execPath, [bin, ...args], { cwd: path.join(scratch.dir, "site"), env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });
}

beforeAll(() => {
  const out = execFileSync("npm", ["pack", "--offline", "--json", "--pack-destination", scratch.dir], { cwd: path.join(root, "agent"), encoding: "utf8" });
  const [packed] = JSON.parse(out.slice(out.indexOf("["))) as { filename: string }[];
  if (!packed) throw new Error(`npm pack named no tarball: ${out}`);
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["xzf", path.join(scratch.dir, packed.filename), "-C", installed, "--strip-components=1"]);
  files = listFiles(installed).sort();
  const { dependencies } = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    symlinkSync(path.join(root, "node_modules", name), path.join(scratch.dir, "site", "node_modules", name));
  }
}, 120_000);

afterAll(() => scratch.cleanup());

describe("the packed agent", () => {
  it("holds the command and the bundle, not the TypeScript sources", () => {
    expect(files).toContain("bin/edgestats-agent.mjs");
    expect(files).toContain("dist/cli.mjs");
    expect(files).toContain("dist/index.mjs");
    expect(files.filter((f) => f.startsWith("src/") || f.endsWith(".ts"))).toEqual([]);
    const bundle = files.filter((f) => f.startsWith("dist/")).map((f) => readFileSync(path.join(installed, f), "utf8")).join("\n");
    expect(bundle).not.toMatch(/from "\.\.\/\.\.\/schemas|from "tsx/);
  });

  it("prints its usage from outside the repository", () => {
    const run = agent(["--help"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: edgestats-agent \[--config FILE\] <command>/);
  });

  it("opens an outbox and previews a cycle with only its declared dependencies", () => {
    const config = path.join(scratch.dir, "site", "edgestats-agent.json");
    writeFileSync(config, JSON.stringify({ collector: "http://127.0.0.1:9", outbox: "outbox.sqlite", sendStatistics: true }));
    const run = agent(["--config", config, "preview"]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ sending: true, requests: [{ method: "GET", url: "http://127.0.0.1:9/api/v1/ping/" }] });
  });

  it("is importable as a library by its package name", () => {
    const script = 'import("edgestats-agent").then((m) => console.log(typeof m.startAgent, typeof m.Outbox.open))';
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: path.join(scratch.dir, "site"), encoding: "utf8" });
    expect(run.stdout.trim(), run.stderr).toBe("function function");
  });
});
