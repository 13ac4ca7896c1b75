// What one installation contributes to the roll-up tables. The roll-up job keeps, per
// installation, the summary it last counted; when the installation changes it subtracts the old
// summary's contribution and adds the new one's. Re-counting an unchanged summary adds nothing,
// which is what makes a roll-up idempotent and resumable after any chunk.
import { addDays } from "./days";

/** One row of the installations report's expansion: a cluster, or the pseudo-cluster of none. */
export interface ClusterFacts {
  status: string | null;
  /** As text, the way fuel-stats read it (`->>`), so a cluster of 0 nodes still counts. */
  nodesNum: string | null;
  hypervisor: string | null;
  os: string | null;
}

/** A release an installation reported from `day` (YYYY-MM-DD, UTC) on. */
export interface ReleaseEntry {
  day: string;
  release: string | null;
}

export interface InstallationSummary {
  /** The collector's `release` column: the report's release filter. */
  release: string | null;
  /** The structure's own `clusters_num`, as text (the key of `environments_num`). */
  clustersNum: string | null;
  clusters: ClusterFacts[];
  /** Counted in reports: not filtered by the rules, and not quarantined. */
  counted: boolean;
  /** Every release the installation reported, oldest first, in the order reported within a day. */
  history: ReleaseEntry[];
  /** The counting rules it was counted under: absent before COUNTING_VERSION 2, whose
   * contributions carry no contributor counts (see reportContribution). */
  counting?: number;
}

/**
 * The version of what a summary contributes. 2 added the contributor counts; the roll-up mixes
 * it into its epoch, so a new version re-counts every installation once, subtracting what each
 * old summary contributed under its own version.
 */
export const COUNTING_VERSION = 2;

/** The scope of report rows for all releases; a release's scope is `release:<name>`. */
export const ALL_RELEASES = "all";
export const releaseScope = (release: string) => `release:${release}`;

export const REPORT_METRICS = [
  "installations.count",
  "installations.environments_num",
  "environments.count",
  "environments.operable_envs_count",
  "environments.statuses",
  "environments.nodes_num",
  "environments.hypervisors_num",
  "environments.oses_num",
] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];

/**
 * Beside each count of environments, how many installations it comes from (an installation with
 * seven error environments adds 7 to `environments.statuses` `error`, and 1 to its contributors):
 * what small-cell suppression asks of a cell (worker/domain/suppression.ts). Counts of
 * installations are their own contributors.
 */
export const CONTRIBUTORS_PREFIX = "contributors:";
const contributorsOf = (metric: ReportMetric) => `${CONTRIBUTORS_PREFIX}${metric}`;

/** Counts keyed by a tuple of strings; a contribution, or the difference of two. */
export type Counts = Map<string, number>;
const SEP = "\u001f";
export const countKey = (...parts: string[]) => parts.join(SEP);
export const splitKey = (key: string) => key.split(SEP);

