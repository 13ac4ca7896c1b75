// What the benchmarks share around their runs: checking the host before one, their section of
// bench/RESULTS.md, and the command line (`--render` redoes the section from the last raw data).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bin, root } from "../../scripts/tool-env.mjs";
import { loadavg, otherProcesses, source, waitForQuiet } from "./bench-host.mjs";
import { assertPortFree, must, node } from "./bench-worker.mjs";
import { canonical } from "./installations.mjs";

/**
 * A run's checks, each `{ what, ok, expected, actual }` in `list`; a failure is logged at once.
 * `equal` compares objects by their canonical JSON (and records them as null).
 */
export function makeChecks(log) {
  const list = [];
  const isObject = (v) => typeof v === "object";
  const shown = (v) => (isObject(v) ? canonical(v).slice(0, 400) : v);
  return {
    list,
    equal(what, expected, actual) {
      const ok = isObject(expected) ? canonical(expected) === canonical(actual) : expected === actual;
      list.push({ what, ok, expected: isObject(expected) ? null : expected, actual: isObject(actual) ? null : actual });
      if (!ok) log(`FAIL ${what}: expected ${shown(expected)}, found ${shown(actual)}`);
      return ok;
    },
    truth(what, ok, detail = "") {
      list.push({ what, ok, expected: null, actual: detail || null });
      if (!ok) log(`FAIL ${what} ${detail}`);
      return ok;
    },
  };
}

export const KEPT_MARKER = "<!-- kept across runs: write below this line -->";

/**
 * Replaces the section `<!-- name -->` … `<!-- /name -->` below the kept marker of `out` with
 * `body`, or adds it at the end; the rest of the file stays as it is.
 */
export function writeSection(out, name, body) {
  const [start, end] = [`<!-- ${name} -->`, `<!-- /${name} -->`];
  const section = `${start}\n${body.trim()}\n${end}`;
  let text = existsSync(out) ? readFileSync(out, "utf8") : "";
  const kept = text.indexOf(KEPT_MARKER);
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from !== -1 && to > from && kept !== -1 && from > kept) {
    text = text.slice(0, from) + section + text.slice(to + end.length);
  } else {
    if (kept === -1) text = `${text.trimEnd()}\n\n${KEPT_MARKER}\n`;
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(out, text);
}

/**
 * Before a run: Linux, a free port, a built UI, then up to `waitQuiet` seconds for a quiet host.
 * Returns the code measured and the host's load at the start.
 */
export async function beforeRun({ port, waitQuiet, log }) {
  if (!existsSync("/proc/stat")) throw new Error("the bench reads /proc: Linux only");
  await assertPortFree(port);
  if (!existsSync(path.join(root, "public/index.html"))) {
    log("building the UI (public/ is missing)");
    must(node([bin.vite, "build", "--logLevel", "warn"]), "vite build");
  }
  const code = source(root);
  const quiet = await waitForQuiet(waitQuiet, log);
  return { code, quiet, load: { before: { loadavg: loadavg(), busy: quiet.busy, others: otherProcesses() } } };
}

/**
 * The command line: runs `main`, or with `--render` writes the results again from the raw data
 * of the last run (`raw`) through `write`. A failure exits 1.
 */
export function benchMain({ main, write, raw, out, label, log }) {
  const render = () => {
    const report = JSON.parse(readFileSync(raw, "utf8"));
    report.startedAt = new Date(report.startedAt);
    report.finishedAt = new Date(report.finishedAt);
    write(report);
    log(`re-rendered ${path.relative(root, out)} from ${path.relative(root, raw)}`);
  };
  (process.argv.includes("--render") ? Promise.resolve().then(render) : main()).catch((error) => {
    console.error(`[${label}] failed:`, error);
    process.exit(1);
  });
}
