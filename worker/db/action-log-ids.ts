// The Installation object's memory of the action-log ids it stored, in its own SQLite storage:
// `action_log_ranges`, disjoint and never adjacent ranges of ids (worker/domain/action-log-ranges.ts).
//
// Objects made before it remember ids one row each in `action_log_keys`. That table is still read,
// never written: converting it would cost either one row written per id again (deleting the rows a
// chunk at a time, the very cost the ranges save) or one unbounded statement in a migration (an
// object may hold hundreds of thousands of ids, and a migration that fails leaves the installation
// unable to write at all). Reading it costs one index seek per id of a batch, in the same
// statement as the ranges, and nothing when it is empty, as it is in every object made since.
import { type IdRange, idsWithin, planRangeWrites, runsOf } from "../domain/action-log-ranges";

/**
 * Every stored range that overlaps a run of ?1 ([[lo, hi], …]) or touches it: for each run, one
 * seek to the last range starting below it, then the ranges starting within it or just after it.
 */
export const NEIGHBOUR_RANGES = `
WITH runs (lo, hi) AS (SELECT value ->> 0, value ->> 1 FROM json_each(?1))
SELECT DISTINCT r.lo AS lo, r.hi AS hi
FROM runs JOIN action_log_ranges AS r
  ON r.lo >= coalesce((SELECT f.lo FROM action_log_ranges AS f WHERE f.lo < runs.lo ORDER BY f.lo DESC LIMIT 1), runs.lo)
 AND r.lo <= runs.hi + 1
WHERE r.hi >= runs.lo - 1`;

/** The neighbouring ranges, and the ids of ?2 the legacy table holds, each as a range of one. */
export const STORED_RANGES = `${NEIGHBOUR_RANGES}
UNION ALL
SELECT external_id, external_id FROM action_log_keys WHERE external_id IN (SELECT value FROM json_each(?2))`;

const DELETE_RANGES = `DELETE FROM action_log_ranges WHERE lo IN (SELECT value FROM json_each(?))`;
const UPDATE_RANGES = `
UPDATE action_log_ranges SET lo = u.value ->> 1, hi = u.value ->> 2
FROM json_each(?) AS u WHERE action_log_ranges.lo = u.value ->> 0`;
const INSERT_RANGES = `INSERT INTO action_log_ranges (lo, hi) SELECT value ->> 0, value ->> 1 FROM json_each(?)`;

const asJson = (runs: readonly IdRange[]) => JSON.stringify(runs.map((r) => [r.lo, r.hi]));

/** The ids of `externalIds` this object has stored. One statement. */
export function findStoredActionLogIds(sql: SqlStorage, externalIds: readonly number[]): Set<number> {
  if (externalIds.length === 0) return new Set();
  const ranges = sql.exec<{ lo: number; hi: number }>(STORED_RANGES, asJson(runsOf(externalIds)), JSON.stringify(externalIds)).toArray();
  return idsWithin(externalIds, ranges);
}

/**
 * Remembers ids D1 has committed. A batch of consecutive ids next to a stored range rewrites that
 * one row; the statements run without an await between them, so the object commits them together.
 */
export function rememberActionLogIds(sql: SqlStorage, externalIds: readonly number[]): void {
  if (externalIds.length === 0) return;
  const runs = runsOf(externalIds);
  const neighbours = sql.exec<{ lo: number; hi: number }>(NEIGHBOUR_RANGES, asJson(runs)).toArray();
  const { deletes, updates, inserts } = planRangeWrites(neighbours, runs);
  if (deletes.length > 0) sql.exec(DELETE_RANGES, JSON.stringify(deletes));
  if (updates.length > 0) sql.exec(UPDATE_RANGES, JSON.stringify(updates.map((u) => [u.from, u.lo, u.hi])));
  if (inserts.length > 0) sql.exec(INSERT_RANGES, asJson(inserts));
}

/** How many ids the object remembers, counted as ids, not rows. */
export const COUNT_ACTION_LOG_IDS = `(SELECT coalesce(sum(hi - lo + 1), 0) FROM action_log_ranges) + (SELECT count(*) FROM action_log_keys)`;
