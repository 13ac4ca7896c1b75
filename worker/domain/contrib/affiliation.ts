// A person's company on a date, from a dated affiliation history.
import { type ConfigUser, parseConfigDate } from "../../../schemas/contrib/default-data";
import { type CompanyIndex, INDEPENDENT, ROBOTS, companyForEmail, resolveCompanyName } from "./companies";

export interface Affiliation {
  company_name: string;
  /** Seconds of midnight UTC of the end date (the first day no longer at this company); 0 = open. */
  end_date: number;
}

/**
 * A history in Stackalytics' normal form: names resolved to their canonical company (aliases
 * allowed in user entries), sorted by end date with the open entry last, neighbours at the same
 * company collapsed into one (keeping the later end), and an open `*independent` appended when
 * every entry has ended.
 */
export function normalizeAffiliations(entries: readonly { company_name: string; end_date: number }[], index: CompanyIndex): Affiliation[] {
  const sorted = entries
    .map((e) => ({ company_name: resolveCompanyName(index, e.company_name), end_date: e.end_date }))
    .sort((a, b) => (a.end_date === 0 ? Infinity : a.end_date) - (b.end_date === 0 ? Infinity : b.end_date));
  const out: Affiliation[] = [];
  for (const entry of sorted) {
    const last = out.at(-1);
    if (last && last.company_name === entry.company_name) last.end_date = entry.end_date;
    else out.push({ ...entry });
  }
  if (out.length === 0 || out.at(-1)!.end_date !== 0) out.push({ company_name: INDEPENDENT, end_date: 0 });
  return out;
}

/** A config user's `companies` in normal form. */
export function affiliationsOfConfigUser(user: Pick<ConfigUser, "companies">, index: CompanyIndex): Affiliation[] {
  return normalizeAffiliations(
    user.companies.map((c) => ({ company_name: c.company_name, end_date: c.end_date === null ? 0 : parseConfigDate(c.end_date)! })),
    index,
  );
}

export interface AffiliationMatch {
  company_name: string;
  /** true when no dated entry covered the time and the open (current) entry was used. */
  open: boolean;
}

/** The first entry that ends after `seconds` (strict), else the open one. */
export function companyAt(history: readonly Affiliation[], seconds: number): AffiliationMatch {
  for (const entry of history) {
    if (entry.end_date !== 0 && seconds < entry.end_date) return { company_name: entry.company_name, open: false };
  }
  return { company_name: history.at(-1)?.company_name ?? INDEPENDENT, open: true };
}

/**
 * The company a record of this person at `seconds`, written from `email`, is credited to. A
 * profile that did not come from the config (the engine made it up from an email) follows the
 * record's email domain in its open interval: a person seen at two employers is credited to each.
 * A config profile is never overridden, and neither is `*robots`.
 */
export function attributeCompany(
  profile: { companies: readonly Affiliation[]; static: boolean },
  seconds: number,
  email: string | null | undefined,
  index: CompanyIndex,
): string {
  const match = companyAt(profile.companies, seconds);
  if (match.open && !profile.static && match.company_name !== ROBOTS) {
    return companyForEmail(index, email) ?? match.company_name;
  }
  return match.company_name;
}
