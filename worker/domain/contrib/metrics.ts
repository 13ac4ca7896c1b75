// Stackalytics' metrics, exactly (reference §3): what each counts, the marks distribution and its
// ratios, and what one record adds to the totals the API reads.
import type { RecordType } from "../../../schemas/contrib/records";

/**
 * Where a vote is tallied: a Code-Review value, Workflow +1 (`A`, approve) and −1 (`WIP`), an
 * abandon by someone else (`x`), the voter's own patch set (`s`: Self-Code-Review, Self-Workflow,
 * Self-Abandon), anything else `0`.
 */
export const MARK_BUCKETS = ["-2", "-1", "0", "1", "2", "A", "WIP", "x", "s"] as const;
export type MarkBucket = (typeof MARK_BUCKETS)[number];

export function markBucket(type: string | undefined, value: number | undefined): MarkBucket {
  if (type?.startsWith("Self-")) return "s";
  if (type === "Code-Review" && (value === -2 || value === -1 || value === 1 || value === 2)) return String(value) as MarkBucket;
  if (type === "Workflow" && value === 1) return "A";
  if (type === "Workflow" && value === -1) return "WIP";
  if (type === "Abandon") return "x";
  return "0";
}

/** The measures a totals row keeps (columns of daily_totals). */
export const MEASURES = [
  "records",
  "loc",
  "mark_n2",
  "mark_n1",
  "mark_0",
  "mark_p1",
  "mark_p2",
  "mark_a",
  "mark_wip",
  "mark_x",
  "mark_s",
  "disagreements",
  "abandoned",
] as const;
export type Measure = (typeof MEASURES)[number];
export type Measures = Record<Measure, number>;

export const BUCKET_COLUMN: Record<MarkBucket, Measure> = {
  "-2": "mark_n2",
  "-1": "mark_n1",
  "0": "mark_0",
  "1": "mark_p1",
  "2": "mark_p2",
  A: "mark_a",
  WIP: "mark_wip",
  x: "mark_x",
  s: "mark_s",
};

export const zeroMeasures = (): Measures => Object.fromEntries(MEASURES.map((m) => [m, 0])) as Measures;

/**
 * The measures in `cells` from `at` on, in MEASURES' order (a row of D1's `raw()`): one object
 * literal of one shape, where D1's objects (`all()`) are built key by key for every row.
 */
export const measuresAt = (cells: readonly unknown[], at: number): Measures => ({
  records: cells[at] as number,
  loc: cells[at + 1] as number,
  mark_n2: cells[at + 2] as number,
  mark_n1: cells[at + 3] as number,
  mark_0: cells[at + 4] as number,
  mark_p1: cells[at + 5] as number,
  mark_p2: cells[at + 6] as number,
  mark_a: cells[at + 7] as number,
  mark_wip: cells[at + 8] as number,
  mark_x: cells[at + 9] as number,
  mark_s: cells[at + 10] as number,
  disagreements: cells[at + 11] as number,
  abandoned: cells[at + 12] as number,
});

/** What one record adds to its totals row. */
export function measuresOf(r: { record_type: string; loc: number; fields: Record<string, unknown> }): Measures {
  const m = zeroMeasures();
  m.records = 1;
  m.loc = r.loc;
  if (r.record_type === "mark") {
    m[BUCKET_COLUMN[markBucket(r.fields.type as string | undefined, r.fields.value as number | undefined)]] = 1;
    if (r.fields.disagreement === true) m.disagreements = 1;
  }
  if (r.record_type === "review" && r.fields.status === "ABANDONED") m.abandoned = 1;
  return m;
}

/** A metric: its label, the record types it reads, and how a totals row counts toward it. */
export interface Metric {
  id: string;
  text: string;
  types: RecordType[];
  /** records, lines of code, the counted marks, or distinct (user, day) pairs. */
  value: "records" | "loc" | "marks" | "person-day";
  hidden?: boolean;
}

