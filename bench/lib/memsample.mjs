// Resident memory of processes from /proc (Linux only), for `npm run bench:csv`: VmRSS and its
// anonymous and file-backed parts sampled every few tens of milliseconds in a worker thread (so
// that a busy main thread reading a download does not delay the samples), plus the kernel's own
// high-water mark VmHWM, which can be reset for a process we own (`echo 5 > clear_refs`), so the
// true peak of an interval is known even between two samples.
import { readFileSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";

const KIB = 1024;

/** VmRSS, RssAnon, RssFile, VmHWM of a process in bytes, or null when it is gone. */
export function memoryOf(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const field = (name) => Number(text.match(new RegExp(`^${name}:\\s*(\\d+) kB`, "m"))?.[1] ?? NaN) * KIB;
  return { rss: field("VmRSS"), anon: field("RssAnon"), file: field("RssFile"), hwm: field("VmHWM") };
}

/** Resets the process's VmHWM to its current RSS; false when the kernel refuses. */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

// The sampler thread: reads /proc/<pid>/status of each pid every `intervalMs` until the shared
// flag is set, then posts its samples [{ t, [key]: { rss, anon, file } }] (t in ms since start).
const SAMPLER = `
const { workerData, parentPort } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { pids, intervalMs, stop, t0 } = workerData;
const flag = new Int32Array(stop);
const read = (pid) => {
  try {
    const text = readFileSync("/proc/" + pid + "/status", "utf8");
    const f = (n) => Number(text.match(new RegExp("^" + n + ":\\\\s*(\\\\d+) kB", "m"))?.[1] ?? NaN) * 1024;
    return { rss: f("VmRSS"), anon: f("RssAnon"), file: f("RssFile") };
  } catch { return null; }
};
const samples = [];
for (;;) {
  const s = { t: performance.timeOrigin + performance.now() - t0 };
  for (const [key, pid] of Object.entries(pids)) s[key] = read(pid);
  samples.push(s);
  if (Atomics.wait(flag, 0, 0, intervalMs) !== "timed-out") break;
}
parentPort.postMessage(samples);
`;

/**
 * Starts sampling the processes given as { key: pid } every `intervalMs` (each one's VmHWM reset
 * first). `stop()` resolves to { samples, peak: { [key]: { sampled, hwm, hwmReset } }, gapMs }:
 * the highest sampled RSS, the kernel's peak since the start (exact when it could be reset), and
 * the longest gap between two samples.
 */
export function startMemorySampler(pids, { intervalMs = 50 } = {}) {
  const resets = Object.fromEntries(Object.entries(pids).map(([key, pid]) => [key, resetPeak(pid)]));
  const stopBuffer = new SharedArrayBuffer(4);
  const t0 = performance.timeOrigin + performance.now();
  const worker = new Worker(SAMPLER, { eval: true, workerData: { pids, intervalMs, stop: stopBuffer, t0 } });
  const done = new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return async function stop() {
    const flag = new Int32Array(stopBuffer);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const samples = await done;
    await worker.terminate();
    const peak = {};
    for (const [key, pid] of Object.entries(pids)) {
      const values = samples.map((s) => s[key]?.rss).filter((v) => Number.isFinite(v));
      const now = memoryOf(pid);
      peak[key] = { sampled: values.length ? Math.max(...values) : null, hwm: now?.hwm ?? null, hwmReset: resets[key] };
    }
    let gapMs = 0;
    for (let i = 1; i < samples.length; i++) gapMs = Math.max(gapMs, samples[i].t - samples[i - 1].t);
    return { samples, peak, gapMs };
  };
}

/** The median of `n` readings `everyMs` apart of each process's memory: an idle baseline. */
export async function idleMemory(pids, { n = 5, everyMs = 100 } = {}) {
  const readings = [];
  for (let i = 0; i < n; i++) {
    readings.push(Object.fromEntries(Object.entries(pids).map(([key, pid]) => [key, memoryOf(pid)])));
    if (i < n - 1) await new Promise((r) => setTimeout(r, everyMs));
  }
  const med = (values) => {
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
  };
  return Object.fromEntries(
    Object.keys(pids).map((key) => [
      key,
      {
        rss: med(readings.map((r) => r[key]?.rss)),
        anon: med(readings.map((r) => r[key]?.anon)),
        file: med(readings.map((r) => r[key]?.file)),
      },
    ]),
  );
}
