// The bench:csv section of bench/RESULTS.md, rendered from the raw results of bench/csv.mjs, and
// the verdict on "memory stays flat as the data grows".
import { median } from "./http.mjs";

const MiB = 1024 * 1024;
const int = (n) => (n === null || n === undefined || !Number.isFinite(n) ? "–" : Math.round(n).toLocaleString("en-US"));
const mb = (bytes, digits = 1) => (bytes === null || bytes === undefined || !Number.isFinite(bytes) ? "–" : (bytes / MiB).toFixed(digits));
const sec = (millis) => `${(millis / 1000).toFixed(2)} s`;
const msf = (n, digits = 1) => (n === null || n === undefined ? "–" : n.toFixed(digits));
const signed = (bytes) => `${bytes >= 0 ? "+" : "−"}${mb(Math.abs(bytes))}`;

/** The runtime's peak RSS of a download: the kernel's high-water mark when it could be reset, else the highest sample. */
export const peakOf = (d, key = "runtime") => {
  const p = d.memory.peak[key];
  return p.hwmReset && Number.isFinite(p.hwm) ? p.hwm : p.sampled;
};

function spread(values) {
  const m = median(values);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return { m, lo, hi, range: m > 0 ? (hi - lo) / m : 0 };
}

/** Per report and scale: the figures of its downloads. */
function summarize(scale, report) {
  const ds = scale.downloads.filter((d) => d.report === report);
  if (ds.length === 0) return null;
  return {
    n: ds.length,
    rows: ds[0].rows,
    bytes: ds[0].bytes,
    total: spread(ds.map((d) => d.ms.total)),
    rowsPerSecond: spread(ds.map((d) => d.rowsPerSecond)),
    mibPerSecond: median(ds.map((d) => d.bytes / MiB / (d.ms.total / 1000))),
    headers: median(ds.map((d) => d.ms.headers)),
    firstByte: spread(ds.map((d) => d.ms.firstByte)),
    firstRow: spread(ds.map((d) => d.ms.firstRow)),
    baseline: median(ds.map((d) => d.memory.baseline.runtime.rss)),
    peak: Math.max(...ds.map((d) => peakOf(d))),
    peakMedian: median(ds.map((d) => peakOf(d))),
    overBaseline: Math.max(...ds.map((d) => peakOf(d) - d.memory.baseline.runtime.rss)),
    proxyPeak: Math.max(...ds.map((d) => peakOf(d, "proxy"))),
    cpuRuntime: median(ds.map((d) => d.cpu.runtime)),
    cpuProxy: median(ds.map((d) => d.cpu.proxy)),
    cpuBench: median(ds.map((d) => d.cpu.bench)),
    hostCores: median(ds.map((d) => d.cpu.hostCores)),
    heap: heapSummary(ds),
  };
}

/** The export's isolate over a size's downloads (V8's `--trace-gc`), or null for runs without it. */
function heapSummary(ds) {
  const heaps = ds.map((d) => d.heap).filter(Boolean);
  if (heaps.length === 0) return null;
  const live = heaps.map((h) => h.liveAfterFull).filter(Boolean);
  return {
    collections: median(heaps.map((h) => h.collections)),
    full: median(heaps.map((h) => h.full)),
    peakUsed: Math.max(...heaps.map((h) => h.peakUsed)),
    peakCommitted: Math.max(...heaps.map((h) => h.peakCommitted)),
    live: live.length > 0 ? { min: Math.min(...live.map((l) => l.min)), max: Math.max(...live.map((l) => l.max)) } : null,
  };
}

/** What the run gave V8, in words. */
export const heapSetting = (config) =>
  config.heapMb > 0
    ? `every V8 isolate's heap limited to ${config.heapMb} MB (\`--max-heap-size=${config.heapMb}\`; Cloudflare allows an isolate 128 MB)`
    : config.heapMb === 0
      ? "V8's default heap limits (no `--max-heap-size`)"
      : "V8's default heap limits (a run from before the bench set V8 flags)";

