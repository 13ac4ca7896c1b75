// Query functions over CONTRIB_DB. Bulk writes pass rows as one JSON parameter expanded with
// json_each (D1 allows 100 bound parameters), and a caller batches the statements it gets back so
// that what belongs together is written in one transaction.
import type { Affiliation } from "../domain/contrib/affiliation";
import type { Profile } from "../domain/contrib/profiles";
import { profileKeys as keysOfProfile } from "../domain/contrib/profiles";
import { ROBOTS } from "../domain/contrib/companies";
import { type Measure, MEASURES, metricById } from "../domain/contrib/metrics";
import type { Derived, ProcessedRecord, TotalsDelta } from "../domain/contrib/records";
import type { RawRecord } from "../../schemas/contrib/records";
import { chunkJson } from "./chunk";
import { listJsonRows } from "./json-rows";

const CHUNK_ITEMS = 500;
const CHUNK_CHARS = 512 * 1024;
/** A list of keys or ids as JSON parameters: each once, four times as many per chunk as records (a key is short). */
const keyChunks = (keys: readonly (string | number)[]): string[] => chunkJson([...new Set(keys)], CHUNK_ITEMS * 4, CHUNK_CHARS);
/** Characters of a configuration document per stored part (D1 rows stay under 2 MB). */
const PART_CHARS = 256 * 1024;

/**
 * A statement that moves the data version on and stamps the time: every change of records,
 * profiles or configuration runs one in its transaction, and the read API's ETags carry the version.
 */
export const bumpDataVersion = (db: D1Database) =>
  db.prepare(
    `INSERT INTO counters (name, value) VALUES ('data_version', 1), ('data_updated_at', CAST(strftime('%s', 'now') AS INTEGER))
     ON CONFLICT (name) DO UPDATE SET value = CASE name WHEN 'data_version' THEN value + 1 ELSE max(value, excluded.value) END`,
  );

/**
 * The data is current as of `nowMs` (a processor step committed, whether or not it found anything
 * new): the read API's Last-Modified, which the dashboard compares with the processor's schedule.
 */
export const stampDataUpdated = (db: D1Database, nowMs: number) =>
  db
    .prepare("INSERT INTO counters (name, value) VALUES ('data_updated_at', ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)")
    .bind(Math.floor(nowMs / 1000));

export async function findDataVersion(db: D1Database): Promise<number> {
  return (await db.prepare("SELECT value FROM counters WHERE name = 'data_version'").first<{ value: number }>())?.value ?? 0;
}

/**
 * What every read answer starts from, in one query: the data version, the config in force, and
 * when the data was last known current (seconds; null before any change or processor step).
 */
export type ReadVersions = { data: number; defaultData: Pick<ConfigVersion, "id" | "digest"> | null; updatedAt: number | null };

export const READ_VERSIONS_QUERY = `SELECT (SELECT value FROM counters WHERE name = 'data_version') AS data,
       (SELECT value FROM counters WHERE name = 'data_updated_at') AS updated_at, v.id, v.digest
FROM (SELECT 1) LEFT JOIN (SELECT id, digest FROM config_versions WHERE kind = 'default_data' ORDER BY id DESC LIMIT 1) AS v`;

export type ReadVersionsRow = { data: number | null; updated_at: number | null; id: number | null; digest: string | null };

export const toReadVersions = (row: ReadVersionsRow | null | undefined): ReadVersions => ({
  data: row?.data ?? 0,
  defaultData: row?.id != null && row.digest !== null ? { id: row.id, digest: row.digest } : null,
  updatedAt: row?.updated_at ?? null,
});

export async function findReadVersions(db: D1Database): Promise<ReadVersions> {
  return toReadVersions(await db.prepare(READ_VERSIONS_QUERY).first<ReadVersionsRow>());
}

/** Runs statements in one transaction; nothing at all when there are none (D1 refuses an empty batch). */
export async function runInTransaction(db: D1Database, statements: D1PreparedStatement[]): Promise<void> {
  if (statements.length > 0) await db.batch(statements);
}

export type ConfigKind = "default_data" | "corrections";

export interface ConfigVersion {
  id: number;
  kind: ConfigKind;
  digest: string;
  loadedAt: number;
  size: number;
  summary: Record<string, unknown>;
}

type VersionRow = { id: number; kind: ConfigKind; digest: string; loaded_at: number; size: number; summary: string };
const toVersion = (r: VersionRow): ConfigVersion => ({
  id: r.id,
  kind: r.kind,
  digest: r.digest,
  loadedAt: r.loaded_at,
  size: r.size,
  summary: JSON.parse(r.summary) as Record<string, unknown>,
});

/** The document of a kind in force (the newest loaded), without its text; null if none was loaded. */
export async function findConfigVersion(db: D1Database, kind: ConfigKind): Promise<ConfigVersion | null> {
  const row = await db
    .prepare("SELECT id, kind, digest, loaded_at, size, summary FROM config_versions WHERE kind = ? ORDER BY id DESC LIMIT 1")
    .bind(kind)
    .first<VersionRow>();
  return row ? toVersion(row) : null;
}

export async function readConfigDocument(db: D1Database, versionId: number): Promise<string> {
  const { results } = await db
    .prepare("SELECT text FROM config_parts WHERE version_id = ? ORDER BY part")
    .bind(versionId)
    .all<{ text: string }>();
  return results.map((r) => r.text).join("");
}

/**
 * Records a newly loaded document and its text in one transaction, and drops the text of the
 * versions it replaces (their digests and summaries stay as the history).
 */
