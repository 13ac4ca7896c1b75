#!/usr/bin/env node
// `npm run deploy -- [--env staging|production] [--config wrangler.toml]`: everything a release
// needs, in order; steps 2 to 5 change only what is missing, and step 6 runs every time:
//   1. the wrangler login (`wrangler whoami --json`) and, for a login that sees several accounts,
//      the account to use;
//   2. the D1 databases, queues and R2 bucket that the environment of wrangler.toml names: found
//      by name, created when missing;
//   3. their database ids written into that environment of wrangler.toml (only those values
//      change; the file is parsed again and compared before it is replaced);
//   4. pending D1 migrations applied remotely;
//   5. the secrets (ADMIN_TOKEN): asked for at a terminal when missing; elsewhere the run stops
//      and names the command that sets them;
//   6. the UI built, and `wrangler deploy`.
// Without --env it deploys the top level of wrangler.toml (the Worker "edgestats"). docs/operations.md
// explains each step. EDGESTATS_WRANGLER and EDGESTATS_VITE replace the wrangler and vite
// executables (the tests use recording fakes).
import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs, isDeepStrictEqual } from "node:util";
import { environmentResources, missingFromEnvironment } from "./lib/wrangler-env.mjs";
import { d1TableName, setDatabaseIds } from "./lib/wrangler-toml.mjs";
import { bin, root, toolEnv } from "./tool-env.mjs";

const USAGE = "usage: npm run deploy -- [--env staging|production] [--config <wrangler.toml>]";

/** The secrets a deployment must have, with what each is for. */
const REQUIRED_SECRETS = [{ name: "ADMIN_TOKEN", what: "the admin API's bearer secret" }];
/** Secrets worth a mention when they are missing. */
const OPTIONAL_SECRETS = [{ name: "GITHUB_TOKEN", what: "the processor's GitHub token; GitHub answers fewer requests without it" }];

/** A failure the operator can act on: printed as is, without a stack. */
class DeployError extends Error {}

// The tools' environment, but wrangler keeps its own config directory: that is where
// `wrangler login` left the operator's token (the other scripts keep one inside the repository).
const deployEnv = { ...toolEnv };
if (!process.env.XDG_CONFIG_HOME) delete deployEnv.XDG_CONFIG_HOME;

const wranglerCommand = process.env.EDGESTATS_WRANGLER ? [process.env.EDGESTATS_WRANGLER] : [process.execPath, bin.wrangler];
const viteCommand = process.env.EDGESTATS_VITE ? [process.env.EDGESTATS_VITE] : [process.execPath, bin.vite];

/**
 * Runs a tool with the scripts' environment and no terminal on its stdin (so wrangler asks
 * nothing: migrations apply without their confirmation). `input` is written to its stdin;
 * with `echo` its output is shown as it comes. Resolves with the exit code and the output.
 */
function runTool(command, args, { input, echo = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], [...command.slice(1), ...args], {
      cwd: root,
      env: deployEnv,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (echo) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (echo) process.stderr.write(chunk);
    });
    child.on("error", (error) => reject(new DeployError(`cannot run ${command.join(" ")}: ${error.message}`)));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
  });
}

/** The last lines of a failed command's output, for an error message. */
function tail(result) {
  const text = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, "").trim();
  return text.split("\n").slice(-12).join("\n");
}

/** The JSON that a `--json` command printed (wrangler may print other lines before it). */
function parseJsonOutput(stdout, what) {
  const start = stdout.search(/^[[{]/m);
  try {
    return JSON.parse(stdout.slice(start));
  } catch {
    throw new DeployError(`${what} did not print JSON:\n${stdout.trim()}`);
  }
}

const shellWord = (word) => (word === "" ? '""' : /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);

/** Reads a line at the terminal without showing it. */
function askHidden(question) {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // The terminal stops echoing before the question shows: a paste that follows it at once is
    // not shown either.
    stdin.setRawMode(true);
    process.stdout.write(question);
    stdin.setEncoding("utf8");
    stdin.resume();
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write("\n");
    };
    const onData = (chunk) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          finish();
          return resolve(value);
        }
        if (ch === "\u0003" || ch === "\u0004") {
          finish();
          return reject(new DeployError("stopped at the secret prompt; nothing else was changed after the migrations"));
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

function parseCommandLine(argv) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { env: { type: "string" }, config: { type: "string" }, help: { type: "boolean" } } }));
  } catch (error) {
    throw Object.assign(new DeployError(`${error.message}\n${USAGE}`), { exitCode: 2 });
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return { envName: values.env ?? "", configPath: path.resolve(values.config ?? path.join(root, "wrangler.toml")) };
}

