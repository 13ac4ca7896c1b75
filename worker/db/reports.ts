// Reads of the roll-up tables for the reports. Each is one indexed lookup of pre-counted rows:
// no report reads collector data at request time.
import { ALL_RELEASES, releaseScope } from "../domain/rollup";

export async function readReportRows(db: D1Database, release: string | null) {
  const result = await db
    .prepare(`SELECT metric, key, n FROM report_counts WHERE scope = ?`)
    .bind(release === null ? ALL_RELEASES : releaseScope(release))
    .all<{ metric: string; key: string; n: number }>();
  return result.results;
}

/** Releases with counted installations, and how many. */
export async function readReleases(db: D1Database) {
  const prefix = releaseScope("");
  const result = await db
    .prepare(
      `SELECT substr(scope, ?1) AS release, n FROM report_counts
       WHERE scope > ?2 AND scope < ?3 AND metric = 'installations.count' AND key = ''`,
    )
    .bind(prefix.length + 1, prefix, `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`)
    .all<{ release: string; n: number }>();
  return result.results;
}

export async function readAdoption(db: D1Database, from: string, to: string) {
  const [before, changes, transitions] = await db.batch([
    db.prepare(`SELECT release, sum(n) AS n FROM adoption_changes WHERE day < ? GROUP BY release`).bind(from),
    db.prepare(`SELECT day, release, n FROM adoption_changes WHERE day BETWEEN ? AND ?`).bind(from, to),
    db
      .prepare(
        `SELECT day, from_release AS fromRelease, to_release AS toRelease, n FROM release_transitions WHERE day BETWEEN ? AND ?`,
      )
      .bind(from, to),
  ]);
  return {
    before: before!.results as { release: string; n: number }[],
    changes: changes!.results as { day: string; release: string; n: number }[],
    transitions: transitions!.results as { day: string; fromRelease: string; toRelease: string; n: number }[],
  };
}

/**
 * The roll-up's state as the reports see it: its version and when that version committed (they
 * move with every commit to the roll-up tables, which happen nowhere else), and when the roll-up
 * last ran, the later of its last commit and its last successful hourly run (null: it never ran).
 */
export async function readRollupState(
  db: D1Database,
  job: string,
): Promise<{ version: number; committedAt: number | null; asOf: number | null }> {
  const [cursor, run] = await db.batch([
    db.prepare(`SELECT version, committed_at AS at FROM rollup_cursors WHERE job = ? ORDER BY version DESC LIMIT 1`).bind(job),
    db
      .prepare(`SELECT finished_at AS at FROM job_runs WHERE job = ? AND status = 'ok' ORDER BY started_at DESC LIMIT 1`)
      .bind(job),
  ]);
  const committed = (cursor!.results[0] as { version: number; at: number } | undefined) ?? null;
  const ran = (run!.results[0] as { at: number | null } | undefined)?.at ?? null;
  const times = [committed?.at ?? null, ran].filter((t): t is number => t !== null);
  return {
    version: committed?.version ?? 0,
    committedAt: committed?.at ?? null,
    asOf: times.length > 0 ? Math.max(...times) : null,
  };
}

/** Installations the last roll-up classified as filtered, by release (a scan: callers memoize it per version). */
export async function readFilteredByRelease(db: D1Database) {
  const result = await db
    .prepare(`SELECT coalesce(release, '') AS release, count(*) AS n FROM rollup_installations WHERE is_filtered = 1 GROUP BY 1`)
    .all<{ release: string; n: number }>();
  return result.results;
}
