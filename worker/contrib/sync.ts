// The contribution engine over CONTRIB_DB: loading configuration documents, storing records with
// their attribution, and re-attributing exactly the records a change of the config, of the
// corrections or of a profile moves. Decisions are the pure functions of worker/domain/contrib;
// this module reads what they need and writes what they decide.
import type { Correction, Corrections } from "../../schemas/contrib/corrections";
import type { DefaultData } from "../../schemas/contrib/default-data";
import type { RawRecord } from "../../schemas/contrib/records";
import { sha256Hex } from "../crypto";
import { attributeCompany } from "../domain/contrib/affiliation";
import { type Engine, compileDefaultData } from "../domain/contrib/engine";
import { type Author, type Profile, ProfileBook, authorKeys, profileKeys } from "../domain/contrib/profiles";
import { type Derived, type ProcessedRecord, processRecord, sameRecord, totalsDeltas } from "../domain/contrib/records";
import {
  type RecordScope,
  type ConfigVersion,
  findConfigVersion,
  insertConfigVersion,
  listProfilesByKeys,
  listProfilesBySeqs,
  listRecordsByKeys,
  listRecordsPage,
  listStaticProfiles,
  profileWrites,
  derivedOf,
  rawOf,
  recordWrites,
  reserveProfileSeqs,
  readConfigDocument,
  runInTransaction,
  toProcessed,
} from "../db/contrib";

/** Records read per page when re-attributing. */
const PAGE = 500;

// The compiled config and the corrections in force, per isolate, until another digest is loaded.
let engineCache: { digest: string; engine: Engine } | null = null;
let correctionsCache: { digest: string; byKey: Map<string, Correction> } | null = null;
/** A config's text read along with other things (offerConfigText), until the engine is asked for. */
let offered: { digest: string; text: string } | null = null;

/** The engine of the config in force, or null before the first config is loaded. */
export async function currentEngine(db: D1Database, known?: Pick<ConfigVersion, "id" | "digest"> | null): Promise<Engine | null> {
  const version = known === undefined ? await findConfigVersion(db, "default_data") : known;
  if (!version) return null;
  if (engineCache?.digest !== version.digest) {
    const text = offered?.digest === version.digest ? offered.text : await readConfigDocument(db, version.id);
    engineCache = { digest: version.digest, engine: compileDefaultData(JSON.parse(text) as DefaultData) };
  }
  offered = null;
  return engineCache.engine;
}

/** The text of the config with this digest, read already: currentEngine compiles it, if asked, instead of reading it. */
export function offerConfigText(digest: string, text: string): void {
  if (engineCache?.digest !== digest) offered = { digest, text };
}

const indexCorrections = (c: Corrections | null) => new Map((c?.corrections ?? []).map((x) => [x.primary_key, x]));

export async function currentCorrections(db: D1Database): Promise<Map<string, Correction>> {
  const version = await findConfigVersion(db, "corrections");
  if (!version) return new Map();
  if (correctionsCache?.digest !== version.digest) {
    const corrections = JSON.parse(await readConfigDocument(db, version.id)) as Corrections;
    correctionsCache = { digest: version.digest, byKey: indexCorrections(corrections) };
  }
  return correctionsCache.byKey;
}

/** Gives the book's new profiles their real seqs; returns the profiles and merges to store. */
export async function settleBook(db: D1Database, book: ProfileBook) {
  const changes = book.changes();
  const fresh = changes.upserted.filter((p) => p.seq < 0).map((p) => p.seq);
  const first = fresh.length > 0 ? await reserveProfileSeqs(db, fresh.length) : 0;
  const real = new Map(fresh.map((temp, i) => [temp, first + i]));
  const seqOf = (seq: number) => {
    const s = book.survivorOf(seq);
    return real.get(s) ?? s;
  };
  const upserted = changes.upserted.map((p) => ({ ...p, seq: seqOf(p.seq) }));
  const removed = new Map([...changes.removed].map(([gone, into]) => [gone, seqOf(into)]));
  const reattribute = [...changes.reattribute].map(seqOf).filter((s) => s > 0);
  return { upserted, removed, reattribute, created: fresh.length, profile: (seq: number) => ({ ...book.get(seq)!, seq: seqOf(seq) }) };
}

export interface ReattributeResult {
  /** Records whose stored attribution changed. */
  changed: number;
  read: number;
}

/**
 * Processes the records of a scope again from their raw form and writes those whose attribution
 * changed, with their totals, page by page (each page is one transaction).
 */
export async function reattributeRecords(
  db: D1Database,
  engine: Engine,
  corrections: ReadonlyMap<string, Correction>,
  scope: RecordScope,
  now: number,
): Promise<ReattributeResult> {
  if (!scope.all && scope.seqs.length === 0 && !scope.nonStatic) return { changed: 0, read: 0 };
  let after = "";
  let changed = 0;
  let read = 0;
  for (;;) {
    const rows = await listRecordsPage(db, scope, after, PAGE);
    if (rows.length === 0) break;
    read += rows.length;
    after = rows.at(-1)!.primary_key;
    const profiles = new Map((await listProfilesBySeqs(db, rows.map((r) => r.profile_seq))).map((p) => [p.seq, p]));
    const updates: { before: ProcessedRecord; after: ProcessedRecord; raw: RawRecord; derived: Derived }[] = [];
    for (const row of rows) {
      const profile = profiles.get(row.profile_seq);
      if (!profile) continue;
      const raw = rawOf(row);
      const derived = derivedOf(row);
      const before = toProcessed(row);
      const next = processRecord(engine, raw, profile, corrections.get(raw.primary_key), derived);
      if (!sameRecord(before, next)) updates.push({ before, after: next, raw, derived });
    }
    if (updates.length > 0) {
      await runInTransaction(db, recordWrites(db, updates.map((u) => ({ record: u.after, raw: u.raw, derived: u.derived })), totalsDeltas(updates), now));
      changed += updates.length;
    }
    if (rows.length < PAGE) break;
  }
  return { changed, read };
}

