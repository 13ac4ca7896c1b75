// Backups of the three D1 databases to R2, and restoring one into fresh databases with the very
// statements `npm run restore` loads (worker/domain/backup-restore.ts).
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { BACKUP_DATABASES, type BackupDatabaseName, type BackupManifest, BackupManifestSchema } from "../../schemas/backup";
import {
  applyRetention,
  type BackupDeps,
  type BackupMessage,
  backupDeps,
  backupPrefix,
  manifestKey,
  runBackupSchedule,
  runBackupStep,
  STALLED_MS,
  startBackup,
  stateKey,
} from "../../worker/backups/job";
import { backupConfig } from "../../worker/config";
import { dispatchScheduled, SCHEDULE } from "../../worker/cron/dispatcher";
import { dropTriggerStatements, finishStatements, parseRow, restoreProblems, TableInserts } from "../../worker/domain/backup-restore";
import { adminCall, eventually, resetStorage } from "./helpers";

beforeEach(resetStorage);

const dbOf = (name: BackupDatabaseName) => ({ collector: env.COLLECTOR_DB, analytic: env.ANALYTIC_DB, contrib: env.CONTRIB_DB })[name];
const MIGRATIONS = { collector: env.COLLECTOR_MIGRATIONS, analytic: env.ANALYTIC_MIGRATIONS, contrib: env.CONTRIB_MIGRATIONS };
const own = (name: string) => !name.startsWith("_cf_") && !name.startsWith("sqlite_") && name !== "d1_migrations";

async function tablesOf(db: D1Database) {
  const { results } = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all<{ name: string }>();
  const tables = [];
  for (const { name } of results.filter((t) => own(t.name))) {
    const { results: columns } = await db.prepare(`PRAGMA table_info("${name}")`).all<{ name: string; type: string; pk: number }>();
    tables.push({ name, columns });
  }
  return tables;
}

/**
 * Rows in every table of every database: `perTable` plain ones each, then values that are awkward
 * to carry (NULLs, unicode, quotes and NUL, 64-bit integers, infinite reals, blobs in a text
 * column, values longer than a D1 statement), rows written by a trigger, a hidden rowid with gaps,
 * WITHOUT ROWID keys beyond 2^53, and an AUTOINCREMENT counter past the largest id (a deleted row).
 */
async function seed(perTable: number) {
  for (const name of BACKUP_DATABASES) {
    const db = dbOf(name);
    for (const table of await tablesOf(db)) {
      const statements = [];
      for (let i = 0; i < perTable; i++) {
        const values = table.columns.map((c, j) => {
          const type = c.type.toLowerCase();
          if (c.pk === 1 && type === "integer" && table.columns.filter((x) => x.pk > 0).length === 1) return i + 1;
          if (type.includes("int")) return i * 1000 + j;
          if (type.includes("real")) return i + 0.25;
          return `${table.name} ${i}/${j} ünï "ø" 'q' 😀`;
        });
        const columns = table.columns.map((c) => `"${c.name}"`).join(", ");
        statements.push(db.prepare(`INSERT INTO "${table.name}" (${columns}) VALUES (${values.map(() => "?").join(", ")})`).bind(...values));
      }
      if (statements.length > 0) await db.batch(statements);
    }
  }
  const longText = `{"note":"${"日本語 ünïcødé 'x' ".repeat(9000)}"}`;
  await env.COLLECTOR_DB.batch([
    env.COLLECTOR_DB.prepare(
      `INSERT INTO action_logs (id, master_node_uid, external_id, body, action_type, action_name, received_at)
       VALUES (10000, 'awk', 9223372036854775807, '{"a":[1,null,"ü\\n"],"q":"it''s"}', NULL, '日本語 😀', 1.5),
              (10001, 'awk', -9223372036854775808, X'00FF10', NULL, NULL, 9007199254740993),
              (10002, 'awk', 3, ?1, 'http_request', 'a' || char(0) || 'b', 0),
              (10003, 'awk', 4, randomblob(120000), NULL, NULL, 0),
              (20000, 'awk', 5, 'deleted', NULL, NULL, 0)`,
    ).bind(longText),
    env.COLLECTOR_DB.prepare("DELETE FROM action_logs WHERE id = 20000"),
    env.COLLECTOR_DB.prepare(
      `INSERT INTO oswl_stats (master_node_uid, external_id, cluster_id, created_date, updated_time, resource_type, resource_data, resource_checksum, updated_at)
       VALUES ('awk', 1, 9e999, '2015-02-24', '15:51', 'vm', '{}', 'c', 0), ('awk', 2, -9e999, '2015-02-24', '15:51', 'vm', '{}', 'c', 0)`,
    ),
    env.COLLECTOR_DB.prepare("INSERT INTO collector_outcomes (rowid, day, endpoint, outcome, count) VALUES (500, 'd', 'e', 'o', 1), (70000, 'd2', 'e', 'o', 2)"),
  ]);
  await env.CONTRIB_DB.prepare(
    "INSERT INTO day_totals (day, record_type, records) VALUES (9223372036854775807, 'commit', 1), (-9223372036854775808, 'commit', 2), (9007199254740993, 'commit', 3)",
  ).run();
}

