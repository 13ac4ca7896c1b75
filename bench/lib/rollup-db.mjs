// Direct access to the bench's local D1 databases for `npm run bench:rollup`, through wrangler's
// getPlatformProxy on the same persist directory and database ids as the worker. Only used while
// the worker is stopped: two workerd processes must not write one SQLite file at once.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { seedRow } from "./installations.mjs";

/** D1 refuses a value over 2 MB; the statement's JSON parameter stays well under it. */
const MAX_PARAM_CHARS = 1_500_000;
/** Statements per D1 batch (one transaction, one round trip). */
const STATEMENTS_PER_BATCH = 8;

const INSERT_STRUCTURES = `
INSERT INTO installation_structures (master_node_uid, structure, creation_date, modification_date, is_filtered,
                                     release, country, updated_at, trust)
SELECT j.value ->> '$[0]', j.value ->> '$[1]', j.value ->> '$[2]', j.value ->> '$[3]', 0,
       j.value ->> '$[4]', j.value ->> '$[5]', j.value ->> '$[6]', 'unverified'
FROM json_each(?) AS j`;

// The triggers of migrations/collector/0005 wrote the release of the last report; these are the
// earlier changes (creation with the first release, then each upgrade), one row each.
const INSERT_HISTORY = `
INSERT INTO installation_release_days (master_node_uid, day, release)
SELECT j.value ->> '$[0]', j.value ->> '$[1]', j.value ->> '$[2]' FROM json_each(?) AS j`;

/** The roll-up's own tables in ANALYTIC_DB (job_runs and the filtering rules stay). */
export const ROLLUP_TABLES = ["rollup_installations", "report_counts", "adoption_changes", "release_transitions", "rollup_cursors"];

/**
 * A config with only the worker's D1 databases (the same names and ids, so the same files): the
 * proxy then neither warns about the worker's Durable Objects nor reads its secrets.
 */
const d1Blocks = (toml) => toml.match(/^\[\[d1_databases\]\][\s\S]*?(?=^\[|(?![\s\S]))/gm) ?? [];

/** The bindings of the config's D1 databases. */
export function d1Bindings(configPath) {
  return d1Blocks(readFileSync(configPath, "utf8")).map((b) => b.match(/^binding\s*=\s*"([^"]+)"/m)[1]);
}

function d1OnlyConfig(configPath, persistDir) {
  const toml = readFileSync(configPath, "utf8");
  const blocks = d1Blocks(toml);
  if (blocks.length === 0) throw new Error(`no [[d1_databases]] in ${configPath}`);
  const date = toml.match(/^compatibility_date\s*=.*$/m)?.[0] ?? "";
  const file = path.join(persistDir, "d1-only.toml");
  writeFileSync(file, `name = "bench-rollup-d1"\n${date}\n\n${blocks.join("\n")}\n`);
  return file;
}

/** Opens the persist dir's databases as the worker sees them: `{ env, dispose }`. */
export async function openDatabases(configPath, persistDir) {
  const { getPlatformProxy } = await import("wrangler");
  // wrangler dev's `persist: dir` keeps its state in dir/v3; getPlatformProxy takes that path.
  return getPlatformProxy({
    configPath: d1OnlyConfig(configPath, persistDir),
    persist: { path: path.join(persistDir, "v3") },
    remoteBindings: false,
  });
}

function* jsonChunks(rows) {
  let parts = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (parts.length > 0 && size + json.length + 1 > MAX_PARAM_CHARS) {
      yield `[${parts.join(",")}]`;
      parts = [];
      size = 2;
    }
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length > 0) yield `[${parts.join(",")}]`;
}

