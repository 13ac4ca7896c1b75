// Identity: which person an author (an email, a Launchpad, Gerrit, GitHub or Zanata id) is, and
// the merging of profiles that turn out to be one person. A ProfileBook holds the profiles one
// batch of work touches, makes every decision in memory, and reports what to write.
import type { Affiliation } from "./affiliation";
import { type CompanyIndex, INDEPENDENT, companyForEmail } from "./companies";

export interface Profile {
  /** Stable number of the profile; negative while the book has not had it stored yet. */
  seq: number;
  user_id: string;
  user_name: string;
  emails: string[];
  launchpad_id: string | null;
  gerrit_id: string | null;
  github_id: string | null;
  zanata_id: string | null;
  /** Normal form: sorted, open entry last (see normalizeAffiliations). */
  companies: Affiliation[];
  /** From the config: its affiliation is never overridden by a record's email domain. */
  static: boolean;
}

/** Who wrote a record, as the source knows it. */
export interface Author {
  email?: string | null;
  name?: string | null;
  launchpad_id?: string | null;
  gerrit_id?: string | null;
  github_id?: string | null;
  zanata_id?: string | null;
}

/** A config user ready to be stored (see compileDefaultData). */
export type ConfigProfile = Omit<Profile, "seq" | "static">;

const ID_FIELDS = ["launchpad_id", "gerrit_id", "github_id", "zanata_id"] as const;
type IdField = (typeof ID_FIELDS)[number];
const KEY_PREFIX: Record<IdField, string> = { launchpad_id: "launchpad:", gerrit_id: "gerrit:", github_id: "github:", zanata_id: "zanata:" };

export const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
export const idKey = (field: IdField, id: string) => `${KEY_PREFIX[field]}${id}`;

/** The lookup keys of an author, most specific first: email, then the account ids. */
export function authorKeys(author: Author): string[] {
  const keys = author.email ? [emailKey(author.email)] : [];
  for (const field of ID_FIELDS) if (author[field]) keys.push(idKey(field, author[field]!));
  return keys;
}

/** Every key that leads to a profile. */
export function profileKeys(p: Pick<Profile, "emails" | IdField>): string[] {
  return [...p.emails.map(emailKey), ...ID_FIELDS.flatMap((f) => (p[f] ? [idKey(f, p[f]!)] : []))];
}

/** Stackalytics' user_id: the Launchpad id, else the email, else a prefixed account id. */
export function userIdOf(author: Author): string {
  if (author.launchpad_id) return author.launchpad_id;
  if (author.email) return author.email.trim().toLowerCase();
  if (author.gerrit_id) return `gerrit:${author.gerrit_id}`;
  if (author.github_id) return `github:${author.github_id}`;
  if (author.zanata_id) return `zanata:${author.zanata_id}`;
  throw new Error("an author needs an email or an account id");
}

/** A profile for an author seen for the first time: one open company, from the email's domain. */
export function newProfile(seq: number, author: Author, index: CompanyIndex): Profile {
  const email = author.email ? author.email.trim().toLowerCase() : null;
  const fallbackName = author.launchpad_id ?? author.gerrit_id ?? author.github_id ?? author.zanata_id ?? email?.split("@")[0] ?? "";
  return {
    seq,
    user_id: userIdOf(author),
    user_name: author.name?.trim() || fallbackName,
    emails: email ? [email] : [],
    launchpad_id: author.launchpad_id ?? null,
    gerrit_id: author.gerrit_id ?? null,
    github_id: author.github_id ?? null,
    zanata_id: author.zanata_id ?? null,
    companies: [{ company_name: companyForEmail(index, email) ?? INDEPENDENT, end_date: 0 }],
    static: false,
  };
}

const onlyIndependent = (companies: readonly Affiliation[]) =>
  companies.every((c) => c.company_name === INDEPENDENT);

/** A made-up profile that only knows `*independent` takes the company of one of its emails. */
function upgradeIndependent(p: Profile, index: CompanyIndex): Profile {
  if (p.static || !onlyIndependent(p.companies)) return p;
  for (const email of p.emails) {
    const company = companyForEmail(index, email);
    if (company) return { ...p, companies: [{ company_name: company, end_date: 0 }] };
  }
  return p;
}

