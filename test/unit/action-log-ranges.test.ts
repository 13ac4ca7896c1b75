import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type IdRange, idsWithin, mergeRanges, planRangeWrites, type RangeWrites, runsOf } from "../../worker/domain/action-log-ranges";

const { MIN_SAFE_INTEGER: MIN, MAX_SAFE_INTEGER: MAX } = Number;
const span = (lo: number, n: number) => Array.from({ length: n }, (_, i) => lo + i);

/** The object's table as a map lo → hi, with the writes applied as SQLite would, refusing a taken key. */
function applyWrites(table: Map<number, number>, writes: RangeWrites): void {
  for (const lo of writes.deletes) {
    expect(table.has(lo), `delete of a missing range ${lo}`).toBe(true);
    table.delete(lo);
  }
  for (const { from, lo, hi } of writes.updates) {
    expect(table.has(from), `update of a missing range ${from}`).toBe(true);
    table.delete(from);
    expect(table.has(lo), `update onto a taken key ${lo}`).toBe(false);
    table.set(lo, hi);
  }
  for (const { lo, hi } of writes.inserts) {
    expect(table.has(lo), `insert onto a taken key ${lo}`).toBe(false);
    table.set(lo, hi);
  }
}

const rangesOf = (table: Map<number, number>) => [...table].map(([lo, hi]) => ({ lo, hi })).sort((a, b) => a.lo - b.lo);
const rowsWritten = (w: RangeWrites) => w.deletes.length + w.updates.length + w.inserts.length;

/** What the object's neighbour query answers: stored ranges overlapping or touching a run. */
const neighboursOf = (table: Map<number, number>, runs: readonly IdRange[]) =>
  rangesOf(table).filter((r) => runs.some((run) => r.lo <= run.hi + 1 && r.hi >= run.lo - 1));

function remember(table: Map<number, number>, ids: readonly number[], neighbours = neighboursOf): RangeWrites {
  const runs = runsOf(ids);
  const writes = planRangeWrites(neighbours(table, runs), runs);
  applyWrites(table, writes);
  return writes;
}

describe("runsOf", () => {
  it("sorts, drops repeats and cuts where ids stop being consecutive", () => {
    expect(runsOf([5, 3, 4, 4, 9, 10, -1, 0, 1])).toEqual([
      { lo: -1, hi: 1 },
      { lo: 3, hi: 5 },
      { lo: 9, hi: 10 },
    ]);
    expect(runsOf([])).toEqual([]);
  });

  it("keeps the safe-integer extremes exact", () => {
    expect(runsOf([MAX, MAX - 1, MIN, MIN + 1])).toEqual([
      { lo: MIN, hi: MIN + 1 },
      { lo: MAX - 1, hi: MAX },
    ]);
  });
});

describe("idsWithin", () => {
  it("finds the ids inside any range, bounds included, and none in the gaps", () => {
    const ranges = [
      { lo: 10, hi: 20 },
      { lo: 1, hi: 1 },
      { lo: 30, hi: 30 },
    ];
    expect([...idsWithin([0, 1, 2, 9, 10, 15, 20, 21, 29, 30, 31], ranges)].sort((a, b) => a - b)).toEqual([1, 10, 15, 20, 30]);
  });

  it("accepts overlapping ranges (a legacy id inside a range)", () => {
    expect(idsWithin([5, 12], [{ lo: 1, hi: 10 }, { lo: 5, hi: 5 }, { lo: 12, hi: 12 }])).toEqual(new Set([5, 12]));
  });

  it("answers the extremes", () => {
    expect(idsWithin([MIN, MAX, 0], [{ lo: MIN, hi: MIN }, { lo: MAX, hi: MAX }])).toEqual(new Set([MIN, MAX]));
  });
});

describe("mergeRanges", () => {
  it("joins overlapping and adjacent ranges", () => {
    expect(mergeRanges([{ lo: 5, hi: 6 }, { lo: 1, hi: 4 }, { lo: 8, hi: 9 }, { lo: 9, hi: 9 }])).toEqual([
      { lo: 1, hi: 6 },
      { lo: 8, hi: 9 },
    ]);
  });
});

