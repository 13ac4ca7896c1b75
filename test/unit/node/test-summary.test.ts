// scripts/test-summary.mjs: the counts behind `npm test`'s closing line. The reports below have the
// shape vitest 4.1's JSON reporter gives (checked by running it on a file whose beforeAll throws:
// its tests come back "skipped", the file "failed", numFailedTests 0).
import { describe, expect, it } from "vitest";
import { summarize } from "../../../scripts/test-summary.mjs";

type Status = "passed" | "failed" | "skipped" | "pending" | "todo";
const file = (name: string, status: "passed" | "failed", tests: Status[]) => ({
  name,
  status,
  message: "",
  assertionResults: tests.map((s, i) => ({ fullName: `${name} test ${i}`, status: s })),
});

describe("npm test's verdict", () => {
  it("counts the tests of a file whose beforeAll failed as failed, not skipped", () => {
    const report = { testResults: [file("broken-hook.test.ts", "failed", ["skipped", "skipped"]), file("fine.test.ts", "passed", ["passed"])] };
    for (const ci of [false, true]) {
      expect(summarize(report, { ci })).toMatchObject({ passed: 1, failed: 2, skipped: 0 });
    }
    expect(summarize(report, { ci: false }).notes).toEqual([expect.stringContaining("broken-hook.test.ts: the file failed outside its tests")]);
  });

  it("counts a file that failed to load, with no tests, as one failure", () => {
    expect(summarize({ testResults: [file("syntax.test.ts", "failed", [])] }, { ci: false })).toMatchObject({ passed: 0, failed: 1 });
  });

  it("counts only the real failures of a file whose tests failed on their own", () => {
    const report = { testResults: [file("a.test.ts", "failed", ["passed", "failed", "skipped"])] };
    expect(summarize(report, { ci: false })).toMatchObject({ passed: 1, failed: 1, skipped: 1 });
  });

  it("reports a skipped test as skipped outside CI, and as a failure under CI=true", () => {
    const report = { testResults: [file("e2e.test.ts", "passed", ["passed", "skipped", "todo"])] };
    expect(summarize(report, { ci: false })).toMatchObject({ passed: 1, failed: 0, skipped: 2 });
    const underCi = summarize(report, { ci: true });
    expect(underCi).toMatchObject({ passed: 1, failed: 2, skipped: 0 });
    expect(underCi.notes).toEqual([
      'e2e.test.ts: "e2e.test.ts test 1" was skipped, which fails the run under CI=true',
      'e2e.test.ts: "e2e.test.ts test 2" was skipped, which fails the run under CI=true',
    ]);
  });

  it("passes a run where every test passed", () => {
    expect(summarize({ testResults: [file("a.test.ts", "passed", ["passed", "passed"])] }, { ci: true })).toEqual({ passed: 2, failed: 0, skipped: 0, notes: [] });
  });
});
