// The bench:contrib-api section of bench/RESULTS.md, from a run's raw data, with a verdict per goal.
import { median } from "./http.mjs";

const n = (x, digits = 0) =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : Number(x).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (x) => n(x, x !== null && x !== undefined && x < 100 ? 1 : 0);
const day = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 10);
const met = (ok) => (ok ? "met" : "not met");
const filterLabel = (r) => `(${r.filter})${r.metric ? ` ${r.metric}` : ""}`;
const caseLabel = (r) => `\`${r.endpoint}\` ${filterLabel(r)}`;
const heapSetting = (config) =>
  config.heapMb > 0
    ? `every V8 isolate's heap limited to ${config.heapMb} MB (\`--max-heap-size=${config.heapMb}\`; Cloudflare allows an isolate 128 MB)`
    : "V8's default heap limits (no `--max-heap-size`)";

/** The verdict on each goal, with the cases that miss it. */
export function goalVerdicts(report) {
  const { results, goals } = report;
  const busiest = results.filter((r) => r.filter === "a");
  const typical = results.filter((r) => r.filter === "b");
  const over = (rs, limit) => rs.filter((r) => r.warm.p95 >= limit).sort((x, y) => y.warm.p95 - x.warm.p95);
  // The floor (`/metrics`) is no question of the goals: it shows what a start costs any answer.
  const questions = results.filter((r) => r.filter !== "floor");
  const slowStarts = questions.filter((r) => r.coldRatio > goals.coldRatio).sort((x, y) => y.coldRatio - x.coldRatio);
  const heaps = results.map((r) => r.heap).filter(Boolean);
  const peakUsed = heaps.length ? Math.max(...heaps.map((h) => h.peakUsed)) : null;
  const live = heaps.map((h) => h.liveAfterFull?.max).filter((x) => x !== undefined);
  const liveMax = live.length ? Math.max(...live) : null;
  const d1 = results.map((r) => r.otherIsolates?.[0]).filter(Boolean);
  const d1Max = d1.length ? d1.reduce((a, b) => (b.peakUsed > a.peakUsed ? b : a)) : null;
  const d1Case = d1Max ? results.find((r) => r.otherIsolates?.[0] === d1Max) : null;
  return {
    busiest: { ok: over(busiest, goals.busiestP95Ms).length === 0, over: over(busiest, goals.busiestP95Ms), of: busiest.length },
    typical: { ok: over(typical, goals.typicalP95Ms).length === 0, over: over(typical, goals.typicalP95Ms), of: typical.length },
    cold: { ok: slowStarts.length === 0, over: slowStarts, of: questions.length },
    heap: {
      ok: peakUsed !== null && peakUsed < goals.heapMb && report.outOfMemory.length === 0,
      peakUsed,
      liveMax,
      peakCase: results.find((r) => r.heap?.peakUsed === peakUsed) ?? null,
      d1: d1Max ? { peakUsed: d1Max.peakUsed, case: d1Case } : null,
    },
  };
}