async function main() {
  const { envName, configPath } = parseCommandLine(process.argv.slice(2));
  const defaultConfig = configPath === path.join(root, "wrangler.toml");
  const configFile = path.relative(process.cwd(), configPath) || configPath;
  if (!existsSync(configPath)) throw new DeployError(`${configFile} does not exist`);

  // Reading the config with wrangler itself: its inheritance rules decide what the environment is.
  const { unstable_readConfig, experimental_readRawConfig } = await import("wrangler");
  const read = (env) => {
    try {
      return unstable_readConfig({ config: configPath, env }, { hideWarnings: true });
    } catch (error) {
      throw new DeployError(`${configFile}: ${error.message}`);
    }
  };
  const top = read(undefined);
  const raw = experimental_readRawConfig({ config: configPath }).rawConfig;
  if (envName && !raw.env?.[envName]) {
    const defined = Object.keys(raw.env ?? {});
    throw Object.assign(new DeployError(`${configFile} has no [env.${envName}]${defined.length ? ` (it defines ${defined.join(", ")})` : ""}\n${USAGE}`), { exitCode: 2 });
  }
  const config = envName ? read(envName) : top;
  const missing = envName ? missingFromEnvironment(top, config) : [];
  if (missing.length > 0) {
    throw new DeployError(
      `[env.${envName}] of ${configFile} lacks what wrangler does not inherit from the top level:\n  ${missing.join("\n  ")}\nAdd them to [env.${envName}] (its own resource names), then run the deploy again.`,
    );
  }
  const resources = environmentResources(config);
  const envArgs = ["--env", envName];
  const configArgs = defaultConfig ? [] : ["--config", configPath];
  const wrangler = (args, options) => runTool(wranglerCommand, [...args, ...configArgs], options);
  const wranglerHint = (args) => ["npx", "wrangler", ...args, ...configArgs].map(shellWord).join(" ");
  const where = envName ? `environment ${envName}` : "the top level";
  console.log(`deploy: ${where} of ${configFile}, Worker ${resources.worker}`);
  const done = { created: [], ids: [], migrations: [], secrets: [] };

  console.log("> login");
  const who = await wrangler(["whoami", "--json"]);
  if (who.code !== 0) {
    const notLoggedIn = /"loggedIn":\s*false/.test(who.stdout);
    throw new DeployError(
      notLoggedIn
        ? "not logged in to Cloudflare: run `npx wrangler login`, or export CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (docs/operations.md, \"Before the first deploy\")"
        : `wrangler whoami failed:\n${tail(who)}`,
    );
  }
  const user = parseJsonOutput(who.stdout, "wrangler whoami --json");
  const accountId = process.env.CLOUDFLARE_ACCOUNT_ID || config.account_id;
  const account = accountId ? user.accounts.find((a) => a.id === accountId) : user.accounts[0];
  if (!accountId && user.accounts.length > 1) {
    throw new DeployError(
      `this login sees ${user.accounts.length} accounts (${user.accounts.map((a) => `${a.name} ${a.id}`).join(", ")}): export CLOUDFLARE_ACCOUNT_ID=<id> (or set account_id in ${configFile}) to choose one`,
    );
  }
  console.log(`  ${user.email ?? user.authType}${account ? `, account ${account.name} (${account.id})` : accountId ? `, account ${accountId}` : ""}`);

  console.log("> D1 databases");
  const listDatabases = async () => {
    const list = await wrangler(["d1", "list", "--json"]);
    if (list.code !== 0) throw new DeployError(`wrangler d1 list failed:\n${tail(list)}`);
    return new Map(parseJsonOutput(list.stdout, "wrangler d1 list --json").map((db) => [db.name, db.uuid]));
  };
  let databases = await listDatabases();
  for (const db of resources.databases) {
    if (databases.has(db.name)) {
      console.log(`  exists  ${db.name} (${db.binding})`);
      continue;
    }
    const created = await wrangler(["d1", "create", db.name]);
    if (created.code !== 0) throw createFailed(`D1 database ${db.name} (${db.binding})`, created, configFile);
    console.log(`  created ${db.name} (${db.binding})`);
    done.created.push("database");
  }
  if (done.created.length > 0) databases = await listDatabases();

  console.log("> queues");
  for (const name of resources.queues) {
    const info = await wrangler(["queues", "info", name]);
    if (info.code === 0) {
      console.log(`  exists  ${name}`);
      continue;
    }
    if (!/does not exist/.test(`${info.stdout}${info.stderr}`)) throw new DeployError(`wrangler queues info ${name} failed:\n${tail(info)}`);
    const created = await wrangler(["queues", "create", name]);
    if (created.code !== 0) throw createFailed(`queue ${name}`, created, configFile);
    console.log(`  created ${name}`);
    done.created.push("queue");
  }

  console.log("> R2 buckets");
  const list = await wrangler(["r2", "bucket", "list"]);
  if (list.code !== 0) throw new DeployError(`wrangler r2 bucket list failed:\n${tail(list)}`);
  const buckets = new Set([...list.stdout.replace(/\x1b\[[0-9;]*m/g, "").matchAll(/^name:\s+(\S+)\s*$/gm)].map((m) => m[1]));
  for (const bucket of resources.buckets) {
    if (buckets.has(bucket.name)) {
      console.log(`  exists  ${bucket.name} (${bucket.binding})`);
      continue;
    }
    const created = await wrangler(["r2", "bucket", "create", bucket.name]);
    if (created.code !== 0) throw createFailed(`R2 bucket ${bucket.name} (${bucket.binding})`, created, configFile);
    console.log(`  created ${bucket.name} (${bucket.binding})`);
    done.created.push("bucket");
  }

  const ids = new Map();
  for (const db of resources.databases) {
    const id = databases.get(db.name);
    if (!id) throw new DeployError(`D1 database ${db.name} was created but \`wrangler d1 list\` does not show it yet: run the deploy again`);
    ids.set(db.binding, id);
  }
  const before = readFileSync(configPath, "utf8");
  let edit;
  try {
    edit = setDatabaseIds(before, envName, ids);
  } catch (error) {
    throw new DeployError(`cannot write the database ids into ${configFile}: ${error.message}`);
  }
  if (edit.changed.length > 0) {
    replaceChecked(configPath, before, edit.text, envName, ids, experimental_readRawConfig);
    done.ids = edit.changed;
    console.log(`> ${configFile}: wrote the database ids of ${edit.changed.join(", ")} into ${d1TableName(envName)}`);
  } else {
    console.log(`> ${configFile}: unchanged (it has the ids of all ${ids.size} databases)`);
  }

  console.log("> migrations (remote)");
  for (const db of resources.databases) {
    const applied = await wrangler(["d1", "migrations", "apply", db.binding, "--remote", ...envArgs]);
    if (applied.code !== 0) throw new DeployError(`migrating ${db.name} (${db.binding}) failed:\n${tail(applied)}`);
    if (/No migrations to apply/.test(applied.stdout)) {
      console.log(`  ${db.binding}: none pending`);
      continue;
    }
    const names = [...new Set(applied.stdout.match(/\b\d{4}_[\w-]+\.sql\b/g) ?? [])];
    const which = names.length > 2 ? `${names.length} migrations, ${names[0]} to ${names.at(-1)}` : names.join(", ") || "its pending migrations";
    console.log(`  ${db.binding}: applied ${which}`);
    done.migrations.push(...(names.length ? names : [db.binding]));
  }

  console.log("> secrets");
  const listed = await wrangler(["secret", "list", ...envArgs, "--format", "json"]);
  let present;
  if (listed.code === 0) present = new Set(parseJsonOutput(listed.stdout, "wrangler secret list").map((s) => s.name));
  else if (/Worker ".*" (\(env: .*\) )?not found/.test(`${listed.stdout}${listed.stderr}`)) {
    console.log(`  the Worker ${resources.worker} does not exist yet: its first secret creates it`);
    present = new Set();
  } else throw new DeployError(`wrangler secret list failed:\n${tail(listed)}`);
  const interactive = process.stdin.isTTY === true && process.env.CI !== "true";
  for (const secret of REQUIRED_SECRETS) {
    if (present.has(secret.name)) {
      console.log(`  ${secret.name}: set`);
      continue;
    }
    const putArgs = ["secret", "put", secret.name, ...envArgs];
    if (!interactive) {
      throw new DeployError(
        `the secret ${secret.name} (${secret.what}) is not set for ${resources.worker}, and there is no terminal to ask for it. Set it, then run the deploy again:\n  openssl rand -base64 48 | ${wranglerHint(putArgs)}`,
      );
    }
    const value = (await askHidden(`  ${secret.name} is not set (${secret.what}); type or paste it (not shown): `)).trim();
    if (!value) throw new DeployError(`no value for ${secret.name}; set it with: ${wranglerHint(putArgs)}`);
    const put = await wrangler(putArgs, { input: value });
    if (put.code !== 0) throw new DeployError(`setting ${secret.name} failed:\n${tail(put)}`);
    console.log(`  ${secret.name}: set now`);
    done.secrets.push(secret.name);
  }
  for (const secret of OPTIONAL_SECRETS) {
    if (!present.has(secret.name)) console.log(`  ${secret.name}: not set (optional: ${secret.what})`);
  }

  console.log("> ui build");
  const build = await runTool(viteCommand, ["build", "--logLevel", "warn"], { echo: true });
  if (build.code !== 0) throw new DeployError("the UI build failed (its output is above); nothing was deployed");

  console.log(`> wrangler deploy ${envArgs.map(shellWord).join(" ")}`);
  const deployed = await wrangler(["deploy", ...envArgs], { echo: true });
  if (deployed.code !== 0) throw new DeployError(`wrangler deploy failed (its output is above); ${resources.worker} keeps the version it had`);

  const changes = [
    done.created.length && `created ${counted(done.created)}`,
    done.ids.length && `wrote ${done.ids.length} database ids into ${configFile}`,
    done.migrations.length && `applied ${done.migrations.length} migrations`,
    done.secrets.length && `set ${done.secrets.join(", ")}`,
  ].filter(Boolean);
  if (changes.length > 0) console.log(`deploy: ${changes.join("; ")}; deployed ${resources.worker}`);
  else {
    console.log(
      `deploy: nothing changed: every resource exists, ${configFile} is unchanged, no migration was pending and every secret is set; deployed ${resources.worker} again`,
    );
  }
}

/** "3 databases, 2 queues and 1 bucket" from ["database", "database", …]. */
function counted(kinds) {
  const counts = [...new Set(kinds)].map((kind) => {
    const n = kinds.filter((k) => k === kind).length;
    return `${n} ${kind}${n === 1 ? "" : "s"}`;
  });
  return counts.length > 1 ? `${counts.slice(0, -1).join(", ")} and ${counts.at(-1)}` : counts[0];
}

/** A failed create, named, with a reminder that wrangler.toml was left as it was. */
function createFailed(what, result, configFile) {
  return new DeployError(
    `could not create the ${what}:\n${tail(result)}\n${configFile} was not changed; what was created before is found by name when the deploy runs again`,
  );
}

/**
 * Replaces the config with `after` once wrangler reads it as `before` with only the new database
 * ids: written beside it, parsed, compared, then renamed over it, so the file is never half written.
 */
function replaceChecked(configPath, before, after, envName, ids, readRawConfig) {
  const next = path.join(path.dirname(configPath), `.${path.basename(configPath, ".toml")}.deploy-${process.pid}.toml`);
  writeFileSync(next, after);
  try {
    const expected = readRawConfig({ config: configPath }).rawConfig;
    for (const db of (envName ? expected.env[envName] : expected).d1_databases ?? []) {
      if (ids.has(db.binding)) db.database_id = ids.get(db.binding);
    }
    if (!isDeepStrictEqual(readRawConfig({ config: next }).rawConfig, expected)) {
      throw new DeployError(`the edit of ${path.basename(configPath)} would change more than the database ids; it was left as it was (a bug: please report it)`);
    }
    if (readFileSync(configPath, "utf8") !== before) throw new DeployError(`${path.basename(configPath)} changed while the deploy ran; run it again`);
    chmodSync(next, statSync(configPath).mode);
    renameSync(next, configPath);
  } finally {
    rmSync(next, { force: true });
  }
}

main().catch((error) => {
  if (!(error instanceof DeployError)) throw error;
  console.error(`deploy: ${error.message}`);
  process.exit(error.exitCode ?? 1);
});
