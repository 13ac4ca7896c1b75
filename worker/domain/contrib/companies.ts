// Companies: an email's domain → company, and any spelling of a company's name → its canonical name.
import { INDEPENDENT, ROBOTS, normalizeCompanyName } from "../../../schemas/contrib/company-name";
import type { ConfigCompany } from "../../../schemas/contrib/default-data";

export { INDEPENDENT, ROBOTS, normalizeCompanyName };

export interface CompanyIndex {
  /** domain → canonical company name */
  byDomain: ReadonlyMap<string, string>;
  /** normalised name or alias → canonical company name */
  byName: ReadonlyMap<string, string>;
}

/**
 * One index over domains, normalised aliases and normalised names. `*independent` and `*robots`
 * are always in it. A later company does not take a key an earlier one holds.
 */
export function buildCompanyIndex(companies: readonly ConfigCompany[]): CompanyIndex {
  const byDomain = new Map<string, string>();
  const byName = new Map<string, string>();
  const add = (map: Map<string, string>, key: string, name: string) => {
    if (key !== "" && !map.has(key)) map.set(key, name);
  };
  for (const company of companies) {
    for (const domain of company.domains) add(byDomain, domain.toLowerCase(), company.company_name);
    add(byName, normalizeCompanyName(company.company_name), company.company_name);
    for (const alias of company.aliases ?? []) add(byName, normalizeCompanyName(alias), company.company_name);
  }
  add(byName, normalizeCompanyName(INDEPENDENT), INDEPENDENT);
  add(byName, normalizeCompanyName(ROBOTS), ROBOTS);
  return { byDomain, byName };
}

/**
 * The company of an email's domain, trying its suffixes from the longest down to two labels:
 * `a@mxw.nes.nec.co.jp` tries mxw.nes.nec.co.jp, nes.nec.co.jp, nec.co.jp and co.jp, never jp.
 */
export function companyForEmail(index: CompanyIndex, email: string | null | undefined): string | null {
  const at = email?.lastIndexOf("@") ?? -1;
  if (!email || at < 0) return null;
  const labels = email.slice(at + 1).toLowerCase().split(".");
  for (let i = 0; labels.length - i >= 2; i++) {
    const company = index.byDomain.get(labels.slice(i).join("."));
    if (company) return company;
  }
  return null;
}

/**
 * The canonical name of a free-text company name (an alias, another spelling), or else the text
 * itself with commas as spaces and whitespace collapsed (Stackalytics' "draft").
 */
export function resolveCompanyName(index: CompanyIndex, text: string): string {
  return index.byName.get(normalizeCompanyName(text)) ?? text.replaceAll(",", " ").replace(/\s+/g, " ").trim();
}
