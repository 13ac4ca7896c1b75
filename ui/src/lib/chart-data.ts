// Report JSON → what each chart draws and each table lists. Pure, so the semantics of fuel-stats'
// charts (reference §3.3) are tested without a browser.
import type { Outcome } from "../../../schemas/health";
import type { AdoptionReport, HealthResponse, InstallationsReport } from "./api";
import type { Table } from "./csv";
import { withheldText } from "./withheld";

export interface Bar {
  label: string;
  value: number;
  color?: string;
  /** Written instead of the value: what stands in for a withheld number ("<5"), drawn as no bar. */
  text?: string;
}

export interface Slice {
  label: string;
  value: number;
  /** Share of the donut's total, 0–100. */
  percent: number;
}

export interface Series {
  name: string;
  /** NaN where the number was withheld (a gap in a line). */
  values: number[];
  /** Written instead of a withheld value, by index. */
  texts?: (string | undefined)[];
}

export interface MultiSeries {
  labels: string[];
  series: Series[];
}

/** A report's map of counts; null where the public answer withheld one (docs/privacy.md). */
type Counts = Record<string, number | null>;
type Note = InstallationsReport["suppressed"];

/** A bar of a count, or of what stands in for it when withheld. */
const barOf = (label: string, value: number | null, text: () => string): Bar => (value === null ? { label, value: 0, text: text() } : { label, value });

const byNumericKey = (a: string, b: string) => Number(a) - Number(b) || a.localeCompare(b);

/** Installations by their number of environments: one bar per clusters_num, in numeric order. */
export function environmentsNumBars(environmentsNum: Counts, note?: Note): Bar[] {
  return Object.keys(environmentsNum)
    .sort(byNumericKey)
    .map((key) => barOf(key, environmentsNum[key] as number | null, () => withheldText(note, "installations", "environments_num", key)));
}

/** fuel-stats' status colours. */
export const STATUS_COLORS: Readonly<Record<string, string>> = {
  new: "#999999",
  deployment: "#2783C0",
  operational: "#51851A",
  error: "#FF7372",
  stopped: "#FFB014",
  remove: "#000000",
  update: "#775575",
  update_error: "#F5007B",
};
/** A status the original never saw gets a neutral colour (its label still names it). */
export const OTHER_STATUS_COLOR = "#6B7280";
const STATUS_ORDER = Object.keys(STATUS_COLORS);

/** Environment statuses: only those with a non-zero count, known ones in a fixed order, each in its colour. */
export function statusBars(statuses: Counts, note?: Note): Bar[] {
  const rank = (s: string) => (STATUS_ORDER.includes(s) ? STATUS_ORDER.indexOf(s) : STATUS_ORDER.length);
  return Object.entries(statuses)
    .filter(([, n]) => n === null || n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([label, value]) => ({
      ...barOf(label, value, () => withheldText(note, "environments", "statuses", label)),
      color: STATUS_COLORS[label] ?? OTHER_STATUS_COLOR,
    }));
}

/** fuel-stats' environment-size ranges: [1,5), [5,10), [10,20), [20,50), [50,100), 100+. */
export const SIZE_BUCKETS: readonly { label: string; min: number; max: number }[] = [
  { label: "1-5", min: 1, max: 5 },
  { label: "5-10", min: 5, max: 10 },
  { label: "10-20", min: 10, max: 20 },
  { label: "20-50", min: 20, max: 50 },
  { label: "50-100", min: 50, max: 100 },
  { label: "100+", min: 100, max: Number.POSITIVE_INFINITY },
];

/**
 * Operable environments by node count in the buckets above (every bucket, empty ones as 0).
 * Environments with no nodes fall in no bucket (as in fuel-stats) and are returned apart. A bucket
 * (or the count apart) with a withheld number in it is withheld as a whole.
 */
export function sizeBuckets(nodesNum: Counts): { bars: Bar[]; withoutNodes: number | null } {
  const bars: Bar[] = SIZE_BUCKETS.map((b) => ({ label: b.label, value: 0 }));
  let withoutNodes: number | null = 0;
  for (const [key, count] of Object.entries(nodesNum)) {
    const nodes = Number(key);
    const index = SIZE_BUCKETS.findIndex((b) => nodes >= b.min && nodes < b.max);
    if (index >= 0) {
      const bar = bars[index]!;
      if (count === null) bars[index] = { label: bar.label, value: 0, text: "withheld" };
      else if (bar.text === undefined) bar.value += count;
    } else withoutNodes = count === null || withoutNodes === null ? null : withoutNodes + count;
  }
  return { bars, withoutNodes };
}

