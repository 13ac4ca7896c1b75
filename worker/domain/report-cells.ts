// The numbers of each public report as cells for small-cell suppression (domain/suppression.ts):
// where each is, how many installations it comes from, and which of them add up to which.
import { countKey, type InstallationReport } from "./rollup";
import { type Cell, type Group, pointer } from "./suppression";

const ENVIRONMENT_MAPS = ["statuses", "nodes_num", "hypervisors_num", "oses_num"] as const;

/** A count of installations: the number is its own count of installations. */
const installationsCell = (at: string, value: number): Cell => ({ pointer: at, value, installations: value, countsInstallations: true });

/**
 * The installations report. `contributors` (by `countKey(metric, key)`, from the roll-up) says how
 * many installations each count of environments comes from; one missing counts as none, so that a
 * number the roll-up has not yet attributed is withheld rather than shown.
 */
export function installationsReportCells(report: InstallationReport, contributors: ReadonlyMap<string, number>) {
  const cells: Cell[] = [];
  const environmentsCell = (at: string, value: number, metric: string, key = ""): Cell => ({
    pointer: at,
    value,
    installations: contributors.get(countKey(metric, key)) ?? 0,
    countsInstallations: false,
  });
  const count = pointer("installations", "count");
  cells.push(installationsCell(count, report.installations.count));
  const byEnvironments = Object.entries(report.installations.environments_num).map(([key, n]) =>
    installationsCell(pointer("installations", "environments_num", key), n),
  );
  cells.push(...byEnvironments);
  const environments = pointer("environments", "count");
  const operable = pointer("environments", "operable_envs_count");
  cells.push(environmentsCell(environments, report.environments.count, "environments.count"));
  cells.push(environmentsCell(operable, report.environments.operable_envs_count, "environments.operable_envs_count"));
  const maps = Object.fromEntries(
    ENVIRONMENT_MAPS.map((field) => [
      field,
      Object.entries(report.environments[field]).map(([key, n]) => environmentsCell(pointer("environments", field, key), n, `environments.${field}`, key)),
    ]),
  ) as Record<(typeof ENVIRONMENT_MAPS)[number], Cell[]>;
  for (const field of ENVIRONMENT_MAPS) cells.push(...maps[field]);

  // Not a group: environments.count is also Σ n × environments_num[n] when clusters_num is the
  // number of clusters, a second equation over environments_num (docs/privacy.md says what that
  // leaves open).
  const groups: Group[] = [
    { total: count, members: byEnvironments.map((c) => c.pointer) },
    { total: operable, members: maps.nodes_num.map((c) => c.pointer) },
    // Every environment with a status: in reports from real senders, every environment.
    { total: environments, members: maps.statuses.map((c) => c.pointer) },
  ];
  return { cells, groups };
}

/** The releases report: installations per release (no total in the same answer). */
export function releasesCells(releases: readonly { installations: number }[]) {
  return { cells: releases.map((r, i) => installationsCell(pointer("releases", i, "installations"), r.installations)), groups: [] as Group[] };
}

export interface AdoptionNumbers {
  days: readonly { installations: Readonly<Record<string, number>> }[];
  transitions: readonly { from_release: string; to_release: string; installations: number }[];
  transitions_by_day: readonly { from_release: string; to_release: string; installations: number }[];
}

/**
 * The adoption report: installations per release and day, and moves between releases, which count
 * as installations (an installation that makes the same move twice in a range counts twice). The
 * moves of a pair over the range add up to the pair's moves day by day.
 */
export function adoptionCells(adoption: AdoptionNumbers) {
  const cells: Cell[] = [];
  adoption.days.forEach((day, i) => {
    for (const [release, n] of Object.entries(day.installations)) cells.push(installationsCell(pointer("days", i, "installations", release), n));
  });
  const byPair = new Map<string, string[]>();
  adoption.transitions_by_day.forEach((t, i) => {
    const at = pointer("transitions_by_day", i, "installations");
    cells.push(installationsCell(at, t.installations));
    const pair = countKey(t.from_release, t.to_release);
    byPair.set(pair, [...(byPair.get(pair) ?? []), at]);
  });
  const groups: Group[] = adoption.transitions.map((t, i) => {
    const at = pointer("transitions", i, "installations");
    cells.push(installationsCell(at, t.installations));
    return { total: at, members: byPair.get(countKey(t.from_release, t.to_release)) ?? [] };
  });
  return { cells, groups };
}

/** The filtering report: installations left out, in all and by release (which add up to it). */
export function filteringCells(filtered: { count: number; releases: Readonly<Record<string, number>> }) {
  const total = pointer("filtered", "count");
  const members = Object.entries(filtered.releases).map(([release, n]) => installationsCell(pointer("filtered", "releases", release), n));
  return { cells: [installationsCell(total, filtered.count), ...members], groups: [{ total, members: members.map((c) => c.pointer) }] as Group[] };
}
