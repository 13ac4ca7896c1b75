// `npm run deploy` against a fake wrangler (fake-wrangler.mjs: an account kept in a JSON file,
// the real command's answers, every call recorded) and a fake vite, on a copy of wrangler.toml
// in a temporary directory. Nothing here reaches the network.
import { execFile, spawn } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unstable_readConfig } from "wrangler";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");
/** The part of wrangler's config these tests read (its own types are not shipped with it). */
interface D1Config {
  d1_databases: { binding: string; database_name: string; database_id?: string }[];
}
const readConfig = (config: string, env?: string): D1Config => unstable_readConfig({ config, env }, { hideWarnings: true });
const fake = path.join(import.meta.dirname, "fake-wrangler.mjs");
const migrations = (db: string) => readdirSync(path.join(root, "migrations", db)).filter((f) => f.endsWith(".sql"));

interface Account {
  loggedIn: boolean;
  email: string;
  accounts: { id: string; name: string }[];
  d1: { uuid: string; name: string }[];
  queues: string[];
  buckets: string[];
  workers: Record<string, { secrets: string[]; deployments?: number }>;
  pending: Record<string, string[]>;
  fail: Record<string, string>;
}

interface Call {
  tool: string;
  args: string[];
  stdin?: string;
  xdgConfigHome: string | null;
}

let dir: string;
let config: string;

/** An account where the staging Worker exists with its secret and nothing else does yet. */
function account(changes: Partial<Account> = {}): Account {
  return {
    loggedIn: true,
    email: "ops@example.org",
    accounts: [{ id: "0123456789abcdef0123456789abcdef", name: "Example Ops" }],
    d1: [],
    queues: [],
    buckets: [],
    workers: { "edgestats-staging": { secrets: ["ADMIN_TOKEN"] } },
    pending: {
      "staging/COLLECTOR_DB": migrations("collector"),
      "staging/ANALYTIC_DB": migrations("analytic"),
      "staging/CONTRIB_DB": migrations("contrib"),
    },
    fail: {},
    ...changes,
  };
}

const statePath = () => path.join(dir, "account.json");
const logPath = () => path.join(dir, "calls.jsonl");
const setAccount = (state: Account) => writeFileSync(statePath(), JSON.stringify(state, null, 2));
const readAccount = (): Account => JSON.parse(readFileSync(statePath(), "utf8"));

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "edgestats-deploy-"));
  config = path.join(dir, "wrangler.toml");
  copyFileSync(path.join(root, "wrangler.toml"), config);
  for (const [name, tool] of [["wrangler", "wrangler"], ["vite", "vite"]]) {
    writeFileSync(path.join(dir, name), `#!/bin/sh\nFAKE_TOOL=${tool} exec "${process.execPath}" "${fake}" "$@"\n`);
    chmodSync(path.join(dir, name), 0o755);
  }
  writeFileSync(logPath(), "");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of a run: the fakes, no CI flag, and no config directory of the caller's. */
function runEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EDGESTATS_WRANGLER: path.join(dir, "wrangler"),
    EDGESTATS_VITE: path.join(dir, "vite"),
    FAKE_WRANGLER_STATE: statePath(),
    FAKE_TOOLS_LOG: logPath(),
    ...extra,
  };
  for (const name of ["CI", "XDG_CONFIG_HOME", "CLOUDFLARE_ACCOUNT_ID", "FORCE_COLOR"]) if (!(name in extra)) delete env[name];
  return env;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  calls: Call[];
}

let logged = 0;

/** The calls recorded since the last look. */
function newCalls(): Call[] {
  const lines = readFileSync(logPath(), "utf8").split("\n").filter(Boolean);
  const calls = lines.slice(logged).map((line) => JSON.parse(line) as Call);
  logged = lines.length;
  return calls;
}

/** Runs the deploy script on the copy of wrangler.toml; stdin is a pipe, so it cannot ask. */
function deploy(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  logged = readFileSync(logPath(), "utf8").split("\n").filter(Boolean).length;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [path.join(root, "scripts/deploy.mjs"), "--config", config, ...args], { cwd: root, env: runEnv(extraEnv) }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr, calls: newCalls() });
    });
    child.stdin?.end();
  });
}

/** A call as a command line, without the --config that every wrangler call carries. */
function commandLine(call: Call): string {
  if (call.tool === "wrangler") {
    const at = call.args.indexOf("--config");
    expect(call.args.slice(at, at + 2)).toEqual(["--config", config]);
    return ["wrangler", ...call.args.slice(0, at), ...call.args.slice(at + 2)].map((a) => (a === "" ? '""' : a)).join(" ");
  }
  return [call.tool, ...call.args].join(" ");
}

