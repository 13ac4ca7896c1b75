// One activity record through the engine: its person, company and release on its date, its
// module under its current name, and the corrections an operator made to it.
import { CORRECTABLE_FIELDS, type Correction } from "../../../schemas/contrib/corrections";
import type { RawRecord, RecordType } from "../../../schemas/contrib/records";
import { attributeCompany } from "./affiliation";
import { ROBOTS } from "./companies";
import type { Engine } from "./engine";
import { MEASURES, type Measures, measuresOf, zeroMeasures } from "./metrics";
import { canonicalModule } from "./modules";
import type { Author, Profile } from "./profiles";
import { releaseAt } from "./releases";
import { dayOf, weekOf } from "./time";

/** A record as stored: the columns aggregates group by, and every field in `fields`. */
export interface ProcessedRecord {
  primary_key: string;
  record_type: RecordType;
  date: number;
  day: number;
  week: number;
  profile_seq: number;
  user_id: string;
  author_name: string;
  author_email: string | null;
  company_name: string;
  release: string;
  module: string;
  loc: number;
  /** The whole record after attribution and corrections, as the activity API will show it. */
  fields: Record<string, unknown>;
}

/**
 * What post-processing learned about a record from other records, applied whenever the record is
 * processed: a commit counts when its review merged (`date`), a mark contradicted by a later core
 * reviewer's vote (`disagreement`), how often and when last a blueprint was mentioned.
 */
export interface Derived {
  date?: number;
  /** A commit's release by its repo's tag ranges, as a forge listed them. */
  release?: string;
  disagreement?: boolean;
  mention_count?: number;
  mention_date?: number;
}

export const authorOf = (raw: RawRecord): Author => ({
  email: raw.author_email ?? null,
  name: raw.author_name ?? null,
  launchpad_id: raw.launchpad_id ?? null,
  gerrit_id: raw.gerrit_id ?? null,
  github_id: raw.github_id ?? null,
  zanata_id: raw.zanata_id ?? null,
});

/**
 * Attributes a record to its profile's person and company at the record's date (a commit's merge
 * date when post-processing found one), then overlays its correction.
 */
export function processRecord(engine: Engine, raw: RawRecord, profile: Profile, correction?: Correction, derived: Derived = {}): ProcessedRecord {
  const email = raw.author_email?.trim().toLowerCase() ?? null;
  const date = derived.date ?? raw.date;
  const fields: Record<string, unknown> = {
    ...raw,
    ...derived,
    ...(date !== raw.date ? { commit_date: raw.date } : {}),
    author_email: email,
    author_name: raw.author_name?.trim() || profile.user_name,
    module: canonicalModule(engine.moduleAliases, raw.module),
    loc: raw.loc ?? 0,
    user_id: profile.user_id,
    user_name: profile.user_name,
    company_name: attributeCompany(profile, date, email, engine.companies),
    release: raw.release?.toLowerCase() ?? derived.release ?? releaseAt(engine.releases, date) ?? "",
  };
  if (correction) {
    for (const field of CORRECTABLE_FIELDS) if (correction[field] !== undefined) fields[field] = correction[field];
    fields.correction_comment = correction.correction_comment;
  }
  return {
    primary_key: raw.primary_key,
    record_type: raw.record_type,
    date,
    day: dayOf(date),
    week: weekOf(date),
    profile_seq: profile.seq,
    user_id: String(fields.user_id),
    author_name: String(fields.author_name),
    author_email: (fields.author_email as string | null) ?? null,
    company_name: String(fields.company_name),
    release: String(fields.release),
    module: String(fields.module),
    loc: Number(fields.loc),
    fields,
  };
}

/** A repo's tag range named so makes its commits disappear from the statistics (Stackalytics' rule). */
export const IGNORED_RELEASE = "ignored";

/**
 * Whether a record counts in the totals. Commits of `*robots` (CI bots' merges) and commits in an
 * `ignored` tag range do not; they are kept, so that a change of the config can make them count.
 */
export const isCounted = (r: Pick<ProcessedRecord, "record_type" | "company_name" | "release">) =>
  !(r.record_type === "commit" && (r.company_name === ROBOTS || r.release === IGNORED_RELEASE));

/** The grouping key of the daily totals, and what one record adds to it (MEASURES). */
export type TotalsDelta = {
  day: number;
  release: string;
  module: string;
  company_name: string;
  user_id: string;
  record_type: string;
} & Measures;

const totalsKey = (r: Pick<TotalsDelta, "day" | "release" | "module" | "company_name" | "user_id" | "record_type">) =>
  JSON.stringify([r.day, r.release, r.module, r.company_name, r.user_id, r.record_type]);

/**
 * The net change of the daily totals when records change from `before` to `after` (null: absent).
 * Keys whose change is zero are left out, so re-processing an unchanged record writes nothing.
 */
export function totalsDeltas(changes: readonly { before: ProcessedRecord | null; after: ProcessedRecord | null }[]): TotalsDelta[] {
  const out = new Map<string, TotalsDelta>();
  const add = (r: ProcessedRecord, sign: 1 | -1) => {
    const key = totalsKey(r);
    let d = out.get(key);
    if (!d) out.set(key, (d = { day: r.day, release: r.release, module: r.module, company_name: r.company_name, user_id: r.user_id, record_type: r.record_type, ...zeroMeasures() }));
    const m = measuresOf(r);
    for (const measure of MEASURES) d[measure] += sign * m[measure];
  };
  for (const { before, after } of changes) {
    if (before && isCounted(before)) add(before, -1);
    if (after && isCounted(after)) add(after, 1);
  }
  return [...out.values()].filter((d) => MEASURES.some((m) => d[m] !== 0));
}

/** Whether two versions of a record would be stored the same. */
export const sameRecord = (a: ProcessedRecord | null, b: ProcessedRecord | null) =>
  a === b || (a !== null && b !== null && a.profile_seq === b.profile_seq && JSON.stringify(a.fields) === JSON.stringify(b.fields));
