// `npm run contrib:import-git` against a real temporary git repository and the real service on
// 127.0.0.1:8797 (wrangler's programmatic API, state of its own under test-artifacts/).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Collector, freshCollector, root } from "../agent/worker";

const PORT = Number(process.env.TOOLS_E2E_PORT ?? 8797);
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const cli = path.join(root, "scripts/contrib-import-git.ts");

let service: Collector;
let repo: string;
let configFile: string;

const config = {
  users: [{ user_name: "Ada Marsh", emails: ["ada@northwind.example"], launchpad_id: "ada-marsh", companies: [{ company_name: "Northwind", end_date: null }] }],
  companies: [{ company_name: "Northwind", domains: ["northwind.example"] }],
  releases: [
    { release_name: "prehistory", end_date: "2011-Jan-01" },
    { release_name: "Alder", end_date: "2030-Jan-01" },
  ],
  repos: [
    {
      uri: "https://git.example/demo/ferry.git",
      module: "ferry",
      organization: "demo",
      releases: [
        { release_name: "Boat", tag_from: "1.0", tag_to: "2.0" },
        { release_name: "ignored", tag_from: "2.0", tag_to: "2.1" },
      ],
    },
  ],
  project_types: [{ id: "all", title: "All", modules: ["ferry"] }],
};

function git(...args: string[]) {
  const r = spawnSync("git", ["-C", repo, ...args], {
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_DATE: "2024-03-01T12:00:00Z", GIT_COMMITTER_DATE: "2024-03-01T12:00:00Z" },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

function commit(file: string, message: string, author = "Ada Marsh <ada@northwind.example>") {
  writeFileSync(path.join(repo, file), `${file} ${Math.random()}\n`);
  git("add", file);
  git("commit", "-q", "--author", author, "-m", message);
  return git("rev-parse", "HEAD");
}

function importGit(...args: string[]) {
  return spawnSync(process.execPath, [tsx, cli, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, ADMIN_TOKEN, EDGESTATS_URL: service.origin } });
}

const shas: Record<string, string> = {};

beforeAll(async () => {
  repo = mkdtempSync(path.join(tmpdir(), "edgestats-import-"));
  git("init", "-q", "-b", "master");
  shas.first = commit("a", "First");
  git("tag", "1.0");
  shas.boat = commit("b", "Sail the boat\n\nCloses-Bug: #1234567\nCo-Authored-By: Bo Lin <bo.lin@southgate.example>");
  git("tag", "2.0");
  shas.ignored = commit("c", "Vendored tarball");
  git("tag", "2.1");
  shas.after = commit("d", "After the tags", "Mo Kay <mo@gmail.example>");
  configFile = path.join(repo, "..", `${path.basename(repo)}-default_data.json`);
  writeFileSync(configFile, JSON.stringify(config));

  service = freshCollector({ port: PORT, state: "tools-e2e-state" });
  await service.start();
  await service.admin("/api/1.0/admin/default-data", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(config) });
}, 180_000);

afterAll(async () => {
  await service?.stop();
  rmSync(repo, { recursive: true, force: true });
  rmSync(configFile, { force: true });
});

describe("npm run contrib:import-git", () => {
  it("reads the repository with the processor's parser: releases from the config's tag ranges, co-authors", () => {
    const r = importGit(repo, "--module", "ferry", "--config", configFile, "--dry-run");
    expect(r.status).toBe(0);
    const records = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((x) => [x.primary_key, x.release ?? null])).toEqual([
      [shas.after, null],
      [shas.ignored, "ignored"],
      [`${shas.boat}ada@northwind.example`, "boat"],
      [`${shas.boat}bo.lin@southgate.example`, "boat"],
      [shas.first, null],
    ]);
    expect(records[2]).toMatchObject({ record_type: "commit", module: "ferry", branch: "master", bug_id: ["1234567"], loc: 1 });
  });

  it("uploads in batches through the admin API, and importing again stores nothing twice", () => {
    const first = importGit(repo, "--module", "ferry", "--config", configFile);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout.trim().split("\n").at(-1)).toBe(`${repo} (master) → ferry: 5/5 records of 4 commits, 5 added, 0 updated, 0 unchanged`);
    const again = importGit(repo, "--module", "ferry", "--config", configFile);
    expect(again.stdout.trim().split("\n").at(-1)).toBe(`${repo} (master) → ferry: 5/5 records of 4 commits, 0 added, 0 updated, 5 unchanged`);
  });

  it("credits the imported commits to the people and companies of the config", async () => {
    const user = await service.admin<{ user: { user_id: string; emails: string[] } }>("/api/1.0/users/ada-marsh");
    expect(user.user.emails).toEqual(["ada@northwind.example"]);
    const bo = await service.admin<{ user: { companies: { company_name: string }[] } }>(`/api/1.0/users/${encodeURIComponent("bo.lin@southgate.example")}`);
    expect(bo.user.companies).toEqual([{ company_name: "*independent", end_date: 0 }]);
  });

  it("fails clearly: a usage error, a path that is no repository, a service that is not there", () => {
    const usage = importGit(repo);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run contrib:import-git/);

    const nowhere = importGit(path.join(repo, "missing"), "--module", "ferry");
    expect(nowhere.status).toBe(1);
    expect(nowhere.stderr).toMatch(/contrib:import-git: git rev-parse .* in .*missing: /);

    const down = importGit(repo, "--module", "ferry", "--url", "http://127.0.0.1:9");
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/POST http:\/\/127\.0\.0\.1:9\/api\/1\.0\/admin\/records: .*is the service running there/);
  });
});