export async function insertConfigVersion(
  db: D1Database,
  version: { kind: ConfigKind; digest: string; json: string; summary: Record<string, unknown>; now: number },
): Promise<number> {
  const parts: string[] = [];
  for (let i = 0; i < version.json.length; i += PART_CHARS) parts.push(version.json.slice(i, i + PART_CHARS));
  const newest = "(SELECT max(id) FROM config_versions WHERE kind = ?1)";
  const results = await db.batch<{ id: number }>([
    db
      .prepare("INSERT INTO config_versions (kind, digest, loaded_at, size, summary) VALUES (?, ?, ?, ?, ?) RETURNING id")
      .bind(version.kind, version.digest, version.now, version.json.length, JSON.stringify(version.summary)),
    db.prepare(`DELETE FROM config_parts WHERE version_id IN (SELECT id FROM config_versions WHERE kind = ?1 AND id <> ${newest})`).bind(version.kind),
    ...parts.map((text, part) =>
      db.prepare(`INSERT INTO config_parts (version_id, part, text) VALUES (${newest}, ?2, ?3)`).bind(version.kind, part, text),
    ),
    bumpDataVersion(db),
  ]);
  return results[0]!.results[0]!.id;
}

type ProfileRow = {
  seq: number;
  user_id: string;
  user_name: string;
  emails: string;
  launchpad_id: string | null;
  gerrit_id: string | null;
  github_id: string | null;
  zanata_id: string | null;
  companies: string;
  static: number;
};

const toProfile = (r: ProfileRow): Profile => ({
  seq: r.seq,
  user_id: r.user_id,
  user_name: r.user_name,
  emails: JSON.parse(r.emails) as string[],
  launchpad_id: r.launchpad_id,
  gerrit_id: r.gerrit_id,
  github_id: r.github_id,
  zanata_id: r.zanata_id,
  companies: JSON.parse(r.companies) as Affiliation[],
  static: r.static === 1,
});

const PROFILE_COLUMNS = "seq, user_id, user_name, emails, launchpad_id, gerrit_id, github_id, zanata_id, companies, static";

/** The profiles some keys lead to (whole profiles, with every key they have). */
export async function listProfilesByKeys(db: D1Database, keys: readonly string[]): Promise<Profile[]> {
  if (keys.length === 0) return [];
  const results = await db.batch<ProfileRow>(
    keyChunks(keys).map((json) =>
      db
        .prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE seq IN (SELECT k.seq FROM profile_keys AS k JOIN json_each(?1) AS j ON k.key = j.value)`)
        .bind(json),
    ),
  );
  const bySeq = new Map(results.flatMap((r) => r.results).map((row) => [row.seq, toProfile(row)]));
  return [...bySeq.values()];
}

export async function listProfilesBySeqs(db: D1Database, seqs: readonly number[]): Promise<Profile[]> {
  if (seqs.length === 0) return [];
  const results = await db.batch<ProfileRow>(
    keyChunks(seqs).map((json) =>
      db.prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE seq IN (SELECT value FROM json_each(?1))`).bind(json),
    ),
  );
  return results.flatMap((r) => r.results.map(toProfile));
}

export async function listStaticProfiles(db: D1Database): Promise<Profile[]> {
  const { results } = await db.prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE static = 1`).all<ProfileRow>();
  return results.map(toProfile);
}

/** The profile of a user_id (the oldest, should two ever share one). */
export async function findProfileByUserId(db: D1Database, userId: string): Promise<Profile | null> {
  const row = await db
    .prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE user_id = ? ORDER BY seq LIMIT 1`)
    .bind(userId)
    .first<ProfileRow>();
  return row ? toProfile(row) : null;
}

/** Reserves `count` profile seqs in one atomic statement; returns the first. */
export async function reserveProfileSeqs(db: D1Database, count: number): Promise<number> {
  const row = await db
    .prepare("INSERT INTO counters (name, value) VALUES ('profile_seq', ?1) ON CONFLICT (name) DO UPDATE SET value = value + ?1 RETURNING value")
    .bind(count)
    .first<{ value: number }>();
  return row!.value - count + 1;
}

/**
 * Statements that store profiles, drop merged ones with their keys, re-point the merged ones'
 * records to the profile they went into, and make every key of a stored profile lead to it.
 */
export function profileWrites(db: D1Database, upserted: readonly Profile[], removed: ReadonlyMap<number, number>, now: number): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  const gone = [...removed].filter(([seq]) => seq > 0);
  if (gone.length > 0) {
    const json = JSON.stringify(gone.map(([seq, into]) => ({ seq, into })));
    statements.push(
      db.prepare("DELETE FROM profiles WHERE seq IN (SELECT j.value ->> '$.seq' FROM json_each(?1) AS j)").bind(json),
      db.prepare("DELETE FROM profile_keys WHERE seq IN (SELECT j.value ->> '$.seq' FROM json_each(?1) AS j)").bind(json),
      db
        .prepare(
          `UPDATE records SET profile_seq = (SELECT j.value ->> '$.into' FROM json_each(?1) AS j WHERE j.value ->> '$.seq' = records.profile_seq)
           WHERE profile_seq IN (SELECT j.value ->> '$.seq' FROM json_each(?1) AS j)`,
        )
        .bind(json),
      // A merged profile's core votes become the survivor's (the newest per module and branch).
      db
        .prepare(
          `INSERT INTO core_marks (profile_seq, module, branch, last_date)
           SELECT j.value ->> '$.into', c.module, c.branch, c.last_date FROM core_marks AS c JOIN json_each(?1) AS j ON c.profile_seq = j.value ->> '$.seq' WHERE true
           ON CONFLICT (profile_seq, module, branch) DO UPDATE SET last_date = max(last_date, excluded.last_date)`,
        )
        .bind(json),
      db.prepare("DELETE FROM core_marks WHERE profile_seq IN (SELECT j.value ->> '$.seq' FROM json_each(?1) AS j)").bind(json),
    );
  }
  const rows = upserted.map((p) => ({ ...p, emails: JSON.stringify(p.emails), companies: JSON.stringify(p.companies), static: p.static ? 1 : 0 }));
  for (const json of chunkJson(rows, CHUNK_ITEMS, CHUNK_CHARS)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO profiles (seq, user_id, user_name, emails, launchpad_id, gerrit_id, github_id, zanata_id, companies, static, updated_at)
           SELECT j.value ->> '$.seq', j.value ->> '$.user_id', j.value ->> '$.user_name', j.value ->> '$.emails', j.value ->> '$.launchpad_id',
                  j.value ->> '$.gerrit_id', j.value ->> '$.github_id', j.value ->> '$.zanata_id', j.value ->> '$.companies', j.value ->> '$.static', ?2
           FROM json_each(?1) AS j WHERE true
           ON CONFLICT (seq) DO UPDATE SET user_id = excluded.user_id, user_name = excluded.user_name, emails = excluded.emails,
             launchpad_id = excluded.launchpad_id, gerrit_id = excluded.gerrit_id, github_id = excluded.github_id,
             zanata_id = excluded.zanata_id, companies = excluded.companies, static = excluded.static, updated_at = excluded.updated_at`,
        )
        .bind(json, now),
      db.prepare("DELETE FROM profile_keys WHERE seq IN (SELECT j.value ->> '$.seq' FROM json_each(?1) AS j)").bind(json),
    );
  }
  if (upserted.length > 0 || gone.length > 0) statements.push(bumpDataVersion(db));
  const keys = upserted.flatMap((p) => keysOfProfile(p).map((key) => ({ key, seq: p.seq })));
  for (const json of chunkJson(keys, CHUNK_ITEMS * 4, CHUNK_CHARS)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO profile_keys (key, seq) SELECT j.value ->> '$.key', j.value ->> '$.seq' FROM json_each(?1) AS j WHERE true
           ON CONFLICT (key) DO UPDATE SET seq = excluded.seq`,
        )
        .bind(json),
    );
  }
  return statements;
}

