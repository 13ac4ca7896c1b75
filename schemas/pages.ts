// The dashboard's pages: the client router draws them, and the Worker answers their paths with the
// app's index.html (200) and every other path outside the API with it as a 404 page.

/** Path → the page's name, which is also its document title (`Adoption · edgestats`). */
export const DASHBOARD_PAGES = {
  "/": "Overview",
  "/adoption": "Adoption",
  "/reports": "Reports",
  "/health": "Collector health",
  "/contrib/": "Contribution",
} as const;
export type DashboardPath = keyof typeof DASHBOARD_PAGES;

/**
 * Pages for operators: served like the others but left out of the navigation, as they show nothing
 * without the admin secret (docs/operations.md, "Observability").
 */
export const ADMIN_PAGES = {
  "/admin": "Service status",
} as const;

export const SITE_NAME = "edgestats";

/** The contribution dashboard's reports: this path and any below it are pages (the client router knows which). */
export const CONTRIB_REPORTS_PATH = "/contrib/reports";

/** A page's path (an admin page's too), with or without a trailing slash, or a path of the contribution reports. */
export function isDashboardPage(path: string): boolean {
  const bare = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return (
    Object.hasOwn(DASHBOARD_PAGES, bare) ||
    Object.hasOwn(DASHBOARD_PAGES, `${bare}/`) ||
    Object.hasOwn(ADMIN_PAGES, bare) ||
    bare === CONTRIB_REPORTS_PATH ||
    path.startsWith(`${CONTRIB_REPORTS_PATH}/`)
  );
}

export const documentTitle = (name: string) => `${name} · ${SITE_NAME}`;
