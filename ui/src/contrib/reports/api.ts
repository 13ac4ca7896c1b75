// The `/api/1.0` answers the report pages read: their URLs and types. Types come from schemas/ as
// type-only imports, so zod stays out of the browser bundle.
import type { z } from "zod";
import type { UserProfile } from "../../../../schemas/contrib/api";
import type { ActivityRecord } from "../../../../schemas/contrib/reports";
import type { AffiliationChangesResponseSchema, CompanyResponseSchema, ContributionResponseSchema } from "../../../../schemas/contrib/stats";
import { queryString } from "./paths";

export type {
  BlueprintReport,
  ContributionReport,
  CoresReport,
  LargeCommit,
  OpenReview,
  OpenReviewsReport,
  PunchCard,
  RecordReport,
  ReviewEngineer,
  SinglePlusTwoReview,
  WaitingGroup,
} from "../../../../schemas/contrib/reports";
export type { ActivityRecord, UserProfile };
export type Contribution = z.infer<typeof ContributionResponseSchema>["contribution"];
export type AffiliationChange = z.infer<typeof AffiliationChangesResponseSchema>["affiliation_changes"][number];
export type ActivityPage = { activity: ActivityRecord[] };
export type Company = z.infer<typeof CompanyResponseSchema>["company"];

/** The common filters of `/api/1.0` that a report page passes on from its own URL. */
export const FILTER_PARAMS = ["release", "project_type", "module", "company", "user_id", "metric", "start_date", "end_date"] as const;

/** The filters among a page's query parameters, with some set or replaced. */
export function filtersOf(query: Readonly<Record<string, string>>, set: Record<string, string | number | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of FILTER_PARAMS) if (query[key]) out[key] = query[key];
  for (const [key, value] of Object.entries(set)) {
    if (value === undefined || value === "") delete out[key];
    else out[key] = String(value);
  }
  return out;
}

const API = "/api/1.0";
const enc = encodeURIComponent;
type Params = Readonly<Record<string, string | number | undefined>>;

export const reportApi = {
  activity: (params: Params) => `${API}/activity${queryString(params)}`,
  contribution: (params: Params) => `${API}/contribution${queryString(params)}`,
  user: (userId: string) => `${API}/users/${enc(userId)}`,
  company: (name: string) => `${API}/companies/${enc(name)}`,
  punchCard: (params: Params) => `${API}/reports/punch_card${queryString(params)}`,
  openReviews: (module: string, params: Params) => `${API}/reports/reviews/${enc(module)}/open${queryString(params)}`,
  reviewReport: (module: string, days: number | string, params: Params) => `${API}/reports/contribution/${enc(module)}/${days}${queryString(params)}`,
  cores: (params: Params) => `${API}/reports/cores${queryString(params)}`,
  affiliationChanges: (params: Params) => `${API}/affiliation_changes${queryString(params)}`,
  blueprint: (module: string, name: string) => `${API}/reports/blueprint/${enc(module)}/${enc(name)}`,
  record: (primaryKey: string) => `${API}/reports/record/${enc(primaryKey)}`,
  largeCommits: (params: Params) => `${API}/reports/large_commits${queryString(params)}`,
  singlePlusTwo: (params: Params) => `${API}/reports/single_plus_two_reviews${queryString(params)}`,
};
