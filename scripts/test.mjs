// `npm test`: typecheck the three runtimes, build the UI, run every vitest project, and end with
// the plain line "N passed, N failed" that CI reads.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { ensureDevVars } from "./dev-vars.mjs";
import { summarize } from "./test-summary.mjs";
import { bin, root, toolEnv } from "./tool-env.mjs";

const run = (args) => spawnSync(process.execPath, args, { cwd: root, env: toolEnv, stdio: "inherit" }).status;

ensureDevVars();
let failedSteps = 0;
console.log("> wrangler types --check (worker-configuration.d.ts matches wrangler.toml)");
if (run([bin.wrangler, "types", "--check", "--strict-vars=false"]) !== 0) failedSteps++;
for (const project of [".", "ui", "tsconfig.node.json", "test/e2e", "agent"]) {
  console.log(`> tsc -p ${project}`);
  if (run([bin.tsc, "--noEmit", "-p", project]) !== 0) failedSteps++;
}
console.log("> ui build");
if (run([bin.vite, "build", "--logLevel", "warn"]) !== 0) failedSteps++;

const report = path.join(root, ".vitest.json");
rmSync(report, { force: true });
// workerd prints this when @cloudflare/vitest-pool-workers closes its own control WebSocket to a
// project's runtime at teardown (the pool's stop(): socket.close(), then dispose), after every
// result is in; the pool already drops its siblings ("WebSocket was aborted", "operation
// canceled") but not this one. Only this exact line is dropped: any other output is passed on.
const TEARDOWN_NOISE = /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected$/;
// --silent=passed-only: what a test logs is shown when that test fails, not when it passes (the
// worker's own logs of the failures the tests provoke, its "csv: report done" lines).
const vitestStatus = await new Promise((resolve) => {
  const args = [
    bin.vitest, "run", "--silent=passed-only", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2),
  ];
  // The pool writes workerd's lines to stdout or stderr by level, so both pass through the filter
  // (keeping vitest's colours when a person is watching).
  const env = process.stdout.isTTY ? { ...toolEnv, FORCE_COLOR: "1" } : toolEnv;
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["inherit", "pipe", "pipe"] });
  for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    readline.createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => {
      if (!TEARDOWN_NOISE.test(line)) to.write(`${line}\n`);
    });
  }
  child.on("close", (code) => resolve(code));
});

// Tests that did not run because their file failed count as failed; under CI=true, so does a
// skipped test (scripts/test-summary.mjs).
const { passed, skipped, notes, ...counts } = existsSync(report)
  ? summarize(JSON.parse(readFileSync(report, "utf8")), { ci: process.env.CI === "true" })
  : { passed: 0, failed: 0, skipped: 0, notes: [] };
for (const note of notes) console.log(`> ${note}`);
let failed = counts.failed;
// A failed typecheck or build, or a run that ended without its report, counts as a failure too.
if (failedSteps > 0 || (vitestStatus !== 0 && failed === 0)) failed += Math.max(failedSteps, 1);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