/** A stored record: ProcessedRecord's columns, with `raw` and `fields` as JSON text. */
export type RecordRow = Omit<ProcessedRecord, "record_type" | "fields"> & { record_type: string; raw: string; fields: string; derived: string };

export const toProcessed = (r: RecordRow): ProcessedRecord => ({
  primary_key: r.primary_key,
  record_type: r.record_type as ProcessedRecord["record_type"],
  date: r.date,
  day: r.day,
  week: r.week,
  profile_seq: r.profile_seq,
  user_id: r.user_id,
  author_name: r.author_name,
  author_email: r.author_email,
  company_name: r.company_name,
  release: r.release,
  module: r.module,
  loc: r.loc,
  fields: JSON.parse(r.fields) as Record<string, unknown>,
});

export const rawOf = (r: RecordRow) => JSON.parse(r.raw) as RawRecord;
export const derivedOf = (r: RecordRow) => JSON.parse(r.derived) as Derived;

const RECORD_COLUMNS =
  "primary_key, record_type, date, day, week, profile_seq, user_id, author_name, author_email, company_name, release, module, loc, raw, fields, derived";

export async function listRecordsByKeys(db: D1Database, primaryKeys: readonly string[]): Promise<RecordRow[]> {
  if (primaryKeys.length === 0) return [];
  const results = await db.batch<RecordRow>(
    keyChunks(primaryKeys).map((json) =>
      db.prepare(`SELECT ${RECORD_COLUMNS} FROM records WHERE primary_key IN (SELECT value FROM json_each(?1))`).bind(json),
    ),
  );
  return results.flatMap((r) => r.results);
}

/** Which records a re-attribution pass reads. */
export type RecordScope = { all: true } | { all: false; seqs: readonly number[]; nonStatic: boolean };

/** One page of records in a scope, in primary-key order after `after`. */
export async function listRecordsPage(db: D1Database, scope: RecordScope, after: string, limit: number): Promise<RecordRow[]> {
  const where = scope.all
    ? "?3 IS NULL"
    : `(profile_seq IN (SELECT value FROM json_each(?3))${scope.nonStatic ? " OR profile_seq IN (SELECT seq FROM profiles WHERE static = 0)" : ""})`;
  const { results } = await db
    .prepare(`SELECT ${RECORD_COLUMNS} FROM records WHERE primary_key > ?1 AND ${where} ORDER BY primary_key LIMIT ?2`)
    .bind(after, limit, scope.all ? null : JSON.stringify(scope.seqs))
    .all<RecordRow>();
  return results;
}

/** Statements that store records (new or changed) and move the daily totals by the deltas. */
export function recordWrites(
  db: D1Database,
  written: readonly { record: ProcessedRecord; raw: RawRecord; derived: Derived }[],
  deltas: readonly TotalsDelta[],
  now: number,
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  if (written.length > 0 || deltas.length > 0) statements.push(bumpDataVersion(db));
  const rows = written.map(({ record, raw, derived }) => ({
    ...record,
    raw: JSON.stringify(raw),
    fields: JSON.stringify(record.fields),
    derived: JSON.stringify(derived),
  }));
  for (const json of chunkJson(rows, CHUNK_ITEMS, CHUNK_CHARS)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO records (${RECORD_COLUMNS}, updated_at)
           SELECT j.value ->> '$.primary_key', j.value ->> '$.record_type', j.value ->> '$.date', j.value ->> '$.day', j.value ->> '$.week',
                  j.value ->> '$.profile_seq', j.value ->> '$.user_id', j.value ->> '$.author_name', j.value ->> '$.author_email',
                  j.value ->> '$.company_name', j.value ->> '$.release', j.value ->> '$.module', j.value ->> '$.loc',
                  j.value ->> '$.raw', j.value ->> '$.fields', j.value ->> '$.derived', ?2
           FROM json_each(?1) AS j WHERE true
           ON CONFLICT (primary_key) DO UPDATE SET record_type = excluded.record_type, date = excluded.date, day = excluded.day,
             week = excluded.week, profile_seq = excluded.profile_seq, user_id = excluded.user_id, author_name = excluded.author_name,
             author_email = excluded.author_email, company_name = excluded.company_name, release = excluded.release,
             module = excluded.module, loc = excluded.loc, raw = excluded.raw, fields = excluded.fields, derived = excluded.derived,
             updated_at = excluded.updated_at`,
        )
        .bind(json, now),
    );
  }
  const measures = MEASURES.join(", ");
  for (const json of chunkJson(deltas, CHUNK_ITEMS, CHUNK_CHARS)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO daily_totals (day, release, module, company_name, user_id, record_type, ${measures})
           SELECT j.value ->> '$.day', j.value ->> '$.release', j.value ->> '$.module', j.value ->> '$.company_name',
                  j.value ->> '$.user_id', j.value ->> '$.record_type', ${MEASURES.map((m) => `j.value ->> '$.${m}'`).join(", ")}
           FROM json_each(?1) AS j WHERE true
           ON CONFLICT (day, release, module, company_name, user_id, record_type)
           DO UPDATE SET ${MEASURES.map((m) => `${m} = ${m} + excluded.${m}`).join(", ")}`,
        )
        .bind(json),
    );
  }
  // Only a key that lost records can have come down to nothing (every measure counts records).
  for (const json of chunkJson(deltas.filter((d) => d.records < 0), CHUNK_ITEMS, CHUNK_CHARS)) {
    statements.push(
      db
        .prepare(
          `DELETE FROM daily_totals WHERE records = 0 AND (day, release, module, company_name, user_id, record_type) IN
           (SELECT j.value ->> '$.day', j.value ->> '$.release', j.value ->> '$.module', j.value ->> '$.company_name',
                   j.value ->> '$.user_id', j.value ->> '$.record_type' FROM json_each(?1) AS j)`,
        )
        .bind(json),
    );
  }
  statements.push(...releaseTotalsWrites(db, deltas), ...dayTotalsWrites(db, deltas));
  return statements;
}

