#!/usr/bin/env node
// A stand-in for wrangler 4.86 with an account in a JSON file: it answers the commands that
// scripts/deploy.mjs runs the way the real one does (the same JSON for --json, the same lines and
// error messages it prints, the same exit codes), records every call to a log, and reaches no
// network. Run as vite (FAKE_TOOL=vite) it only records the build.
//   FAKE_WRANGLER_STATE  the account: { loggedIn, email, accounts, d1: [{ uuid, name }], queues: [name],
//                        buckets: [name], workers: { name: { secrets: [name] } },
//                        pending: { "<env>/<binding>": [migration file] }, fail: { "<command words>": message } }
//   FAKE_TOOLS_LOG       one JSON line per call: { tool, args, stdin?, xdgConfigHome }
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const tool = process.env.FAKE_TOOL ?? "wrangler";
const stdin = tool === "wrangler" && args[0] === "secret" && args[1] === "put" ? readFileSync(0, "utf8") : undefined;
appendFileSync(process.env.FAKE_TOOLS_LOG, `${JSON.stringify({ tool, args, stdin, xdgConfigHome: process.env.XDG_CONFIG_HOME ?? null })}\n`);
if (tool === "vite") process.exit(0);

const statePath = process.env.FAKE_WRANGLER_STATE;
const state = JSON.parse(readFileSync(statePath, "utf8"));
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
const out = (text) => process.stdout.write(`${text}\n`);
function fail(message, code = 1) {
  process.stderr.write(`\n✘ [ERROR] ${message}\n\n`);
  process.exit(code);
}

const flag = (name) => {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? undefined : args[at + 1];
};
const words = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
const command = words.join(" ");
const env = flag("env") ?? "";
const worker = env ? `edgestats-${env}` : "edgestats";
const apiFailure = (path, message) => fail(`A request to the Cloudflare API (/accounts/${state.accounts[0].id}${path}) failed.\n\n  ${message} [code: 10000]`);

for (const [failing, message] of Object.entries(state.fail ?? {})) {
  if (command === failing) apiFailure("/…", message);
}

if (command === "whoami" && args.includes("--json")) {
  if (!state.loggedIn) {
    out(JSON.stringify({ loggedIn: false }));
    process.exit(1);
  }
  out(JSON.stringify({ loggedIn: true, authType: "User API Token", email: state.email, accounts: state.accounts, tokenPermissions: [] }, null, 2));
} else if (command === "d1 list" && args.includes("--json")) {
  const rows = state.d1.map((db) => ({ uuid: db.uuid, name: db.name, created_at: "2026-12-01T09:00:00.000Z", version: "production", num_tables: 0, file_size: 12288, jurisdiction: null }));
  out(JSON.stringify(rows, null, 2));
} else if (words[0] === "d1" && words[1] === "create") {
  const name = words[2];
  if (state.d1.some((db) => db.name === name)) apiFailure("/d1/database", `A database with that name already exists.`);
  const uuid = `7c0d1e5e-0000-4000-8000-${String(state.d1.length + 1).padStart(12, "0")}`;
  state.d1.push({ uuid, name });
  save();
  out(`✅ Successfully created DB '${name}' in region WEUR\nCreated your new D1 database.\n`);
  out(`To access your new D1 Database in your Worker, add the following snippet to your configuration file:`);
  out(`[[d1_databases]]\nbinding = "${name.replace(/-/g, "_")}"\ndatabase_name = "${name}"\ndatabase_id = "${uuid}"`);
} else if (words[0] === "queues" && words[1] === "info") {
  const name = words[2];
  if (!state.queues.includes(name)) fail(`Queue "${name}" does not exist. To create it, run: wrangler queues create ${name}`);
  out(`Queue Name: ${name}\nQueue ID: ${name}-id\nCreated On: 2026-12-01T09:00:00.000Z\nLast Modified: 2026-12-01T09:00:00.000Z\nNumber of Producers: 0\nNumber of Consumers: 0`);
} else if (words[0] === "queues" && words[1] === "create") {
  const name = words[2];
  if (state.queues.includes(name)) apiFailure("/queues", "A queue with this name already exists");
  state.queues.push(name);
  save();
  out(`🌀 Creating queue '${name}'\n✅ Created queue '${name}'\n\nConfigure your Worker to send messages to this queue:\n\n[[queues.producers]]\nqueue = "${name}"\nbinding = "${name.replace(/-/g, "_")}"`);
} else if (command === "r2 bucket list") {
  out("Listing buckets...");
  out(state.buckets.map((name) => `name:           ${name}\ncreation_date:  2026-12-01T09:00:00.000Z`).join("\n\n"));
} else if (words[0] === "r2" && words[1] === "bucket" && words[2] === "create") {
  const name = words[3];
  if (state.buckets.includes(name)) apiFailure(`/r2/buckets`, "The bucket you tried to create already exists, and you own it.");
  state.buckets.push(name);
  save();
  out(`Creating bucket '${name}'...\n✅ Created bucket '${name}' with default storage class of Standard.`);
} else if (words[0] === "d1" && words[1] === "migrations" && words[2] === "apply" && args.includes("--remote")) {
  const key = `${env}/${words[3]}`;
  const pending = state.pending?.[key] ?? [];
  if (pending.length === 0) out("✅ No migrations to apply!");
  else {
    out("Migrations to be applied:");
    out(pending.map((name) => `│ ${name} │`).join("\n"));
    out(pending.map((name) => `│ ${name} │ ✅ │`).join("\n"));
    state.pending[key] = [];
    save();
  }
} else if (command === "secret list") {
  if (!state.workers[worker]) {
    fail(`Worker "${worker}"${env ? ` (env: ${env})` : ""} not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.\nOtherwise, check that the Worker name is correct and you're logged into the right account.`);
  }
  out(JSON.stringify(state.workers[worker].secrets.map((name) => ({ name, type: "secret_text" })), null, "  "));
} else if (words[0] === "secret" && words[1] === "put") {
  if (!state.workers[worker]) {
    out(`🌀 Creating new Worker "${worker}"...`);
    state.workers[worker] = { secrets: [] };
  }
  out(`🌀 Creating the secret for the Worker "${worker}" `);
  if (!state.workers[worker].secrets.includes(words[2])) state.workers[worker].secrets.push(words[2]);
  save();
  out(`✨ Success! Uploaded secret ${words[2]}`);
} else if (command === "deploy") {
  state.workers[worker] ??= { secrets: [] };
  state.workers[worker].deployments = (state.workers[worker].deployments ?? 0) + 1;
  save();
  out(`Total Upload: 1431.13 KiB / gzip: 277.03 KiB\nUploaded ${worker} (3.10 sec)\nDeployed ${worker} triggers (0.80 sec)\n  https://${worker}.ops-example.workers.dev\n  schedule: 0 * * * *`);
  out(`Current Version ID: 0d6f1c2a-0000-4000-8000-${String(state.workers[worker].deployments).padStart(12, "0")}`);
} else {
  fail(`fake wrangler: no answer for: wrangler ${args.join(" ")}`, 2);
}