/**
 * Every row of every table, exactly: each value's SQL literal and type (and a real's own value),
 * each rowid, the AUTOINCREMENT counters and the applied migrations' names.
 */
async function snapshot() {
  const out: Record<string, unknown> = {};
  for (const name of BACKUP_DATABASES) {
    const db = dbOf(name);
    for (const table of await tablesOf(db)) {
      const cells = table.columns.map((c) => `quote("${c.name}"), typeof("${c.name}"), CASE WHEN typeof("${c.name}") = 'real' THEN "${c.name}" END`).join(", ");
      let rows: unknown[][];
      try {
        rows = await db.prepare(`SELECT CAST(rowid AS TEXT), ${cells} FROM "${table.name}" ORDER BY rowid`).raw();
      } catch {
        rows = await db.prepare(`SELECT ${cells} FROM "${table.name}" ORDER BY ${table.columns.map((_, i) => i * 3 + 1).join(", ")}`).raw();
      }
      out[`${name}.${table.name}`] = rows;
    }
    out[`${name}.sqlite_sequence`] = await db.prepare("SELECT name, CAST(seq AS TEXT) FROM sqlite_sequence ORDER BY name").raw();
    out[`${name}.d1_migrations`] = await db.prepare("SELECT name FROM d1_migrations ORDER BY id").raw();
    out[`${name}.triggers`] = await db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").raw();
  }
  return out;
}

/** A queue that keeps what is sent, instead of delivering it. */
function heldQueue() {
  const sent: BackupMessage[] = [];
  return { sent, queue: { send: async (body: BackupMessage) => void sent.push(body) } as unknown as Queue<BackupMessage> };
}

/** The job's dependencies with a held queue and small steps (5 rows, pages of 2). */
function testDeps(over: Partial<BackupDeps> = {}) {
  const held = heldQueue();
  const deps: BackupDeps = { ...backupDeps(env), queue: held.queue, config: { ...backupConfig(env), pageRows: 2, rowsPerStep: 5 }, ...over };
  return { deps, sent: held.sent };
}

/** Delivers the held messages one by one until the backup is done. */
async function drain(deps: BackupDeps, sent: BackupMessage[]) {
  const outcomes = [];
  for (let message = sent.shift(); message; message = sent.shift()) outcomes.push(await runBackupStep(message, deps));
  return outcomes;
}

async function backUp(id = "20260501T030000Z", over: Partial<BackupDeps> = {}) {
  const { deps, sent } = testDeps(over);
  await startBackup(deps, { id, trigger: "admin" });
  const outcomes = await drain(deps, sent);
  return { outcomes, manifest: await readManifest(id) };
}

async function readManifest(id: string): Promise<BackupManifest> {
  const object = await env.BUNDLES.get(manifestKey(id));
  if (!object) throw new Error(`backup ${id} has no manifest`);
  return BackupManifestSchema.parse(await object.json());
}

