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

/** The p95 goal of a case's filter (none for the floor). */
const goalOf = (r, goals) => (r.filter === "a" ? goals.busiestP95Ms : r.filter === "b" ? goals.typicalP95Ms : null);

/** A p95 within a third of its goal (above or below), or rounds on both sides of it: its spread is shown. */
export function nearGoal(r, goals) {
  const goal = goalOf(r, goals);
  if (goal === null) return false;
  const [low, high] = r.warm.p95Range ?? [r.warm.p95, r.warm.p95];
  return Math.abs(r.warm.p95 - goal) <= goal / 3 || (low < goal && high >= goal);
}

/** The verdict on each goal, with the cases that miss it (on the medians of the rounds). */
export function goalVerdicts(report) {
  const { results, goals } = report;
  const busiest = results.filter((r) => r.filter === "a");
  const typical = results.filter((r) => r.filter === "b");
  const over = (rs, limit) => rs.filter((r) => r.warm.p95 >= limit).sort((x, y) => y.warm.p95 - x.warm.p95);
  // The floor (`/metrics`) is no question of the goals: it shows what a start costs any answer.
  const questions = results.filter((r) => r.filter !== "floor");
  const slowStarts = questions.filter((r) => r.coldRatio > goals.coldRatio).sort((x, y) => y.coldRatio - x.coldRatio);
  const measuredAfter = questions.filter((r) => r.afterMetrics);
  const slowAfter = measuredAfter.filter((r) => r.afterMetrics.ratio > goals.coldRatio).sort((x, y) => y.afterMetrics.ratio - x.afterMetrics.ratio);
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
    afterMetrics: measuredAfter.length ? { ok: slowAfter.length === 0, over: slowAfter, of: measuredAfter.length } : null,
    heap: {
      ok: peakUsed !== null && peakUsed < goals.heapMb && report.outOfMemory.length === 0,
      peakUsed,
      liveMax,
      peakCase: results.find((r) => r.heap?.peakUsed === peakUsed) ?? null,
      d1: d1Max ? { peakUsed: d1Max.peakUsed, case: d1Case } : null,
    },
  };
}

const STEP_LABEL = {
  ping: "`/api/v1/ping/`: the worker, no D1",
  404: "a path under `/api/1.0` that no route has (a 404): the data version, local D1's first query",
  metrics: "`/api/1.0/metrics`: the cheapest answer (that query, no totals)",
  releases: "`/api/1.0/releases`: the config read and compiled into the engine",
  "baseline ping": "a Worker that does nothing (bench/lib/baseline-worker.ts), same config: `/api/v1/ping/`, an empty 200",
  "baseline d1": "the same Worker: `/api/d1`, local D1's `SELECT 1`",
};