function add(counts: Counts, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

const OPERABLE_STATUSES = new Set(["operational", "error"]);

/**
 * The installations report of fuel-stats (reference §3.2), for one installation, in the scope of
 * all releases and of its own release: the installation counts once (and under its
 * `clusters_num`); every cluster row counts an environment if `clusters_num` is not zero; status
 * counts for every cluster with one; nodes, hypervisor and OS only for operational or error
 * clusters, lower-cased, and only when present.
 */
export function reportContribution(summary: InstallationSummary | null): Counts {
  const counts: Counts = new Map();
  if (summary === null || !summary.counted) return counts;
  const scopes = summary.release === null ? [ALL_RELEASES] : [ALL_RELEASES, releaseScope(summary.release)];
  const rows = summary.clusters.length > 0 ? summary.clusters : [{ status: null, nodesNum: null, hypervisor: null, os: null }];
  const clustersNum = Number.parseInt(summary.clustersNum ?? "", 10);
  const withContributors = (summary.counting ?? 1) >= 2;
  for (const scope of scopes) {
    const cells = new Set<string>();
    const count = (metric: ReportMetric, key = "") => {
      add(counts, countKey(scope, metric, key));
      if (metric.startsWith("environments.")) cells.add(countKey(scope, contributorsOf(metric), key));
    };
    count("installations.count");
    count("installations.environments_num", summary.clustersNum ?? "null");
    for (const row of rows) {
      if (Number.isFinite(clustersNum) && clustersNum !== 0) count("environments.count");
      if (row.status !== null && OPERABLE_STATUSES.has(row.status)) {
        if (row.nodesNum) {
          count("environments.nodes_num", row.nodesNum);
          count("environments.operable_envs_count");
        }
        if (row.hypervisor) count("environments.hypervisors_num", row.hypervisor.toLowerCase());
        if (row.os) count("environments.oses_num", row.os.toLowerCase());
      }
      if (row.status !== null) count("environments.statuses", row.status);
    }
    if (withContributors) for (const cell of cells) add(counts, cell);
  }
  return counts;
}

/**
 * Consecutive entries of the same release are one stay in it. Entries are in the order reported
 * within a day (an upgrade and its revert on one day are two stays that day), and are sorted by
 * day only, keeping that order.
 */
export function releaseStays(history: readonly ReleaseEntry[]): ReleaseEntry[] {
  const stays: ReleaseEntry[] = [];
  for (const entry of [...history].sort((a, b) => a.day.localeCompare(b.day))) {
    if (stays.length === 0 || stays.at(-1)!.release !== entry.release) stays.push({ day: entry.day, release: entry.release });
  }
  return stays;
}

/**
 * Version adoption: +1 to a release on the day an installation moved to it, -1 on the day it
 * left, so that installations per release on a day is the running sum up to that day. A move
 * from one known release to another is also an upgrade transition on that day.
 */
export function adoptionContribution(summary: InstallationSummary | null): { days: Counts; transitions: Counts } {
  const days: Counts = new Map();
  const transitions: Counts = new Map();
  if (summary === null || !summary.counted) return { days, transitions };
  const stays = releaseStays(summary.history);
  stays.forEach((stay, i) => {
    const previous = stays[i - 1];
    if (previous?.release != null) add(days, countKey(stay.day, previous.release), -1);
    if (stay.release !== null) add(days, countKey(stay.day, stay.release), 1);
    if (previous?.release != null && stay.release !== null) add(transitions, countKey(stay.day, previous.release, stay.release));
  });
  return { days, transitions };
}

/** `after` minus `before`, without the keys whose difference is zero. */
export function difference(before: Counts, after: Counts): Counts {
  const delta: Counts = new Map(after);
  for (const [key, n] of before) add(delta, key, -n);
  for (const [key, n] of delta) if (n === 0) delta.delete(key);
  return delta;
}

/** Adds `more` into `into` (to gather a chunk's differences into one write). */
export function accumulate(into: Counts, more: Counts): Counts {
  for (const [key, n] of more) add(into, key, n);
  for (const [key, n] of into) if (n === 0) into.delete(key);
  return into;
}

export interface InstallationReport {
  installations: { count: number; environments_num: Record<string, number> };
  environments: {
    count: number;
    operable_envs_count: number;
    statuses: Record<string, number>;
    nodes_num: Record<string, number>;
    hypervisors_num: Record<string, number>;
    oses_num: Record<string, number>;
  };
}

/** The report's JSON from the stored rows of one scope (no rows: the zeros of an unknown release). */
export function reportFromRows(rows: readonly { metric: string; key: string; n: number }[]): InstallationReport {
  const report: InstallationReport = {
    installations: { count: 0, environments_num: {} },
    environments: { count: 0, operable_envs_count: 0, statuses: {}, nodes_num: {}, hypervisors_num: {}, oses_num: {} },
  };
  for (const { metric, key, n } of rows) {
    if (!(REPORT_METRICS as readonly string[]).includes(metric)) continue;
    const [group, field] = metric.split(".") as ["installations" | "environments", string];
    const section = report[group] as unknown as Record<string, number | Record<string, number>>;
    const slot = section[field];
    if (typeof slot === "number") section[field] = slot + n;
    else if (slot !== undefined) slot[key] = (slot[key] ?? 0) + n;
  }
  return report;
}

/**
 * The contributor counts among a scope's stored rows, by `countKey(metric, key)`: how many
 * installations each count of environments comes from.
 */
export function contributorsFromRows(rows: readonly { metric: string; key: string; n: number }[]): Map<string, number> {
  const contributors = new Map<string, number>();
  for (const { metric, key, n } of rows) {
    if (metric.startsWith(CONTRIBUTORS_PREFIX)) contributors.set(countKey(metric.slice(CONTRIBUTORS_PREFIX.length), key), n);
  }
  return contributors;
}

/**
 * Newest first, comparing the numbers in release names as numbers ("10.0" before "9.0"). At the
 * first difference a number comes before text and text goes alphabetically. When one name is the
 * start of the other, a longer one that goes on with a number is newer ("7.0.1" before "7.0") and
 * one that goes on with text is a pre-release, older ("9.0" before "9.0-dev"). Names that do not
 * start with a number come last.
 */
export function compareReleasesNewestFirst(a: string, b: string): number {
  const parts = (s: string) => s.split(/(\d+)/).filter((p) => p !== "");
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i], pb[i]];
    if (x === undefined || y === undefined) {
      const rest = (x === undefined ? pb : pa).slice(i).join("");
      const longerIsNewer = /^[._-]*\d/.test(rest);
      return (x === undefined) === longerIsNewer ? 1 : -1;
    }
    const [xNumber, yNumber] = [/^\d/.test(x), /^\d/.test(y)];
    if (xNumber && yNumber) {
      if (Number(x) !== Number(y)) return Number(y) - Number(x);
    } else if (xNumber !== yNumber) {
      return xNumber ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

export interface AdoptionInput {
  from: string;
  to: string;
  /** Installations per release at the start of `from` (the sum of all changes before it). */
  before: readonly { release: string; n: number }[];
  /** Changes within [from, to]. */
  changes: readonly { day: string; release: string; n: number }[];
  transitions: readonly { day: string; fromRelease: string; toRelease: string; n: number }[];
}

/** The adoption report: a running sum per release for every day of the range, and the moves. */
export function buildAdoption(input: AdoptionInput) {
  const current = new Map<string, number>();
  for (const { release, n } of input.before) current.set(release, (current.get(release) ?? 0) + n);
  const byDay = new Map<string, { release: string; n: number }[]>();
  for (const change of input.changes) byDay.set(change.day, [...(byDay.get(change.day) ?? []), change]);
  const seen = new Set<string>();
  const days: { date: string; installations: Record<string, number> }[] = [];
  for (let date = input.from; date <= input.to; date = addDays(date, 1)) {
    for (const { release, n } of byDay.get(date) ?? []) current.set(release, (current.get(release) ?? 0) + n);
    const installations: Record<string, number> = {};
    for (const [release, n] of [...current].sort(([a], [b]) => compareReleasesNewestFirst(a, b))) {
      if (n === 0) continue;
      installations[release] = n;
      seen.add(release);
    }
    days.push({ date, installations });
  }
  const totals = new Map<string, { from_release: string; to_release: string; installations: number }>();
  for (const t of input.transitions) {
    const key = countKey(t.fromRelease, t.toRelease);
    const total = totals.get(key) ?? { from_release: t.fromRelease, to_release: t.toRelease, installations: 0 };
    total.installations += t.n;
    totals.set(key, total);
  }
  return {
    from_date: input.from,
    to_date: input.to,
    releases: [...seen].sort(compareReleasesNewestFirst),
    days,
    transitions: [...totals.values()].sort(
      (a, b) => b.installations - a.installations || compareReleasesNewestFirst(a.to_release, b.to_release),
    ),
    transitions_by_day: [...input.transitions]
      .sort((a, b) => a.day.localeCompare(b.day) || compareReleasesNewestFirst(a.toRelease, b.toRelease))
      .map((t) => ({ date: t.day, from_release: t.fromRelease, to_release: t.toRelease, installations: t.n })),
  };
}