async function sha256(bytes: ArrayBuffer) {
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A table file as stored: checked against the manifest, then its lines. */
async function readFile(file: { key: string; sha256: string; bytes: number }): Promise<string[]> {
  const object = await env.BUNDLES.get(file.key);
  if (!object) throw new Error(`${file.key} is missing`);
  const bytes = await object.arrayBuffer();
  expect(bytes.byteLength, file.key).toBe(file.bytes);
  expect(await sha256(bytes), file.key).toBe(file.sha256);
  const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n");
}

/** Restores a backup into the (empty) databases, as `npm run restore` would, statement by statement. */
async function restore(manifest: BackupManifest) {
  for (const backup of manifest.databases) {
    const db = dbOf(backup.name);
    const tables: Record<string, { columns: string[]; hasRows: boolean }> = {};
    for (const table of await tablesOf(db)) {
      const hasRows = (await db.prepare(`SELECT EXISTS (SELECT 1 FROM "${table.name}") AS n`).first<{ n: number }>())!.n === 1;
      tables[table.name] = { columns: table.columns.map((c) => c.name), hasRows };
    }
    const migrations = (await db.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>()).results.map((r) => r.name);
    expect(restoreProblems(backup, { migrations, tables }, "apply")).toEqual([]);
    const triggers = (await db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all<{ name: string; sql: string }>()).results;
    const statements = [...dropTriggerStatements(triggers)];
    for (const table of backup.tables) {
      const inserts = new TableInserts(table);
      for (const file of table.files) for (const line of await readFile(file)) statements.push(...inserts.add(parseRow(line, table)));
      statements.push(...inserts.flush());
    }
    statements.push(...finishStatements(backup, triggers));
    for (let i = 0; i < statements.length; i += 50) await db.batch(statements.slice(i, i + 50).map((s) => db.prepare(s)));
  }
}

/** The objects of a backup, to put back after the storage is reset. */
async function keepObjects(id: string) {
  const objects: [string, ArrayBuffer][] = [];
  for (const { key } of (await env.BUNDLES.list({ prefix: backupPrefix(id) })).objects) objects.push([key, await (await env.BUNDLES.get(key))!.arrayBuffer()]);
  return async () => {
    for (const [key, bytes] of objects) await env.BUNDLES.put(key, bytes);
  };
}

/** Waits until the Queue has run a backup to its end (the manifest, then the record marked done). */
async function settled(id: string, timeoutMs: number): Promise<BackupManifest> {
  return eventually(async () => {
    const state = await env.BUNDLES.get(stateKey(id));
    expect(state && (await state.json<{ status: string }>()).status).toBe("done");
    return readManifest(id);
  }, timeoutMs);
}

const keysOf = async (id: string) => (await env.BUNDLES.list({ prefix: backupPrefix(id) })).objects.map((o) => o.key).sort();

describe("a backup through the hourly cron and the Queue", () => {
  it("writes every table of the three databases as checked gzip NDJSON files and a manifest", async () => {
    await seed(3);
    await env.CONTRIB_DB.prepare("DELETE FROM profiles").run();
    const backups = SCHEDULE["0 * * * *"]!.filter((job) => job.name === "backups");
    expect(backups).toHaveLength(1);
    // The shipped backup hour (the test project turns scheduled backups off): 02:00 is before it, 05:00 after.
    const shipped = { ...env, BACKUP_HOUR_UTC: undefined } as unknown as Env;
    expect(backupConfig(shipped).hourUtc).toBe(3);
    const day = Date.UTC(2026, 4, 1);
    await dispatchScheduled(shipped, "0 * * * *", day + 2 * 3_600_000, { "0 * * * *": backups });
    expect(await keysOf("20260501T030000Z")).toEqual([]);
    await dispatchScheduled(shipped, "0 * * * *", day + 5 * 3_600_000, { "0 * * * *": backups });
    const manifest = await settled("20260501T030000Z", 60_000);

    expect(manifest).toMatchObject({ id: "20260501T030000Z", trigger: "schedule" });
    expect(Date.parse(manifest.finished_at)).toBeGreaterThanOrEqual(Date.parse(manifest.started_at));
    expect(manifest.databases.map((d) => [d.name, d.binding])).toEqual([
      ["collector", "COLLECTOR_DB"],
      ["analytic", "ANALYTIC_DB"],
      ["contrib", "CONTRIB_DB"],
    ]);
    let multiFile = 0;
    for (const backup of manifest.databases) {
      const db = dbOf(backup.name);
      const migrations = MIGRATIONS[backup.name].map((m) => m.name);
      expect(backup.migrations).toEqual(migrations);
      expect(backup.migration).toBe(migrations.at(-1));
      // Every table but D1's own and the migrations' record, with every row.
      const names = (await tablesOf(db)).map((t) => t.name);
      expect(backup.tables.map((t) => t.name)).toEqual(names);
      for (const table of backup.tables) {
        const count = (await db.prepare(`SELECT count(*) AS n FROM "${table.name}"`).first<{ n: number }>())!.n;
        expect(table.rows, `${backup.name}.${table.name}`).toBe(count);
        expect(table.files.reduce((t, f) => t + f.rows, 0)).toBe(count);
        const lines = [];
        for (const file of table.files) {
          const fileLines = await readFile(file);
          expect(fileLines, file.key).toHaveLength(file.rows);
          lines.push(...fileLines);
        }
        expect(lines.map((l) => parseRow(l, table))).toHaveLength(count);
        if (table.files.length > 1) multiFile++;
      }
    }
    expect(multiFile).toBeGreaterThan(0);
    const collector = manifest.databases[0]!;
    expect(collector.tables.find((t) => t.name === "collector_outcomes")!.key).toEqual({ kind: "rowid", column: null });
    expect(collector.tables.find((t) => t.name === "action_logs")!.key).toEqual({ kind: "rowid", column: "id" });
    expect(manifest.databases[2]!.tables.find((t) => t.name === "day_totals")!.key).toEqual({ kind: "primary-key", columns: ["record_type", "day"] });
    expect(manifest.databases[2]!.tables.find((t) => t.name === "profiles")).toMatchObject({ rows: 0, files: [] });
    // The counter is past the deleted row's id, and kept exactly.
    expect(collector.sequences.action_logs).toBe("20000");
    // Values JSON cannot hold travel tagged.
    const logs = collector.tables.find((t) => t.name === "action_logs")!;
    const rows = (await Promise.all(logs.files.map(readFile))).flat().map((l) => parseRow(l, logs));
    expect(rows.find((r) => r.id === 10000)).toMatchObject({ external_id: { $int: "9223372036854775807" }, action_type: null, action_name: "日本語 😀", received_at: 1.5 });
    expect(rows.find((r) => r.id === 10001)).toMatchObject({ body: { $blob: "00FF10" }, received_at: { $int: "9007199254740993" } });
    // The day's backup is not started twice.
    await dispatchScheduled(shipped, "0 * * * *", day + 6 * 3_600_000, { "0 * * * *": backups });
    expect((await adminCall("/backups").then((r) => r.json<{ backups: { id: string; status: string }[] }>())).backups).toEqual([
      expect.objectContaining({ id: "20260501T030000Z", status: "complete" }),
    ]);
  }, 90_000);
});

describe("restoring a backup", () => {
  it("into fresh empty databases gives back every table row by row", async () => {
    await seed(4);
    const before = await snapshot();
    const { outcomes, manifest } = await backUp();
    expect(outcomes.at(-1)).toBe("done");
    expect(outcomes.filter((o) => o === "advanced").length).toBeGreaterThan(10);
    const putBack = await keepObjects(manifest.id);

    await resetStorage();
    await putBack();
    const empty = await snapshot();
    expect(empty["collector.action_logs"]).toEqual([]);
    await restore(await readManifest(manifest.id));
    const after = await snapshot();
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const key of Object.keys(before)) expect(after[key], key).toEqual(before[key]);
    // installation_structures' triggers are back (and wrote no second copy of the rows they wrote before).
    expect((after["collector.triggers"] as unknown[]).length).toBe(2);
  }, 90_000);

  it("is refused into a database that holds data", async () => {
    await seed(1);
    const { manifest } = await backUp();
    const collector = manifest.databases[0]!;
    const tables = Object.fromEntries((await tablesOf(env.COLLECTOR_DB)).map((t) => [t.name, { columns: t.columns.map((c) => c.name), hasRows: t.name === "action_logs" }]));
    expect(restoreProblems(collector, { migrations: collector.migrations, tables }, "apply")).toEqual([expect.stringContaining("it is not empty (rows in action_logs)")]);
  });
});

