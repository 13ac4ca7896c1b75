// The contribution reports under /contrib/reports/: one lazily loaded chunk holds the route table,
// and each report page is a chunk of its own, fetched when first visited.
import lazy from "preact-iso/lazy";
import { Route, Router } from "preact-iso/router";
import { NotFound } from "../../pages/not-found";
import { CONTRIB_REPORT_ROUTES, REPORTS_BASE } from "./index";

// Inside the app's `/contrib/reports/*` route the paths are matched on the rest of the URL.
const ROUTES = CONTRIB_REPORT_ROUTES.map((r) => ({ path: r.path.slice(REPORTS_BASE.length), component: lazy(r.load) }));

export default function ContribReports() {
  return (
    <Router>
      {ROUTES.map((r) => (
        <Route key={r.path} path={r.path} component={r.component} />
      ))}
      <Route default component={NotFound} />
    </Router>
  );
}
