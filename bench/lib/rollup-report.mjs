// The bench:rollup section of bench/RESULTS.md, rendered from the raw results of bench/rollup.mjs.
import { median } from "./http.mjs";

const int = (n) => (n === null || n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));
const ms = (n, digits = 1) => (n === null || n === undefined ? "–" : `${n.toFixed(digits)}`);
const s = (millis) => `${(millis / 1000).toFixed(2)} s`;
const pct = (x) => `${(x * 100).toFixed(2)}%`;

function spread(values) {
  const m = median(values);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return { m, lo, hi, range: m > 0 ? (hi - lo) / m : 0 };
}

function fullTable(scale) {
  const rows = scale.full.map((f) => {
    const d = f.run.detail;
    return `| ${f.rep} | ${s(f.wallMs)} | ${s(d.ms)} | ${d.chunks} | ${int(d.installations)} | ${int(d.rowsRead)} | ${int(d.rowsWritten)} | ${f.cpu.workerdCpuSeconds.toFixed(1)} s | ${f.cpu.hostCores.toFixed(2)} | ${f.load} |`;
  });
  const wall = spread(scale.full.map((f) => f.wallMs));
  const job = spread(scale.full.map((f) => f.run.detail.ms));
  const d = (k) => median(scale.full.map((f) => f.run.detail[k]));
  const cpu = median(scale.full.map((f) => f.cpu.workerdCpuSeconds));
  const inc = scale.incremental;
  const id = inc.run.detail;
  return [
    `| run | wall | job (job_runs.ms) | chunks | installations | rows read | rows written | workerd CPU | host busy (cores) | load avg |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
    ...rows,
    `| **full, median** | **${s(wall.m)}** | **${s(job.m)}** | ${d("chunks")} | ${int(d("installations"))} | **${int(d("rowsRead"))}** | **${int(d("rowsWritten"))}** | ${cpu.toFixed(1)} s | | |`,
    `| **incremental** (${int(scale.changes.count)} changed, ${int(scale.changes.upgrades)} upgraded) | **${s(inc.wallMs)}** | **${s(id.ms)}** | ${id.chunks} | ${int(id.installations)} | **${int(id.rowsRead)}** | **${int(id.rowsWritten)}** | ${inc.cpu.workerdCpuSeconds.toFixed(1)} s | ${inc.cpu.hostCores.toFixed(2)} | ${inc.load} |`,
    "",
    `Full runs spread: wall ${s(wall.lo)}–${s(wall.hi)} (${pct(wall.range)} of the median), job ${s(job.lo)}–${s(job.hi)} (${pct(job.range)}). ` +
      `Per chunk of 500: ${ms(job.m / d("chunks"), 0)} ms, about ${ms((job.m * 1000) / d("installations"), 0)} µs per installation. ` +
      `The incremental run read **${pct(inc.readFraction)}** of the full run's rows (median) and wrote ${pct(id.rowsWritten / d("rowsWritten"))} of its rows.` +
      otherJobsNote(scale) +
      (scale.interrupted ? ` ${scale.interrupted} full run(s) were interrupted by a restart of the runtime and run again.` : ""),
  ].join("\n");
}

