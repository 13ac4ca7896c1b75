// Storing records: each author resolved to a profile, each record attributed, and what the records
// change in others found and applied, all in one transaction with the totals, so that a batch is
// stored whole or not at all. Post-processing looks only at what the batch touches: the commits
// of a review that merged (their date), the reviews whose votes it adds (disagreements), the
// reviews of someone who just became a core reviewer, the blueprints it mentions.
import type { RawRecord } from "../../schemas/contrib/records";
import {
  type CoreKey,
  type RecordRow,
  commitReleaseWrites,
  coreMarkWrites,
  derivedOf,
  listCommitReleases,
  listCoreMarks,
  listProfilesBySeqs,
  listProfilesByKeys,
  listRecordsByKeys,
  listRefTargets,
  listReviewsVotedOn,
  mentionWrites,
  profileWrites,
  rawOf,
  recordWrites,
  refWrites,
  runInTransaction,
  toProcessed,
} from "../db/contrib";
import type { Engine } from "../domain/contrib/engine";
import { canonicalModule } from "../domain/contrib/modules";
import {
  type Vote,
  blueprintOf,
  commitRef,
  findDisagreements,
  isCoreVote,
  mergeDateOf,
  refsOf,
  reviewRef,
} from "../domain/contrib/post-process";
import { type Profile, ProfileBook, authorKeys } from "../domain/contrib/profiles";
import { type Derived, type ProcessedRecord, authorOf, processRecord, sameRecord, totalsDeltas } from "../domain/contrib/records";
import { currentCorrections, reattributeRecords, settleBook } from "./sync";

export interface IngestResult {
  added: number;
  updated: number;
  unchanged: number;
  profilesCreated: number;
  profilesMerged: number;
  /** Stored records of merged or changed profiles that moved with them. */
  recordsReattributed: number;
  /** Records other than those given whose post-processed fields changed (commits that merged, flagged votes). */
  recordsPostProcessed: number;
}

export interface IngestOptions {
  /** Statements that must commit with the records or not at all (a processor step's cursor and claim). */
  alongside?: D1PreparedStatement[];
  /** Commit id → release, from a repo's tag ranges: stored, and applied to the commits (stored or to come). */
  commitReleases?: { sourceId: string; releases: ReadonlyMap<string, string> };
}

/** A record in the batch's working set: as the source gave it, what was derived for it, who it is. */
interface Item {
  raw: RawRecord;
  derived: Derived;
  seq: number;
  /** A given record's profile as the batch's book knows it (new profiles have temporary seqs there). */
  bookSeq?: number;
  /** As stored before this batch; null for a new record. */
  before: ProcessedRecord | null;
  /** Given in this batch (not just touched by it). */
  given: boolean;
}

const withDerived = (d: Derived, key: keyof Derived, value: Derived[keyof Derived] | undefined): Derived => {
  const next = { ...d };
  if (value === undefined || value === false) delete next[key];
  else (next as Record<string, unknown>)[key] = value;
  return next;
};

/** A commit seen again on another branch keeps the branches it was seen on before. */
function mergeWithStored(raw: RawRecord, stored: RawRecord | undefined): RawRecord {
  if (raw.record_type !== "commit" || !stored?.branches) return raw;
  const branches = [...new Set([...stored.branches, ...(raw.branches ?? [])])];
  return branches.length === (raw.branches ?? []).length ? raw : { ...raw, branches };
}

/**
 * Stores records: resolves each author to a profile (creating and merging profiles as the keys
 * say), attributes the record, post-processes what the batch touches, and writes records,
 * profiles, totals, links and `options.alongside` in one transaction; then re-attributes the
 * stored records of profiles that were merged or changed by what was learned.
 */