async function insertAll(db, sql, rows) {
  let statements = [];
  let bytes = 0;
  let rowsWritten = 0;
  const flush = async () => {
    if (statements.length === 0) return;
    const results = await db.batch(statements);
    rowsWritten += results.reduce((n, r) => n + r.meta.rows_written, 0);
    statements = [];
  };
  for (const json of jsonChunks(rows)) {
    bytes += json.length;
    statements.push(db.prepare(sql).bind(json));
    if (statements.length >= STATEMENTS_PER_BATCH) await flush();
  }
  await flush();
  return { bytes, rowsWritten };
}

/**
 * Inserts the installations as the collector would have stored them (one row each, the structure
 * JSON as posted, trust 'unverified', is_filtered 0), then their earlier release days.
 * Generates `batch` installations at a time to bound memory.
 */
export async function seedInstallations(db, factsList, batch = 5000) {
  const started = performance.now();
  let structureBytes = 0;
  let rowsWritten = 0;
  let historyRows = 0;
  for (let i = 0; i < factsList.length; i += batch) {
    const slice = factsList.slice(i, i + batch);
    const s = await insertAll(db, INSERT_STRUCTURES, slice.map(seedRow));
    structureBytes += s.bytes;
    rowsWritten += s.rowsWritten;
    const history = slice.flatMap((f) => f.history.map((h) => [f.uid, h.day, h.release]));
    historyRows += history.length;
    rowsWritten += (await insertAll(db, INSERT_HISTORY, history)).rowsWritten;
  }
  const counts = await db
    .prepare(
      `SELECT (SELECT count(*) FROM installation_structures) AS structures,
              (SELECT count(*) FROM installation_release_days) AS release_days,
              (SELECT sum(length(structure)) FROM installation_structures) AS structure_bytes`,
    )
    .first();
  return { ms: performance.now() - started, structureBytes, rowsWritten, historyRowsSent: historyRows, ...counts };
}

export async function clearRollup(db) {
  await db.batch(ROLLUP_TABLES.map((table) => db.prepare(`DELETE FROM ${table}`)));
}

/** The job_runs rows after `afterId`, oldest first, with their detail parsed. */
export async function jobRunsAfter(db, afterId) {
  const { results } = await db
    .prepare(`SELECT id, job, cron, status, started_at, finished_at, detail FROM job_runs WHERE id > ? ORDER BY id`)
    .bind(afterId)
    .all();
  return results.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : null }));
}

export async function lastJobRunId(db) {
  return (await db.prepare(`SELECT coalesce(max(id), 0) AS id FROM job_runs`).first()).id;
}

/** Rows in each roll-up table, and the collector's tables. */
export async function tableSizes(collector, analytic) {
  const sizes = {};
  for (const table of ROLLUP_TABLES) sizes[table] = (await analytic.prepare(`SELECT count(*) AS n FROM ${table}`).first()).n;
  for (const table of ["installation_structures", "installation_release_days"]) {
    sizes[table] = (await collector.prepare(`SELECT count(*) AS n FROM ${table}`).first()).n;
  }
  return sizes;
}

/**
 * Where a full roll-up's time goes, measured outside the worker on the same D1 engine: the time
 * of one chunk's collector read (the roll-up's own query, taken from worker/db/rollup.ts) and of
 * variants of it without parts (the bench's own), and of the read of old summaries, at the start
 * and the middle of the table. Medians of `times` runs each. Null when the query is not found.
 */
