// The contribution dashboard's selection (reference §4.1's selector bar) as it lives in the page's
// URL: the API's own parameter names, so that a view can be shared and the back button walks
// through the selections. Pure, so the rules (a new project type clears the module, the period's
// start day, the generated title) are tested without a browser.
import { addDays } from "../../lib/date-range";

export const CONTRIB_PATH = "/contrib/";

/** In the order they appear in a URL. `period` is the page's own: days back from today. */
export const SELECTION_KEYS = ["release", "project_type", "module", "company", "user_id", "metric", "period"] as const;
export type SelectionKey = (typeof SELECTION_KEYS)[number];
/** A missing key is the API's default (release, project type, metric) or "any" (the others). */
export type Selection = Partial<Record<SelectionKey, string>>;

/** The period selector: all time, or the last N days (today included). */
export const PERIODS = ["7", "30", "60", "90", "180"] as const;

export function selectionFromQuery(query: Record<string, string | undefined>): Selection {
  const selection: Selection = {};
  for (const key of SELECTION_KEYS) {
    const value = query[key]?.trim();
    if (value) selection[key] = value;
  }
  if (selection.period && !(PERIODS as readonly string[]).includes(selection.period)) delete selection.period;
  return selection;
}

/** The selection after one selector changed ("" clears it); a new project type clears the module. */
export function withChange(selection: Selection, key: SelectionKey, value: string): Selection {
  const next: Selection = { ...selection };
  if (value) next[key] = value;
  else delete next[key];
  if (key === "project_type" && value !== (selection.project_type ?? "")) delete next.module;
  return next;
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** The page's URL for a selection: `/contrib/?release=…&company=…`. */
export function pageUrl(selection: Selection, path = CONTRIB_PATH): string {
  return `${path}${query(Object.fromEntries(SELECTION_KEYS.map((k) => [k, selection[k]])))}`;
}

/** The first day of a period: the last N days end today (UTC), so they start N − 1 days before. */
export function periodStart(period: string, today: string): string {
  return addDays(today, -(Number(period) - 1));
}

/**
 * The API's parameters for a selection (`period` becomes `start_date`), leaving out `omit` (a list
 * endpoint ignores its own filter: /companies lists companies whatever company is selected).
 */
export function apiParams(selection: Selection, today: string, omit: readonly SelectionKey[] = []): Record<string, string> {
  const params: Record<string, string> = {};
  for (const key of SELECTION_KEYS) {
    const value = selection[key];
    if (!value || omit.includes(key)) continue;
    if (key === "period") params.start_date = periodStart(value, today);
    else params[key] = value;
  }
  return params;
}

export function apiUrl(path: string, params: Record<string, string | number | undefined> = {}): string {
  return `/api/1.0/${path}${query(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === undefined ? undefined : String(v)])))}`;
}

/** What the title says, in words: the names the selectors show. */
export interface TitleParts {
  projectType: string | null;
  /** The release's name, or null for all releases. */
  release: string | null;
  module: string | null;
  company: string | null;
  user: string | null;
  period: string | null;
}

/**
 * §4.1's generated title: "OpenStack community contribution in Stein release", "John Doe
 * (Mirantis) contribution to neutron in OpenStack Havana release", "Docker community
 * contribution", and "… in the last 30 days" for a period.
 */
export function pageTitle(t: TitleParts): string {
  const who = t.user ? `${t.user}${t.company ? ` (${t.company})` : ""}` : t.company ?? `${t.projectType ?? "All"} community`;
  const projectBeforeRelease = (t.user || t.company) && t.projectType ? `${t.projectType} ` : "";
  return [
    `${who} contribution`,
    t.module ? ` to ${t.module}` : "",
    t.release ? ` in ${projectBeforeRelease}${t.release} release` : "",
    t.period ? ` in the last ${t.period} days` : "",
  ].join("");
}