export async function ingestRecords(db: D1Database, engine: Engine, raws: readonly RawRecord[], now: number, options: IngestOptions = {}): Promise<IngestResult> {
  const corrections = await currentCorrections(db);
  const authors = raws.map(authorOf);
  const book = new ProfileBook(await listProfilesByKeys(db, authors.flatMap(authorKeys)));
  const seqs = authors.map((a) => book.resolve(a, engine.companies).seq);
  const settled = await settleBook(db, book);

  const rows = new Map((await listRecordsByKeys(db, raws.map((r) => r.primary_key))).map((row) => [row.primary_key, row]));
  const items = new Map<string, Item>();
  raws.forEach((given, i) => {
    const row = rows.get(given.primary_key);
    items.set(given.primary_key, {
      raw: mergeWithStored(given, row ? rawOf(row) : undefined),
      // A blueprint starts with no mentions, in the place processing puts them (so the mention
      // counts written by SQL later replace them in place and the record reads back the same).
      derived: row ? derivedOf(row) : blueprintOf(given) ? { mention_count: 0, mention_date: 0 } : {},
      seq: settled.profile(seqs[i]!).seq,
      bookSeq: seqs[i]!,
      before: row ? toProcessed(row) : null,
      given: true,
    });
  });
  const storedRaw = new Map([...rows].map(([key, row]) => [key, rawOf(row)]));
  const changed = [...items.values()].filter((item) => !item.before || JSON.stringify(storedRaw.get(item.raw.primary_key)) !== JSON.stringify(item.raw));

  const links = linkChanges(changed, storedRaw);
  const survivor = (seq: number) => settled.profile(seq).seq;
  await applyCommitReleases(db, items, changed, options.commitReleases?.releases ?? new Map(), survivor);
  const coreMarks = await postProcess(db, engine, items, changed, survivor);

  // Profiles of records that were not given: stored ones, unless the book holds them already.
  const outside = [...items.values()].filter((i) => !i.given).map((i) => i.seq);
  const loaded = new Map((await listProfilesBySeqs(db, outside.filter((s) => !book.get(s)))).map((p) => [p.seq, p]));
  const profileOf = (item: Item): Profile | undefined =>
    item.bookSeq !== undefined ? settled.profile(item.bookSeq) : book.get(item.seq) ? settled.profile(item.seq) : loaded.get(item.seq);

  const updates: { before: ProcessedRecord | null; after: ProcessedRecord; raw: RawRecord; derived: Derived; given: boolean }[] = [];
  for (const item of items.values()) {
    const profile = profileOf(item);
    if (!profile) continue;
    const after = processRecord(engine, item.raw, profile, corrections.get(item.raw.primary_key), item.derived);
    if (!sameRecord(item.before, after)) updates.push({ before: item.before, after, raw: item.raw, derived: item.derived, given: item.given });
  }
  await runInTransaction(db, [
    ...profileWrites(db, settled.upserted, settled.removed, now),
    ...recordWrites(db, updates.map((u) => ({ record: u.after, raw: u.raw, derived: u.derived })), totalsDeltas(updates), now),
    ...refWrites(db, links.dropped, links.added),
    ...coreMarkWrites(db, coreMarks),
    ...mentionWrites(db, [...links.blueprints]),
    ...(options.commitReleases ? commitReleaseWrites(db, options.commitReleases.sourceId, options.commitReleases.releases) : []),
    ...(options.alongside ?? []),
  ]);
  const moved = await reattributeRecords(
    db,
    engine,
    corrections,
    { all: false, seqs: [...new Set([...settled.reattribute, ...[...settled.removed].filter(([gone]) => gone > 0).map(([, into]) => into)])], nonStatic: false },
    now,
  );
  const given = updates.filter((u) => u.given);
  return {
    added: given.filter((u) => u.before === null).length,
    updated: given.filter((u) => u.before !== null).length,
    unchanged: raws.length === 0 ? 0 : new Set(raws.map((r) => r.primary_key)).size - given.length,
    profilesCreated: settled.created,
    profilesMerged: [...settled.removed.keys()].filter((s) => s > 0).length,
    recordsReattributed: moved.changed,
    recordsPostProcessed: updates.length - given.length,
  };
}

