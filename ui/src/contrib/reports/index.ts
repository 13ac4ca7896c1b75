// The contribution report pages (reference §4.2) as a route table for the dashboard's router: each
// page is loaded when first visited, and reads its parameters from the URL (the path's, and the
// filters of /api/1.0 in its query: release, project_type, module, company, user_id, …).
import type { ComponentType } from "preact";

export { REPORTS_BASE, reportPaths } from "./paths";

export type ContribReportRoute = { path: string; title: string; load: () => Promise<{ default: ComponentType }> };

export const CONTRIB_REPORT_ROUTES: ContribReportRoute[] = [
  { path: "/contrib/reports/activity", title: "Activity", load: () => import("./activity") },
  { path: "/contrib/reports/users/:user_id", title: "User activity", load: () => import("./user-activity") },
  { path: "/contrib/reports/companies/:company", title: "Company activity", load: () => import("./company-activity") },
  { path: "/contrib/reports/open-reviews/:module", title: "Open reviews", load: () => import("./open-reviews") },
  { path: "/contrib/reports/contribution/:module/:days", title: "Review report", load: () => import("./review-report") },
  { path: "/contrib/reports/cores", title: "Core reviewers", load: () => import("./cores") },
  { path: "/contrib/reports/affiliation-changes", title: "Affiliation changes", load: () => import("./affiliation-changes") },
  { path: "/contrib/reports/blueprint/:module/:name", title: "Blueprint", load: () => import("./blueprint") },
  // A record's key may hold slashes: the rest of the path is the key.
  { path: "/contrib/reports/record/:primary_key+", title: "Record", load: () => import("./record") },
  { path: "/contrib/reports/large-commits", title: "Large commits", load: () => import("./large-commits") },
  { path: "/contrib/reports/single-plus-two-reviews", title: "Single +2 reviews", load: () => import("./single-plus-two") },
];