describe("a step delivered again", () => {
  it("changes nothing: the same files, rows and checksums, and no file left over", async () => {
    await seed(2);
    const clean = await backUp("20260501T030000Z");

    const { deps, sent } = testDeps();
    await startBackup(deps, { id: "20260502T030000Z", trigger: "admin" });
    const first = sent.shift()!;
    expect(await runBackupStep(first, deps)).toBe("advanced");
    // Again later: skipped.
    expect(await runBackupStep(first, deps)).toBe("skipped");
    // Twice at once: one counts, the other's files are left out of the manifest.
    const second = sent.shift()!;
    const twice = await Promise.all([runBackupStep(second, deps), runBackupStep(second, deps)]);
    expect(twice.sort()).toEqual(["advanced", "skipped"]);
    // A part upload that fails: nothing counted, the step delivered again succeeds.
    const failing = testDeps({ bucket: bucketFailingAt(1) });
    const third = sent.shift()!;
    await expect(runBackupStep(third, failing.deps)).rejects.toThrow(/injected/);
    expect(await runBackupStep(third, deps)).toBe("advanced");
    await drain(deps, sent);
    const again = await readManifest("20260502T030000Z");

    const shape = (m: BackupManifest) => m.databases.map((d) => ({ ...d, tables: d.tables.map((t) => ({ ...t, files: t.files.map((f) => [f.rows, f.bytes, f.sha256]) })) }));
    expect(shape(again)).toEqual(shape(clean.manifest));
    const named = again.databases.flatMap((d) => d.tables.flatMap((t) => t.files.map((f) => f.key)));
    expect(await keysOf(again.id)).toEqual([...named, manifestKey(again.id), stateKey(again.id)].sort());
  }, 60_000);
});

