// The machine, the code and the load of the host, for `npm run bench:csv` (the same facts
// bench/rollup.mjs records, as a library).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { cpuCount, descendants, machineTicks } from "./procstat.mjs";

export function machine(root) {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const memKb = Number(readFileSync("/proc/meminfo", "utf8").match(/^MemTotal:\s*(\d+)/m)?.[1] ?? 0);
  const version = (pkg) => JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version;
  return {
    nproc: spawnSync("nproc", { encoding: "utf8" }).stdout.trim(),
    model: cpuinfo.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "unknown",
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    node: process.version,
    wrangler: version("wrangler"),
    miniflare: version("miniflare"),
    workerd: version("workerd"),
    kernel: os.release(),
  };
}

/** The commit, whether the tree is dirty, and which of the worker's files differ from the commit. */
export function source(root) {
  const git = (args) => spawnSync("git", args, { cwd: root, encoding: "utf8" }).stdout.trim();
  const dirty = git(["status", "--porcelain"]).split("\n").filter(Boolean).length > 0;
  const workerDirty = git(["diff", "--name-only", "HEAD", "--", "worker", "schemas", "migrations", "wrangler.toml", "package-lock.json"])
    .split("\n")
    .filter(Boolean);
  return { commit: git(["rev-parse", "--short", "HEAD"]), dirty, workerDirty };
}

/** Other vitest/workerd processes on the host (not ours). */
export function otherProcesses() {
  const mine = new Set(descendants(process.pid).map((p) => p.pid));
  return spawnSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" })
    .stdout.split("\n")
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m) => m && !mine.has(Number(m[1])) && Number(m[1]) !== process.pid && /vitest|workerd/.test(m[2]))
    .map((m) => m[2].slice(0, 100));
}

export const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** Cores the whole host kept busy over `ms`. */
export async function hostBusy(ms) {
  const a = machineTicks();
  await sleep(ms);
  const b = machineTicks();
  return ((b.busy - a.busy) / (b.total - a.total)) * cpuCount();
}

/** Waits up to `seconds` for no other vitest/workerd and under half a core busy; goes ahead either way. */
export async function waitForQuiet(seconds, log) {
  const deadline = Date.now() + seconds * 1000;
  let busy = 0;
  for (let announced = false; Date.now() < deadline; ) {
    const others = otherProcesses();
    busy = await hostBusy(1000);
    if (others.length === 0 && busy < 0.5) return { quiet: true, busy };
    if (!announced) log(`waiting up to ${seconds} s for a quiet host (busy ${busy.toFixed(2)} cores; ${others.length} other vitest/workerd)`);
    announced = true;
  }
  log("warning: the host is not quiet; the figures will be noisy");
  return { quiet: false, busy };
}
