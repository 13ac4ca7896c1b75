// `npm run restore` end to end on this machine: the real service on 127.0.0.1:8798 (state of its own
// under test-artifacts/) makes a backup of seeded databases; the service stops, its D1 state is
// deleted and migrated afresh (D1 lost), and the script loads the backup from local R2 with
// wrangler alone. Each table is then compared row by row with what the service held.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackupManifest } from "../../schemas/backup";
import { type Collector, freshCollector, root } from "../agent/worker";

const PORT = Number(process.env.RESTORE_E2E_PORT ?? 8798);
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const wranglerBin = path.join(root, "node_modules/wrangler/bin/wrangler.js");
const BINDINGS = ["COLLECTOR_DB", "ANALYTIC_DB", "CONTRIB_DB"];
const BUCKET = "edgestats-bundles";

let service: Collector;
let scratch: string;
let backupId: string;

function wrangler(...args: string[]) {
  const r = spawnSync(process.execPath, [wranglerBin, ...args, "--local", "--persist-to", service.persistDir], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const sql = (binding: string, command: string) => (JSON.parse(wrangler("d1", "execute", binding, "--json", "--command", command)) as { results: unknown[] }[]).map((r) => r.results);

function restore(...args: string[]) {
  return spawnSync(process.execPath, [tsx, path.join(root, "scripts/restore.ts"), ...args, "--persist-to", service.persistDir], { cwd: root, encoding: "utf8" });
}

/** Every row of every table (values as SQL literals with their types), the counters and the triggers. */
function snapshot() {
  const out: Record<string, unknown> = {};
  for (const binding of BINDINGS) {
    const [tables] = sql(binding, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT IN ('sqlite_sequence', 'd1_migrations') ORDER BY name") as [
      { name: string; sql: string }[],
    ];
    const columns = sql(binding, tables.map((t) => `PRAGMA table_info("${t.name}")`).join("; ")) as { name: string }[][];
    const queries = tables.map((t, i) => {
      const cells = columns[i]!.map((c) => `quote("${c.name}") || ':' || typeof("${c.name}")`).join(" || ' | ' || ");
      return /WITHOUT ROWID/i.test(t.sql) ? `SELECT ${cells} AS r FROM "${t.name}" ORDER BY 1` : `SELECT rowid || ' ' || ${cells} AS r FROM "${t.name}" ORDER BY rowid`;
    });
    const rows = sql(binding, [...queries, "SELECT name || '=' || seq AS r FROM sqlite_sequence WHERE name <> 'd1_migrations' ORDER BY name", "SELECT name || ':' || sql AS r FROM sqlite_master WHERE type = 'trigger' ORDER BY name"].join("; "));
    tables.forEach((t, i) => (out[`${binding}.${t.name}`] = rows[i]));
    out[`${binding}.sqlite_sequence`] = rows[tables.length];
    out[`${binding}.triggers`] = rows[tables.length + 1];
  }
  return out;
}

let source: Record<string, unknown>;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "edgestats-restore-test-"));
  // Steps of 20 rows, pages of 7: a table of a few dozen rows is several files.
  service = freshCollector({ port: PORT, state: "restore-e2e-state", vars: { BACKUP_ROWS_PER_STEP: "20", BACKUP_PAGE_ROWS: "7" } });
  // Awkward values, through SQL: a 64-bit id, NULLs, quotes, newlines, a NUL, unicode, a blob in a
  // text column, a text longer than D1's 100 KB statement limit, infinite reals, a counter past the
  // largest id, a hidden rowid with gaps, WITHOUT ROWID keys beyond 2^53.
  const seed = [
    ...Array.from({ length: 40 }, (_, i) => `INSERT INTO action_logs (master_node_uid, external_id, body, action_type, action_name, received_at) VALUES ('mn-${i % 3}', ${i}, '{"i":${i},"s":"line\nbreak ; -- not a comment"}', ${i % 2 ? "'http_request'" : "NULL"}, 'näme ${i}', ${1_700_000_000_000 + i});`),
    `INSERT INTO action_logs (master_node_uid, external_id, body, action_type, action_name, received_at) VALUES ('awk', 9223372036854775807, 'it''s ' || char(0) || ' nul', NULL, '😀', 1.5);`,
    `INSERT INTO action_logs (master_node_uid, external_id, body, action_type, action_name, received_at) VALUES ('awk', -9223372036854775808, X'00FF7F', NULL, NULL, 0);`,
    `INSERT INTO action_logs (master_node_uid, external_id, body, action_type, action_name, received_at) VALUES ('awk', 7, replace(hex(zeroblob(6000)), '00', 'ünïcødé 日本 ''q'' -- /* ; '), NULL, NULL, 0);`,
    `INSERT INTO action_logs (id, master_node_uid, external_id, body, received_at) VALUES (5000, 'gone', 1, 'x', 0);`,
    `DELETE FROM action_logs WHERE id = 5000;`,
    `INSERT INTO oswl_stats (master_node_uid, external_id, cluster_id, created_date, updated_time, resource_type, resource_data, resource_checksum, updated_at) VALUES ('awk', 1, 9e999, '2015-02-24', '15:51', 'vm', '{}', 'c', 0);`,
    `INSERT INTO collector_outcomes (rowid, day, endpoint, outcome, count) VALUES (3, 'd', 'e', 'o', 1), (90000, 'd2', 'e', 'o', 2);`,
  ];
  const contrib = `INSERT INTO day_totals (day, record_type, records) VALUES (9223372036854775807, 'commit', 1), (9007199254740993, 'commit', 2), (1, 'review', 3);`;
  writeFileSync(path.join(scratch, "collector.sql"), seed.join("\n"));
  writeFileSync(path.join(scratch, "contrib.sql"), contrib);
  wrangler("d1", "execute", "COLLECTOR_DB", "--file", path.join(scratch, "collector.sql"), "--yes");
  wrangler("d1", "execute", "CONTRIB_DB", "--file", path.join(scratch, "contrib.sql"), "--yes");

  await service.start();
  // Installations through the collector, so that their triggers write installation_release_days.
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${service.origin}/api/v1/installation_structure/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ installation_structure: { master_node_uid: `mn-${i}`, clusters_num: 0, allocated_nodes_num: 0, unallocated_nodes_num: 0, clusters: [], fuel_release: { release: `9.${i}`, api: "1", feature_groups: [] } } }),
    });
    expect(res.status).toBe(201);
  }
  const started = await service.admin<{ backup: { id: string } }>("/api/v1/admin/backups", { method: "POST" });
  backupId = started.backup.id;
  for (let i = 0; ; i++) {
    const { backup } = await service.admin<{ backup: { status: string } }>(`/api/v1/admin/backups/${backupId}`);
    if (backup.status === "complete") break;
    if (backup.status !== "running" || i > 600) throw new Error(`backup ${backupId}: ${JSON.stringify(backup)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Its last step sweeps and applies retention after the manifest; let it end before stopping.
  await new Promise((r) => setTimeout(r, 1000));
  await service.stop();
  source = snapshot();
}, 300_000);

afterAll(async () => {
  await service?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** D1 lost: the databases' local state deleted, then migrated afresh. */
function freshDatabases() {
  rmSync(path.join(service.persistDir, "v3", "d1"), { recursive: true, force: true });
  for (const binding of BINDINGS) wrangler("d1", "migrations", "apply", binding);
}

describe("npm run restore", () => {
  it("refuses a database that holds data, naming the tables, and loads nothing", () => {
    const r = restore(backupId, "--db", "collector");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/restore: refusing to restore:\n {2}collector \(COLLECTOR_DB, local \(.*\)\): it is not empty \(rows in action_logs, collector_outcomes, installation_release_days, installation_structures, oswl_stats\)/);
    expect(sql("COLLECTOR_DB", "SELECT count(*) AS n FROM action_logs")[0]).toEqual([{ n: 43 }]);
  }, 120_000);

  it("refuses a backup that does not exist or has no manifest", () => {
    const missing = restore("20990101T000000Z");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("restore: backup 20990101T000000Z has no manifest in edgestats-bundles");
    // An incomplete backup: its files and progress record, no manifest.
    const state = path.join(scratch, "state.json");
    writeFileSync(state, "{}");
    wrangler("r2", "object", "put", `${BUCKET}/backups/20250101T000000Z/state.json`, "--file", state);
    const incomplete = restore("20250101T000000Z");
    expect(incomplete.status).toBe(1);
    expect(incomplete.stderr).toContain("it does not exist or is incomplete, and a backup without a manifest is never restored");
    expect(restore("latest").stderr).toContain('"latest" is no backup id');
  }, 120_000);

  it("refuses a damaged backup before writing anything", () => {
    freshDatabases();
    const manifest = JSON.parse(wrangler("r2", "object", "get", `${BUCKET}/backups/${backupId}/manifest.json`, "--pipe")) as BackupManifest;
    const key = manifest.databases[0]!.tables.find((t) => t.name === "action_logs")!.files[1]!.key;
    const original = path.join(scratch, "original.gz");
    wrangler("r2", "object", "get", `${BUCKET}/${key}`, "--file", original);
    const damaged = path.join(scratch, "damaged.gz");
    writeFileSync(damaged, "not what was written");
    wrangler("r2", "object", "put", `${BUCKET}/${key}`, "--file", damaged);
    try {
      const r = restore(backupId, "--db", "collector");
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`restore: ${key} is 20 bytes, its manifest says`);
      expect(sql("COLLECTOR_DB", "SELECT count(*) AS n FROM action_logs")[0]).toEqual([{ n: 0 }]);
    } finally {
      wrangler("r2", "object", "put", `${BUCKET}/${key}`, "--file", original);
    }
  }, 120_000);

  it("loads every table of the three databases into fresh ones, row by row as they were", () => {
    freshDatabases();
    const r = restore(backupId);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`restore: backup ${backupId} from R2 bucket edgestats-bundles (local (${service.persistDir})) into the D1 databases of local (${service.persistDir})`);
    expect(lines).toContainEqual(expect.stringMatching(/^restore: collector: \d+ files, [\d.]+ MiB, sizes and SHA-256 match the manifest$/));
    expect(lines).toContainEqual(expect.stringMatching(/^restore: contrib: \d+ rows in \d+ of \d+ tables, every count as in the manifest$/));
    expect(lines.at(-1)).toMatch(/^restore: done in [\d.]+ s$/);
    const after = snapshot();
    for (const key of Object.keys(source)) expect(after[key], key).toEqual(source[key]);
    expect(Object.keys(after)).toEqual(Object.keys(source));
    expect((source["COLLECTOR_DB.action_logs"] as unknown[]).length).toBe(43);
    expect(source["COLLECTOR_DB.sqlite_sequence"]).toContainEqual({ r: "action_logs=5000" });
  }, 300_000);
});
