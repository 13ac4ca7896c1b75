// `/contrib/reports/activity?module=…&…`: the activity log under the filters of the URL.
import { useLocation } from "preact-iso/router";
import { ActivityLog } from "./activity-log";
import { filtersOf } from "./api";
import { ReportHead } from "./components";

/** "Activity in nova, Mirantis, Havana": the filters that narrow it, in words. */
export function activityTitle(filters: Record<string, string>): string {
  // "Activity" is joined with the rest, so that a release alone reads "Activity, release havana".
  const parts = ["Activity", filters.module && `in ${filters.module}`, filters.company && `of ${filters.company}`, filters.user_id && `of ${filters.user_id}`];
  const release = filters.release && filters.release !== "all" ? `, release ${filters.release}` : "";
  return `${parts.filter(Boolean).join(" ")}${release}`;
}

export default function ActivityReport() {
  const { query } = useLocation();
  const filters = filtersOf(query);
  return (
    <>
      <ReportHead title={activityTitle(filters)} />
      <ActivityLog filters={filters} empty="No activity under these filters: choose another release, module or period." />
    </>
  );
}
