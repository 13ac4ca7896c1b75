// The installation's memory of stored action-log ids, as ranges of consecutive ids: a Fuel master
// numbers its logs with an autoincrementing id, so a batch is mostly one run that extends the range
// ending just below it, and remembering it rewrites one row instead of adding one per id.
// Ids are safe integers (schemas/collector.ts), so lo - 1 and hi + 1 are exact: 2 ** 53 is a double.

/** The ids lo … hi, both included. Stored ranges are disjoint and never adjacent (hi + 1 < next lo). */
export interface IdRange {
  lo: number;
  hi: number;
}

/** The writes that add runs of ids to the stored ranges, fewest rows first. */
export interface RangeWrites {
  /** The `lo` of stored ranges merged into another one. */
  deletes: number[];
  /** Stored ranges that grow: the row keyed `from` becomes lo … hi. */
  updates: { from: number; lo: number; hi: number }[];
  inserts: IdRange[];
}

/** The distinct ids as ascending runs of consecutive integers. */
export function runsOf(ids: Iterable<number>): IdRange[] {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: IdRange[] = [];
  for (const id of sorted) {
    const last = runs[runs.length - 1];
    if (last && id === last.hi + 1) last.hi = id;
    else runs.push({ lo: id, hi: id });
  }
  return runs;
}

/** The ids that lie in one of `ranges` (in any order; they may overlap). */
export function idsWithin(ids: Iterable<number>, ranges: readonly IdRange[]): Set<number> {
  const merged = mergeRanges(ranges);
  const found = new Set<number>();
  for (const id of ids) {
    // The last range starting at or below id is the only one that can hold it.
    let [low, high] = [0, merged.length - 1];
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (merged[mid]!.lo > id) high = mid - 1;
      else if (merged[mid]!.hi < id) low = mid + 1;
      else {
        found.add(id);
        break;
      }
    }
  }
  return found;
}

/** The same ids as disjoint, non-adjacent ranges in ascending order. */
export function mergeRanges(ranges: readonly IdRange[]): IdRange[] {
  const merged: IdRange[] = [];
  for (const { lo, hi } of [...ranges].sort((a, b) => a.lo - b.lo)) {
    const last = merged[merged.length - 1];
    if (last && lo <= last.hi + 1) last.hi = Math.max(last.hi, hi);
    else merged.push({ lo, hi });
  }
  return merged;
}

/**
 * What to write so that the stored ranges also hold `runs`. `neighbours` must be every stored range
 * that overlaps a run or touches it (ends at its lo - 1 or starts at its hi + 1); others may be
 * included and stay as they are. Each merged range costs one row written (the stored range it
 * grows from, preferably the one with the same lo so that the key stays, or a new row), and each
 * other stored range it swallows one delete. Runs already stored cost nothing.
 */
export function planRangeWrites(neighbours: readonly IdRange[], runs: readonly IdRange[]): RangeWrites {
  const writes: RangeWrites = { deletes: [], updates: [], inserts: [] };
  const pieces = [
    ...neighbours.map((r) => ({ lo: r.lo, hi: r.hi, stored: true })),
    ...runs.map((r) => ({ lo: r.lo, hi: r.hi, stored: false })),
  ].sort((a, b) => a.lo - b.lo || Number(b.stored) - Number(a.stored));

  let group: typeof pieces = [];
  let hi = -Infinity;
  const close = () => {
    if (group.length === 0) return;
    const lo = group[0]!.lo;
    const stored = group.filter((p) => p.stored);
    const keep = stored.find((p) => p.lo === lo) ?? stored[0];
    if (!keep) writes.inserts.push({ lo, hi });
    else if (keep.lo !== lo || keep.hi !== hi) writes.updates.push({ from: keep.lo, lo, hi });
    for (const p of stored) if (p !== keep) writes.deletes.push(p.lo);
  };
  for (const piece of pieces) {
    if (piece.lo > hi + 1) {
      close();
      group = [];
      hi = -Infinity;
    }
    group.push(piece);
    hi = Math.max(hi, piece.hi);
  }
  close();
  return writes;
}