/**
 * Statements that keep day_totals in step with daily totals moved by `deltas` (they run after
 * them): everyone's measures per day and type (robots only with patch sets and reviews), and the
 * people of every day whose person-day records moved, counted again from the daily totals.
 */
function dayTotalsWrites(db: D1Database, deltas: readonly TotalsDelta[]): D1PreparedStatement[] {
  const byKey = new Map<string, Pick<TotalsDelta, "day" | "record_type" | Measure>>();
  for (const d of deltas) {
    if (robotsUncounted(d)) continue;
    const key = `${d.record_type}:${d.day}`;
    const sum = byKey.get(key);
    if (!sum) {
      const { release: _r, module: _m, company_name: _c, user_id: _u, ...row } = d;
      byKey.set(key, row);
    } else for (const m of MEASURES) sum[m] += d[m];
  }
  const rows = [...byKey.values()].filter((r) => MEASURES.some((m) => r[m] !== 0));
  const measures = MEASURES.join(", ");
  const statements = chunkJson(rows, CHUNK_ITEMS, CHUNK_CHARS).map((json) =>
    db
      .prepare(
        `INSERT INTO day_totals (day, record_type, ${measures})
         SELECT j.value ->> '$.day', j.value ->> '$.record_type', ${MEASURES.map((m) => `j.value ->> '$.${m}'`).join(", ")}
         FROM json_each(?1) AS j WHERE true
         ON CONFLICT (record_type, day) DO UPDATE SET ${MEASURES.map((m) => `${m} = ${m} + excluded.${m}`).join(", ")}`,
      )
      .bind(json),
  );
  for (const json of chunkJson(rows.filter((r) => r.records < 0), CHUNK_ITEMS, CHUNK_CHARS)) {
    statements.push(
      db
        .prepare(
          `DELETE FROM day_totals WHERE records = 0 AND record_type <> 'pd' AND (record_type, day) IN
           (SELECT j.value ->> '$.record_type', j.value ->> '$.day' FROM json_each(?1) AS j)`,
        )
        .bind(json),
    );
  }
  const days = [...new Set(deltas.filter((d) => PD_TYPES.includes(d.record_type)).map((d) => d.day))];
  for (const json of chunkJson(days, CHUNK_ITEMS * 4, CHUNK_CHARS)) {
    statements.push(
      db.prepare(`DELETE FROM day_totals WHERE record_type = 'pd' AND day IN (SELECT value FROM json_each(?1))`).bind(json),
      db
        .prepare(
          `INSERT INTO day_totals (day, record_type, people)
           SELECT d.day, 'pd', count(DISTINCT d.user_id) FROM daily_totals AS d
           WHERE d.day IN (SELECT value FROM json_each(?1)) AND d.record_type IN (SELECT value FROM json_each(?2)) AND d.company_name <> '*robots'
           GROUP BY d.day`,
        )
        .bind(json, PERSON_DAY_TYPES),
    );
  }
  return statements;
}

/** What the statistics never count: robots' records but their patch sets and reviews (Stackalytics' rule). */
const robotsUncounted = (d: Pick<TotalsDelta, "company_name" | "record_type">) =>
  d.company_name === ROBOTS && d.record_type !== "patch" && d.record_type !== "review";

/** The record types whose days make person-days (metrics.ts). */
const PD_TYPES = metricById("person-day")!.types as readonly string[];
const PERSON_DAY_TYPES = JSON.stringify(PD_TYPES);

/** The release of release_totals' rows that add up every release (at levels 1 to 4). */
export const ALL_RELEASES = "*";

/**
 * A delta's keys in release_totals (Level in db/contrib-stats.ts): `*` stands for "all"; levels 1
 * to 4 have a row for the delta's release and one for every release.
 */
const levelKeys = (d: Pick<TotalsDelta, "release" | "module" | "company_name" | "user_id">): [number, string, string, string, string][] => [
  [0, d.release, d.module, d.company_name, d.user_id],
  ...[d.release, ALL_RELEASES].flatMap((release): [number, string, string, string, string][] => [
    [1, release, "*", d.company_name, d.user_id],
    [2, release, "*", d.company_name, "*"],
    [3, release, d.module, "*", "*"],
    [4, release, "*", "*", "*"],
  ]),
];

type LevelRow = Omit<TotalsDelta, "day"> & { level: number };

/**
 * The releases (but `*`) that have person-days at `level`, walked one by one down the primary key:
 * a sum over every release then seeks each release's rows of the people or modules it asks for,
 * where `release <> '*'` would read the level's rows of everyone.
 */