/** The links that changed records stop and start making, and the blueprints whose mentions move. */
function linkChanges(changed: readonly Item[], storedRaw: ReadonlyMap<string, RawRecord>) {
  const dropped: { ref: string; primary_key: string }[] = [];
  const added: { ref: string; primary_key: string }[] = [];
  const blueprints = new Set<string>();
  for (const item of changed) {
    const key = item.raw.primary_key;
    const old = storedRaw.get(key);
    const before = new Set(old ? refsOf(old) : []);
    const after = new Set(refsOf(item.raw));
    for (const ref of before) if (!after.has(ref)) dropped.push({ ref, primary_key: key });
    for (const ref of after) if (!before.has(ref)) added.push({ ref, primary_key: key });
    for (const ref of [...before, ...after]) if (ref.startsWith("bp:")) blueprints.add(ref.slice(3));
    const bp = blueprintOf(item.raw);
    if (bp) blueprints.add(bp);
  }
  return { dropped, added, blueprints };
}

/** Adds stored records to the working set (as not given), unless they are in it. */
function addStored(items: Map<string, Item>, rows: readonly RecordRow[], survivor: (seq: number) => number): void {
  for (const row of rows) {
    if (items.has(row.primary_key)) continue;
    items.set(row.primary_key, { raw: rawOf(row), derived: derivedOf(row), seq: survivor(row.profile_seq), before: toProcessed(row), given: false });
  }
}

/** Loads the records some refs lead to into the working set; returns ref → primary keys. */
async function follow(db: D1Database, items: Map<string, Item>, refs: readonly string[], survivor: (seq: number) => number) {
  const targets = await listRefTargets(db, refs);
  const missing = targets.map((t) => t.primary_key).filter((k) => !items.has(k));
  addStored(items, await listRecordsByKeys(db, missing), survivor);
  const byRef = new Map<string, Set<string>>();
  const link = (ref: string, key: string) => {
    let keys = byRef.get(ref);
    if (!keys) byRef.set(ref, (keys = new Set()));
    keys.add(key);
  };
  for (const t of targets) link(t.ref, t.primary_key);
  // Records of this batch link too, before their links are stored.
  const wanted = new Set(refs);
  for (const item of items.values()) for (const ref of refsOf(item.raw)) if (wanted.has(ref)) link(ref, item.raw.primary_key);
  return new Map([...byRef].map(([ref, keys]) => [ref, [...keys]]));
}

/**
 * Commits take the release their repo's tag ranges give them: those a tag-range source just listed
 * (found through their `commit:` links), and the batch's own commits by the ranges listed before.
 */
async function applyCommitReleases(
  db: D1Database,
  items: Map<string, Item>,
  changed: readonly Item[],
  listed: ReadonlyMap<string, string>,
  survivor: (seq: number) => number,
): Promise<void> {
  if (listed.size > 0) await follow(db, items, [...listed.keys()].map(commitRef), survivor);
  const ids = changed.filter((i) => i.raw.record_type === "commit" && i.raw.commit_id && !listed.has(i.raw.commit_id)).map((i) => i.raw.commit_id!);
  const known = new Map([...(await listCommitReleases(db, ids)), ...listed]);
  if (known.size === 0) return;
  for (const item of items.values()) {
    const release = item.raw.record_type === "commit" && item.raw.commit_id ? known.get(item.raw.commit_id) : undefined;
    if (release !== undefined) item.derived = withDerived(item.derived, "release", release);
  }
}

/**
 * Decides what the batch changes in post-processed fields (commit dates from merged reviews,
 * disagreement flags) and in core reviewers, adding the records it touches to `items`.
 */