export function renderContribApiResults(report) {
  const { results, scale, machine: m, code, goals, config, expected: e, seeding: s, back, typical } = report;
  const v = goalVerdicts(report);
  const passed = report.checks.filter((c) => c.ok).length;
  const failed = report.checks.filter((c) => !c.ok);
  const t = e.byType;
  const releases = report.releases.map((r) => r.name);
  const starts = results.map((r) => r.startMs).filter(Boolean);
  const list = (rs, f) => rs.map((r) => `${caseLabel(r)} ${f(r)}`).join(", ");
  const heapOf = (r) => (r.heap ? `${n(r.heap.peakUsed, 1)} / ${r.heap.liveAfterFull ? n(r.heap.liveAfterFull.max, 1) : "–"}` : "–");
  const floor = results.find((r) => r.filter === "floor") ?? null;
  const lines = [
    "## Contribution statistics read API (`npm run bench:contrib-api`)",
    "",
    `Run ${new Date(report.startedAt).toISOString().slice(0, 16).replace("T", " ")} UTC on ${code.commit}${code.dirty ? " (tree dirty)" : ""}` +
      `${code.workerDirty?.length ? `, worker files changed: ${code.workerDirty.join(", ")}` : ""}; ` +
      `${m.nproc} × ${m.model}, ${m.memory}, Node ${m.node}, wrangler ${m.wrangler}, workerd ${m.workerd}. ` +
      `Load before: ${report.load.before.loadavg}${report.quiet ? "" : " (the host was not quiet)"}; after: ${report.load.after.loadavg}. ` +
      `${passed}/${report.checks.length} checks passed. The whole run took ${n((new Date(report.finishedAt) - new Date(report.startedAt)) / 1000)} s.`,
    "",
    `**Data** (\`bench/lib/contrib-api-data.mjs\`, seed ${config.seed}): ${n(e.records)} records, ${n(t.review)} reviews, ${n(t.patch)} patch sets and ` +
      `${n(t.mark)} marks (${n(((t.review + t.patch + t.mark) / e.records) * 100, 1)}%), ${n(t.commit)} commits (${n(e.coauthored)} co-authored; ` +
      `${n((t.commit / e.records) * 100, 1)}%), ${n(t.email)} emails, ${n(t.bugf)} bugs filed and ${n(t.bugr)} resolved, ${n(t.bpd)} blueprints drafted and ` +
      `${n(t.bpc)} completed, dated ${day(report.span.start)} to ${day(report.span.end)}, more of them lately, over ${releases.length} releases ` +
      `(${releases[0]}, ${releases.slice(1, -1).join(", ")} and ${releases.at(-1)}, in progress); ${n(scale.people)} engineers at ${scale.companies} companies ` +
      `(a skewed share each; ${scale.configUsers} of them config users, a fifth with a job change), ${scale.modules} modules in ${scale.groups} module groups, ` +
      `project types \`all\` (every group) and four children over a quarter of the groups each. Authors are named as the sources name them (Gerrit ` +
      `username and email, email, Launchpad id), so identity resolution learns keys and merges profiles while seeding.` +
      (back
        ? ` D1 then held ${n(back.profiles)} profiles, ${back.releaseTotalsRows !== null ? `${n(back.releaseTotalsRows)} rows of \`release_totals\` (what an answer without dates sums) and ` : ""}` +
          `${n(back.totalsRows)} rows of \`daily_totals\` (with dates, and the timeline) in a ${n(back.databaseBytes / 1e6)} MB database file.`
        : ""),
    "",
    s
      ? `**Seeding**${report.seededBy ? ` (by the run of ${new Date(report.seededBy.at).toISOString().slice(0, 16).replace("T", " ")} UTC on ${report.seededBy.code.commit ?? report.seededBy.code}, whose persist dir this run reused after applying the migrations added since, in ${n(report.phases?.migrateS ?? 0)} s)` : ""} through the real path, one request after the other: \`PUT /api/1.0/admin/default-data\`, then ${n(s.batches)} batches of up to 1,000 ` +
        `records (${n(s.megabytes)} MB of JSON) to \`POST /api/1.0/admin/records\`: **${n(s.seconds)} s, ${n(s.recordsPerSecond)} records/s** ` +
        `(a batch: median ${n(s.batchMs.median)} ms, p95 ${n(s.batchMs.p95)} ms, max ${n(s.batchMs.max)} ms); ${n(s.profilesCreated)} profiles created, ` +
        `${n(s.profilesMerged)} merged, ${n(s.recordsReattributed)} stored records re-attributed by merges${s.retried ? `; ${s.retried} batches posted again after a restart of the runtime` : ""}.`
      : `**Seeding**: skipped, the persist dir of an earlier run was reused (\`BENCH_STATE\`)${report.phases?.migrateS !== undefined ? `, after the migrations added since were applied to it (${n(report.phases.migrateS)} s)` : ""}.`,
    "",
    `**Filters.** (a) the busiest: \`release=all&project_type=all\`, with \`metric=marks\` and \`metric=person-day\` where the endpoint reads the metric ` +
      `(\`engineers_extended\`, \`bp\`, \`languages\` and \`/contribution\` ignore it: one case). (b) a typical one: ` +
      `\`release=${typical.release}&project_type=${typical.projectType}&company=${encodeURIComponent(typical.company)}\` (the release and child project type with the ` +
      `most records, the company with the most counted marks there), the default metric (marks; \`/activity\` then lists every kind of record).` +
      (floor ? ` (floor): \`/api/1.0/metrics\`, no question of the data, to show what a start and a request cost any answer; no goal applies to it.` : ""),
    "",
    `**Method.** ${config.cold === "each" ? "For each case the worker is started afresh on the same persist dir" : "The worker is started once for all cases"} ` +
      `(wrangler's \`unstable_startWorker\`, no inspector; a start took ${n(median(starts) / 1000, 1)} s, median, until the runtime served a static asset, which runs none of the worker's code); the first request ` +
      `${config.cold === "each" ? "after that start" : "of each case in turn (only the first case's is truly after a start)"} is the *cold* figure, then ` +
      `${config.warmup} unmeasured requests and ${config.requests} measured ones, one after the other on one keep-alive connection (*warm*: p50, p95, max). ` +
      `No request sends If-None-Match (a 304 runs no query); every answer is checked to be a 200 with JSON holding the endpoint's key. ` +
      `Times are the client's, request sent to body read, on 127.0.0.1. The heap is V8's account (\`--trace-gc\`) of the worker's isolate during the ` +
      `measured requests, with ${heapSetting(config)}: the most used before a collection, and the most a full collection left (live).`,
    "",
    "| endpoint | filter | cold: first answer (ms) | warm p50 (ms) | p95 | max | first ÷ p50 | answer (bytes) | heap: peak used / live (MB) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...results.map((r) => {
      const goal = r.filter === "a" ? goals.busiestP95Ms : r.filter === "b" ? goals.typicalP95Ms : Infinity;
      const p95 = r.warm.p95 >= goal ? `**${ms(r.warm.p95)}**` : ms(r.warm.p95);
      const ratio = r.coldRatio > goals.coldRatio && r.filter !== "floor" ? `**${n(r.coldRatio, 1)}×**` : `${n(r.coldRatio, 1)}×`;
      return `| \`${r.endpoint}\` | ${filterLabel(r)} | ${ms(r.first.ms)} | ${ms(r.warm.p50)} | ${p95} | ${ms(r.warm.max)} | ${ratio} | ${n(r.bytes)} | ${heapOf(r)} |`;
    }),
    "",
    "In bold: a p95 over its goal, a first answer over twice the warm p50.",
    "",
    `- **(a) busiest filter, p95 under ${goals.busiestP95Ms} ms: ${met(v.busiest.ok)}**` +
      (v.busiest.ok ? ` (the highest: ${ms(Math.max(...results.filter((r) => r.filter === "a").map((r) => r.warm.p95)))} ms).` : `: ${v.busiest.over.length} of ${v.busiest.of} cases over, ${list(v.busiest.over, (r) => `${ms(r.warm.p95)} ms`)}.`),
    `- **(b) typical filter, p95 under ${goals.typicalP95Ms} ms: ${met(v.typical.ok)}**` +
      (v.typical.ok ? ` (the highest: ${ms(Math.max(...results.filter((r) => r.filter === "b").map((r) => r.warm.p95)))} ms).` : `: ${v.typical.over.length} of ${v.typical.of} cases over, ${list(v.typical.over, (r) => `${ms(r.warm.p95)} ms`)}.`),
    `- **The first answer after a start within ${goals.coldRatio}× a warm one: ${met(v.cold.ok)}**` +
      (v.cold.ok
        ? ` (the most: ${n(Math.max(...results.filter((r) => r.filter !== "floor").map((r) => r.coldRatio)), 1)}×).`
        : `: ${v.cold.over.length} of ${v.cold.of} cases over, ${list(v.cold.over, (r) => `${ms(r.first.ms)} ms against ${ms(r.warm.p50)} (${n(r.coldRatio, 1)}×)`)}.`) +
      ` A start compiles the config into the engine on its first request and opens the database; the operating system's file cache still holds the ` +
      `database (the same files were just read), which a cold start in production does not have either way: there D1 is remote.` +
      (floor
        ? ` The floor: \`/api/1.0/metrics\`, which reads only the versions every answer reads (one small query) and no totals, answered first in ` +
          `${ms(floor.first.ms)} ms against ${ms(floor.warm.p50)} warm (${n(floor.coldRatio, 1)}×): that much of each first answer is the start itself ` +
          `(the isolate's first request, the database's first query), before any question is asked.`
        : ""),
    `- **Heap under ${goals.heapMb} MB: ${met(v.heap.ok)}**: the worker's isolate used at most ${n(v.heap.peakUsed, 1)} MB before a collection ` +
      `(${v.heap.peakCase ? caseLabel(v.heap.peakCase) : "–"}), ` +
      `${v.heap.liveMax !== null ? `and a full collection left at most ${n(v.heap.liveMax, 1)} MB live` : "with no full collection during the measured requests"}, ` +
      `with ${heapSetting(config)}${report.outOfMemory.length ? `; **${report.outOfMemory.length} out-of-memory reports**: ${report.outOfMemory[0].line}` : ""}. ` +
      (config.heapMb > 0 && config.heapMb <= goals.heapMb
        ? `Under that limit V8 collects fully as an isolate nears it, or the runtime aborts: a complete run shows the worker fits, and the live heap is what it holds. `
        : "") +
      `The worker's isolate is told from the runtime's others by what collections leave in it (at least about 6.5 MB: its bundle and the ` +
      `compiled config, against 1–2 MB); the busiest of the others (local D1's, by all appearances: it grows with the size of query ` +
      `results, and production does not run it in the worker's process) peaked at ${v.heap.d1 ? `${n(v.heap.d1.peakUsed, 1)} MB (${caseLabel(v.heap.d1.case)})` : "–"}.`,
    `- **What bounds these figures:** local D1 (SQLite in workerd) and the Worker share one workerd thread, so every answer's time is the ` +
      `query's plus the Worker's JSON; the host has ${m.nproc} cores, shared with the bench's client. Production D1 is a remote database ` +
      `with its own latency per query (and its own cache), and Cloudflare's isolates are not these; the figures compare commits on this ` +
      `machine, they do not predict Cloudflare's.`,
  ];
  if (report.interrupted?.length) {
    lines.push(`- ${report.interrupted.length} case runs were cut (the runtime restarted or a request failed) and ran again: ${report.interrupted.map((i) => `${i.case}: ${i.error}`).join("; ").slice(0, 600)}.`);
  }
  if (failed.length) {
    lines.push("", `**${failed.length} of ${report.checks.length} checks failed:** ${failed.map((c) => `${c.what}${c.actual !== null ? ` (found ${c.actual}${c.expected !== null ? `, expected ${c.expected}` : ""})` : ""}`).join("; ")}.`);
  } else {
    lines.push(
      "",
      `All ${report.checks.length} checks passed: every answer a 200 with its key; \`/contribution\` under (a) equal to what was seeded per record type, ` +
        `per mark bucket, in lines of code and abandoned reviews; the marks of \`stats/companies\`, \`modules\` and \`engineers\` under (a) adding up to the ` +
        `counted marks seeded and \`stats/companies?metric=commits\` to the commits${back ? "; D1's records, daily and release totals per type equal to the records made" : ""}.`,
    );
  }
  return lines.join("\n");
}