const releasesAt = (level: 1 | 3) =>
  `WITH RECURSIVE rel(r) AS (
     SELECT (SELECT min(release) FROM release_totals WHERE level = ${level} AND record_type = 'pd')
     UNION ALL
     SELECT (SELECT min(release) FROM release_totals WHERE level = ${level} AND record_type = 'pd' AND release > rel.r) FROM rel WHERE rel.r IS NOT NULL
   ) SELECT r FROM rel WHERE r IS NOT NULL AND r <> '${ALL_RELEASES}'`;

/**
 * Statements that keep release_totals in step with daily totals moved by `deltas` (they run after
 * them): the measures without the day at each level, then the person-days of every (release,
 * module, company, person) whose person-day records moved, counted again from the daily totals,
 * their sums per company and per module, and the sums of those over every release.
 */
function releaseTotalsWrites(db: D1Database, deltas: readonly TotalsDelta[]): D1PreparedStatement[] {
  const byKey = new Map<string, LevelRow>();
  for (const d of deltas) {
    // The levels without the company leave out what the statistics never count: robots but their patch sets and reviews.
    const robots = robotsUncounted(d);
    for (const [level, release, module, company_name, user_id] of levelKeys(d)) {
      if (robots && level >= 3) continue;
      const key = JSON.stringify([level, release, module, company_name, user_id, d.record_type]);
      const sum = byKey.get(key);
      if (!sum) {
        const { day: _day, ...rest } = d;
        byKey.set(key, { ...rest, release, module, company_name, user_id, level });
      } else for (const m of MEASURES) sum[m] += d[m];
    }
  }
  const rows = [...byKey.values()].filter((r) => MEASURES.some((m) => r[m] !== 0));
  const measures = MEASURES.join(", ");
  const statements = chunkJson(rows, CHUNK_ITEMS, CHUNK_CHARS).map((json) =>
    db
      .prepare(
        `INSERT INTO release_totals (release, module, company_name, user_id, record_type, level, ${measures})
         SELECT j.value ->> '$.release', j.value ->> '$.module', j.value ->> '$.company_name', j.value ->> '$.user_id',
                j.value ->> '$.record_type', j.value ->> '$.level', ${MEASURES.map((m) => `j.value ->> '$.${m}'`).join(", ")}
         FROM json_each(?1) AS j WHERE true
         ON CONFLICT (release, module, company_name, user_id, record_type)
         DO UPDATE SET ${MEASURES.map((m) => `${m} = ${m} + excluded.${m}`).join(", ")}`,
      )
      .bind(json),
  );
  for (const json of chunkJson(rows.filter((r) => r.records < 0), CHUNK_ITEMS, CHUNK_CHARS)) {
    statements.push(
      db
        .prepare(
          `DELETE FROM release_totals WHERE records = 0 AND record_type <> 'pd' AND (release, module, company_name, user_id, record_type) IN
           (SELECT j.value ->> '$.release', j.value ->> '$.module', j.value ->> '$.company_name', j.value ->> '$.user_id', j.value ->> '$.record_type' FROM json_each(?1) AS j)`,
        )
        .bind(json),
    );
  }
  const people = [...new Map(
    deltas
      .filter((d) => PD_TYPES.includes(d.record_type))
      .map((d) => [JSON.stringify([d.release, d.module, d.company_name, d.user_id]), { release: d.release, module: d.module, company_name: d.company_name, user_id: d.user_id }]),
  ).values()];
  for (const json of chunkJson(people, CHUNK_ITEMS, CHUNK_CHARS)) {
    const keys = `SELECT j.value ->> '$.release', j.value ->> '$.module', j.value ->> '$.company_name', j.value ->> '$.user_id' FROM json_each(?1) AS j`;
    const persons = `SELECT DISTINCT j.value ->> '$.release', j.value ->> '$.company_name', j.value ->> '$.user_id' FROM json_each(?1) AS j`;
    const companies = `SELECT DISTINCT j.value ->> '$.release', j.value ->> '$.company_name' FROM json_each(?1) AS j`;
    const modules = `SELECT DISTINCT j.value ->> '$.release', j.value ->> '$.module' FROM json_each(?1) AS j`;
    const allPersons = `SELECT DISTINCT j.value ->> '$.company_name', j.value ->> '$.user_id' FROM json_each(?1) AS j`;
    const allCompanies = `SELECT DISTINCT j.value ->> '$.company_name' FROM json_each(?1) AS j`;
    const allModules = `SELECT DISTINCT j.value ->> '$.module' FROM json_each(?1) AS j`;
    statements.push(
      // A person's days in each module (level 0) and across modules (level 1), from the daily rows.
      db.prepare(`DELETE FROM release_totals WHERE record_type = 'pd' AND level = 0 AND (release, module, company_name, user_id) IN (${keys})`).bind(json),
      db.prepare(`DELETE FROM release_totals WHERE record_type = 'pd' AND level = 1 AND module = '*' AND (release, company_name, user_id) IN (${persons})`).bind(json),
      db
        .prepare(
          `INSERT INTO release_totals (release, module, company_name, user_id, record_type, level, days)
           SELECT d.release, d.module, d.company_name, d.user_id, 'pd', 0, count(DISTINCT d.day) FROM daily_totals AS d
           WHERE (d.release, d.company_name, d.user_id, d.module) IN (SELECT j.value ->> '$.release', j.value ->> '$.company_name', j.value ->> '$.user_id', j.value ->> '$.module' FROM json_each(?1) AS j)
             AND d.record_type IN (SELECT value FROM json_each(?2))
           GROUP BY d.release, d.module, d.company_name, d.user_id`,
        )
        .bind(json, PERSON_DAY_TYPES),
      db
        .prepare(
          `INSERT INTO release_totals (release, module, company_name, user_id, record_type, level, days)
           SELECT d.release, '*', d.company_name, d.user_id, 'pd', 1, count(DISTINCT d.day) FROM daily_totals AS d
           WHERE (d.release, d.company_name, d.user_id) IN (${persons}) AND d.record_type IN (SELECT value FROM json_each(?2))
           GROUP BY d.release, d.company_name, d.user_id`,
        )
        .bind(json, PERSON_DAY_TYPES),
      // Their sums: per company (distinct person-days there), per module.
      db.prepare(`DELETE FROM release_totals WHERE record_type = 'pd' AND level = 2 AND module = '*' AND user_id = '*' AND (release, company_name) IN (${companies})`).bind(json),
      db
        .prepare(
          `INSERT INTO release_totals (release, module, company_name, user_id, record_type, level, days)
           SELECT t.release, '*', t.company_name, '*', 'pd', 2, sum(t.days) FROM release_totals AS t
           WHERE t.record_type = 'pd' AND t.level = 1 AND t.module = '*' AND (t.release, t.company_name) IN (${companies})
           GROUP BY t.release, t.company_name`,
        )
        .bind(json),
      db.prepare(`DELETE FROM release_totals WHERE record_type = 'pd' AND level = 3 AND company_name = '*' AND user_id = '*' AND (release, module) IN (${modules})`).bind(json),
      // (A module's rows are found by the key index; the stored order would read the release's every person.)
      db
        .prepare(
          `INSERT INTO release_totals (release, module, company_name, user_id, record_type, level, days)
           SELECT t.release, t.module, '*', '*', 'pd', 3, sum(t.days) FROM release_totals AS t INDEXED BY release_totals_key_idx
           WHERE t.record_type = 'pd' AND t.level = 0 AND t.company_name <> '*robots' AND (t.release, t.module) IN (${modules})
           GROUP BY t.release, t.module`,
        )
        .bind(json),
      // Across releases, days add up as a question over several releases adds them: a person's (per
      // company), a company's and a module's days in every release are the sums of their releases'.
      db.prepare(`DELETE FROM release_totals WHERE record_type = 'pd' AND level = 1 AND release = '*' AND module = '*' AND (company_name, user_id) IN (${allPersons})`).bind(json),
      db
        .prepare(
          `INSERT INTO release_totals (release, module, company_name, user_id, record_type, level, days)
           SELECT '*', '*', t.company_name, t.user_id, 'pd', 1, sum(t.days) FROM release_totals AS t
           WHERE t.record_type = 'pd' AND t.level = 1 AND t.release IN (${releasesAt(1)}) AND (t.company_name, t.user_id) IN (${allPersons})
           GROUP BY t.company_name, t.user_id`,
        )
        .bind(json),
      db.prepare(`DELETE FROM release_totals WHERE record_type = 'pd' AND level = 2 AND release = '*' AND company_name IN (${allCompanies})`).bind(json),
      db
        .prepare(
          `INSERT INTO release_totals (release, module, company_name, user_id, record_type, level, days)
           SELECT '*', '*', t.company_name, '*', 'pd', 2, sum(t.days) FROM release_totals AS t
           WHERE t.record_type = 'pd' AND t.level = 1 AND t.release = '*' AND t.company_name IN (${allCompanies})
           GROUP BY t.company_name`,
        )
        .bind(json),
      db.prepare(`DELETE FROM release_totals WHERE record_type = 'pd' AND level = 3 AND release = '*' AND module IN (${allModules})`).bind(json),
      db
        .prepare(
          `INSERT INTO release_totals (release, module, company_name, user_id, record_type, level, days)
           SELECT '*', t.module, '*', '*', 'pd', 3, sum(t.days) FROM release_totals AS t
           WHERE t.record_type = 'pd' AND t.level = 3 AND t.release IN (${releasesAt(3)}) AND t.company_name = '*' AND t.user_id = '*'
             AND t.module IN (${allModules})
           GROUP BY t.module`,
        )
        .bind(json),
    );
  }
  return statements;
}

