// The contribution reports under /contrib/reports/: one lazily loaded chunk holds the route table,
// and each report page is a chunk of its own, fetched when first visited. Around every report, as
// on the overview, a banner when the data is behind the processor's schedule and a footer with
// the data's time: the Last-Modified of /api/1.0/releases (every answer has the same).
import lazy from "preact-iso/lazy";
import { Route, Router } from "preact-iso/router";
import { NotFound } from "../../pages/not-found";
import { FreshnessBanner, LastUpdated } from "../components/freshness";
import { useApi } from "../lib/use-api";
import { CONTRIB_REPORT_ROUTES, REPORTS_BASE } from "./index";

// Inside the app's `/contrib/reports/*` route the paths are matched on the rest of the URL.
const ROUTES = CONTRIB_REPORT_ROUTES.map((r) => ({ path: r.path.slice(REPORTS_BASE.length), component: lazy(r.load) }));

export default function ContribReports() {
  const releases = useApi<unknown>("/api/1.0/releases");
  const asOf = releases.state === "ok" ? releases.asOf : null;
  return (
    <>
      {releases.state === "ok" && <FreshnessBanner asOf={asOf} />}
      <Router>
        {ROUTES.map((r) => (
          <Route key={r.path} path={r.path} component={r.component} />
        ))}
        <Route default component={NotFound} />
      </Router>
      <LastUpdated asOf={asOf} />
    </>
  );
}
