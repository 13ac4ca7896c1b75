// A stored profile in the shape of Stackalytics' /api/1.0/users/<user_id>.
import type { UserProfile } from "../../../schemas/contrib/api";
import { companyAt } from "./affiliation";
import type { Profile } from "./profiles";

/**
 * `nowSeconds` picks the current company for the link; `core` is the (module, branch) pairs where
 * the person is a core reviewer (a ±2 within 90 days), as the processor found them.
 */
export function toUserProfile(p: Profile, nowSeconds: number, core: readonly [string, string][] = []): UserProfile {
  const current = companyAt(p.companies, nowSeconds).company_name;
  const ids = Object.fromEntries((["launchpad_id", "gerrit_id", "github_id", "zanata_id"] as const).flatMap((f) => (p[f] ? [[f, p[f]]] : [])));
  return {
    seq: p.seq,
    user_id: p.user_id,
    user_name: p.user_name,
    emails: [...p.emails],
    companies: p.companies.map((c) => ({ company_name: c.company_name, end_date: c.end_date })),
    ...ids,
    core: core.map(([module, branch]) => [module, branch] as [string, string]),
    static: p.static,
    id: p.user_id,
    text: p.user_name,
    company_link: { uri: `/?company=${encodeURIComponent(current)}`, title: current },
  };
}