export interface LoadResult {
  digest: string;
  changed: boolean;
  loadedAt: number;
  profilesUpdated: number;
  profilesMerged: number;
  recordsReattributed: number;
}

const digestOf = (json: string) => sha256Hex(json);

/**
 * Puts a validated default_data in force: unless it is the one in force already (same digest),
 * the config's users become static profiles (merging what they take over), and the records whose
 * attribution the change can move are processed again. The version is recorded last, so a load
 * that fails half-way is simply done again by the next one.
 */
export async function loadDefaultData(db: D1Database, data: DefaultData, now: number): Promise<LoadResult> {
  const json = JSON.stringify(data);
  const digest = await digestOf(json);
  const current = await findConfigVersion(db, "default_data");
  if (current?.digest === digest) {
    return { digest, changed: false, loadedAt: current.loadedAt, profilesUpdated: 0, profilesMerged: 0, recordsReattributed: 0 };
  }
  const previous = current ? await currentEngine(db) : null;
  const engine = compileDefaultData(data);

  const keys = engine.users.flatMap((u) => profileKeys(u));
  const known = new Map([...(await listProfilesByKeys(db, keys)), ...(await listStaticProfiles(db))].map((p) => [p.seq, p]));
  const book = new ProfileBook(known.values());
  book.syncConfig(engine.users, engine.companies);
  const settled = await settleBook(db, book);
  await runInTransaction(db, profileWrites(db, settled.upserted, settled.removed, now));

  const everything = !previous || previous.fingerprints.releasesAndModules !== engine.fingerprints.releasesAndModules;
  const scope: RecordScope = everything
    ? { all: true }
    : {
        all: false,
        seqs: [...new Set([...settled.reattribute, ...settled.removed.values()])],
        nonStatic: previous.fingerprints.companies !== engine.fingerprints.companies,
      };
  const { changed } = await reattributeRecords(db, engine, await currentCorrections(db), scope, now);

  const result = {
    digest,
    changed: true,
    loadedAt: now,
    profilesUpdated: settled.upserted.length,
    profilesMerged: [...settled.removed.keys()].filter((s) => s > 0).length,
    recordsReattributed: changed,
  };
  await insertConfigVersion(db, { kind: "default_data", digest, json, summary: summaryOf(result), now });
  engineCache = { digest, engine };
  return result;
}

const summaryOf = (r: LoadResult) => ({
  profiles_updated: r.profilesUpdated,
  profiles_merged: r.profilesMerged,
  records_reattributed: r.recordsReattributed,
});

/** Puts corrections in force and processes again the records whose correction was added, changed or removed. */
export async function loadCorrections(db: D1Database, engine: Engine | null, corrections: Corrections, now: number): Promise<LoadResult> {
  const json = JSON.stringify(corrections);
  const digest = await digestOf(json);
  const current = await findConfigVersion(db, "corrections");
  if (current?.digest === digest) {
    return { digest, changed: false, loadedAt: current.loadedAt, profilesUpdated: 0, profilesMerged: 0, recordsReattributed: 0 };
  }
  const before = await currentCorrections(db);
  const after = indexCorrections(corrections);
  const touched = [...new Set([...before.keys(), ...after.keys()])].filter(
    (key) => JSON.stringify(before.get(key)) !== JSON.stringify(after.get(key)),
  );
  let changed = 0;
  if (engine) {
    const rows = await listRecordsByKeys(db, touched);
    const profiles = new Map((await listProfilesBySeqs(db, rows.map((r) => r.profile_seq))).map((p) => [p.seq, p]));
    const updates = rows.flatMap((row) => {
      const raw = rawOf(row);
      const derived = derivedOf(row);
      const prev = toProcessed(row);
      const next = processRecord(engine, raw, profiles.get(row.profile_seq)!, after.get(raw.primary_key), derived);
      return sameRecord(prev, next) ? [] : [{ before: prev, after: next, raw, derived }];
    });
    if (updates.length > 0) await runInTransaction(db, recordWrites(db, updates.map((u) => ({ record: u.after, raw: u.raw, derived: u.derived })), totalsDeltas(updates), now));
    changed = updates.length;
  }
  const result = { digest, changed: true, loadedAt: now, profilesUpdated: 0, profilesMerged: 0, recordsReattributed: changed };
  await insertConfigVersion(db, { kind: "corrections", digest, json, summary: summaryOf(result), now });
  correctionsCache = { digest, byKey: after };
  return result;
}

/**
 * Whom a record of this author at `seconds` would be credited to, without storing anything: the
 * same resolution as a record's, so an author the engine has never seen gets the company of the
 * email's domain, else `*independent`.
 */
export async function findAffiliation(db: D1Database, engine: Engine, author: Author, seconds: number) {
  const book = new ProfileBook(await listProfilesByKeys(db, authorKeys(author)));
  const profile: Profile = book.resolve(author, engine.companies);
  return {
    user_id: profile.user_id,
    user_name: profile.user_name,
    company_name: attributeCompany(profile, seconds, author.email, engine.companies),
  };
}