function otherJobsNote(scale) {
  const all = [...scale.full.flatMap((f) => f.otherJobs ?? []), ...(scale.incremental.otherJobs ?? [])];
  if (all.length === 0) return "";
  const names = [...new Set(all.map((j) => j.job))];
  return ` The same cron expression also ran ${names
    .map((n) => {
      const runs = all.filter((j) => j.job === n);
      return `\`${n}\` (${runs.length} runs, median ${ms(median(runs.map((j) => j.ms)), 0)} ms, ${[...new Set(runs.map((j) => j.status))].join("/")})`;
    })
    .join(", ")} after the roll-up in each invocation: the wall time includes it, the job time does not.`;
}

function latencyTable(scale, goalMs) {
  const rows = scale.latency.map(
    (l) =>
      `| ${l.name} | ${l.n} | ${l.kind === "report" ? int(l.installations) : ""} | ${ms(l.p50, 2)} | ${ms(l.p95, 2)} | ${ms(l.p99, 2)} | ${ms(l.max, 2)} | ${ms(l.workerdCpuMsPerRequest, 2)} | ${int(l.bytes)} |`,
  );
  return [
    `| request | n | installations in scope | p50 ms | p95 ms | p99 ms | max ms | workerd CPU ms/request | response bytes |`,
    `|---|---|---|---|---|---|---|---|---|`,
    ...rows,
    "",
    `Goal: installations report p95 < ${goalMs} ms whatever the filter: worst p95 ${ms(scale.goals.reportP95, 2)} ms, **${scale.goals.p95Met ? "met" : "NOT met"}**.`,
  ].join("\n");
}

function sizesTable(scale) {
  const keys = Object.keys(scale.sizes);
  return [
    `| table | rows after the full runs | after the incremental run |`,
    `|---|---|---|`,
    ...keys.map((k) => `| ${k} | ${int(scale.sizesAfterFull[k])} | ${int(scale.sizes[k])} |`),
  ].join("\n");
}

export function renderRollupResults(report) {
  const m = report.machine;
  const src = report.source;
  const minutes = ((report.finishedAt - report.startedAt) / 60000).toFixed(1);
  const failed = report.checks.filter((c) => !c.ok);
  const out = [];
  out.push(`## Roll-up and installations report (\`npm run bench:rollup\`)`);
  out.push("");
  out.push(
    `Run ${report.startedAt.toISOString().replace(/\.\d+Z$/, "Z")}, ${minutes} min. Code: \`${src.commit}\`${src.dirty ? " with uncommitted changes" : ""}` +
      `${src.workerDirty.length > 0 ? ` (the worker's files that differ from it: ${src.workerDirty.map((f) => `\`${f}\``).join(", ")})` : ""}. ` +
      `Machine: ${m.nproc} × ${m.model}, ${m.memory}, Linux ${m.kernel}; Node ${m.node}, wrangler ${m.wrangler}, miniflare ${m.miniflare}, workerd ${m.workerd}.`,
  );
  out.push("");
  out.push(
    `Host: ${report.quiet ? "quiet at the start" : "**not quiet at the start**"} (busy ${report.load.before.busy.toFixed(2)} cores, load average ${report.load.before.loadavg}, ` +
      `${report.load.before.others.length} other vitest/workerd); load average ${report.load.after.loadavg} at the end, ${report.load.after.others.length} other vitest/workerd.`,
  );
  out.push("");
  out.push("### Goals");
  out.push("");
  out.push(`| scale | incremental rows read / full (goal ≤ ${pct(report.goals.readFraction)}) | worst installations-report p95 (goal < ${report.goals.p95Ms} ms) |`);
  out.push(`|---|---|---|`);
  for (const sc of report.scales) {
    out.push(
      `| ${int(sc.scale)} | ${pct(sc.goals.readFraction)}: **${sc.goals.readMet ? "met" : "NOT met"}** | ${ms(sc.goals.reportP95, 2)} ms: **${sc.goals.p95Met ? "met" : "NOT met"}** |`,
    );
  }
  out.push("");
  out.push(
    failed.length === 0
      ? `All ${report.checks.length} checks passed: every report equals the counts computed by the bench from the data it generated, before and after the incremental run.`
      : `**${failed.length} of ${report.checks.length} checks failed:** ${failed.map((c) => `${c.what}${c.actual !== null ? ` (found ${c.actual}${c.expected !== null ? `, expected ${c.expected}` : ""})` : ""}`).join("; ")}.`,
  );
  for (const sc of report.scales) {
    out.push("");
    out.push(`### ${int(sc.scale)} installations`);
    out.push("");
    out.push(
      `Seeded: ${int(sc.seed.structures)} structures, ${(sc.seed.structure_bytes / 1e6).toFixed(0)} MB of structure JSON, ${int(sc.seed.release_days)} release days, in ${s(sc.seed.ms)}. ` +
        `Changes: ${int(sc.changes.count)} structures posted to the collector in ${s(sc.changes.ms)} (${Object.entries(sc.changes.statuses).map(([k, v]) => `${int(v)} × ${k}`).join(", ")}).`,
    );
    out.push("");
    out.push(fullTable(sc));
    out.push("");
    if (sc.profile) {
      const job = median(sc.full.map((f) => f.run.detail.ms)) / median(sc.full.map((f) => f.run.detail.chunks));
      out.push(
        `Where a full run's time goes (the bench's own profile, after the full runs, through a second workerd on the same files; one chunk, median of 3; a full run spends ${ms(job, 0)} ms per chunk):`,
      );
      out.push("");
      out.push(`| query | first chunk ms | rows read | middle chunk ms | rows read |`);
      out.push(`|---|---|---|---|---|`);
      for (const p of sc.profile) {
        const a = p["first chunk"];
        const b = p["middle chunk"];
        out.push(`| ${p.name} | ${ms(a.ms)} | ${int(a.rowsRead)} | ${b ? ms(b.ms) : "–"} | ${b ? int(b.rowsRead) : "–"} |`);
      }
      out.push("");
    }
    out.push(latencyTable(sc, report.goals.p95Ms));
    out.push("");
    out.push(sizesTable(sc));
  }
  out.push("");
  out.push("### Method");
  out.push("");
  out.push(
    [
      `Per scale, a fresh persist dir under \`bench/.state/\` with both databases migrated (\`wrangler d1 migrations apply --local\`).`,
      `**Data**: synthetic Fuel masters (\`bench/lib/installations.mjs\`, seed ${report.config.seed}): ${"releases 5.1.1–11.0 weighted as a real fleet (9.0 the most common, 7.0.1 very rare)"}, 0–5 clusters (28% none), 1–50 nodes per cluster (median about 7), statuses, hypervisors (\`kvm\`, \`qemu\`, \`vcenter\`, \`KVM\`, none) and OSes by release; every node with its roles and hardware facts.`,
      `They are inserted into COLLECTOR_DB as the collector stores them (structure JSON, \`trust\` 'unverified', \`is_filtered\` 0, \`updated_at\` within the 60 days before today) through wrangler's \`getPlatformProxy\` on the same persist dir, while the worker is stopped, with \`INSERT … SELECT FROM json_each(?)\` (≤ 1.5 MB a statement, 8 statements a batch); the release triggers write the last report's day, and about 45% of installations also get earlier release days (one or two upgrades since creation, up to 1,000 days ago).`,
      `**Roll-ups**: the worker is started with \`unstable_startWorker\` on 127.0.0.1:${report.config.port} without the inspector, with the cron test route, \`ROLLUP_OVERLAP_SECONDS=0\` and \`ROLLUP_TIME_BUDGET_SECONDS=${report.config.budgetSeconds}\`; \`GET /__scheduled?cron=0+*+*+*+*\` runs the real scheduled path and its wall time is measured; chunks, rows read and written and the job's own time come from \`ANALYTIC_DB.job_runs\`. The full run is repeated ${report.config.repeats} times (the roll-up tables and \`rollup_cursors\` emptied and the worker restarted before each) and the medians are reported.`,
      `**Incremental**: ${pct(report.config.changeShare)} of installations post a changed structure (clusters move on, one grows by a node; ${pct(report.config.upgradeShare)} of them a newer release) through \`POST /api/v1/installation_structure/\` (${"4 at a time"}, \`LIMIT_NEW_INSTALLATIONS_PER_HOUR\` lifted), then one scheduled run.`,
      `**Checks**: the installations report (all releases, each release, an unknown one), \`/releases\` and \`/adoption\` (today's installations per release, the upgrades) must equal what the bench computes from the data it generated, after the full and after the incremental run.`,
      `**Latency**: ${report.config.requests} sequential requests on one keep-alive connection per filter, after 20 unmeasured ones; the ping endpoint is the baseline of the local stack (wrangler's proxy workerd, the runtime workerd, hono) without D1. workerd CPU is the CPU of both workerd processes over the requests, per request.`,
    ].join("\n\n"),
  );
  return out.join("\n");
}