/**
 * Per report: does the runtime's memory stay flat from the smallest to the largest size? Judged on
 * what a download itself adds over the idle RSS just before it (the highest "peak − before" of a
 * size's downloads), so that what earlier downloads left in the same process does not count: flat
 * when that grows by at most flatShare of the smallest size's peak RSS or flatSlackBytes, whichever
 * is larger. The absolute peaks are reported alongside.
 */
export function flatVerdict(report) {
  const { flatShare, flatSlackBytes } = report.config;
  return report.config.reports.map((name) => {
    const per = report.scales.map((s) => ({ scale: s.scale, ...summarize(s, name) })).filter((p) => p.n);
    if (per.length < 2) return { report: name, flat: true, text: "one size only: no verdict", per };
    const first = per[0];
    const last = per.at(-1);
    const growth = last.overBaseline - first.overBaseline;
    const peakGrowth = last.peak - first.peak;
    const allowed = Math.max(flatShare * first.peak, flatSlackBytes);
    const flat = growth <= allowed;
    const dataGrowth = last.rows / first.rows;
    // MiB more that a download adds per 100 MiB more CSV, between the smallest and the largest size.
    const slope = (growth / (last.bytes - first.bytes)) * 100;
    const text =
      `a download adds up to ${mb(first.overBaseline)} MiB to the runtime's RSS at ${int(first.scale)} installations and up to ${mb(last.overBaseline)} MiB at ${int(last.scale)} ` +
      `(${signed(growth)} MiB; peak RSS ${mb(first.peak)} → ${mb(last.peak)} MiB, ${signed(peakGrowth)} MiB) while the rows grew ${dataGrowth.toFixed(1)}× ` +
      `(${mb(first.bytes, 0)} → ${mb(last.bytes, 0)} MiB of CSV): ${flat ? "FLAT" : "NOT FLAT"} (allowed +${mb(allowed)} MiB)`;
    return { report: name, flat, growth, peakGrowth, allowed, dataGrowth, slope, first, last, per, text };
  });
}

function traceLine(d) {
  const points = d.memory.trace.filter(([, rss]) => rss !== null);
  if (points.length === 0) return "–";
  const t0 = points[0][0];
  const tEnd = points.at(-1)[0];
  const picks = [];
  for (let k = 0; k <= 10; k++) {
    const target = t0 + ((tEnd - t0) * k) / 10;
    picks.push(points.reduce((best, p) => (Math.abs(p[0] - target) < Math.abs(best[0] - target) ? p : best), points[0]));
  }
  return picks.map(([, rss]) => mb(rss, 0)).join(" → ");
}

