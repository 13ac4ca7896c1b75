// Releases by date: a record belongs to the first release that ends after it.
import { type ConfigRelease, parseConfigDate } from "../../../schemas/contrib/default-data";

export interface Release {
  release_name: string;
  /** Seconds of midnight UTC of the end date; the release holds what happened before it. */
  end_date: number;
  project?: string;
}

/** Names lower-cased, sorted by end date. */
export function normalizeReleases(releases: readonly ConfigRelease[]): Release[] {
  return releases
    .map((r) => ({ release_name: r.release_name.toLowerCase(), end_date: parseConfigDate(r.end_date)!, ...(r.project ? { project: r.project } : {}) }))
    .sort((a, b) => a.end_date - b.end_date);
}

/**
 * The release of a record at `seconds`: the first whose end is strictly after it; a record after
 * the last release's end goes to the last release (it is the one in progress). Null without releases.
 */
export function releaseAt(releases: readonly Release[], seconds: number): string | null {
  let lo = 0;
  let hi = releases.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (releases[mid]!.end_date > seconds) hi = mid;
    else lo = mid + 1;
  }
  return (releases[lo] ?? releases.at(-1))?.release_name ?? null;
}

/** Each release's first second: the previous release's end (the first starts at 0). */
export function releaseRange(releases: readonly Release[], name: string): { start: number; end: number } | null {
  const i = releases.findIndex((r) => r.release_name === name);
  if (i < 0) return null;
  return { start: i === 0 ? 0 : releases[i - 1]!.end_date, end: releases[i]!.end_date };
}
