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
