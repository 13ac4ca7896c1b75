// Report JSON → what each chart draws and each table lists. Pure, so the semantics of fuel-stats'
// charts (reference §3.3) are tested without a browser.
import type { AdoptionReport, HealthResponse, InstallationsReport } from "./api";
import type { Table } from "./csv";

export interface Bar {
  label: string;
  value: number;
  color?: string;
}

export interface Slice {
  label: string;
  value: number;
  /** Share of the donut's total, 0–100. */
  percent: number;
}

export interface Series {
  name: string;
  values: number[];
}

export interface MultiSeries {
  labels: string[];
  series: Series[];
}

type Counts = Record<string, number>;

const byNumericKey = (a: string, b: string) => Number(a) - Number(b) || a.localeCompare(b);

/** Installations by their number of environments: one bar per clusters_num, in numeric order. */
export function environmentsNumBars(environmentsNum: Counts): Bar[] {
  return Object.keys(environmentsNum)
    .sort(byNumericKey)
    .map((key) => ({ label: key, value: environmentsNum[key] ?? 0 }));
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
export function statusBars(statuses: Counts): Bar[] {
  const rank = (s: string) => (STATUS_ORDER.includes(s) ? STATUS_ORDER.indexOf(s) : STATUS_ORDER.length);
  return Object.entries(statuses)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([label, value]) => ({ label, value, color: STATUS_COLORS[label] ?? OTHER_STATUS_COLOR }));
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
 * Environments with no nodes fall in no bucket (as in fuel-stats) and are returned apart.
 */
export function sizeBuckets(nodesNum: Counts): { bars: Bar[]; withoutNodes: number } {
  const bars = SIZE_BUCKETS.map((b) => ({ label: b.label, value: 0 }));
  let withoutNodes = 0;
  for (const [key, count] of Object.entries(nodesNum)) {
    const nodes = Number(key);
    const index = SIZE_BUCKETS.findIndex((b) => nodes >= b.min && nodes < b.max);
    if (index >= 0) bars[index]!.value += count;
    else withoutNodes += count;
  }
  return { bars, withoutNodes };
}

function withPercents(entries: [string, number][], total: number): Slice[] {
  return entries.map(([label, value]) => ({ label, value, percent: total > 0 ? (value / total) * 100 : 0 }));
}

/** Slices largest first (ties by name), zero counts dropped. */
export function donutSlices(counts: Counts): Slice[] {
  const entries = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return withPercents(entries, entries.reduce((sum, [, n]) => sum + n, 0));
}

export const UNKNOWN_SLICE = "unknown";

/**
 * The hypervisor donut: every operable environment is a slice, so those whose hypervisor was not
 * reported make an "unknown" slice of `operable` minus the named ones (none when that is ≤ 0).
 */
export function hypervisorSlices(hypervisors: Counts, operable: number): Slice[] {
  const named = donutSlices(hypervisors).map((s): [string, number] => [s.label, s.value]);
  const unknown = operable - named.reduce((sum, [, n]) => sum + n, 0);
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
  return { columns: [labelColumn, valueColumn], rows: bars.map((b) => [b.label, b.value]) };
}

export function slicesTable(slices: Slice[], labelColumn: string): Table {
  return { columns: [labelColumn, "environments", "percent"], rows: slices.map((s) => [s.label, s.value, Number(s.percent.toFixed(1))]) };
}

export function multiSeriesTable(data: MultiSeries, labelColumn: string): Table {
  return {
    columns: [labelColumn, ...data.series.map((s) => s.name)],
    rows: data.labels.map((label, i) => [label, ...data.series.map((s) => s.values[i] ?? 0)]),
  };
}

/** Everything the Overview page shows, from one installations report. */
export function overviewCharts(report: InstallationsReport) {
  const env = report.environments;
  return {
    installations: report.installations.count,
    environments: env.count,
    operable: env.operable_envs_count,
    environmentsNum: environmentsNumBars(report.installations.environments_num),
    statuses: statusBars(env.statuses),
    sizes: sizeBuckets(env.nodes_num),
    hypervisors: hypervisorSlices(env.hypervisors_num, env.operable_envs_count),
    oses: donutSlices(env.oses_num),
  };
}

/** Installations on each release at the end of each day: one series per release, newest first. */
export function adoptionSeries(report: AdoptionReport): MultiSeries {
  return {
    labels: report.days.map((d) => d.date),
    series: report.releases.map((release) => ({ name: release, values: report.days.map((d) => d.installations[release] ?? 0) })),
  };
}

/** Upgrades as bars labelled "8.0 → 9.0", most frequent first (the report's order). */
export function transitionBars(report: AdoptionReport): Bar[] {
  return report.transitions.map((t) => ({ label: `${t.from_release} → ${t.to_release}`, value: t.installations }));
}

/**
 * The health counters in two charts, since their units differ: what happened to records, and the
 * requests turned away. Only outcomes seen in the range get a series.
 */
export function healthSeries(report: HealthResponse): { records: MultiSeries; requests: MultiSeries; totals: Record<string, number> } {
  const labels = report.days.map((d) => d.date);
  const totals: Record<string, number> = {};
  for (const day of report.days) for (const [outcome, n] of Object.entries(day.totals)) totals[outcome] = (totals[outcome] ?? 0) + (n ?? 0);
  const seriesOf = (unit: "records" | "requests"): MultiSeries => ({
    labels,
    series: Object.entries(report.units)
      .filter(([outcome, u]) => u === unit && (totals[outcome] ?? 0) > 0)
      .map(([outcome]) => ({
        name: outcome,
        values: report.days.map((d) => (d.totals as Record<string, number | undefined>)[outcome] ?? 0),
      })),
  });
  return { records: seriesOf("records"), requests: seriesOf("requests"), totals };
}