describe("planRangeWrites", () => {
  it("extends the range that ends just below a batch by updating its one row", () => {
    const table = new Map([[1, 100]]);
    expect(remember(table, span(101, 100))).toEqual({ deletes: [], updates: [{ from: 1, lo: 1, hi: 200 }], inserts: [] });
    expect(rangesOf(table)).toEqual([{ lo: 1, hi: 200 }]);
  });

  it("writes nothing for a batch already stored", () => {
    const table = new Map([[1, 200]]);
    expect(rowsWritten(remember(table, span(50, 100)))).toBe(0);
  });

  it("inserts a run away from every range as one row", () => {
    const table = new Map([[1, 100]]);
    expect(remember(table, span(500, 100))).toEqual({ deletes: [], updates: [], inserts: [{ lo: 500, hi: 599 }] });
  });

  it("fills a gap between two ranges with one update and one delete", () => {
    const table = new Map([
      [1, 100],
      [151, 200],
    ]);
    expect(remember(table, span(101, 50))).toEqual({ deletes: [151], updates: [{ from: 1, lo: 1, hi: 200 }], inserts: [] });
    expect(rangesOf(table)).toEqual([{ lo: 1, hi: 200 }]);
  });

  it("moves the key of a range a batch extends from below, in one row", () => {
    const table = new Map([[101, 200]]);
    expect(remember(table, span(1, 100))).toEqual({ deletes: [], updates: [{ from: 101, lo: 1, hi: 200 }], inserts: [] });
  });

  it("swallows the ranges a run covers, keeping the one whose key stays", () => {
    const table = new Map([
      [5, 6],
      [10, 12],
      [20, 20],
    ]);
    expect(remember(table, span(5, 20))).toEqual({ deletes: [10, 20], updates: [{ from: 5, lo: 5, hi: 24 }], inserts: [] });
  });

  it("costs one row per id when no two ids are consecutive, and nothing to send them again", () => {
    const table = new Map<number, number>();
    const ids = span(0, 100).map((i) => 2001 + 2 * i);
    expect(rowsWritten(remember(table, ids))).toBe(100);
    expect(rowsWritten(remember(table, ids))).toBe(0);
  });

  it("stores ranges at the safe-integer extremes", () => {
    const table = new Map<number, number>();
    remember(table, [MAX, MAX - 2, MIN, MIN + 2]);
    remember(table, [MAX - 1, MIN + 1]);
    expect(rangesOf(table)).toEqual([
      { lo: MIN, hi: MIN + 2 },
      { lo: MAX - 2, hi: MAX },
    ]);
  });

  // Batches as a Fuel master sends them, and worse: runs in or out of order, re-sent, with gaps,
  // scattered ids, near 0 and near both safe-integer extremes.
  const anchor = fc.constantFrom(0, 1_000, 2 ** 32, MAX - 400, MIN, -300);
  const batch = fc.oneof(
    fc
      .record({ from: anchor, offset: fc.nat(300), n: fc.integer({ min: 1, max: 120 }), shuffle: fc.boolean() })
      .map(({ from, offset, n, shuffle }) => {
        const ids = span(from + offset, Math.min(n, MAX - (from + offset) + 1));
        return shuffle ? ids.reverse() : ids;
      }),
    fc.tuple(anchor, fc.array(fc.nat(400), { maxLength: 60 })).map(([from, offsets]) => offsets.map((o) => Math.min(from + o, MAX))),
    fc.array(fc.integer({ min: MIN, max: MAX }), { maxLength: 5 }),
  );
  const batches = fc.array(fc.oneof(batch, fc.nat().map((resend) => ({ resend }))), { maxLength: 25 });

  it("remembers exactly the union of the batches, in disjoint, non-adjacent ranges", () => {
    for (const neighbours of [neighboursOf, (table: Map<number, number>) => rangesOf(table)]) {
      fc.assert(
        fc.property(batches, (steps) => {
          const table = new Map<number, number>();
          const sent: number[][] = [];
          for (const step of steps) {
            const ids = Array.isArray(step) ? step : (sent[step.resend % Math.max(sent.length, 1)] ?? []);
            const known = new Set(sent.flat());
            const writes = remember(table, ids, neighbours);
            if (ids.every((id) => known.has(id))) expect(rowsWritten(writes)).toBe(0);
            sent.push(ids);
          }
          const stored = rangesOf(table);
          expect(stored).toEqual(runsOf(sent.flat()));
          stored.forEach((r, i) => {
            expect(r.hi).toBeGreaterThanOrEqual(r.lo);
            if (i > 0) expect(r.lo).toBeGreaterThan(stored[i - 1]!.hi + 1);
          });
          const probe = [...sent.flat(), ...sent.flat().flatMap((id) => [id - 1, id + 1]).filter(Number.isSafeInteger)];
          const expected = new Set(sent.flat());
          expect(idsWithin(probe, stored)).toEqual(new Set(probe.filter((id) => expected.has(id))));
        }),
        { numRuns: 300 },
      );
    }
  });

  it("writes at most one row per run of new ids, plus one per range it swallows", () => {
    fc.assert(
      fc.property(batches, (steps) => {
        const table = new Map<number, number>();
        for (const step of steps) {
          if (!Array.isArray(step)) continue;
          const before = table.size;
          const writes = remember(table, step);
          expect(writes.updates.length + writes.inserts.length).toBeLessThanOrEqual(runsOf(step).length);
          expect(table.size).toBe(before + writes.inserts.length - writes.deletes.length);
        }
      }),
    );
  });
});