/** A start's fixed cost step by step (starts of their own): the table and what each step adds. */
function startStepsLines(report) {
  const steps = report.startSteps?.data;
  if (!steps) return [];
  const empty = report.startSteps.empty;
  const step = (list, name) => list?.find((x) => x.step === name) ?? null;
  // Older raw data had the second answer where the warm figure is now.
  const extraOf = (x) => (x ? (x.extra ?? x.first - (x.warm ?? x.second)) : null);
  const warmOf = (x) => x.warm ?? x.second;
  const [ping, notFound, metrics, releases] = ["ping", "404", "metrics", "releases"].map((name) => step(steps, name));
  const baseline = report.startSteps.baseline ?? null;
  const [basePing, baseD1] = ["baseline ping", "baseline d1"].map((name) => step(baseline, name));
  const d1 = extraOf(notFound);
  const d1Empty = extraOf(step(empty, "404"));
  const sameOnEmpty = d1 !== null && d1Empty !== null && Math.abs(d1Empty - d1) <= Math.max(3, Math.abs(d1) * 0.3);
  return [
    "",
    `**A start's fixed cost, step by step.** Starts of their own (${steps[0].starts ?? 1} in all${empty ? `, and as many on a freshly migrated, empty persist dir: no config, no records` : ""}) ` +
      `ask these paths in this order, each once and then ${5} times more; the medians over the starts of the first answer, of the warm one (the median of the five) and of the difference:`,
    "",
    `| step (one start, in this order) | first answer (ms) | warm (ms) | first − warm |${empty ? " empty database: first / warm (ms) |" : ""}`,
    `|---|---|---|---|${empty ? "---|" : ""}`,
    ...steps.map((x) => {
      const e = step(empty, x.step);
      return `| ${STEP_LABEL[x.step] ?? x.step} | ${ms(x.first)} | ${ms(warmOf(x))} | ${ms(extraOf(x))} |${empty ? ` ${e ? `${ms(e.first)} / ${ms(warmOf(e))}` : "– (no config)"} |` : ""}`;
    }),
    ...(baseline ?? []).map((x) => `| ${STEP_LABEL[x.step] ?? x.step} | ${ms(x.first)} | ${ms(warmOf(x))} | ${ms(extraOf(x))} |${empty ? " – |" : ""}`),
    "",
    (basePing
      ? `The worker's first request costs ${ms(extraOf(ping))} ms more than a warm one; a Worker that does nothing, started the same way on the same ` +
        `persist dir, pays ${ms(extraOf(basePing))} ms on its first${report.config?.viaProxy ? " (through wrangler's proxy as well)" : ""}: that much is the runtime's (its entry and asset-router ` +
        `workers' first run), the other ${ms(extraOf(ping) - extraOf(basePing))} ms is edgestats' own first request (V8 compiles each function of the path at its first call; ` +
        `the worker's modules are evaluated during the start, before the runtime serves, so work at module scope lengthens the start, not the first request). `
      : `The runtime's first request that reaches the worker costs ${ms(extraOf(ping))} ms more than a warm one: ${report.config?.viaProxy ? "wrangler's proxy, " : ""}the runtime's entry and ` +
        `asset-router workers and the worker run their request paths for the first time, and V8 compiles each function at its first call ` +
        `(the worker's modules are evaluated during the start, before the runtime serves: a second of busy work at module scope lengthens the ` +
        `start, not the first request). `) +
      `Local D1's first query adds ${ms(d1)} ms${baseD1 ? ` (the baseline's first \`SELECT 1\` ${ms(extraOf(baseD1))} ms)` : ""}: its own isolate's first request, its Durable Object made and ` +
      `its SQLite database opened${
        d1Empty === null
          ? "."
          : `; on the empty database ${ms(d1Empty)} ms${sameOnEmpty ? ", about the same: opening the large file is not what it costs." : "."}`
      } ` +
      (metrics ? `\`/metrics\` after them adds ${ms(extraOf(metrics))} ms (its route's first run). ` : "") +
      (releases ? `\`/releases\`, the first answer that reads the config, adds ${ms(extraOf(releases))} ms: the config read from D1 and compiled into the engine, which every question's first answer after a start pays as well.` : ""),
  ];
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
  const rounds = config.rounds ?? 1;
  const anyAfter = results.some((r) => r.afterMetrics);
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
    `**Method.** ${rounds > 1 ? `${rounds} rounds, interleaved (every case once, then every case again, and so on, so that a slow spell of the host falls on all cases alike); the table shows the median of the rounds' figures for each case (the first answers, each percentile, the max) and the verdicts below use those medians. ` : ""}` +
      `${config.cold === "each" ? `${rounds > 1 ? "In each round every case starts" : "Every case starts"} the worker afresh on the same persist dir` : `The worker is started once${rounds > 1 ? " per round" : ""} for all cases`} ` +
      `(wrangler's \`unstable_startWorker\`, no inspector${config.viaProxy ? "; requests through wrangler dev's proxy" : "; requests to the runtime's own socket, not through wrangler dev's proxy (`BENCH_VIA_PROXY=1` goes through it)"}; a start took ${n(median(starts) / 1000, 1)} s, median, until the runtime served a static asset, which runs none of the worker's code); the first request ` +
      `${config.cold === "each" ? "after that start" : "of each case in turn (only the first case's is truly after a start)"} is the *cold* figure, then ` +
      `${config.warmup} unmeasured requests and ${config.requests} measured ones, one after the other on one keep-alive connection (*warm*: p50, p95, max). ` +
      (anyAfter
        ? `A second start of its own per case and round answers \`/api/1.0/metrics\` first and then the case (*after /metrics*): the case's first answer once the runtime has answered one request, without the part of a start that every first answer pays (below). `
        : "") +
      `No request sends If-None-Match (a 304 runs no query); every answer is checked to be a 200 with JSON holding the endpoint's key${rounds > 1 || anyAfter ? ", and each round's first answers to be the same" : ""}. ` +
      `Times are the client's, request sent to body read, on 127.0.0.1. The heap is V8's account (\`--trace-gc\`) of the worker's isolate during the ` +
      `measured requests, with ${heapSetting(config)}: the most used before a collection, and the most a full collection left (live)${rounds > 1 ? ", the largest of any round" : ""}` +
      `${config.cold === "each" ? `, taken on one more start per case and round that sends the same requests: the trace prints a line per collection, which made a first answer 3–4 ms slower, so the timed starts run without it` : ""}.` +
      (rounds > 1 ? ` Where a case's p95 is within a third of its goal, or its rounds fall on both sides of it, the p95 cell also shows the lowest and the highest of the rounds' p95.` : ""),
    "",
    `| endpoint | filter | cold: first answer (ms) |${anyAfter ? " first after /metrics (ms) |" : ""} warm p50 (ms) | p95 | max | first ÷ p50 |${anyAfter ? " after /metrics ÷ p50 |" : ""} answer (bytes) | heap: peak used / live (MB) |`,
    `|---|---|---|${anyAfter ? "---|" : ""}---|---|---|---|${anyAfter ? "---|" : ""}---|---|`,
    ...results.map((r) => {
      const goal = goalOf(r, goals) ?? Infinity;
      const bold = (over, text) => (over ? `**${text}**` : text);
      const range = rounds > 1 && r.warm.p95Range && nearGoal(r, goals) ? ` (${ms(r.warm.p95Range[0])}–${ms(r.warm.p95Range[1])})` : "";
      const p95 = `${bold(r.warm.p95 >= goal, ms(r.warm.p95))}${range}`;
      const question = r.filter !== "floor";
      const ratio = bold(question && r.coldRatio > goals.coldRatio, `${n(r.coldRatio, 1)}×`);
      const after = r.afterMetrics ? [ms(r.afterMetrics.ms), bold(question && r.afterMetrics.ratio > goals.coldRatio, `${n(r.afterMetrics.ratio, 1)}×`)] : ["–", "–"];
      return `| \`${r.endpoint}\` | ${filterLabel(r)} | ${ms(r.first.ms)} |${anyAfter ? ` ${after[0]} |` : ""} ${ms(r.warm.p50)} | ${p95} | ${ms(r.warm.max)} | ${ratio} |${anyAfter ? ` ${after[1]} |` : ""} ${n(r.bytes)} | ${heapOf(r)} |`;
    }),
    "",
    `In bold: a p95 over its goal, a first answer over twice the warm p50.`,
    ...startStepsLines(report),
    "",
    `- **(a) busiest filter, p95 under ${goals.busiestP95Ms} ms: ${met(v.busiest.ok)}**` +
      (v.busiest.ok ? ` (the highest: ${ms(Math.max(...results.filter((r) => r.filter === "a").map((r) => r.warm.p95)))} ms).` : `: ${v.busiest.over.length} of ${v.busiest.of} cases over, ${list(v.busiest.over, (r) => `${ms(r.warm.p95)} ms`)}.`),
    `- **(b) typical filter, p95 under ${goals.typicalP95Ms} ms: ${met(v.typical.ok)}**` +
      (v.typical.ok ? ` (the highest: ${ms(Math.max(...results.filter((r) => r.filter === "b").map((r) => r.warm.p95)))} ms).` : `: ${v.typical.over.length} of ${v.typical.of} cases over, ${list(v.typical.over, (r) => `${ms(r.warm.p95)} ms`)}.`),
    `- **The first answer after a start within ${goals.coldRatio}× a warm one, strictly (the first request the started runtime answers): ${met(v.cold.ok)}**` +
      (v.cold.ok
        ? ` (the most: ${n(Math.max(...results.filter((r) => r.filter !== "floor").map((r) => r.coldRatio)), 1)}×).`
        : `: ${v.cold.over.length} of ${v.cold.of} cases over, ${list(v.cold.over, (r) => `${ms(r.first.ms)} ms against ${ms(r.warm.p50)} (${n(r.coldRatio, 1)}×)`)}.`) +
      (floor
        ? ` The floor, \`/api/1.0/metrics\` (one small query, no totals), is answered first in ${ms(floor.first.ms)} ms against ${ms(floor.warm.p50)} warm (${n(floor.coldRatio, 1)}×): ` +
          `that much of every first answer is the start itself, before any question is asked.`
        : ""),
    ...(v.afterMetrics
      ? [
          `- **The same after the runtime's first request (the case's first answer after one \`/api/1.0/metrics\`): ${met(v.afterMetrics.ok)}**` +
            (v.afterMetrics.ok
              ? ` (the most: ${n(Math.max(...results.filter((r) => r.afterMetrics && r.filter !== "floor").map((r) => r.afterMetrics.ratio)), 1)}×).`
              : `: ${v.afterMetrics.over.length} of ${v.afterMetrics.of} cases over, ${list(v.afterMetrics.over, (r) => `${ms(r.afterMetrics.ms)} ms against ${ms(r.warm.p50)} (${n(r.afterMetrics.ratio, 1)}×)`)}.`) +
            ` What that leaves out is the fixed part of a start, which the steps above take apart: the runtime's first request through the worker and local D1's first query. ` +
            `What stays in is each question's own first time: the config read and compiled into the engine, its code's first run, its queries' first statements and pages. ` +
            `The operating system's file cache holds the database throughout (the same files were just read), which a cold start in production does not have either way: there D1 is remote.`,
        ]
      : []),
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
