// `npm run restore -- <backup-id> [--to local|<env>] [--from local|<env>] [--db collector|analytic|contrib]...
//                    [--persist-to <dir>] [--dry-run] [--keep-files]`
// Loads a backup of the D1 databases (docs/operations-backups.md) into empty databases, with
// wrangler alone, so that it works when the Worker does not (the thing a restore repairs):
//   1. the manifest comes from R2 with `wrangler r2 object get` (the backup's bucket: local state,
//      or an environment's remote bucket), and each target database must be migrated exactly as
//      far as the backup was and hold no row;
//   2. every table file comes from R2 too, and its size and SHA-256 are checked against the
//      manifest before anything is written;
//   3. the rows go in with `wrangler d1 execute --file`, in SQL files of at most --batch-mib MiB,
//      each statement under D1's 100 KB (worker/domain/backup-restore.ts);
//   4. every table's row count is compared with the manifest's.
// --to local (the default) is the local state of `npm start` (or --persist-to); --to <env> is that
// wrangler.toml environment's remote databases. --from defaults to where --to points.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { createGunzip } from "node:zlib";
import { BACKUP_DATABASES, type BackupDatabase, type BackupManifest, BackupManifestSchema, BackupIdSchema } from "../schemas/backup";
import { dropTriggerStatements, finishStatements, parseRow, restoreProblems, type RestoreTarget, TableInserts, type TriggerDefinition } from "../worker/domain/backup-restore";
import { quoteIdent } from "../worker/domain/backup-values";
import { unstable_readConfig } from "wrangler";
import { bin, root, toolEnv } from "./tool-env.mjs";

const USAGE =
  "usage: npm run restore -- <backup-id> [--to local|<env>] [--from local|<env>] [--db collector|analytic|contrib]... [--persist-to <dir>] [--dry-run] [--keep-files] [--batch-mib <n>] [--parallel <n>]";

class Refusal extends Error {}

function fail(message: string, code = 1): never {
  console.error(`restore: ${message}`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      to: { type: "string", default: "local" },
      from: { type: "string" },
      db: { type: "string", multiple: true },
      "persist-to": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "keep-files": { type: "boolean", default: false },
      "batch-mib": { type: "string", default: "8" },
      parallel: { type: "string", default: "4" },
    },
  });
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
if (positionals.length !== 1) fail(USAGE, 2);
const id = positionals[0]!;
if (!BackupIdSchema.safeParse(id).success) fail(`"${id}" is no backup id (they look like 20260501T030000Z; \`npm run admin -- backups\` lists them)`, 2);
const wanted = (values.db ?? []).flatMap((d) => d.split(",")).filter(Boolean);
for (const name of wanted) if (!(BACKUP_DATABASES as readonly string[]).includes(name)) fail(`--db ${name}: use ${BACKUP_DATABASES.join(", ")}`, 2);
const batchBytes = Number(values["batch-mib"]) * 1024 * 1024;
if (!(batchBytes > 0)) fail(`--batch-mib must be a positive number, not "${values["batch-mib"]}"`, 2);
const parallel = Number(values.parallel);
if (!Number.isInteger(parallel) || parallel < 1) fail(`--parallel must be a whole number from 1, not "${values.parallel}"`, 2);

/** Where wrangler reads or writes: local state, or an environment's remote resources. */
interface Place {
  label: string;
  flags: string[];
  env: string | undefined;
}
const placeOf = (name: string): Place =>
  name === "local"
    ? { label: values["persist-to"] ? `local (${values["persist-to"]})` : "local", flags: ["--local", ...(values["persist-to"] ? ["--persist-to", values["persist-to"]] : [])], env: undefined }
    : { label: `remote (env ${name})`, flags: ["--remote", "--env", name], env: name };
const target = placeOf(values.to);
const source = placeOf(values.from ?? values.to);

function wrangler(args: string[], place: Place): { ok: boolean; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [bin.wrangler, ...args, ...place.flags], { cwd: root, env: toolEnv, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { ok: run.status === 0, stdout: run.stdout, stderr: run.stderr };
}

/** wrangler without waiting: downloads run --parallel at a time (each wrangler start costs seconds). */
function wranglerAsync(args: string[], place: Place): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin.wrangler, ...args, ...place.flags], { cwd: root, env: toolEnv, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("close", (code) => resolve({ ok: code === 0, stderr }));
  });
}

/** Runs `work` over `items`, `limit` at a time; after a failure starts no more, lets the running end, and throws it. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = settled.find((s) => s.status === "rejected");
  if (rejected) throw rejected.reason;
}

/** wrangler's own error line, without its colours and log-file note. */
const wranglerError = (stderr: string) =>
  stderr
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("🪵"))
    .join(" ")
    .replace(/^✘ \[ERROR\] /, "");

