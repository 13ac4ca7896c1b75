import lazy, { ErrorBoundary } from "preact-iso/lazy";
import { LocationProvider, Route, Router, useLocation } from "preact-iso/router";
import { DASHBOARD_PAGES } from "../../schemas/pages";
import { NotFound } from "./pages/not-found";
import { Overview } from "./pages/overview";

// Only the overview is in the first load; the other pages are fetched when visited.
const Adoption = lazy(() => import("./pages/adoption"));
const Reports = lazy(() => import("./pages/reports"));
const Health = lazy(() => import("./pages/health"));
// Operators only, and not in the navigation: its own chunk, never in another page's load.
const AdminStatus = lazy(() => import("./pages/admin"));
// The contribution half: its code (and CSS) is a chunk of its own, not in the first load of /.
const ContribOverview = lazy(() => import("./contrib/overview"));
const ContribReports = lazy(() => import("./contrib/reports/router"));

const PAGES = Object.entries(DASHBOARD_PAGES).map(([path, name]) => ({ path, name }));

function Nav() {
  const { path } = useLocation();
  return (
    <header class="top">
      <a class="brand" href="/">
        edgestats
      </a>
      <nav aria-label="Pages">
        {PAGES.map((p) => (
          <a key={p.path} href={p.path} aria-current={path === p.path || (p.path === "/contrib/" && path.startsWith("/contrib")) ? "page" : undefined}>
            {p.name}
          </a>
        ))}
      </nav>
    </header>
  );
}

export function App() {
  return (
    <LocationProvider>
      <Nav />
      <main>
        <ErrorBoundary>
          <Router>
            <Route path="/" component={Overview} />
            <Route path="/adoption" component={Adoption} />
            <Route path="/reports" component={Reports} />
            <Route path="/health" component={Health} />
            <Route path="/admin" component={AdminStatus} />
            <Route path="/contrib" component={ContribOverview} />
            <Route path="/contrib/reports/*" component={ContribReports} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </main>
    </LocationProvider>
  );
}
