// `npm run contrib:import-git -- <path> --module <m> [--branch b] [--config default_data.json] [--url <base>] [--dry-run]`:
// imports the commits of a local git repository a deployment cannot reach (a private mirror, an
// air-gapped site): `git log` with numstat, read by the processor's own parser, uploaded in
// batches through POST /api/1.0/admin/records. Commits are keyed by their id, so importing again
// (or an overlapping range) stores nothing twice. With --config, the repo's `releases` tag ranges
// (`git rev-list tag_from..tag_to` on their branch) set each commit's release, as Stackalytics
// did; without it the release follows the date. --dry-run prints the records, one JSON per line,
// and sends nothing.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { RawRecord } from "../schemas/contrib/records";
import { GIT_LOG_ARGS, commitRecords, parseGitLog } from "../worker/domain/contrib/sources/git";
import { adminRequest, takeBaseUrl } from "./lib/admin-client.mjs";

const USAGE = "usage: npm run contrib:import-git -- <path> --module <module> [--branch <branch>] [--config <default_data.json>] [--url <base>] [--dry-run]";
/** Records per request (the API takes 1000) and characters per request (it takes 4 MiB). */
const BATCH_RECORDS = 500;
const BATCH_CHARS = 3 * 1024 * 1024;

function fail(message: string): never {
  console.error(`contrib:import-git: ${message}`);
  process.exit(message === USAGE ? 2 : 1);
}

const args = process.argv.slice(2);
const base: string = takeBaseUrl(args);
let parsed;
try {
  parsed = parseArgs({ args, allowPositionals: true, options: { module: { type: "string" }, branch: { type: "string" }, config: { type: "string" }, "dry-run": { type: "boolean" } } });
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
const { values, positionals } = parsed;
if (positionals.length !== 1 || !values.module) fail(USAGE);
const repo = positionals[0]!;
const module = values.module.toLowerCase();

const git = (...gitArgs: string[]) => {
  try {
    return execFileSync("git", ["-C", repo, ...gitArgs], { encoding: "utf8", maxBuffer: 1024 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    fail(`git ${gitArgs.join(" ")} in ${repo}: ${((error as { stderr?: string }).stderr ?? String(error)).trim()}`);
  }
};

const branch = values.branch ?? git("rev-parse", "--abbrev-ref", "HEAD").trim();

/** commit id → release, from the config's tag ranges for this module. */
function tagIndex(): Map<string, string> {
  const index = new Map<string, string>();
  if (!values.config) return index;
  const config = JSON.parse(readFileSync(values.config, "utf8")) as { repos?: { module: string; releases?: { release_name: string; tag_from: string; tag_to: string; branch?: string }[] }[] };
  const entry = config.repos?.find((r) => r.module.toLowerCase() === module);
  if (!entry) fail(`${values.config} lists no repo with module "${module}"`);
  for (const range of entry.releases ?? []) {
    const to = range.tag_to === "HEAD" ? (range.branch ?? branch) : range.tag_to;
    for (const sha of git("rev-list", `${range.tag_from}..${to}`).split("\n").filter(Boolean)) index.set(sha, range.release_name.toLowerCase());
  }
  return index;
}

const releases = tagIndex();
const commits = parseGitLog(git(...GIT_LOG_ARGS, branch));
// A commit of an `ignored` range is stored under that release, which keeps it out of the statistics.
const records: RawRecord[] = commits.flatMap((c) => {
  const release = releases.get(c.commit_id);
  return commitRecords(c, { module, branch, ...(release ? { release } : {}) });
});

if (values["dry-run"]) {
  for (const record of records) console.log(JSON.stringify(record));
  process.exit(0);
}

/** Batches under the API's limits. */
function* batches(all: readonly RawRecord[]): Generator<RawRecord[]> {
  let batch: RawRecord[] = [];
  let size = 0;
  for (const record of all) {
    const length = JSON.stringify(record).length + 1;
    if (batch.length > 0 && (batch.length >= BATCH_RECORDS || size + length > BATCH_CHARS)) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(record);
    size += length;
  }
  if (batch.length > 0) yield batch;
}

const totals = { added: 0, updated: 0, unchanged: 0 };
let sent = 0;
/** A progress line: rewritten in place on a terminal, one per batch otherwise. */
const progress = (end = false) => {
  const line = `${repo} (${branch}) → ${module}: ${sent}/${records.length} records of ${commits.length} commits, ${totals.added} added, ${totals.updated} updated, ${totals.unchanged} unchanged`;
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${end ? "\n" : ""}`);
  else if (!end || records.length === 0) console.log(line);
};
for (const batch of batches(records)) {
  const res = await adminRequest(`${base}/api/1.0/admin/records`, "POST", JSON.stringify({ records: batch })).catch((error: Error) => fail(error.message));
  if (!res.ok) fail(`POST ${base}/api/1.0/admin/records: HTTP ${res.status} ${res.text}`);
  const answer = JSON.parse(res.text) as typeof totals;
  totals.added += answer.added;
  totals.updated += answer.updated;
  totals.unchanged += answer.unchanged;
  sent += batch.length;
  progress();
}
progress(true);