/** The bucket, except that the `failAt`-th part upload fails. */
function bucketFailingAt(failAt: number) {
  let parts = 0;
  return new Proxy(env.BUNDLES, {
    get(target, key) {
      if (key !== "createMultipartUpload") return Reflect.get(target, key).bind(target);
      return async (...args: Parameters<R2Bucket["createMultipartUpload"]>) => {
        const upload = await target.createMultipartUpload(...args);
        return new Proxy(upload, {
          get(u, k) {
            if (k !== "uploadPart") return Reflect.get(u, k);
            return async (...a: Parameters<R2MultipartUpload["uploadPart"]>) => {
              if (++parts === failAt) throw new Error("injected: R2 unavailable");
              return u.uploadPart(...a);
            };
          },
        });
      };
    },
  });
}

describe("retention", () => {
  /** A backup as the bucket would hold it: complete (a manifest and a file) or not. */
  async function fake(id: string, complete: boolean, status: "running" | "done" | "failed", updatedAt = Date.now(), trigger = "schedule") {
    await env.BUNDLES.put(`${backupPrefix(id)}collector/action_logs/00000-aaaa.ndjson.gz`, "x");
    await env.BUNDLES.put(stateKey(id), "{}", { customMetadata: { status, updatedAt: String(updatedAt) } });
    if (complete) await env.BUNDLES.put(manifestKey(id), "{}", { customMetadata: { trigger } });
  }

  it("after a backup completes, keeps the newest of each of the last N days and M months and deletes the rest", async () => {
    const now = Date.UTC(2026, 4, 20, 3);
    for (const id of ["20260115T030000Z", "20260131T030000Z", "20260227T030000Z", "20260228T030000Z", "20260330T030000Z", "20260518T030000Z", "20260519T030000Z", "20260519T150000Z"]) {
      await fake(id, true, "done");
    }
    await fake("20260517T030000Z", false, "failed");
    await fake("20260519T040000Z", false, "running", now - 3 * 86_400_000);
    await fake("20260520T020000Z", false, "running", now - 60_000);
    // An admin's backups: kept 3 days, whatever the scheduled ones.
    await fake("20260516T120000Z", true, "done", now, "admin");
    await fake("20260519T160000Z", true, "done", now, "admin");
    await seed(1);
    const config = { ...backupConfig(env), pageRows: 50, rowsPerStep: 1000, keepDaily: 3, keepMonthly: 3 };
    const { deps, sent } = testDeps({ now: () => now, config });
    await startBackup(deps, { id: "20260520T030000Z", trigger: "schedule" });
    expect((await drain(deps, sent)).at(-1)).toBe("done");
    const ids = (await env.BUNDLES.list({ prefix: "backups/", delimiter: "/" })).delimitedPrefixes.map((p) => p.slice(8, -1));
    // Days: 05-20 (the new one), 05-19 (its newest), 05-18. Months that have one: May, March, February.
    expect(ids).toEqual([
      "20260228T030000Z",
      "20260330T030000Z",
      "20260518T030000Z",
      "20260519T150000Z",
      "20260519T160000Z",
      "20260520T020000Z",
      "20260520T030000Z",
    ]);
    expect(await keysOf("20260519T150000Z")).toHaveLength(3);
  }, 60_000);

  it("finishes deleting a half-deleted backup on its next pass, and never leaves it restorable meanwhile", async () => {
    await fake("20260101T030000Z", true, "done");
    await fake("20260102T030000Z", true, "done");
    // Half deleted: its manifest went first, so it is incomplete.
    await env.BUNDLES.delete(manifestKey("20260101T030000Z"));
    const { deps } = testDeps({ now: () => Date.UTC(2026, 0, 3), config: { ...backupConfig(env), keepDaily: 1, keepMonthly: 0 } });
    expect(await applyRetention(deps)).toEqual({ deleted: ["20260101T030000Z"], unfinished: [] });
    expect(await keysOf("20260101T030000Z")).toEqual([]);
    expect(await keysOf("20260102T030000Z")).toHaveLength(3);
  });
});

