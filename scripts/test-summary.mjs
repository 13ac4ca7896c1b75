// The verdict `npm test` prints from vitest's JSON report. Vitest reports the tests of a file whose
// beforeAll (or import) failed as "skipped", with numFailedTests 0; those tests never ran, so they
// count as failed here, as does a failed file with no tests at all. Under CI, a test skipped for
// any other reason (a missing browser, ctx.skip) fails the run too: CI must run every test.

/**
 * @param {{ testResults: { name: string; status: string; message?: string;
 *   assertionResults: { fullName: string; status: string }[] }[] }} report vitest's JSON report
 * @param {{ ci: boolean }} options
 * @returns {{ passed: number; failed: number; skipped: number; notes: string[] }}
 */
export function summarize(report, { ci }) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const notes = [];
  for (const file of report.testResults) {
    const unrun = file.assertionResults.filter((t) => t.status === "skipped" || t.status === "pending" || t.status === "todo");
    passed += file.assertionResults.filter((t) => t.status === "passed").length;
    failed += file.assertionResults.filter((t) => t.status === "failed").length;
    if (file.status === "failed" && file.assertionResults.every((t) => t.status !== "failed")) {
      // Nothing in it failed on its own, so a hook or the import did: whatever it held did not run.
      failed += Math.max(unrun.length, 1);
      notes.push(`${file.name}: the file failed outside its tests (a hook or the import), so its ${unrun.length} tests did not run`);
      continue;
    }
    if (ci && unrun.length > 0) {
      failed += unrun.length;
      for (const t of unrun) notes.push(`${file.name}: "${t.fullName}" was skipped, which fails the run under CI=true`);
      continue;
    }
    skipped += unrun.length;
    for (const t of unrun) notes.push(`${file.name}: "${t.fullName}" was skipped`);
  }
  return { passed, failed, skipped, notes };
}