export type TotalsGroup = "company_name" | "user_id" | "module" | "release";

/** Records and lines of code per company (or user, module, release), from the daily totals. */
export async function sumTotals(
  db: D1Database,
  by: TotalsGroup,
  filter: { release?: string; recordType?: string; fromDay?: number; toDay?: number } = {},
): Promise<{ id: string; records: number; loc: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT ${by} AS id, sum(records) AS records, sum(loc) AS loc FROM daily_totals
       WHERE (?1 IS NULL OR release = ?1) AND (?2 IS NULL OR record_type = ?2) AND (?3 IS NULL OR day >= ?3) AND (?4 IS NULL OR day <= ?4)
       GROUP BY ${by} HAVING sum(records) <> 0 OR sum(loc) <> 0 ORDER BY records DESC, id`,
    )
    .bind(filter.release ?? null, filter.recordType ?? null, filter.fromDay ?? null, filter.toDay ?? null)
    .all<{ id: string; records: number; loc: number }>();
  return results;
}

/** The records some refs lead to (`change:…`, `review:…`, `bp:…`). */
export async function listRefTargets(db: D1Database, refs: readonly string[]): Promise<{ ref: string; primary_key: string }[]> {
  if (refs.length === 0) return [];
  const results = await db.batch<{ ref: string; primary_key: string }>(
    keyChunks(refs).map((json) =>
      db.prepare("SELECT ref, primary_key FROM record_refs WHERE ref IN (SELECT value FROM json_each(?1))").bind(json),
    ),
  );
  return results.flatMap((r) => r.results);
}

/** Statements that drop refs records no longer make and add the ones they make now. */
export function refWrites(db: D1Database, dropped: readonly { ref: string; primary_key: string }[], added: readonly { ref: string; primary_key: string }[]): D1PreparedStatement[] {
  return [
    ...chunkJson(dropped, CHUNK_ITEMS * 2, CHUNK_CHARS).map((json) =>
      db
        .prepare(
          `DELETE FROM record_refs WHERE (ref, primary_key) IN (SELECT j.value ->> '$.ref', j.value ->> '$.primary_key' FROM json_each(?1) AS j)`,
        )
        .bind(json),
    ),
    ...chunkJson(added, CHUNK_ITEMS * 2, CHUNK_CHARS).map((json) =>
      db
        .prepare(
          `INSERT INTO record_refs (ref, primary_key) SELECT j.value ->> '$.ref', j.value ->> '$.primary_key' FROM json_each(?1) AS j WHERE true
           ON CONFLICT DO NOTHING`,
        )
        .bind(json),
    ),
  ];
}

export interface CoreKey {
  profile_seq: number;
  module: string;
  branch: string;
}

/** The stored newest ±2 vote of each (person, module, branch) asked about that has one. */
export async function listCoreMarks(db: D1Database, keys: readonly CoreKey[]): Promise<(CoreKey & { last_date: number })[]> {
  if (keys.length === 0) return [];
  const results = await db.batch<CoreKey & { last_date: number }>(
    chunkJson(keys, CHUNK_ITEMS * 2, CHUNK_CHARS).map((json) =>
      db
        .prepare(
          `SELECT c.profile_seq, c.module, c.branch, c.last_date FROM core_marks AS c JOIN json_each(?1) AS j
           ON c.profile_seq = j.value ->> '$.profile_seq' AND c.module = j.value ->> '$.module' AND c.branch = j.value ->> '$.branch'`,
        )
        .bind(json),
    ),
  );
  return results.flatMap((r) => r.results);
}

export function coreMarkWrites(db: D1Database, marks: readonly (CoreKey & { last_date: number })[]): D1PreparedStatement[] {
  return chunkJson(marks, CHUNK_ITEMS * 2, CHUNK_CHARS).map((json) =>
    db
      .prepare(
        `INSERT INTO core_marks (profile_seq, module, branch, last_date)
         SELECT j.value ->> '$.profile_seq', j.value ->> '$.module', j.value ->> '$.branch', j.value ->> '$.last_date' FROM json_each(?1) AS j WHERE true
         ON CONFLICT (profile_seq, module, branch) DO UPDATE SET last_date = max(last_date, excluded.last_date)`,
      )
      .bind(json),
  );
}

/** The profiles whose history has more than one company (the people who moved). */
export async function listProfilesThatMoved(db: D1Database): Promise<Profile[]> {
  const { results } = await db.prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE json_array_length(companies) > 1`).all<ProfileRow>();
  return results.map(toProfile);
}

