// is_filtered, with exactly the truth table of fuel-stats (reference §1.6): a structure is
// filtered when its release has rules and its build_id or its package list is not (yet) allowed.
import type { FilteringRules } from "../../schemas/filtering";
import { parseLenientDate } from "../../schemas/filtering";

/** One release's rules, indexed: build ids and sorted package lists, each to a date or null. */
export interface IndexedReleaseRules {
  builds: ReadonlyMap<string, number | null>;
  packages: ReadonlyMap<string, number | null>;
}
/** Release → indexed rules, or null when no build of the release is filtered. */
export type IndexedRules = ReadonlyMap<string, IndexedReleaseRules | null>;

const packagesKey = (packages: readonly string[]) => JSON.stringify([...packages].sort());
const dateOf = (value: string | null | undefined) => (value == null ? null : parseLenientDate(value));

/**
 * Indexes validated rules: the list form becomes lookups by build_id and by sorted package
 * list. Indexing the same rules twice gives the same index.
 */
export function indexFilteringRules(rules: FilteringRules): IndexedRules {
  const index = new Map<string, IndexedReleaseRules | null>();
  for (const [release, releaseRules] of Object.entries(rules)) {
    if (releaseRules === null) {
      index.set(release, null);
      continue;
    }
    const builds = new Map<string, number | null>();
    const packages = new Map<string, number | null>();
    if (Array.isArray(releaseRules)) {
      for (const rule of releaseRules) {
        if ("packages_list" in rule) packages.set(packagesKey(rule.packages_list), dateOf(rule.from_date));
        else builds.set(rule.build_id, dateOf(rule.from_date));
      }
    } else {
      for (const [buildId, fromDate] of Object.entries(releaseRules)) builds.set(buildId, dateOf(fromDate));
    }
    index.set(release, { builds, packages });
  }
  return index;
}

/** What of a structure the rules look at. */
export interface BuildInfo {
  release: string | null;
  buildId: string | null;
  packages: readonly string[] | null;
}

export function buildInfoOf(structure: {
  fuel_release?: { release?: unknown; build_id?: unknown } | null;
  fuel_packages?: unknown;
}): BuildInfo {
  const release = structure.fuel_release?.release;
  const buildId = structure.fuel_release?.build_id;
  const packages = structure.fuel_packages;
  return {
    release: typeof release === "string" ? release : null,
    buildId: typeof buildId === "string" ? buildId : null,
    packages: Array.isArray(packages) ? packages.filter((p): p is string => typeof p === "string") : null,
  };
}

/** Filtered unless the build is allowed: absent, or listed with no date or a date already past. */
function filteredBy(key: string | null, allowed: ReadonlyMap<string, number | null>, now: number): boolean {
  if (key === null) return false;
  if (!allowed.has(key)) return true;
  const from = allowed.get(key)!;
  return from !== null && from > now;
}

export function isFiltered(info: BuildInfo, rules: IndexedRules, now: number): boolean {
  if (rules.size === 0) return false;
  if (info.release === null || !rules.has(info.release)) return true;
  const releaseRules = rules.get(info.release);
  if (releaseRules === null || releaseRules === undefined) return false;
  return (
    filteredBy(info.buildId, releaseRules.builds, now) ||
    filteredBy(info.packages === null ? null : packagesKey(info.packages), releaseRules.packages, now)
  );
}

/**
 * Names the classification the rules give over time: it changes when the stored rules change
 * (`updatedAt`) and when one of their dates passes, since then the same build may flip. A roll-up
 * that finds a new epoch classifies every installation again.
 */
export function rulesEpoch(rules: IndexedRules, updatedAt: number | null, now: number): string {
  let passed = 0;
  for (const release of rules.values()) {
    for (const dates of release === null ? [] : [release.builds, release.packages]) {
      for (const from of dates.values()) if (from !== null && from <= now) passed++;
    }
  }
  return `${updatedAt ?? 0}:${passed}`;
}