export const METRICS: readonly Metric[] = [
  { id: "commits", text: "Commits", types: ["commit"], value: "records" },
  { id: "loc", text: "Lines of code", types: ["commit"], value: "loc" },
  { id: "marks", text: "Reviews", types: ["mark"], value: "marks" },
  { id: "emails", text: "Emails", types: ["email"], value: "records" },
  { id: "bpd", text: "Drafted Blueprints", types: ["bpd"], value: "records" },
  { id: "bpc", text: "Completed Blueprints", types: ["bpc"], value: "records" },
  { id: "filed-bugs", text: "Filed Bugs", types: ["bugf"], value: "records" },
  { id: "resolved-bugs", text: "Resolved Bugs", types: ["bugr"], value: "records" },
  { id: "patches", text: "Patch Sets", types: ["patch"], value: "records" },
  { id: "person-day", text: "Person-day effort", types: ["mark", "patch", "email", "bpd", "bugf"], value: "person-day" },
  { id: "translations", text: "Translations", types: ["tr"], value: "loc" },
  { id: "members", text: "Members", types: ["member"], value: "records", hidden: true },
];
export const DEFAULT_METRIC = "marks";
export const metricById = (id: string) => METRICS.find((m) => m.id === id);

/** The marks metric counts Code-Review votes and abandons by others; Workflow and self votes are tallied apart. */
export const countedMarks = (m: Pick<Measures, "mark_n2" | "mark_n1" | "mark_p1" | "mark_p2" | "mark_x">) => m.mark_n2 + m.mark_n1 + m.mark_p1 + m.mark_p2 + m.mark_x;

/** `85.3%`, or Stackalytics' infinity when there is nothing to divide by. */
export const percent = (part: number, whole: number) => (whole === 0 ? "&#x221E;" : `${((part / whole) * 100).toFixed(1)}%`);

/**
 * The marks columns of a stats row (§3): the distribution (`"0"` only when non-zero: self votes and
 * others), the positive ratio over numeric votes, the mark ratio, disagreements and their ratio.
 */
export type MarksColumns = {
  "-2": number;
  "-1": number;
  "0"?: number;
  "1": number;
  "2": number;
  A: number;
  x: number;
  positive_ratio: string;
  mark_ratio: string;
  disagreements: number;
  disagreement_ratio: string;
};

export const marksColumns = (m: Measures): MarksColumns => withMarksColumns({}, m);

/**
 * `row` with the marks columns of `m` set on it, one by one: spreading or assigning another object's
 * columns into a row costs several times as much, which shows in rankings of thousands of people.
 */
export function withMarksColumns<T extends object>(row: T, m: Measures): T & MarksColumns {
  const numeric = m.mark_n2 + m.mark_n1 + m.mark_p1 + m.mark_p2;
  const positive = percent(m.mark_p1 + m.mark_p2, numeric);
  const zero = m.mark_0 + m.mark_s;
  const r = row as T & MarksColumns;
  r["-2"] = m.mark_n2;
  r["-1"] = m.mark_n1;
  r["1"] = m.mark_p1;
  r["2"] = m.mark_p2;
  r.A = m.mark_a;
  r.x = m.mark_x;
  r.positive_ratio = positive;
  r.mark_ratio = `${m.mark_n2}|${m.mark_n1}|${m.mark_p1}|${m.mark_p2}|${m.mark_a}|${m.mark_x} (${positive})`;
  r.disagreements = m.disagreements;
  r.disagreement_ratio = percent(m.disagreements, numeric);
  if (zero !== 0) r["0"] = zero;
  return r;
}

/** All nine buckets, as `/contribution` shows them. */
export const contributionMarks = (m: Measures): Record<MarkBucket, number> =>
  Object.fromEntries(MARK_BUCKETS.map((b) => [b, m[BUCKET_COLUMN[b]]])) as Record<MarkBucket, number>;