export async function profileChunkReads(collector, analytic, rollupSource, chunkSize, times = 3) {
  const sql = rollupSource.match(/const CHANGED_INSTALLATIONS = `([\s\S]*?)`;/)?.[1];
  if (!sql) return null;
  const where = `FROM installation_structures AS s WHERE (s.updated_at, s.id) > (?1, ?2) ORDER BY s.updated_at, s.id LIMIT ?3`;
  const base = `s.id, s.master_node_uid AS uid, s.updated_at, s.release, s.trust, s.is_filtered`;
  const fields = `s.structure ->> '$.clusters_num' AS clusters_num, s.structure ->> '$.fuel_release.release' AS build_release,
       s.structure ->> '$.fuel_release.build_id' AS build_id, s.structure -> '$.fuel_packages' AS fuel_packages`;
  const clusters = `(SELECT json_group_array(json_array(c.value ->> '$.status', c.value ->> '$.nodes_num',
       c.value ->> '$.attributes.libvirt_type', c.value ->> '$.release.os')) FROM json_each(s.structure, '$.clusters') AS c) AS clusters`;
  const history = `(SELECT json_group_array(json_array(h.day, h.release)) FROM installation_release_days AS h
       WHERE h.master_node_uid = s.master_node_uid) AS history`;
  // Each variant also runs inside an aggregate that uses every column, so that only one row
  // crosses to this process: its time is SQLite's alone (the first is what the worker receives).
  const baseCols = ["id", "uid", "updated_at", "release", "trust", "is_filtered"];
  const fieldCols = ["clusters_num", "build_release", "build_id", "fuel_packages"];
  const wrap = (query, cols) =>
    `SELECT count(*) AS n, sum(${cols.map((c) => `length(quote(x.${c}))`).join(" + ")}) AS bytes FROM (${query}) AS x`;
  const realCols = [...baseCols, ...fieldCols, "clusters", "history"];
  const variants = [
    ["the roll-up's query (worker/db/rollup.ts CHANGED_INSTALLATIONS), rows returned to the caller", sql],
    ["the same, in SQLite only", wrap(sql, realCols)],
    ["rows only (no JSON, no history), in SQLite only", wrap(`SELECT ${base} ${where}`, baseCols)],
    ["+ the four structure fields", wrap(`SELECT ${base}, ${fields} ${where}`, [...baseCols, ...fieldCols])],
    ["+ the clusters (json_each over the structure)", wrap(`SELECT ${base}, ${fields}, ${clusters} ${where}`, [...baseCols, ...fieldCols, "clusters"])],
    ["rows + the release history only (no structure JSON)", wrap(`SELECT ${base}, ${history} ${where}`, [...baseCols, "history"])],
    ["one round trip (SELECT 1)", `SELECT ?1 + ?2 + ?3 AS one`],
  ];
  const total = (await collector.prepare(`SELECT count(*) AS n FROM installation_structures`).first()).n;
  const middle = await collector
    .prepare(`SELECT updated_at, id FROM installation_structures ORDER BY updated_at, id LIMIT 1 OFFSET ?`)
    .bind(Math.floor(total / 2))
    .first();
  const positions = [
    ["first chunk", -1, 0],
    ["middle chunk", middle.updated_at, middle.id],
  ];
  const timed = async (fn) => {
    const ms = [];
    let meta;
    for (let i = 0; i < times; i++) {
      const t = performance.now();
      meta = await fn();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return { ms: ms[Math.floor(ms.length / 2)], rowsRead: meta.rows_read };
  };
  const out = [];
  for (const [name, query] of variants) {
    const row = { name };
    for (const [where, at, id] of positions) {
      try {
        row[where] = await timed(async () => (await collector.prepare(query).bind(at, id, chunkSize).all()).meta);
      } catch (error) {
        row[where] = { ms: null, rowsRead: null, error: String(error).slice(0, 200) };
      }
    }
    out.push(row);
  }
  // The old summaries of a chunk's installations (readSummaries).
  const uids = (
    await collector.prepare(`SELECT master_node_uid AS uid ${where}`).bind(-1, 0, chunkSize).all()
  ).results.map((r) => r.uid);
  const summaries = { name: "old summaries of a chunk (rollup_installations by uid), rows returned" };
  summaries["first chunk"] = await timed(
    async () =>
      (
        await analytic
          .prepare(`SELECT master_node_uid AS uid, summary FROM rollup_installations WHERE master_node_uid IN (SELECT value FROM json_each(?))`)
          .bind(JSON.stringify(uids))
          .all()
      ).meta,
  );
  out.push(summaries);
  return out;
}