const FIRST_RUN_CALLS = [
  "wrangler whoami --json",
  "wrangler d1 list --json",
  "wrangler d1 create edgestats-collector-staging",
  "wrangler d1 create edgestats-analytic-staging",
  "wrangler d1 create edgestats-contrib-staging",
  "wrangler d1 list --json",
  "wrangler queues info edgestats-bundles-staging",
  "wrangler queues create edgestats-bundles-staging",
  "wrangler queues info edgestats-processor-staging",
  "wrangler queues create edgestats-processor-staging",
  "wrangler r2 bucket list",
  "wrangler r2 bucket create edgestats-bundles-staging",
  "wrangler d1 migrations apply COLLECTOR_DB --remote --env staging",
  "wrangler d1 migrations apply ANALYTIC_DB --remote --env staging",
  "wrangler d1 migrations apply CONTRIB_DB --remote --env staging",
  "wrangler secret list --env staging --format json",
  "vite build --logLevel warn",
  "wrangler deploy --env staging",
];

describe("npm run deploy", () => {
  it("creates what is missing, writes the database ids into [env.staging], migrates and deploys, in that order", async () => {
    setAccount(account());
    const original = readFileSync(config, "utf8");
    const run = await deploy(["--env", "staging"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.calls.map(commandLine)).toEqual(FIRST_RUN_CALLS);
    // wrangler keeps the caller's config directory: `wrangler login` left its token there.
    expect(new Set(run.calls.map((c) => c.xdgConfigHome))).toEqual(new Set([null]));

    const state = readAccount();
    const idOf = (name: string) => state.d1.find((db) => db.name === name)?.uuid;
    expect(state.queues).toEqual(["edgestats-bundles-staging", "edgestats-processor-staging"]);
    expect(state.buckets).toEqual(["edgestats-bundles-staging"]);
    expect(state.workers["edgestats-staging"].deployments).toBe(1);

    // Wrangler reads the environment with the new ids; the top level and production keep theirs.
    const staging = readConfig(config, "staging");
    expect(staging.d1_databases.map((db) => [db.binding, db.database_id])).toEqual([
      ["COLLECTOR_DB", idOf("edgestats-collector-staging")],
      ["ANALYTIC_DB", idOf("edgestats-analytic-staging")],
      ["CONTRIB_DB", idOf("edgestats-contrib-staging")],
    ]);
    for (const env of [undefined, "production"]) {
      const now = readConfig(config, env);
      expect(now.d1_databases).toEqual(readConfig(path.join(root, "wrangler.toml"), env).d1_databases);
    }
    // Every other line, comments included, is as it was.
    const was = original.split("\n");
    const is = readFileSync(config, "utf8").split("\n");
    expect(is).toHaveLength(was.length);
    const changed = is.flatMap((line, i) => (line === was[i] ? [] : [line]));
    expect(changed).toEqual([
      `database_id = "${idOf("edgestats-collector-staging")}"`,
      `database_id = "${idOf("edgestats-analytic-staging")}"`,
      `database_id = "${idOf("edgestats-contrib-staging")}"`,
    ]);

    expect(run.stdout).toContain("created edgestats-collector-staging (COLLECTOR_DB)");
    expect(run.stdout).toContain("wrote the database ids of COLLECTOR_DB, ANALYTIC_DB, CONTRIB_DB into [[env.staging.d1_databases]]");
    const collector = migrations("collector");
    expect(run.stdout).toContain(`COLLECTOR_DB: applied ${collector.length} migrations, ${collector[0]} to ${collector.at(-1)}`);
    const applied = ["collector", "analytic", "contrib"].reduce((n, db) => n + migrations(db).length, 0);
    expect(run.stdout).toMatch(
      new RegExp(`deploy: created 3 databases, 2 queues and 1 bucket; wrote 3 database ids into .*; applied ${applied} migrations; deployed edgestats-staging\\n$`),
    );
  }, 60_000);

  it("changes nothing on a second run, makes no create call, and says so", async () => {
    setAccount(account());
    expect((await deploy(["--env", "staging"])).code).toBe(0);
    const after = readFileSync(config);
    const run = await deploy(["--env", "staging"]);
    expect(run.code).toBe(0);
    expect(readFileSync(config).equals(after)).toBe(true);
    expect(run.calls.map(commandLine)).toEqual([
      "wrangler whoami --json",
      "wrangler d1 list --json",
      "wrangler queues info edgestats-bundles-staging",
      "wrangler queues info edgestats-processor-staging",
      "wrangler r2 bucket list",
      "wrangler d1 migrations apply COLLECTOR_DB --remote --env staging",
      "wrangler d1 migrations apply ANALYTIC_DB --remote --env staging",
      "wrangler d1 migrations apply CONTRIB_DB --remote --env staging",
      "wrangler secret list --env staging --format json",
      "vite build --logLevel warn",
      "wrangler deploy --env staging",
    ]);
    expect(run.stdout).toContain("unchanged (it has the ids of all 3 databases)");
    expect(run.stdout).toContain("COLLECTOR_DB: none pending");
    expect(run.stdout).toMatch(/deploy: nothing changed: every resource exists, .* is unchanged, no migration was pending and every secret is set; deployed edgestats-staging again\n$/);
  }, 60_000);

  it("adopts resources that exist by name instead of creating them", async () => {
    setAccount(
      account({
        d1: [{ uuid: "11111111-2222-4333-8444-555555555555", name: "edgestats-analytic-staging" }],
        queues: ["edgestats-processor-staging"],
        buckets: ["edgestats-bundles-staging"],
      }),
    );
    const run = await deploy(["--env", "staging"]);
    expect(run.code).toBe(0);
    const creates = run.calls.map(commandLine).filter((c) => c.includes(" create "));
    expect(creates).toEqual([
      "wrangler d1 create edgestats-collector-staging",
      "wrangler d1 create edgestats-contrib-staging",
      "wrangler queues create edgestats-bundles-staging",
    ]);
    const staging = readConfig(config, "staging");
    expect(staging.d1_databases.find((db) => db.binding === "ANALYTIC_DB")?.database_id).toBe("11111111-2222-4333-8444-555555555555");
  }, 60_000);

  it("deploys the top level without --env, writing its ids and naming the top level to every command", async () => {
    setAccount(account({ workers: { edgestats: { secrets: ["ADMIN_TOKEN"] } }, pending: {} }));
    const run = await deploy([]);
    expect(run.code).toBe(0);
    expect(run.calls.filter((c) => c.args.includes("--env")).map((c) => c.args.slice(0, c.args.indexOf("--env") + 2))).toEqual([
      ["d1", "migrations", "apply", "COLLECTOR_DB", "--remote", "--env", ""],
      ["d1", "migrations", "apply", "ANALYTIC_DB", "--remote", "--env", ""],
      ["d1", "migrations", "apply", "CONTRIB_DB", "--remote", "--env", ""],
      ["secret", "list", "--env", ""],
      ["deploy", "--env", ""],
    ]);
    const top = readConfig(config);
    expect(top.d1_databases.map((db) => db.database_id)).toEqual(readAccount().d1.map((db) => db.uuid));
    const staging = readConfig(config, "staging");
    expect(staging.d1_databases.every((db) => db.database_id?.startsWith("00000000-"))).toBe(true);
    expect(run.stdout).toContain("deploy: the top level of");
    expect(run.stdout).toContain("into [[d1_databases]]");
  }, 60_000);

  it("stops before any change when wrangler is not logged in, saying how to log in", async () => {
    setAccount(account({ loggedIn: false }));
    const original = readFileSync(config, "utf8");
    const run = await deploy(["--env", "staging"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("deploy: not logged in to Cloudflare: run `npx wrangler login`, or export CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID");
    expect(run.calls.map(commandLine)).toEqual(["wrangler whoami --json"]);
    expect(readFileSync(config, "utf8")).toBe(original);
  }, 60_000);

  it("asks for the account when the login sees several, unless CLOUDFLARE_ACCOUNT_ID names one", async () => {
    const accounts = [
      { id: "0123456789abcdef0123456789abcdef", name: "Example Ops" },
      { id: "fedcba9876543210fedcba9876543210", name: "Other" },
    ];
    setAccount(account({ accounts }));
    const run = await deploy(["--env", "staging"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("this login sees 2 accounts (Example Ops 0123456789abcdef0123456789abcdef, Other fedcba9876543210fedcba9876543210): export CLOUDFLARE_ACCOUNT_ID=<id>");
    expect(run.calls.map(commandLine)).toEqual(["wrangler whoami --json"]);
    const chosen = await deploy(["--env", "staging"], { CLOUDFLARE_ACCOUNT_ID: "fedcba9876543210fedcba9876543210" });
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain("ops@example.org, account Other (fedcba9876543210fedcba9876543210)");
  }, 60_000);

  it("fails naming the missing secret and the command that sets it when there is no terminal to ask", async () => {
    setAccount(account({ workers: {} }));
    const run = await deploy(["--env", "staging"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("the Worker edgestats-staging does not exist yet");
    expect(run.stderr).toContain("deploy: the secret ADMIN_TOKEN (the admin API's bearer secret) is not set for edgestats-staging, and there is no terminal to ask for it");
    expect(run.stderr).toContain(`openssl rand -base64 48 | npx wrangler secret put ADMIN_TOKEN --env staging --config ${config}`);
    const calls = run.calls.map(commandLine);
    expect(calls.at(-1)).toBe("wrangler secret list --env staging --format json");
    expect(calls.some((c) => c.startsWith("vite") || c.startsWith("wrangler deploy") || c.includes("secret put"))).toBe(false);
  }, 60_000);

  it("asks for a missing secret at a terminal without showing it, and sets it", async () => {
    setAccount(account({ workers: {} }));
    // `script` gives the deploy a terminal; the answer is typed once the question is on screen.
    const command = [process.execPath, path.join(root, "scripts/deploy.mjs"), "--config", config, "--env", "staging"].map((w) => `'${w}'`).join(" ");
    const child = spawn("script", ["-qefc", command, "/dev/null"], { cwd: root, env: runEnv() });
    let screen = "";
    let typed = false;
    const code = await new Promise<number>((resolve) => {
      child.stdout.on("data", (chunk) => {
        screen += chunk;
        if (!typed && screen.includes("(not shown): ")) {
          typed = true;
          child.stdin.write("typed-secret-0123456789\r");
        }
      });
      child.on("close", (status) => resolve(status ?? 1));
    });
    expect(screen).toContain("ADMIN_TOKEN is not set (the admin API's bearer secret); type or paste it (not shown): ");
    expect(code).toBe(0);
    expect(screen).not.toContain("typed-secret");
    expect(screen).toContain("ADMIN_TOKEN: set now");
    const put = newCalls().find((c) => c.args[0] === "secret" && c.args[1] === "put");
    expect(put?.args.slice(0, 5)).toEqual(["secret", "put", "ADMIN_TOKEN", "--env", "staging"]);
    expect(put?.stdin).toBe("typed-secret-0123456789");
    expect(readAccount().workers["edgestats-staging"].secrets).toEqual(["ADMIN_TOKEN"]);
  }, 60_000);

  it("names the resource a create failed for, leaves wrangler.toml as it was, and picks up from there on the next run", async () => {
    setAccount(account({ fail: { "d1 create edgestats-analytic-staging": "Exceeded maximum number of databases for this account" } }));
    const original = readFileSync(config, "utf8");
    const run = await deploy(["--env", "staging"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("deploy: could not create the D1 database edgestats-analytic-staging (ANALYTIC_DB):");
    expect(run.stderr).toContain("Exceeded maximum number of databases for this account");
    expect(run.stderr).toContain("was not changed");
    expect(readFileSync(config, "utf8")).toBe(original);
    expect(run.calls.map(commandLine).at(-1)).toBe("wrangler d1 create edgestats-analytic-staging");
    expect(readdirSync(dir).filter((f) => f.includes("deploy-"))).toEqual([]);

    setAccount({ ...readAccount(), fail: {} });
    const again = await deploy(["--env", "staging"]);
    expect(again.code).toBe(0);
    expect(again.calls.map(commandLine).filter((c) => c.startsWith("wrangler d1 create"))).toEqual([
      "wrangler d1 create edgestats-analytic-staging",
      "wrangler d1 create edgestats-contrib-staging",
    ]);
    const staging = readConfig(config, "staging");
    expect(staging.d1_databases.map((db) => db.database_id)).toEqual(readAccount().d1.map((db) => db.uuid));
  }, 60_000);

  it("refuses an environment that lacks a binding of the top level, before calling wrangler", async () => {
    setAccount(account());
    const text = readFileSync(config, "utf8");
    const table = '[[env.staging.r2_buckets]]\nbinding = "BUNDLES"\nbucket_name = "edgestats-bundles-staging"\n\n';
    expect(text).toContain(table);
    const vars = '[env.staging.vars]\nMAX_BODY_BYTES = "1048576"\nLEGACY_POLICY = "allow"\n';
    expect(text).toContain(vars);
    writeFileSync(config, text.replace(table, "").replace(vars, '[env.staging.vars]\nMAX_BODY_BYTES = "1048576"\n'));
    const run = await deploy(["--env", "staging"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("[env.staging] of");
    expect(run.stderr).toContain("r2_buckets BUNDLES");
    expect(run.stderr).toContain("vars LEGACY_POLICY");
    expect(run.calls).toEqual([]);
  }, 60_000);

  it("rejects an environment wrangler.toml does not define, and unknown options", async () => {
    setAccount(account());
    const unknown = await deploy(["--env", "qa"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("has no [env.qa] (it defines staging, production)");
    const option = await deploy(["--envv", "staging"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("usage: npm run deploy -- [--env staging|production]");
    expect([...unknown.calls, ...option.calls]).toEqual([]);
  }, 60_000);
});
