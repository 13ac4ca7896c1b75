// Where each contribution report page lives, so that other pages (and the reports themselves) can
// link to them. Values in a path are encoded: a record's key may hold slashes, a company spaces.

const enc = encodeURIComponent;

/** `?a=1&b=2` of the values given (empty ones left out), or "" when there are none. */
export function queryString(params: Readonly<Record<string, string | number | undefined | null>>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") query.set(key, String(value));
  const text = query.toString();
  return text ? `?${text}` : "";
}

export const REPORTS_BASE = "/contrib/reports";

export const reportPaths = {
  activity: (filters: Record<string, string> = {}) => `${REPORTS_BASE}/activity${queryString(filters)}`,
  user: (userId: string) => `${REPORTS_BASE}/users/${enc(userId)}`,
  company: (company: string) => `${REPORTS_BASE}/companies/${enc(company)}`,
  openReviews: (module: string) => `${REPORTS_BASE}/open-reviews/${enc(module)}`,
  reviewReport: (module: string, days: number) => `${REPORTS_BASE}/contribution/${enc(module)}/${days}`,
  cores: (projectType?: string) => `${REPORTS_BASE}/cores${queryString({ project_type: projectType })}`,
  affiliationChanges: () => `${REPORTS_BASE}/affiliation-changes`,
  blueprint: (module: string, name: string) => `${REPORTS_BASE}/blueprint/${enc(module)}/${enc(name)}`,
  record: (primaryKey: string) => `${REPORTS_BASE}/record/${enc(primaryKey)}`,
  largeCommits: () => `${REPORTS_BASE}/large-commits`,
  singlePlusTwo: () => `${REPORTS_BASE}/single-plus-two-reviews`,
};