async function postProcess(
  db: D1Database,
  engine: Engine,
  items: Map<string, Item>,
  changed: readonly Item[],
  survivor: (seq: number) => number,
): Promise<(CoreKey & { last_date: number })[]> {
  const moduleOf = (raw: RawRecord) => canonicalModule(engine.moduleAliases, raw.module);

  // Merge dates: commits and the reviews they carry the Change-Id of, whichever came first. A
  // commit seen on several branches counts from the earliest merge among them, so every branch it
  // links to is looked at before its date is decided.
  const changeRefsOf = (i: Item) => refsOf(i.raw).filter((r) => r.startsWith("change:"));
  const changeRefs = changed.filter((i) => i.raw.record_type === "commit" || i.raw.record_type === "review").flatMap(changeRefsOf);
  if (changeRefs.length > 0) {
    const byRef = await follow(db, items, changeRefs, survivor);
    const commits = [...new Set([...byRef.values()].flat())].map((k) => items.get(k)!).filter((i) => i?.raw.record_type === "commit");
    const more = [...new Set(commits.flatMap(changeRefsOf))].filter((r) => !byRef.has(r));
    for (const [ref, keys] of await follow(db, items, more, survivor)) byRef.set(ref, keys);
    for (const commit of commits) {
      const dates = changeRefsOf(commit).flatMap((ref) => {
        const date = mergeDateOf((byRef.get(ref) ?? []).map((k) => items.get(k)?.raw).filter((r): r is RawRecord => r !== undefined));
        return date === undefined ? [] : [date];
      });
      commit.derived = withDerived(commit.derived, "date", dates.length > 0 ? Math.min(...dates) : undefined);
    }
  }

  // Core reviewers: the newest ±2 per (person, module, branch); someone new to a module's cores
  // has their earlier votes there looked at again.
  const newest = new Map<string, CoreKey & { last_date: number }>();
  for (const item of changed) {
    if (!isCoreVote(item.raw) || !item.raw.branch) continue;
    const key: CoreKey = { profile_seq: item.seq, module: moduleOf(item.raw), branch: item.raw.branch };
    const id = JSON.stringify(key);
    const at = newest.get(id);
    if (!at || at.last_date < item.raw.date) newest.set(id, { ...key, last_date: item.raw.date });
  }
  const coreMarks = [...newest.values()];
  const known = new Set((await listCoreMarks(db, coreMarks)).map((c) => JSON.stringify({ profile_seq: c.profile_seq, module: c.module, branch: c.branch })));
  const newcomers = coreMarks.filter((c) => !known.has(JSON.stringify({ profile_seq: c.profile_seq, module: c.module, branch: c.branch })));

  // Disagreements: every review a changed vote belongs to, and those a newcomer voted on.
  const reviews = new Set(changed.filter((i) => i.raw.record_type === "mark" && i.raw.review_id).map((i) => i.raw.review_id!));
  for (const review of await listReviewsVotedOn(db, newcomers)) reviews.add(review);
  if (reviews.size > 0) {
    const byRef = await follow(db, items, [...reviews].map(reviewRef), survivor);
    const votesByReview = [...byRef.values()].map((keys) => keys.map((k) => items.get(k)!).filter((i) => i?.raw.record_type === "mark"));
    const voters = votesByReview.flat().map((i) => ({ profile_seq: i.seq, module: moduleOf(i.raw), branch: i.raw.branch ?? "" }));
    const cores = new Set([...(await listCoreMarks(db, voters)), ...coreMarks].map((c) => JSON.stringify([c.profile_seq, c.module, c.branch])));
    for (const votes of votesByReview) {
      const asVotes: Vote[] = votes.map((i) => ({ primary_key: i.raw.primary_key, patch: i.raw.patch ?? 0, date: i.raw.date, value: i.raw.value ?? 0, type: i.raw.type ?? "", voter: i.seq }));
      const first = votes[0];
      if (!first) continue;
      const flags = findDisagreements(asVotes, (voter) => cores.has(JSON.stringify([voter, moduleOf(first.raw), first.raw.branch ?? ""])));
      for (const item of votes) {
        const flag = flags.get(item.raw.primary_key);
        if (flag !== undefined) item.derived = withDerived(item.derived, "disagreement", flag);
      }
    }
  }
  return coreMarks;
}