function withPercents(entries: [string, number][], total: number): Slice[] {
  return entries.map(([label, value]) => ({ label, value, percent: total > 0 ? (value / total) * 100 : 0 }));
}

/** Slices largest first (ties by name), zero counts dropped; a withheld count has no slice. */
export function donutSlices(counts: Counts): Slice[] {
  const entries = Object.entries(counts)
    .filter((entry): entry is [string, number] => entry[1] !== null && entry[1] > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return withPercents(entries, entries.reduce((sum, [, n]) => sum + n, 0));
}

export const UNKNOWN_SLICE = "unknown";

/**
 * The hypervisor donut: every operable environment is a slice, so those whose hypervisor was not
 * reported make an "unknown" slice of `operable` minus the named ones (none when that is ≤ 0).
 */
export function hypervisorSlices(hypervisors: Counts, operable: number | null): Slice[] {
  const named = donutSlices(hypervisors).map((s): [string, number] => [s.label, s.value]);
  // Withheld numbers leave the unknown rest unknown too.
  const withheld = operable === null || Object.values(hypervisors).some((n) => n === null);
  const unknown = withheld ? 0 : operable - named.reduce((sum, [, n]) => sum + n, 0);
  const entries: [string, number][] = unknown > 0 ? [...named, [UNKNOWN_SLICE, unknown]] : named;
  return withPercents(entries, entries.reduce((sum, [, n]) => sum + n, 0));
}

/** fuel-stats printed no percentage inside the donut for slices under 5%. */
export const MIN_PERCENT_INSIDE = 5;

export function sliceLabel(slice: Slice): string {
  return slice.percent < MIN_PERCENT_INSIDE ? "" : `${Math.round(slice.percent)}%`;
}

/** "kvm: 3 pcs, 75%", the original's tooltip. */
export function sliceTitle(slice: Slice): string {
  return `${slice.label}: ${slice.value} pcs, ${formatPercent(slice.percent)}`;
}

export function formatPercent(percent: number): string {
  return `${percent >= 10 || percent === 0 ? Math.round(percent) : percent.toFixed(1)}%`;
}

export function barsTable(bars: Bar[], labelColumn: string, valueColumn: string): Table {
  return { columns: [labelColumn, valueColumn], rows: bars.map((b) => [b.label, b.text ?? b.value]) };
}

/** A donut's slices, then the categories whose counts were withheld (no share for them). */
export function slicesTable(slices: Slice[], labelColumn: string, withheld: readonly Bar[] = []): Table {
  return {
    columns: [labelColumn, "environments", "percent"],
    rows: [...slices.map((s) => [s.label, s.value, Number(s.percent.toFixed(1))]), ...withheld.map((b) => [b.label, b.text ?? b.value, ""])],
  };
}

/** The withheld counts of a map, as bars of their stand-in text. */
function withheldBars(counts: Counts, note: Note, ...path: string[]): Bar[] {
  return Object.entries(counts)
    .filter(([, n]) => n === null)
    .map(([label]) => ({ label, value: 0, text: withheldText(note, ...path, label) }));
}

export function multiSeriesTable(data: MultiSeries, labelColumn: string): Table {
  return {
    columns: [labelColumn, ...data.series.map((s) => s.name)],
    rows: data.labels.map((label, i) => [label, ...data.series.map((s) => s.texts?.[i] ?? s.values[i] ?? 0)]),
  };
}

/** Everything the Overview page shows, from one installations report. */
export function overviewCharts(report: InstallationsReport) {
  const env = report.environments;
  const note = report.suppressed;
  return {
    installations: report.installations.count,
    environments: env.count,
    operable: env.operable_envs_count,
    environmentsNum: environmentsNumBars(report.installations.environments_num, note),
    statuses: statusBars(env.statuses, note),
    sizes: sizeBuckets(env.nodes_num),
    hypervisors: hypervisorSlices(env.hypervisors_num, env.operable_envs_count),
    hypervisorsWithheld: withheldBars(env.hypervisors_num, note, "environments", "hypervisors_num"),
    oses: donutSlices(env.oses_num),
    osesWithheld: withheldBars(env.oses_num, note, "environments", "oses_num"),
  };
}

/** Installations on each release at the end of each day: one series per release, newest first. */
export function adoptionSeries(report: AdoptionReport): MultiSeries {
  return {
    labels: report.days.map((d) => d.date),
    series: report.releases.map((release) => {
      const counts = report.days.map((d) => d.installations[release]);
      const series: Series = { name: release, values: counts.map((n) => (n === null ? Number.NaN : (n ?? 0))) };
      if (counts.includes(null)) {
        series.texts = counts.map((n, i) => (n === null ? withheldText(report.suppressed, "days", i, "installations", release) : undefined));
      }
      return series;
    }),
  };
}

/** Upgrades as bars labelled "8.0 → 9.0", most frequent first (the report's order). */
export function transitionBars(report: AdoptionReport): Bar[] {
  return report.transitions.map((t, i) =>
    barOf(`${t.from_release} → ${t.to_release}`, t.installations, () => withheldText(report.suppressed, "transitions", i, "installations")),
  );
}

/** Requests the collector refused. `bound` is no refusal: a request that bound its installation to a token. */
export const TURNED_AWAY: readonly Outcome[] = ["rejected_schema", "rejected_identity", "too_large", "rate_limited"];

/**
 * The health counters in charts of one unit each: what happened to records, the requests turned
 * away, and the requests that bound an installation to its token (a success). Only outcomes seen
 * in the range get a series.
 */
export function healthSeries(report: HealthResponse): {
  records: MultiSeries;
  requests: MultiSeries;
  bound: MultiSeries;
  totals: Record<string, number>;
} {
  const labels = report.days.map((d) => d.date);
  const totals: Record<string, number> = {};
  for (const day of report.days) for (const [outcome, n] of Object.entries(day.totals)) totals[outcome] = (totals[outcome] ?? 0) + (n ?? 0);
  const seriesOf = (keep: (outcome: string, unit: "records" | "requests") => boolean): MultiSeries => ({
    labels,
    series: Object.entries(report.units)
      .filter(([outcome, u]) => keep(outcome, u) && (totals[outcome] ?? 0) > 0)
      .map(([outcome]) => ({
        name: outcome,
        values: report.days.map((d) => (d.totals as Record<string, number | undefined>)[outcome] ?? 0),
      })),
  });
  const turnedAway = (outcome: string) => (TURNED_AWAY as readonly string[]).includes(outcome);
  return {
    records: seriesOf((_, unit) => unit === "records"),
    requests: seriesOf((outcome, unit) => unit === "requests" && turnedAway(outcome)),
    bound: seriesOf((outcome) => outcome === "bound"),
    totals,
  };
}

/** Okabe–Ito, distinguishable with the common colour-vision deficiencies; grey is kept for "unknown". */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
export const UNKNOWN_COLOR = "#999999";

/** Categories with a colour of their own, so that they look the same in every chart and every view. */
const FIXED_COLORS: Readonly<Record<string, number>> = {
  kvm: 0,
  qemu: 1,
  vcenter: 2,
  xen: 3,
  lxc: 4,
  ubuntu: 0,
  centos: 1,
  rhel: 2,
  accepted: 2,
  replaced: 0,
  existed: 4,
  skipped: 6,
  failed: 5,
  bound: 2,
  rejected_schema: 0,
  rejected_identity: 3,
  too_large: 1,
  rate_limited: 5,
};

/** FNV-1a: a stable number for a name. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A colour for every category of one chart that follows the category, not its position: the
 * named ones of FIXED_COLORS always get theirs, any other gets the colour its name hashes to (the
 * next free one when a category of the chart has it already), and "unknown" is grey. So `kvm`
 * keeps its colour whatever else a filtered view shows.
 */
export function categoryColors(labels: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  const taken = new Set<number>();
  const fixed = labels.filter((l) => Object.hasOwn(FIXED_COLORS, l));
  for (const label of fixed) {
    colors.set(label, PALETTE[FIXED_COLORS[label]!]!);
    taken.add(FIXED_COLORS[label]!);
  }
  const others = labels.filter((l) => !Object.hasOwn(FIXED_COLORS, l) && l !== UNKNOWN_SLICE).sort();
  for (const label of others) {
    let index = hashOf(label) % PALETTE.length;
    for (let probe = 0; probe < PALETTE.length && taken.has(index); probe++) index = (index + 1) % PALETTE.length;
    colors.set(label, PALETTE[index]!);
    taken.add(index);
  }
  if (labels.includes(UNKNOWN_SLICE)) colors.set(UNKNOWN_SLICE, UNKNOWN_COLOR);
  return colors;
}