export function renderCsvResults(report) {
  const m = report.machine;
  const src = report.source;
  const minutes = ((report.finishedAt - report.startedAt) / 60000).toFixed(1);
  const failed = report.checks.filter((c) => !c.ok);
  const verdicts = flatVerdict(report);
  const out = [];
  out.push(`## CSV exports: throughput and the worker's memory (\`npm run bench:csv\`)`);
  out.push("");
  out.push(
    `Run ${report.startedAt.toISOString().replace(/\.\d+Z$/, "Z")}, ${minutes} min. Code: \`${src.commit}\`${src.dirty ? " with uncommitted changes" : ""}` +
      `${src.workerDirty.length > 0 ? ` (the worker's files that differ from it: ${src.workerDirty.map((f) => `\`${f}\``).join(", ")})` : " (the worker's files as committed)"}. ` +
      `Machine: ${m.nproc} × ${m.model}, ${m.memory}, Linux ${m.kernel}; Node ${m.node}, wrangler ${m.wrangler}, miniflare ${m.miniflare}, workerd ${m.workerd}.`,
  );
  out.push("");
  out.push(
    `Host: ${report.quiet ? "quiet at the start" : "**not quiet at the start**"} (busy ${report.load.before.busy.toFixed(2)} cores, load average ${report.load.before.loadavg}, ` +
      `${report.load.before.others.length} other vitest/workerd); at the end load average ${report.load.after.loadavg}, busy ${report.load.after.busy.toFixed(2)} cores, ` +
      `${report.load.after.others.length} other vitest/workerd. Each download's load average and host CPU are in the last table. The machine has 2 shared cores: the bench's own reading of the stream runs on them too (its CPU is in the tables).`,
  );
  out.push("");
  out.push("### Verdict: does memory stay flat as the data grows?");
  out.push("");
  out.push(
    `| report | ${report.scales.map((s) => `at ${int(s.scale)}: before → peak (added)`).join(" | ")} | added, smallest → largest size | rows grew | added per 100 MiB more CSV | verdict |`,
  );
  out.push(`|---|${report.scales.map(() => "---").join("|")}|---|---|---|---|`);
  for (const v of verdicts) {
    if (!v.first) continue;
    out.push(
      `| ${v.report} | ${v.per.map((p) => `${mb(p.baseline)} → ${mb(p.peak)} (+${mb(p.overBaseline)})`).join(" | ")} | ${signed(v.growth)} MiB | ` +
        `${v.dataGrowth.toFixed(1)}× (${int(v.first.rows)} → ${int(v.last.rows)}) | ${msf(v.slope, 1)} MiB | **${v.flat ? "flat" : "NOT flat"}** |`,
    );
  }
  out.push("");
  out.push(
    `MiB of RSS of the runtime workerd (the process that runs the worker and its local D1), with ${heapSetting(report.config)}. Per size: the median idle RSS before a download, the highest peak of the ${report.config.repeats} downloads, and (added) the most any one download rose above its own "before". ` +
      `The verdict is on "added", so that what earlier downloads left in the same process does not count: "flat" when it grows by at most ${(report.config.flatShare * 100).toFixed(0)}% of the smallest size's peak or ${mb(report.config.flatSlackBytes, 0)} MiB, whichever is larger. ` +
      `The worker is started afresh per size and each size runs ${report.config.reports.join(" then ")}, so the first ${report.config.reports[0]} download starts from a fresh process while the ${report.config.reports.slice(1).join(" and ")} downloads start from whatever the ${report.config.reports[0]} downloads left. ` +
      verdicts
        .filter((v) => v.first)
        .map((v) => `**${v.report}**: ${v.text}.`)
        .join(" "),
  );
  out.push("");
  out.push(
    failed.length === 0
      ? `All ${report.checks.length} checks passed: every download answered 200 \`text/csv\`, with the documented header (${report.config.reports.map((r) => `${r} ${report.config.columns[r]} columns`).join(", ")}), sampled rows of as many fields, CRLF record ends, a complete body, and exactly the rows the generated data implies (one per cluster, one per node).`
      : `**${failed.length} of ${report.checks.length} checks failed:** ${failed.map((c) => `${c.what}${c.actual !== null ? ` (found ${c.actual}${c.expected !== null ? `, expected ${c.expected}` : ""})` : ""}`).join("; ")}.`,
  );
  out.push("");
  out.push(`### Throughput and time to first byte (median of ${report.config.repeats}, spread min–max)`);
  out.push("");
  out.push(
    `| installations | report | rows | CSV MiB | time | rows/s | MiB/s | headers ms | first byte ms | first row ms | workerd CPU s (runtime + proxy) | bench CPU s | host busy (cores) |`,
  );
  out.push(`|---|---|---|---|---|---|---|---|---|---|---|---|---|`);
  for (const s of report.scales) {
    for (const name of report.config.reports) {
      const x = summarize(s, name);
      if (!x) continue;
      out.push(
        `| ${int(s.scale)} | ${name} | ${int(x.rows)} | ${mb(x.bytes)} | **${sec(x.total.m)}** (${sec(x.total.lo)}–${sec(x.total.hi)}) | **${int(x.rowsPerSecond.m)}** (${int(x.rowsPerSecond.lo)}–${int(x.rowsPerSecond.hi)}) | ${msf(x.mibPerSecond)} | ` +
          `${msf(x.headers)} | ${msf(x.firstByte.m)} (${msf(x.firstByte.lo)}–${msf(x.firstByte.hi)}) | ${msf(x.firstRow.m)} (${msf(x.firstRow.lo)}–${msf(x.firstRow.hi)}) | ` +
          `${msf(x.cpuRuntime)} + ${msf(x.cpuProxy)} | ${msf(x.cpuBench)} | ${msf(x.hostCores, 2)} |`,
      );
    }
  }
  out.push("");
  out.push(`### Memory (MiB, RSS from \`/proc/<pid>/status\`)`);
  out.push("");
  out.push(
    `| installations | report | runtime at start | runtime before (median) | runtime peak (highest) | peak − before (highest) | proxy peak | runtime RSS during repetition 1 (0% → 100% of its time) |`,
  );
  out.push(`|---|---|---|---|---|---|---|---|`);
  for (const s of report.scales) {
    for (const name of report.config.reports) {
      const x = summarize(s, name);
      if (!x) continue;
      const first = s.downloads.find((d) => d.report === name);
      out.push(
        `| ${int(s.scale)} | ${name} | ${mb(s.startedMemory.runtime.rss)} | ${mb(x.baseline)} | **${mb(x.peak)}** | ${mb(x.overBaseline)} | ${mb(x.proxyPeak)} | ${traceLine(first)} |`,
      );
    }
  }
  if (report.scales.some((s) => s.downloads.some((d) => d.heap))) {
    out.push("");
    out.push(`### The export's V8 isolate (MB, from V8's \`--trace-gc\`; ${heapSetting(report.config)})`);
    out.push("");
    out.push(`| installations | report | collections (median) | full collections (median) | peak heap used | peak heap committed | live heap after a full collection (min–max) |`);
    out.push(`|---|---|---|---|---|---|---|`);
    for (const s of report.scales) {
      for (const name of report.config.reports) {
        const h = summarize(s, name)?.heap;
        if (!h) continue;
        out.push(
          `| ${int(s.scale)} | ${name} | ${int(h.collections)} | ${int(h.full)} | ${h.peakUsed.toFixed(1)} | **${h.peakCommitted.toFixed(1)}** | ${h.live ? `${h.live.min.toFixed(1)}–${h.live.max.toFixed(1)}` : "no full collection"} |`,
        );
      }
    }
    out.push("");
    out.push(
      "Per download, the isolate that collected most often (the one that ran the export; the runtime also has the local D1's and the proxy worker's isolates). Used and committed are V8's heap before each collection; the live heap is what a full (mark-compact) collection left: what the export and the worker actually hold.",
    );
  }
  if ((report.outOfMemory ?? []).length > 0) {
    out.push("");
    out.push(`**V8 ran out of memory ${report.outOfMemory.length} time(s):** ${report.outOfMemory.map((o) => `\`${o.line}\``).join("; ")}.`);
  }
  out.push("");
  out.push(`### Every download`);
  out.push("");
  out.push(
    `| installations | report | # | time | rows/s | first byte ms | runtime before | peak (kernel) | peak (sampled) | anon / file at peak | after (1 s later) | samples, max gap | workerd CPU s | host busy | load avg |`,
  );
  out.push(`|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|`);
  for (const s of report.scales) {
    for (const d of s.downloads) {
      const p = d.memory.peak.runtime;
      const parts = d.memory.peakParts.runtime;
      out.push(
        `| ${int(s.scale)} | ${d.report} | ${d.rep} | ${sec(d.ms.total)} | ${int(d.rowsPerSecond)} | ${msf(d.ms.firstByte)} | ${mb(d.memory.baseline.runtime.rss)} | ${p.hwmReset ? mb(p.hwm) : "–"} | ${mb(p.sampled)} | ` +
          `${parts ? `${mb(parts.anon)} / ${mb(parts.file)}` : "–"} | ${mb(d.memory.after.runtime.rss)} | ${d.memory.samples}, ${msf(d.memory.gapMs, 0)} ms | ${msf(d.cpu.runtime)} + ${msf(d.cpu.proxy)} | ${msf(d.cpu.hostCores, 2)} | ${d.load} |`,
      );
    }
  }
  const interrupted = report.scales.flatMap((s) => (s.interrupted ?? []).map((i) => ({ scale: s.scale, ...i })));
  if (interrupted.length > 0) {
    out.push("");
    out.push(
      `**${interrupted.length} download(s) were interrupted** by wrangler restarting the runtime workerd mid-download (not counted above; each was run again): ` +
        interrupted
          .map(
            (i) =>
              `${int(i.scale)} ${i.report} #${i.rep}: the client received ${int(i.rows)} of ${int(i.expected)} rows (${mb(i.bytes)} MiB, status ${i.status}) and ${i.error ? `the error "${i.error}"` : i.unterminated ? "a body cut mid-record" : "a body that ended normally, with whole records: nothing told it the file was truncated"}`,
          )
          .join("; ") +
        ".",
    );
  }
  out.push("");
  out.push("### Method");
  out.push("");
  out.push(
    [
      `**Data**: the roll-up bench's synthetic installations (\`bench/lib/installations.mjs\`, seed ${report.config.seed}; 0–5 clusters each, 28% none, 1–50 nodes per cluster), seeded into COLLECTOR_DB with its \`seedInstallations\` (\`bench/lib/rollup-db.mjs\`, through wrangler's \`getPlatformProxy\` while the worker is stopped). One persist dir under \`bench/.state/\` grows through the sizes ${report.scales.map((s) => int(s.scale)).join(", ")}: the installations of the smaller size are the first ones of the larger. No action logs are seeded, so \`verify_networks_status\` is empty (its query still runs for every page of the clusters report).`,
      `**Range**: \`from_date=${report.range.from}&to_date=${report.range.to}\` (${report.config.rangeDays} days to today), which covers every installation (created up to 1,000 days ago, last report in the 60 days before today). The expected rows are computed from the generated facts with the report's own date rule: one clusters row per cluster, one nodes row per node.`,
      `**Worker**: per size, started with \`unstable_startWorker\` on 127.0.0.1:${report.config.port} without the inspector, config not watched (\`WRANGLER_CI_DISABLE_CONFIG_WATCHING\`), a copy of \`public/\` as assets, shipped settings; given up after 90 s if not ready. wrangler runs two workerd processes: the proxy that owns the port and the runtime that runs the worker and its local D1 (SQLite); both are measured, the runtime is the one that matters.`,
      `**Downloads**: per size, each report ${report.config.repeats} times in a row (${report.config.reports.join(", then ")}), each \`GET /api/v1/csv/<report>?from_date&to_date\` on a new connection, the body streamed and never held: records are counted as the bytes arrive (line ends outside quoted fields), the header is parsed and compared with docs/csv.md's list, the first 500 data rows are parsed for their field count. Times are from sending the request: response headers, first body byte (the header line), first data row, last byte; rows/s = data rows / total time.`,
      `**V8**: ${heapSetting(report.config)}, and \`--trace-gc\`, whose lines give each collection's heap per isolate. V8 takes flags only from workerd's config, which miniflare encodes without them, so the bench adds \`v8Flags\` to the encoded config on its way to workerd (\`bench/lib/workerd-v8.mjs\`); a check fails if no GC line comes.`,
      `**Memory**: the idle RSS of both workerd processes just before each download (median of 5 readings over 0.4 s), then VmRSS (with RssAnon and RssFile) every ${report.config.sampleMs} ms from a worker thread during the download, and the kernel's VmHWM, reset for the process (\`/proc/<pid>/clear_refs\` ← 5) just before the download, so the peak is exact even between samples; 1 s after the download, the RSS again. CPU from \`/proc/<pid>/stat\` over each download.`,
    ].join("\n\n"),
  );
  return out.join("\n");
}
