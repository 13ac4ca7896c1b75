// The bench:contrib section of bench/RESULTS.md, from a run's raw data.
import { median } from "./http.mjs";

const n = (x, digits = 0) => Number(x).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (x) => `${(x * 100).toFixed(2)}%`;

export function renderContribResults(report) {
  const { runs, scale, machine: m, code, goals, limits } = report;
  const med = (f) => median(runs.map(f));
  const passed = report.checks.filter((c) => c.ok).length;
  const firstMedian = med((r) => r.first.seconds);
  const shareMedian = med((r) => r.incremental.readShare);
  const maxStepMs = Math.max(...runs.flatMap((r) => [r.first.maxMs, r.incremental.maxMs]));
  const maxRequests = Math.max(...runs.flatMap((r) => [r.first.maxRequests, r.incremental.maxRequests]));
  const maxQueries = Math.max(...runs.flatMap((r) => [r.first.maxQueries, r.incremental.maxQueries]));
  const lines = [
    "## Contribution processor (`npm run bench:contrib`)",
    "",
    `Run ${report.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC on ${code.commit}${code.dirty ? " (tree dirty)" : ""}` +
      `${code.workerDirty?.length ? `, worker files changed: ${code.workerDirty.join(", ")}` : ""}; ` +
      `${m.nproc} × ${m.model}, ${m.memory}, Node ${m.node}, wrangler ${m.wrangler}, workerd ${m.workerd}. ` +
      `Load before: ${report.load.before.loadavg}; after: ${report.load.after.loadavg}. ${passed}/${report.checks.length} checks passed.`,
    "",
    `A fake Gerrit in the bench's own process serves ${n(scale.changes)} synthetic changes in ${scale.repos} repositories ` +
      `(a skewed share each), by ${n(scale.authors)} people at ${scale.companies} companies (${scale.configUsers} of them in the config, ` +
      `a fifth with a job change): 1–5 patch sets (3 on average), Code-Review and Workflow votes, a CI vote per patch set that makes ` +
      `no record, 70% merged, 20% open, 10% abandoned. The worker runs under wrangler's programmatic API without the inspector, ` +
      `Launchpad lookups off and per-host limits raised (the fake answers at once). A run is over when every source is idle again; ` +
      `then ${pct(scale.touchShare)} of the changes get a new vote and the processor runs again. Steps, rows read and written come from ` +
      `the processor's step log (D1's own counts per statement).`,
    "",
    "| run | first run | records stored | records/s | steps | step: median / max | max requests, D1 statements per step | workerd CPU | incremental run | its steps | rows read: first → incremental |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...runs.map(
      (r) =>
        `| ${r.repetition} | ${n(r.first.seconds)} s | ${n(r.first.records)} | ${n(r.first.recordsPerSecond)} | ${n(r.first.steps)} | ` +
        `${n(r.first.medianMs / 1000, 1)} / ${n(r.first.maxMs / 1000, 1)} s | ${r.first.maxRequests}, ${r.first.maxQueries} | ` +
        `${n(r.first.cpu.workerdCpuSeconds)} s | ${n(r.incremental.seconds, 1)} s (${n(r.touched)} changes) | ${r.incremental.steps} | ` +
        `${n(r.first.rowsRead)} → ${n(r.incremental.rowsRead)} (${pct(r.incremental.readShare)}) |`,
    ),
    `| median | ${n(firstMedian)} s | | ${n(med((r) => r.first.recordsPerSecond))} | | | | | ${n(med((r) => r.incremental.seconds), 1)} s | | ${pct(shareMedian)} |`,
    "",
    `- **First run: ${n(firstMedian)} s** (median of ${runs.length}) for ${n(scale.changes)} changes; goal under ${goals.firstRunS / 60} minutes: ` +
      `${firstMedian < goals.firstRunS ? "met" : "**not met**"}. Records stored: ${n(runs[0].expected.review)} reviews, ${n(runs[0].expected.patch)} patch sets, ` +
      `${n(runs[0].expected.mark - runs[0].touched)} marks, each checked against what the generator made, and the daily totals against the records.`,
    `- **Incremental run after ${pct(scale.touchShare)} of the changes were updated: ${pct(shareMedian)} of the first run's rows read** ` +
      `(goal about 1%: ${shareMedian <= goals.readShare ? "met" : "**not met**"}), in ${n(med((r) => r.incremental.seconds), 1)} s. Every source ` +
      `still makes one step and one Gerrit request, which reads its own state; the rest is the updated changes.`,
    `- **No step near a limit.** The costliest step took ${n(maxStepMs / 1000, 1)} s of wall time here (Cloudflare's CPU limit per ` +
      `message is ${limits.cpuMs / 60_000} minutes as wrangler.toml sets it; the wall time is an upper bound on the step's CPU, since local ` +
      `workerd runs the Worker and D1 on one thread and the wait for the fake counts too), sent at most ${maxRequests} HTTP requests ` +
      `(limit ${n(limits.subrequests)} subrequests) and ran at most ${maxQueries} D1 statements (limit ${n(limits.queries)} queries).`,
    `- **What bounds these figures:** local D1 and the Worker share one workerd thread, so storing records (D1's writes and the ` +
      `records' JSON) is the cost; the host has ${m.nproc} cores, shared with the fake Gerrit and the poller in the bench's process ` +
      `(${n(med((r) => r.first.cpu.benchCpuSeconds))} s of CPU per first run against workerd's ${n(med((r) => r.first.cpu.workerdCpuSeconds))} s). ` +
      `Steps run one at a time (the Queue consumer's concurrency is 1). Production D1 is a remote database with its own latency per ` +
      `statement; the figures compare commits on this machine, they do not predict Cloudflare's.`,
  ];
  return lines.join("\n");
}