/** The (module, branch) pairs where the profiles of some user_ids (a chunk as JSON) gave a ±2 since `sinceSeconds`, as rows (profile_seq, module, branch). */
const coresOfUserIds = (db: D1Database, json: string, sinceSeconds: number) =>
  listJsonRows(
    db,
    `SELECT c.profile_seq, c.module, c.branch FROM profiles AS p JOIN core_marks AS c ON c.profile_seq = p.seq
     WHERE p.user_id IN (SELECT value FROM json_each(?1)) AND c.last_date >= ?2 ORDER BY c.module, c.branch`,
    [json, sinceSeconds],
    ["profile_seq", "module", "branch"],
  );

/** The rows of some queries of one kind and of another, all asked at once (the round trips overlap), each kind's rows together. */
async function rowsOfBoth(first: readonly Promise<unknown[][]>[], second: readonly Promise<unknown[][]>[]): Promise<[unknown[][], unknown[][]]> {
  const rows = await Promise.all([...first, ...second]);
  return [rows.slice(0, first.length).flat(), rows.slice(first.length).flat()];
}

/** Core rows (profile_seq, module, branch) filed per profile seq, in their order. */
function fileCores(rows: readonly unknown[][]): Map<number, [string, string][]> {
  const out = new Map<number, [string, string][]>();
  for (const [seq, module, branch] of rows as [number, string, string][]) {
    const list = out.get(seq);
    if (list) list.push([module, branch]);
    else out.set(seq, [[module, branch]]);
  }
  return out;
}

/**
 * The name and seq of some user_ids' profiles (the oldest, should two share one), without their
 * histories, and listCoresOf of them, at once: the cores are found by user_id (every profile of
 * each, a superset of the ones named; callers look them up by seq).
 */
export async function listNamesAndCoresByUserIds(
  db: D1Database,
  userIds: readonly string[],
  sinceSeconds: number,
): Promise<{ names: Map<string, { seq: number; user_name: string }>; cores: Map<number, [string, string][]> }> {
  if (userIds.length === 0) return { names: new Map(), cores: new Map() };
  const chunks = keyChunks(userIds);
  const [names, cores] = await rowsOfBoth(
    chunks.map((json) =>
      listJsonRows(db, "SELECT user_id, seq, user_name FROM profiles WHERE user_id IN (SELECT value FROM json_each(?1)) ORDER BY seq DESC", [json], ["user_id", "seq", "user_name"]),
    ),
    chunks.map((json) => coresOfUserIds(db, json, sinceSeconds)),
  );
  return { names: new Map((names as [string, number, string][]).map(([id, seq, name]) => [id, { seq, user_name: name }])), cores: fileCores(cores) };
}

type Person = { seq: number; user_name: string; email: string | null; companies: Affiliation[] };

const PEOPLE_SQL = "SELECT user_id, seq, user_name, emails ->> 0 AS email, companies FROM profiles WHERE user_id IN (SELECT value FROM json_each(?1)) ORDER BY seq DESC";

/** The people rows of a chunk of user_ids; the affiliations come as JSON, parsed with the rest, not by one JSON.parse per person. */
const peopleRowsOf = (db: D1Database, json: string) => listJsonRows(db, PEOPLE_SQL, [json], ["user_id", "seq", "user_name", "email", { json: "companies" }]);

/** People rows by user_id (the last row of one wins: the oldest profile, as PEOPLE_SQL orders them). */
const toPeople = (rows: readonly unknown[][]): Map<string, Person> =>
  new Map((rows as [string, number, string, string | null, Affiliation[]][]).map(([id, seq, name, email, companies]) => [id, { seq, user_name: name, email, companies }]));