describe("an incomplete backup", () => {
  it("has no manifest until its last step, and one whose schema moved while it was read never gets one", async () => {
    await seed(2);
    const { deps, sent } = testDeps();
    await startBackup(deps, { id: "20260501T030000Z", trigger: "admin" });
    for (let i = 0; i < 3; i++) await runBackupStep(sent.shift()!, deps);
    expect(await env.BUNDLES.head(manifestKey("20260501T030000Z"))).toBeNull();
    const running = await adminCall("/backups/20260501T030000Z").then((r) => r.json<{ backup: { status: string } }>());
    expect(running.backup.status).toBe("running");
    await env.COLLECTOR_DB.prepare("INSERT INTO d1_migrations (name) VALUES ('9999_during_the_backup.sql')").run();
    const outcomes = await drain(deps, sent);
    expect(outcomes.at(-1)).toBe("failed");
    expect(await env.BUNDLES.head(manifestKey("20260501T030000Z"))).toBeNull();
    await expect(readManifest("20260501T030000Z")).rejects.toThrow(/no manifest/);
    const failed = await adminCall("/backups/20260501T030000Z").then((r) => r.json<{ backup: { status: string; error: string } }>());
    expect(failed.backup).toMatchObject({ status: "failed", error: expect.stringContaining("collector: the migrations changed while it was read") });
  }, 60_000);
});

describe("the hourly schedule", () => {
  it("sends again the step of a backup that stalled, and gives up one running for a day", async () => {
    const { deps, sent } = testDeps({ config: { ...backupConfig(env), hourUtc: 3 } });
    const start = Date.UTC(2026, 4, 1, 3);
    await startBackup({ ...deps, now: () => start }, { id: "20260501T030000Z", trigger: "schedule" });
    sent.length = 0;
    // Moving: nothing to do.
    expect(await runBackupSchedule({ ...deps, now: () => start + 60_000 }, start + 60_000)).toMatchObject({ started: null, running: "20260501T030000Z", resent: 0 });
    expect(await runBackupSchedule({ ...deps, now: () => start + STALLED_MS + 1 }, start + 3_600_000)).toMatchObject({ resent: 1 });
    expect(sent).toEqual([{ kind: "backup", id: "20260501T030000Z", step: 0 }]);
    // A day later it is given up, and the next day's starts.
    const nextDay = start + 86_400_000 + 1;
    expect(await runBackupSchedule({ ...deps, now: () => nextDay }, nextDay)).toMatchObject({ failed: 1, started: "20260502T030000Z" });
  });
});

describe("the backups admin API", () => {
  it("starts a backup now, refuses a second while it runs, and lists them", async () => {
    expect((await adminCall("/backups", "POST", null)).status).toBe(401);
    const res = await adminCall("/backups", "POST");
    expect(res.status).toBe(202);
    const { backup } = await res.json<{ backup: { id: string; status: string } }>();
    expect(backup.status).toBe("running");
    expect(res.headers.get("location")).toBe(`/api/v1/admin/backups/${backup.id}`);
    expect((await adminCall("/backups", "POST")).status).toBe(409);
    await settled(backup.id, 30_000);
    const done = await adminCall(`/backups/${backup.id}`).then((r) => r.json<{ backup: { status: string; databases: { name: string; rows: number }[] } }>());
    expect(done.backup.status).toBe("complete");
    expect(done.backup.databases.map((d) => d.name)).toEqual(["collector", "analytic", "contrib"]);
    expect((await adminCall("/backups/20990101T000000Z")).status).toBe(404);
  }, 60_000);
});