/** The bucket behind the BUNDLES binding where the backup lives. */
function bucketName(place: Place): string {
  const config = unstable_readConfig({ config: path.join(root, "wrangler.toml"), env: place.env });
  const bucket = (config.r2_buckets as { binding: string; bucket_name?: string }[]).find((b) => b.binding === "BUNDLES")?.bucket_name;
  if (!bucket) fail(`wrangler.toml${place.env ? ` (env ${place.env})` : ""} binds no R2 bucket as BUNDLES`);
  return bucket;
}

const scratch = mkdtempSync(path.join(tmpdir(), `edgestats-restore-${id}-`));
const cleanUp = () => {
  if (values["keep-files"]) console.log(`restore: the downloaded files and SQL batches are kept in ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
};

async function getObject(bucket: string, key: string, file: string): Promise<void> {
  const got = await wranglerAsync(["r2", "object", "get", `${bucket}/${key}`, "--file", file], source);
  if (!got.ok) {
    const why = wranglerError(got.stderr);
    if (/specified key does not exist/i.test(why)) throw new Refusal(`${key} is not in ${bucket} (${source.label})`);
    throw new Error(`wrangler r2 object get ${bucket}/${key}: ${why}`);
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Runs SQL on a target database and returns each statement's rows. */
function query(database: BackupDatabase, sql: string): Record<string, unknown>[][] {
  const run = wrangler(["d1", "execute", database.binding, "--json", "--command", sql], target);
  if (!run.ok) throw new Error(`${database.name}: wrangler d1 execute ${database.binding}: ${wranglerError(run.stderr) || run.stdout}`);
  return (JSON.parse(run.stdout) as { results: Record<string, unknown>[] }[]).map((r) => r.results);
}

/** What the restore needs to know of a target database: its migrations, tables, rows and triggers. */
function inspect(database: BackupDatabase): RestoreTarget & { triggers: TriggerDefinition[] } {
  const [master] = query(database, "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name");
  const entries = master as { type: string; name: string; sql: string }[];
  const tables = entries.filter((e) => e.type === "table" && !/^(sqlite_|_cf_)/.test(e.name) && e.name !== "d1_migrations").map((e) => e.name);
  const triggers = entries.filter((e) => e.type === "trigger").map((e) => ({ name: e.name, sql: e.sql }));
  const hasMigrations = entries.some((e) => e.name === "d1_migrations");
  // One statement per table (D1 allows few terms in a compound SELECT).
  const statements = [
    hasMigrations ? "SELECT name FROM d1_migrations ORDER BY id" : "SELECT NULL AS name WHERE 0",
    ...tables.map((t) => `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(t)}) AS r`),
    ...tables.map((t) => `PRAGMA table_info(${quoteIdent(t)})`),
  ];
  const [migrations, ...answers] = query(database, statements.join("; "));
  return {
    migrations: (migrations as { name: string }[]).map((m) => m.name),
    tables: Object.fromEntries(
      tables.map((t, i) => {
        const columns = (answers[tables.length + i] as { name: string }[]).map((c) => c.name);
        return [t, { columns, hasRows: (answers[i] as { r: number }[])[0]?.r === 1 }];
      }),
    ),
    triggers,
  };
}

/** Writes a database's restore as SQL files of at most batchBytes each, in the order they load. */
async function writeBatches(database: BackupDatabase, files: Map<string, string>, triggers: TriggerDefinition[]): Promise<string[]> {
  const batches: string[] = [];
  let lines: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (lines.length === 0) return;
    const file = path.join(scratch, `${database.name}-${String(batches.length + 1).padStart(4, "0")}.sql`);
    writeFileSync(file, lines.join(""));
    batches.push(file);
    lines = [];
    bytes = 0;
  };
  const emit = (statements: string[]) => {
    for (const statement of statements) {
      const line = `${statement};\n`;
      const size = Buffer.byteLength(line);
      if (bytes + size > batchBytes) flush();
      lines.push(line);
      bytes += size;
    }
  };
  emit(dropTriggerStatements(triggers));
  for (const table of database.tables) {
    const inserts = new TableInserts(table);
    for (const file of table.files) {
      const input = readline.createInterface({ input: createReadStream(files.get(file.key)!).pipe(createGunzip()), crlfDelay: Infinity });
      let rows = 0;
      for await (const line of input) {
        if (line === "") continue;
        emit(inserts.add(parseRow(line, table)));
        rows++;
      }
      if (rows !== file.rows) throw new Refusal(`${file.key} holds ${rows} rows, its manifest says ${file.rows}`);
    }
    emit(inserts.flush());
  }
  emit(finishStatements(database, triggers));
  flush();
  return batches;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

async function main() {
  const started = Date.now();
  const bucket = bucketName(source);
  console.log(`restore: backup ${id} from R2 bucket ${bucket} (${source.label}) into the D1 databases of ${target.label}`);
  const manifestFile = path.join(scratch, "manifest.json");
  try {
    await getObject(bucket, `backups/${id}/manifest.json`, manifestFile);
  } catch (error) {
    if (error instanceof Refusal) {
      throw new Refusal(
        `backup ${id} has no manifest in ${bucket} (${source.label}): it does not exist or is incomplete, and a backup without a manifest is never restored. \`npm run admin -- backups\` lists them.`,
      );
    }
    throw error;
  }
  const parsedManifest = BackupManifestSchema.safeParse(JSON.parse(readFileSync(manifestFile, "utf8")));
  if (!parsedManifest.success) throw new Refusal(`backup ${id}: its manifest is not one this version reads: ${parsedManifest.error.issues[0]?.message}`);
  const manifest: BackupManifest = parsedManifest.data;
  if (manifest.id !== id) throw new Refusal(`backup ${id}: its manifest names backup ${manifest.id}`);
  const databases = manifest.databases.filter((d) => wanted.length === 0 || wanted.includes(d.name));
  console.log(`restore: started ${manifest.started_at}, finished ${manifest.finished_at}; databases: ${databases.map((d) => `${d.name} (${d.migration ?? "no migrations"})`).join(", ")}`);

  // 1. Every target, checked (first: it is quick, the files may be large).
  const targets = new Map<string, ReturnType<typeof inspect>>();
  const problems: string[] = [];
  for (const database of databases) {
    const found = inspect(database);
    targets.set(database.name, found);
    const apply = `npx wrangler d1 migrations apply ${database.binding} ${target.flags.join(" ")}`;
    for (const problem of restoreProblems(database, found, apply)) problems.push(`${database.name} (${database.binding}, ${target.label}): ${problem}`);
  }
  if (problems.length > 0) throw new Refusal(`refusing to restore:\n  ${problems.join("\n  ")}`);
  console.log(`restore: targets are empty and migrated to the backup's migrations`);

  // 2. Every file, checked.
  const files = new Map<string, string>();
  for (const database of databases) {
    const all = database.tables.flatMap((t) => t.files);
    await eachLimited(all, parallel, async (file) => {
      const local = path.join(scratch, `${database.name}-${file.key.replaceAll("/", "_")}`);
      await getObject(bucket, file.key, local);
      const size = statSync(local).size;
      if (size !== file.bytes) throw new Refusal(`${file.key} is ${size} bytes, its manifest says ${file.bytes}: the backup is damaged`);
      const sum = await sha256Of(local);
      if (sum !== file.sha256) throw new Refusal(`${file.key} has SHA-256 ${sum}, its manifest says ${file.sha256}: the backup is damaged`);
      files.set(file.key, local);
    });
    const bytes = all.reduce((t, f) => t + f.bytes, 0);
    console.log(`restore: ${database.name}: ${all.length} files, ${mib(bytes)}, sizes and SHA-256 match the manifest`);
  }

  if (values["dry-run"]) {
    console.log("restore: --dry-run: nothing loaded");
    return;
  }

  // 3. The rows: every database's SQL written first (a file that does not read as its manifest
  // says stops the restore before anything is loaded), then loaded; 4. the counts.
  const batches = new Map<string, string[]>();
  for (const database of databases) batches.set(database.name, await writeBatches(database, files, targets.get(database.name)!.triggers));
  for (const database of databases) {
    const { triggers } = targets.get(database.name)!;
    const sqlFiles = batches.get(database.name)!;
    for (const [i, batch] of sqlFiles.entries()) {
      const run = wrangler(["d1", "execute", database.binding, "--file", batch, "--yes"], target);
      if (!run.ok) {
        throw new Error(
          `${database.name}: batch ${i + 1}/${sqlFiles.length} failed: ${wranglerError(run.stderr) || run.stdout}\n` +
            `The database is partly restored${triggers.length > 0 ? ` and its triggers (${triggers.map((t) => t.name).join(", ")}) are dropped` : ""}: ` +
            `delete it, create it again, apply its migrations and run the restore again.`,
        );
      }
      console.log(`restore: ${database.name}: batch ${i + 1}/${sqlFiles.length} loaded (${mib(statSync(batch).size)} of SQL)`);
    }
    const counted = database.tables.length > 0 ? query(database, database.tables.map((t) => `SELECT count(*) AS n FROM ${quoteIdent(t.name)}`).join("; ")) : [];
    const counts = new Map(database.tables.map((t, i) => [t.name, (counted[i] as { n: number }[])[0]?.n]));
    const wrong = database.tables.filter((t) => counts.get(t.name) !== t.rows);
    if (wrong.length > 0) {
      throw new Error(`${database.name}: row counts differ from the manifest: ${wrong.map((t) => `${t.name} ${counts.get(t.name)} (manifest ${t.rows})`).join(", ")}`);
    }
    const rows = database.tables.reduce((t, x) => t + x.rows, 0);
    const filled = database.tables.filter((t) => t.rows > 0).length;
    console.log(`restore: ${database.name}: ${rows} rows in ${filled} of ${database.tables.length} tables, every count as in the manifest`);
  }
  console.log(`restore: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
  cleanUp();
} catch (error) {
  cleanUp();
  fail(error instanceof Refusal ? error.message : (error as Error).message);
}
