import { describe, expect, it } from "vitest";
import { MEASURES, type Measures, contributionMarks, markBucket, marksColumns, measuresAt, measuresOf, percent, withMarksColumns, zeroMeasures } from "../../../worker/domain/contrib/metrics";
import { totalsDeltas } from "../../../worker/domain/contrib/records";

const measures = (values: Partial<Measures>): Measures => ({ ...zeroMeasures(), ...values });

describe("markBucket", () => {
  it.each<[string, number, string]>([
    ["Code-Review", -2, "-2"],
    ["Code-Review", -1, "-1"],
    ["Code-Review", 1, "1"],
    ["Code-Review", 2, "2"],
    ["Workflow", 1, "A"],
    ["Workflow", -1, "WIP"],
    ["Abandon", 0, "x"],
    ["Self-Code-Review", 2, "s"],
    ["Self-Workflow", 1, "s"],
    ["Self-Abandon", 0, "s"],
    ["Code-Review", 0, "0"],
    ["Workflow", 0, "0"],
  ])("tallies %s %i under %s", (type, value, bucket) => {
    expect(markBucket(type, value)).toBe(bucket);
  });
});

describe("the marks columns of a stats row", () => {
  it("gives the distribution, the ratios in Stackalytics' format, and shows 0 only when there are self or other votes", () => {
    const m = measures({ mark_n2: 1, mark_n1: 2, mark_p1: 3, mark_p2: 4, mark_a: 5, mark_x: 6, mark_wip: 7, disagreements: 2 });
    expect(marksColumns(m)).toEqual({
      "-2": 1,
      "-1": 2,
      "1": 3,
      "2": 4,
      A: 5,
      x: 6,
      positive_ratio: "70.0%",
      mark_ratio: "1|2|3|4|5|6 (70.0%)",
      disagreements: 2,
      disagreement_ratio: "20.0%",
    });
    expect(marksColumns(measures({ mark_s: 2, mark_0: 1 }))).toMatchObject({ "0": 3, positive_ratio: "&#x221E;", disagreement_ratio: "&#x221E;" });
  });

  it("formats a ratio with one decimal, and infinity without a denominator", () => {
    expect(percent(853, 1000)).toBe("85.3%");
    expect(percent(2, 3)).toBe("66.7%");
    expect(percent(0, 0)).toBe("&#x221E;");
  });

  it("sets the columns on a row, after its own, as JSON shows them", () => {
    const m = measures({ mark_n2: 1, mark_p2: 1, mark_0: 1 });
    const row = withMarksColumns({ id: "u", name: "U", metric: 2 }, m);
    expect(JSON.stringify(row)).toBe(JSON.stringify({ id: "u", name: "U", metric: 2, ...marksColumns(m) }));
    expect(Object.keys(row).slice(0, 6)).toEqual(["0", "1", "2", "id", "name", "metric"]);
  });

  it("reads the measures of a raw row in MEASURES' order", () => {
    const cells = ["id", ...MEASURES.map((_, i) => i + 1), "after"];
    expect(measuresAt(cells, 1)).toEqual(Object.fromEntries(MEASURES.map((m, i) => [m, i + 1])));
  });

  it("keeps all nine buckets for /contribution", () => {
    expect(contributionMarks(measures({ mark_s: 1, mark_wip: 2 }))).toEqual({ "-2": 0, "-1": 0, "0": 0, "1": 0, "2": 0, A: 0, WIP: 2, x: 0, s: 1 });
  });
});

describe("what a record adds to the totals", () => {
  const mark = (type: string, value: number, disagreement = false) => ({ record_type: "mark", loc: 0, fields: { type, value, ...(disagreement ? { disagreement } : {}) } });

  it("counts a mark in its bucket and its disagreement, and an abandoned review", () => {
    expect(measuresOf(mark("Code-Review", -1, true))).toMatchObject({ records: 1, mark_n1: 1, disagreements: 1 });
    expect(measuresOf({ record_type: "review", loc: 0, fields: { status: "ABANDONED" } })).toMatchObject({ records: 1, abandoned: 1 });
    expect(measuresOf({ record_type: "commit", loc: 12, fields: {} })).toEqual(measures({ records: 1, loc: 12 }));
  });

  it("moves a mark's bucket when its vote's disagreement flag changes, and writes nothing for an unchanged one", () => {
    const base = { primary_key: "m", record_type: "mark" as const, date: 0, day: 0, week: 0, profile_seq: 1, user_id: "u", author_name: "U", author_email: null, company_name: "C", release: "r", module: "m", loc: 0 };
    const before = { ...base, fields: { type: "Code-Review", value: 1 } };
    const after = { ...base, fields: { type: "Code-Review", value: 1, disagreement: true } };
    expect(totalsDeltas([{ before, after }])).toEqual([expect.objectContaining({ records: 0, mark_p1: 0, disagreements: 1 })]);
    expect(totalsDeltas([{ before, after: before }])).toEqual([]);
  });
});