/** Survivor first: config profiles, then stored ones by seq, then new ones in creation order. */
const mergeRank = (p: Profile): [number, number, number] => [p.static ? 0 : 1, p.seq > 0 ? 0 : 1, Math.abs(p.seq)];
function byMergeRank(a: Profile, b: Profile): number {
  const [x, y] = [mergeRank(a), mergeRank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * One profile from several of the same person (Stackalytics' merge rules): the first non-empty
 * value of each field wins, in survivor order (the config's profile first); emails are unioned;
 * user_id is the config's, else the Launchpad id, else the survivor's; the company history is
 * the config's, else the first that is more than `*independent`.
 */
export function mergeProfiles(profiles: readonly Profile[], index: CompanyIndex): Profile {
  if (profiles.length === 0) throw new Error("nothing to merge");
  const ordered = [...profiles].sort(byMergeRank);
  const first = ordered[0]!;
  const pick = <K extends IdField | "user_name">(field: K) => ordered.find((p) => p[field])?.[field] ?? first[field];
  const launchpad_id = pick("launchpad_id");
  const companies = first.static ? first.companies : (ordered.find((p) => !onlyIndependent(p.companies)) ?? first).companies;
  return upgradeIndependent(
    {
      seq: first.seq,
      user_id: first.static ? first.user_id : (launchpad_id ?? first.user_id),
      user_name: pick("user_name"),
      emails: [...new Set(ordered.flatMap((p) => p.emails))],
      launchpad_id,
      gerrit_id: pick("gerrit_id"),
      github_id: pick("github_id"),
      zanata_id: pick("zanata_id"),
      companies,
      static: ordered.some((p) => p.static),
    },
    index,
  );
}

/** What a book decided: profiles to write, profiles merged away (seq → the seq they went to). */
export interface BookChanges {
  upserted: Profile[];
  removed: Map<number, number>;
  /** Profiles whose records must be re-attributed: merged into, or changed in user_id, company history or origin. */
  reattribute: Set<number>;
}

const attributionOf = (p: Profile) => JSON.stringify([p.user_id, p.user_name, p.companies, p.static]);

export class ProfileBook {
  private readonly bySeq = new Map<number, Profile>();
  private readonly byKey = new Map<string, number>();
  private readonly original = new Map<number, { full: string; attribution: string }>();
  private readonly removed = new Map<number, number>();
  private nextTemp = -1;

  constructor(profiles: Iterable<Profile>) {
    for (const p of profiles) {
      this.bySeq.set(p.seq, p);
      this.original.set(p.seq, { full: JSON.stringify(p), attribution: attributionOf(p) });
      for (const key of profileKeys(p)) if (!this.byKey.has(key)) this.byKey.set(key, p.seq);
    }
  }

  get(seq: number): Profile | undefined {
    return this.bySeq.get(this.survivorOf(seq));
  }

  /** Where a profile went: itself, or the profile it was merged into (transitively). */
  survivorOf(seq: number): number {
    let s = seq;
    for (let next = this.removed.get(s); next !== undefined; next = this.removed.get(s)) s = next;
    return s;
  }

  /** The distinct profiles behind some keys, in key order. */
  findByKeys(keys: readonly string[]): Profile[] {
    const seqs = new Set<number>();
    for (const key of keys) {
      const seq = this.byKey.get(key);
      if (seq !== undefined) seqs.add(this.survivorOf(seq));
    }
    return [...seqs].map((s) => this.bySeq.get(s)!);
  }

  private store(p: Profile): Profile {
    this.bySeq.set(p.seq, p);
    for (const key of profileKeys(p)) this.byKey.set(key, p.seq);
    return p;
  }

  private merge(found: readonly Profile[], index: CompanyIndex): Profile {
    if (found.length === 1) return found[0]!;
    const merged = mergeProfiles(found, index);
    for (const p of found) {
      if (p.seq !== merged.seq) {
        this.bySeq.delete(p.seq);
        this.removed.set(p.seq, merged.seq);
      }
    }
    return this.store(merged);
  }

  /**
   * The profile of an author, creating it or merging the profiles its keys lead to, and teaching
   * it the author's new email and ids. Two config profiles are never merged (the config says they
   * are two people): the one found by the most specific key is used.
   */
  resolve(author: Author, index: CompanyIndex): Profile {
    let found = this.findByKeys(authorKeys(author));
    if (found.filter((p) => p.static).length > 1) found = [found[0]!];
    if (found.length === 0) return this.store(newProfile(this.nextTemp--, author, index));
    const profile = this.merge(found, index);
    const learned: Profile = { ...profile };
    const email = author.email?.trim().toLowerCase();
    if (email && !learned.emails.includes(email) && !this.byKey.has(emailKey(email))) learned.emails = [...learned.emails, email];
    for (const field of ID_FIELDS) {
      const id = author[field];
      if (id && !learned[field] && !this.byKey.has(idKey(field, id))) learned[field] = id;
    }
    if (!learned.static && !profile.launchpad_id && learned.launchpad_id) learned.user_id = learned.launchpad_id;
    return this.store(upgradeIndependent(learned, index));
  }

  /**
   * Makes the config's users the book's static profiles: each takes over every profile its keys
   * lead to (unless that is another config user's), the config's fields win, emails learned from
   * records stay unless another config user lists them. Static profiles the config no longer has
   * become ordinary ones. The book must hold every static profile and every profile of a config key.
   */
  syncConfig(users: readonly ConfigProfile[], index: CompanyIndex): void {
    const ownerOfKey = new Map<string, string>();
    const configUserIds = new Set(users.map((u) => u.user_id));
    for (const u of users) for (const key of profileKeys(u)) ownerOfKey.set(key, u.user_id);
    const ownedByOther = (key: string, userId: string) => {
      const owner = ownerOfKey.get(key);
      return owner !== undefined && owner !== userId;
    };
    const synced = new Set<number>();

    for (const u of users) {
      const found = this.findByKeys(profileKeys(u));
      const mine = found.filter((p) => !(p.static && p.user_id !== u.user_id && configUserIds.has(p.user_id)));
      for (const other of found.filter((p) => !mine.includes(p))) {
        // Another config user's profile holds one of this user's keys: the key moves here.
        const keep = (key: string) => !(ownerOfKey.get(key) === u.user_id);
        this.replace({
          ...other,
          emails: other.emails.filter((e) => keep(emailKey(e))),
          ...Object.fromEntries(ID_FIELDS.map((f) => [f, other[f] && keep(idKey(f, other[f]!)) ? other[f] : null])),
        });
      }
      const base = mine.length > 0 ? this.merge(mine, index) : null;
      const learnedEmails = (base?.emails ?? []).filter((e) => !u.emails.includes(e) && !ownedByOther(emailKey(e), u.user_id));
      const learnedId = (field: IdField) => {
        const id = base?.[field];
        return id && !ownedByOther(idKey(field, id), u.user_id) ? id : null;
      };
      const profile: Profile = {
        seq: base?.seq ?? this.nextTemp--,
        user_id: u.user_id,
        user_name: u.user_name,
        emails: [...u.emails, ...learnedEmails],
        launchpad_id: u.launchpad_id ?? learnedId("launchpad_id"),
        gerrit_id: u.gerrit_id ?? learnedId("gerrit_id"),
        github_id: u.github_id ?? learnedId("github_id"),
        zanata_id: u.zanata_id ?? learnedId("zanata_id"),
        companies: u.companies,
        static: true,
      };
      this.replace(profile);
      synced.add(profile.seq);
    }
    for (const p of [...this.bySeq.values()]) {
      if (p.static && !synced.has(p.seq)) this.replace({ ...p, static: false });
    }
  }

  /** Replaces a profile, dropping the keys it no longer has. */
  private replace(p: Profile): void {
    const old = this.bySeq.get(p.seq);
    if (old) for (const key of profileKeys(old)) if (this.byKey.get(key) === p.seq) this.byKey.delete(key);
    this.store(p);
  }

  changes(): BookChanges {
    const upserted: Profile[] = [];
    const reattribute = new Set<number>();
    for (const p of this.bySeq.values()) {
      const before = this.original.get(p.seq);
      if (!before || before.full !== JSON.stringify(p)) upserted.push(p);
      if (before && before.attribution !== attributionOf(p)) reattribute.add(p.seq);
    }
    for (const [gone] of this.removed) {
      const survivor = this.survivorOf(gone);
      if (this.original.has(gone) || this.original.has(survivor)) reattribute.add(survivor);
    }
    return { upserted, removed: new Map([...this.removed].map(([gone]) => [gone, this.survivorOf(gone)])), reattribute };
  }
}

