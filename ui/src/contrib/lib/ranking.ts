// The breakdown tables and donuts of the overview (reference §4.1), as pure functions over the
// rows of a `stats/*` answer: the donut's top 9 and "others", and the table's search, sort and pages.
import type { Slice } from "../../lib/chart-data";

/** A ranked row as the API gives it, read by column. */
export type Row = { id: string; name: string; metric: number; index: number | "" } & Record<string, unknown>;

export const DONUT_TOP = 9;
export const OTHERS = "others";

export interface RankSlice extends Slice {
  /** The row's id, for a drill-down; null for "others". */
  id: string | null;
}

/** The top 9 rows by metric and one "others" slice with the rest (none when there is no rest). */
export function topSlices(rows: readonly Row[], top = DONUT_TOP): RankSlice[] {
  const sorted = [...rows].filter((r) => r.metric > 0).sort((a, b) => b.metric - a.metric || a.name.localeCompare(b.name));
  const total = sorted.reduce((sum, r) => sum + r.metric, 0);
  const share = (value: number) => (total > 0 ? (value / total) * 100 : 0);
  const slices: RankSlice[] = sorted.slice(0, top).map((r) => ({ id: r.id, label: r.name, value: r.metric, percent: share(r.metric) }));
  const rest = sorted.slice(top).reduce((sum, r) => sum + r.metric, 0);
  if (rest > 0) slices.push({ id: null, label: OTHERS, value: rest, percent: share(rest) });
  return slices;
}

export type SortDirection = "ascending" | "descending";
export interface SortOrder {
  column: string;
  direction: SortDirection;
}

/** "85.3%" → 85.3; "&#x221E;" (no numeric votes) and anything else → null. */
export function ratioValue(value: unknown): number | null {
  const m = typeof value === "string" ? /^(\d+(?:\.\d+)?)%$/.exec(value) : null;
  return m ? Number(m[1]) : null;
}

/** Stackalytics shows a positive ratio under 60% in red. */
export const LOW_RATIO = 60;
export const isLowRatio = (value: unknown): boolean => {
  const ratio = ratioValue(value);
  return ratio !== null && ratio < LOW_RATIO;
};

/** What a cell sorts by: numbers as numbers, ratios by their percent, the rest as text. */
function sortKey(value: unknown): number | string {
  if (typeof value === "number") return value;
  const ratio = ratioValue(value);
  if (ratio !== null) return ratio;
  if (value === null || value === undefined || value === "" || value === "&#x221E;") return Number.NEGATIVE_INFINITY;
  return String(value).toLowerCase();
}

function compare(a: unknown, b: unknown): number {
  const x = sortKey(a);
  const y = sortKey(b);
  if (typeof x === "number" && typeof y === "number") return x - y;
  if (typeof x === "number") return -1;
  if (typeof y === "number") return 1;
  return x.localeCompare(y);
}

/** Rows by one column; ties keep the API's order (its rank). `index` sorts as the rank, *independent in its place. */
export function sortRows<R extends Row>(rows: readonly R[], order: SortOrder | null): R[] {
  if (!order) return [...rows];
  const sign = order.direction === "ascending" ? 1 : -1;
  const ranked = rows.map((row, position) => ({ row, position }));
  const key = (r: R, position: number) => (order.column === "index" ? position : r[order.column]);
  return ranked
    .sort((a, b) => sign * compare(key(a.row, a.position), key(b.row, b.position)) || a.position - b.position)
    .map((r) => r.row);
}

/** Rows whose name (or id) contains the text, ignoring case. */
export function searchRows<R extends Row>(rows: readonly R[], text: string): R[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...rows];
  return rows.filter((r) => r.name.toLowerCase().includes(needle) || r.id.toLowerCase().includes(needle));
}

export const PAGE_SIZES = [10, 25, 50, 0] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** One page of rows (size 0: all of them), the page clamped to those that exist. */
export function pageOf<R>(rows: readonly R[], size: PageSize, page: number): { rows: R[]; page: number; pages: number; first: number; last: number } {
  if (size === 0 || rows.length === 0) return { rows: [...rows], page: 0, pages: 1, first: rows.length ? 1 : 0, last: rows.length };
  const pages = Math.ceil(rows.length / size);
  const at = Math.min(Math.max(0, page), pages - 1);
  const slice = rows.slice(at * size, at * size + size);
  return { rows: slice, page: at, pages, first: at * size + 1, last: at * size + slice.length };
}

/** "master" → ✻; a stable branch → ✬ and its name (Stackalytics' marks); null → nothing. */
export function coreMark(core: string | null | undefined): { symbol: string; text: string } | null {
  if (!core) return null;
  return core === "master" ? { symbol: "✻", text: "core reviewer on master" } : { symbol: `✬ ${core}`, text: `core reviewer on ${core}` };
}

/** The API writes "no numeric votes" as the HTML entity of ∞. */
export const showRatio = (value: unknown): string => (value === "&#x221E;" ? "∞" : value === undefined || value === null ? "" : String(value));