/** listPeopleByUserIds and listCoresOf of those profiles at once (the cores as listNamesAndCoresByUserIds finds them). */
export async function listPeopleAndCoresByUserIds(
  db: D1Database,
  userIds: readonly string[],
  sinceSeconds: number,
): Promise<{ people: Map<string, Person>; cores: Map<number, [string, string][]> }> {
  if (userIds.length === 0) return { people: new Map(), cores: new Map() };
  const chunks = keyChunks(userIds);
  const [people, cores] = await rowsOfBoth(
    chunks.map((json) => peopleRowsOf(db, json)),
    chunks.map((json) => coresOfUserIds(db, json, sinceSeconds)),
  );
  return { people: toPeople(people), cores: fileCores(cores) };
}

/** What a ranking of people shows of each: name, first email and affiliations (one each, the oldest should two share one). */
export async function listPeopleByUserIds(db: D1Database, userIds: readonly string[]): Promise<Map<string, Person>> {
  if (userIds.length === 0) return new Map();
  const rows = await Promise.all(keyChunks(userIds).map((json) => peopleRowsOf(db, json)));
  return toPeople(rows.flat());
}

/** The profiles of some user_ids (one each, the oldest should two share one). */
export async function listProfilesByUserIds(db: D1Database, userIds: readonly string[]): Promise<Map<string, Profile>> {
  if (userIds.length === 0) return new Map();
  const results = await db.batch<ProfileRow>(
    keyChunks(userIds).map((json) =>
      db.prepare(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE user_id IN (SELECT value FROM json_each(?1)) ORDER BY seq DESC`).bind(json),
    ),
  );
  return new Map(results.flatMap((r) => r.results).map((row) => [row.user_id, toProfile(row)]));
}

/** The (module, branch) pairs where some people gave a ±2 since `sinceSeconds`, per profile seq. */
export async function listCoresOf(db: D1Database, seqs: readonly number[], sinceSeconds: number): Promise<Map<number, [string, string][]>> {
  if (seqs.length === 0) return new Map();
  const results = await db.batch<{ profile_seq: number; module: string; branch: string }>(
    keyChunks(seqs).map((json) =>
      db
        .prepare("SELECT profile_seq, module, branch FROM core_marks WHERE profile_seq IN (SELECT value FROM json_each(?1)) AND last_date >= ?2 ORDER BY module, branch")
        .bind(json, sinceSeconds),
    ),
  );
  return fileCores(results.flatMap((x) => x.results).map((r) => [r.profile_seq, r.module, r.branch]));
}

/** Where a person is a core reviewer: the (module, branch) pairs of their ±2 votes since `sinceSeconds`. */
export async function listCoreOf(db: D1Database, seq: number, sinceSeconds: number): Promise<[string, string][]> {
  const { results } = await db
    .prepare("SELECT module, branch FROM core_marks WHERE profile_seq = ? AND last_date >= ? ORDER BY module, branch")
    .bind(seq, sinceSeconds)
    .all<{ module: string; branch: string }>();
  return results.map((r) => [r.module, r.branch]);
}

/** The reviews some people voted on in a module and branch each (to look at them again once they are core reviewers there). */
export async function listReviewsVotedOn(db: D1Database, keys: readonly CoreKey[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const results = await db.batch<{ review_id: string }>(
    chunkJson(keys, CHUNK_ITEMS, CHUNK_CHARS).map((json) =>
      db
        .prepare(
          `SELECT DISTINCT r.fields ->> '$.review_id' AS review_id FROM json_each(?1) AS j
           JOIN records AS r ON r.profile_seq = j.value ->> '$.profile_seq' AND r.record_type = 'mark' AND r.module = j.value ->> '$.module'
           WHERE r.fields ->> '$.branch' = j.value ->> '$.branch' AND r.fields ->> '$.review_id' IS NOT NULL`,
        )
        .bind(json),
    ),
  );
  return [...new Set(results.flatMap((r) => r.results.map((x) => x.review_id)))];
}

/**
 * Statements that set the mention count and the date of the newest mention on the blueprints'
 * `bpd` and `bpc` records, from the refs as the same transaction leaves them.
 */
export function mentionWrites(db: D1Database, blueprintIds: readonly string[]): D1PreparedStatement[] {
  return chunkJson(blueprintIds, CHUNK_ITEMS, CHUNK_CHARS).map((json) =>
    db
      .prepare(
        `WITH m AS (
           SELECT j.value AS id, count(f.primary_key) AS n, coalesce(max(r.date), 0) AS last
           FROM json_each(?1) AS j LEFT JOIN record_refs AS f ON f.ref = 'bp:' || j.value LEFT JOIN records AS r ON r.primary_key = f.primary_key
           GROUP BY j.value)
         UPDATE records SET
           derived = json_set(derived, '$.mention_count', m.n, '$.mention_date', m.last),
           fields = json_set(fields, '$.mention_count', m.n, '$.mention_date', m.last)
         FROM m WHERE records.primary_key IN ('bpd:' || m.id, 'bpc:' || m.id)`,
      )
      .bind(json),
  );
}

/** The releases the tag ranges give some commits. */
export async function listCommitReleases(db: D1Database, commitIds: readonly string[]): Promise<Map<string, string>> {
  if (commitIds.length === 0) return new Map();
  const results = await db.batch<{ commit_id: string; release: string }>(
    keyChunks(commitIds).map((json) =>
      db.prepare("SELECT commit_id, release FROM commit_releases WHERE commit_id IN (SELECT value FROM json_each(?1))").bind(json),
    ),
  );
  return new Map(results.flatMap((r) => r.results).map((r) => [r.commit_id, r.release]));
}

export function commitReleaseWrites(db: D1Database, sourceId: string, releases: ReadonlyMap<string, string>): D1PreparedStatement[] {
  const rows = [...releases].map(([commit_id, release]) => ({ commit_id, release }));
  return chunkJson(rows, CHUNK_ITEMS * 2, CHUNK_CHARS).map((json) =>
    db
      .prepare(
        `INSERT INTO commit_releases (commit_id, release, source_id)
         SELECT j.value ->> '$.commit_id', j.value ->> '$.release', ?2 FROM json_each(?1) AS j WHERE true
         ON CONFLICT (commit_id) DO UPDATE SET release = excluded.release, source_id = excluded.source_id`,
      )
      .bind(json, sourceId),
  );
}
