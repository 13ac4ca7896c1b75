// Renders bench/RESULTS.md from the runs of bench/ingest.mjs. Everything except FINDINGS (written
// by hand after profiling, below) is computed, so a re-run rewrites the file.

/**
 * The original fuel-stats collector (Flask + PostgreSQL, 2 workers, wrk at 16 connections) measured
 * on this kind of machine with the same request shapes.
 */
const FUEL_STATS = {
  logs: { perSecond: 3950, p99: 729 },
  structures: { perSecond: 206, p99: 150 },
  oswlRowsPerSecond: 1680,
};
const GOALS = { logs: 20000, structures: 400, p99: 200 };

/** The processes whose CPU each run samples (keys of `cpu.processes`). */
const PROCESSES = {
  runtime: "workerd runtime (Worker, objects, local D1)",
  proxy: "workerd proxy (owns the port)",
  loadgen: "load generator",
  host: "wrangler host (bench/ingest.mjs)",
};

const SCENARIOS = {
  structures: { title: "(a) installation structures, 3 clusters × 7 nodes", unit: "structures/s" },
  logs: { title: "(b) action logs, new batches of 100", unit: "rows added/s" },
  reposts: { title: "(c) action logs, re-posted batches of 100 (all `existed`)", unit: "records answered/s" },
};
const MODES = ["keep-alive", "new-connection"];

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const sum = (values) => values.reduce((a, b) => a + b, 0);
const int = (n) => Math.round(n).toLocaleString("en-US");
const ms = (n) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
const row = (cells) => `| ${cells.join(" | ")} |`;
const table = (head, rows) => [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

const cores = (r, key) => r.cpu.processes[key].cores;
/** Host CPU used by anything but the bench's own processes during the run. */
const othersCores = (r) => Math.max(0, r.cpu.machineCores - sum(Object.keys(PROCESSES).map((k) => cores(r, k))));
/** CPU milliseconds the runtime spent per completed request. */
const runtimeMsPerRequest = (r) => (cores(r, "runtime") * r.cpu.seconds * 1000) / (r.completed || 1);
/** Records per second: `added` rows for new batches and structures, every record answered for re-posts. */
const perSecond = (r) => (r.scenario === "reposts" ? sum(Object.values(r.records)) / r.seconds : r.rowsPerSecond);

/** Median of each column over the rounds, per scenario × connection mode. */
function summarise(runs) {
  const groups = [];
  for (const scenario of Object.keys(SCENARIOS)) {
    for (const mode of MODES) {
      const rs = runs.filter((r) => r.scenario === scenario && r.mode === mode);
      if (rs.length === 0) continue;
      groups.push({
        scenario,
        mode,
        runs: rs,
        rps: median(rs.map((r) => r.rps)),
        perSecond: median(rs.map(perSecond)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        non2xx: sum(rs.map((r) => r.non2xx)),
        unexpected: sum(rs.map((r) => r.unexpected)),
        errors: sum(rs.map((r) => r.errors)),
      });
    }
  }
  return groups;
}

function resultsTables(groups) {
  const out = [];
  for (const [scenario, { title, unit }] of Object.entries(SCENARIOS)) {
    const gs = groups.filter((g) => g.scenario === scenario);
    if (gs.length === 0) continue;
    out.push(
      `### ${title}`,
      "",
      table(
        ["connections", "req/s", unit, "p50 ms", "p99 ms", "non-2xx", "unexpected status", "errors"],
        gs.map((g) => [g.mode, int(g.rps), int(g.perSecond), ms(g.p50), ms(g.p99), g.non2xx, g.unexpected, g.errors]),
      ),
      "",
      "Raw runs (“runtime CPU”: cores the runtime workerd used; “others' CPU”: cores used by processes",
      "outside the bench, such as someone's tests, during the run):",
      "",
      table(
        ["connections", "round", "req/s", unit, "p50 ms", "p99 ms", "runtime CPU", "others' CPU"],
        gs.flatMap((g) =>
          g.runs.map((r) => [
            g.mode,
            r.round,
            int(r.rps),
            int(perSecond(r)),
            ms(r.p50),
            ms(r.p99),
            cores(r, "runtime").toFixed(2),
            othersCores(r).toFixed(2),
          ]),
        ),
      ),
      "",
    );
    if (scenario === "structures") {
      const counts = gs.flatMap((g) => g.runs.map((r) => `${g.mode} round ${r.round}: ${int(r.statuses[201] ?? 0)} / ${int(r.statuses[200] ?? 0)}`));
      out.push(`Created (201) / updated (200): ${counts.join("; ")}.`, "");
    }
  }
  return out.join("\n");
}

function comparison(groups, runs) {
  const rows = [];
  const verdicts = [];
  for (const [scenario, label] of [
    ["logs", "action-log rows/s"],
    ["structures", "installation structures/s"],
  ]) {
    const base = FUEL_STATS[scenario];
    for (const mode of MODES) {
      const g = groups.find((x) => x.scenario === scenario && x.mode === mode);
      if (!g) continue;
      const rateMet = g.perSecond >= GOALS[scenario];
      const p99Met = g.p99 < GOALS.p99;
      verdicts.push(rateMet && p99Met);
      rows.push([
        `${label}, ${mode}`,
        `${int(base.perSecond)} (p99 ${base.p99} ms)`,
        `${int(g.perSecond)} (p99 ${ms(g.p99)} ms)`,
        `${(g.perSecond / base.perSecond).toFixed(2)}×`,
        `≥ ${int(GOALS[scenario])}: ${rateMet ? "met" : "**not met**"}`,
        `< ${GOALS.p99} ms: ${p99Met ? "met" : "**not met**"}`,
      ]);
    }
  }
  // Medians hide single runs: name the runs that fell short of a goal.
  const short = runs
    .filter((r) => (r.scenario === "logs" || r.scenario === "structures") && (perSecond(r) < GOALS[r.scenario] || r.p99 >= GOALS.p99))
    .map((r) => `${r.scenario} ${r.mode} round ${r.round} (${int(perSecond(r))}/s, p99 ${ms(r.p99)} ms)`);
  const creating = runs.filter((r) => r.scenario === "structures" && (r.statuses[201] ?? 0) > 0).sort((a, b) => b.statuses[201] - a.statuses[201])[0];
  return [
    table(["measure (16 connections)", "fuel-stats", "edgestats (median)", "vs fuel-stats", "rate goal", "p99 goal"], rows),
    (verdicts.every(Boolean)
      ? "**All goal rows are met** on this machine (medians)."
      : `**${verdicts.filter((v) => !v).length} of ${verdicts.length} goal rows are not met** on this machine (medians); see “Where the time goes”.`) +
      ` Single runs short of a goal: ${short.length === 0 ? "none" : short.join("; ")}.`,
    creating
      ? `The run that created the installations (${int(creating.statuses[201])} of its ${int(creating.completed)} posts were new, and each` +
        ` new installation creates an Installation object) reached ${int(creating.rps)} structures/s, ${(creating.rps / FUEL_STATS.structures.perSecond).toFixed(2)}×` +
        ` fuel-stats (p99 ${ms(creating.p99)} ms); the other structure runs are updates.`
      : "",
    `fuel-stats also stored ${int(FUEL_STATS.oswlRowsPerSecond)} OSWL rows/s; OSWL is not part of this bench.`,
  ]
    .filter(Boolean)
    .join("\n\n");
}

function connectionCheck(runs) {
  const rows = MODES.map((mode) => {
    const rs = runs.filter((r) => r.mode === mode);
    const requests = sum(rs.map((r) => r.completed + r.errors));
    const connects = mode === "new-connection" ? int(sum(rs.map((r) => r.connects))) : `16 per run (${rs.length} runs)`;
    return [mode, int(requests), connects, int(sum(rs.map((r) => r.activeOpens)))];
  });
  return table(["mode", "requests", "TCP connections the client opened", "TCP ActiveOpens on the host (/proc/net/snmp)"], rows);
}

function cpuTable(groups) {
  const rows = groups.map((g) => {
    const avg = (f) => mean(g.runs.map(f));
    return [
      `${g.scenario}, ${g.mode}`,
      ...Object.keys(PROCESSES).map((k) => avg((r) => cores(r, k)).toFixed(2)),
      avg((r) => r.cpu.processes.runtime.busiestThread).toFixed(2),
      avg(othersCores).toFixed(2),
      avg((r) => r.cpu.machineCores).toFixed(2),
      avg(runtimeMsPerRequest).toFixed(2),
    ];
  });
  return table(
    ["scenario, connections", ...Object.values(PROCESSES), "runtime's busiest thread", "others", "host total", "runtime CPU ms / request"],
    rows,
  );
}

export function renderResults({ startedAt, finishedAt, machine, source, load, config, runs, verification }) {
  const groups = summarise(runs);
  const ok = verification.every((v) => v.expected === v.actual);
  const others = runs.map(othersCores);
  return `# Ingest benchmark

Generated by \`npm run bench:ingest\` (bench/ingest.mjs); re-running rewrites this file.

**These are not production numbers.** The collector runs locally under wrangler ${machine.wrangler} /
workerd ${machine.workerd}: the Worker, every Installation object and D1 (SQLite, emulated by miniflare)
share one thread of one process, behind wrangler's local proxy, on two cores that also carry the
load generator. On Cloudflare the Worker, each object and D1 run apart, with network hops between
them. What the bench shows is whether this code path keeps up with the original collector on the
kind of machine the original was measured on, and what bounds it there.

## Run

- ${startedAt.toISOString()} → ${finishedAt.toISOString()}
- ${machine.nproc} CPUs (${machine.model}), ${machine.memory} RAM, Linux ${machine.kernel}
- Node ${machine.node}, wrangler ${machine.wrangler}, workerd ${machine.workerd}, autocannon ${machine.autocannon}
- code: ${source.commit}${source.dirty.length === 0 ? "" : ` plus uncommitted changes in ${source.dirty.join(", ")}`}${source.config ? `; config ${source.config}` : ""}
- load average before / after: ${load.before.loadavg} / ${load.after.loadavg}; ${load.quiet ? "the host was quiet at the start" : "**the host was not quiet at the start**"}
  (other vitest/workerd: ${load.before.others.length === 0 ? "none" : load.before.others.map((o) => `\`${o}\``).join(", ")});
  processes outside the bench used ${Math.min(...others).toFixed(2)}–${Math.max(...others).toFixed(2)} cores during the runs

## Method

- The Worker is started with \`unstable_startWorker\` (no inspector, \`logLevel: "warn"\`, no watch) on
  127.0.0.1:${config.port}, on a fresh persist dir under bench/.state/ with both D1 migrations applied.
- ${config.connections} connections, ${config.seconds} s per run, ${config.rounds} rounds; each round runs every
  scenario in both connection modes, so noise spreads over all of them. Tables give the **median** of
  each column over the rounds; the raw runs follow.
- **keep-alive**: autocannon ${machine.autocannon}, programmatic, \`setupRequest\` building a unique body per request.
- **new-connection**: a bounded Node loop of ${config.connections} workers posting with \`http.request({ agent: false })\`
  (\`Connection: close\`, one TCP connection per request, as the original server closed every
  connection). Latency includes the TCP connect. A request in flight at the deadline is finished.
- The load generator runs in its own process; its CPU, the two workerd processes' and the host's are
  read from /proc before and after each run.
- Payloads: (a) an installation structure of 3 clusters × 7 nodes (≈ 8.8 KB) round robin over 1,000
  installations, so the first 1,000 posts create (201) and later ones update (200); (b) 100
  \`http_request\` records of one installation (≈ 47 KB), external ids unique per installation, over
  300 installations; (c) batches stored in (b) posted again, all answered \`existed\`.
- workerd evicts an Installation object about 10 s after its last request, so every run starts with
  cold objects, as production would for installations that post every hour or so.
- Every response is checked: 201 for a new installation and 200 for a known one; for action logs,
  100 records of the right installation and batch, all \`added\` in (b) and all \`existed\` in (c).
  Requests cut off by the end of an autocannon run (at most 16) are re-sent after it, outside the
  measurement, so that every record's fate is known; the rows counted in D1 afterwards must match.

## Results (median of ${config.rounds})

${resultsTables(groups)}
## Against fuel-stats and the goals

fuel-stats (Flask + PostgreSQL, 2 workers) was measured with wrk at 16 connections on this kind of
machine with the same shapes. Goals: ≥ ${int(GOALS.logs)} action-log rows/s (5×) and ≥ ${GOALS.structures}
structures/s (2×), p99 < ${GOALS.p99} ms, at 16 connections, in both connection modes.

${comparison(groups, runs)}

## New connections really are new

${connectionCheck(runs)}

ActiveOpens counts every TCP connection opened on the host during the runs, by anyone: it matches
the client's count, so the proxy does not open a connection of its own per request. In keep-alive
runs the re-sends after each run (one connection each) add to autocannon's 16.

## Where the time goes

Cores used on average over the rounds (1.00 = one core busy throughout; the host has ${machine.nproc}).

${cpuTable(groups)}

${FINDINGS}

## Verification

After the runs the Worker was disposed and the persist dir's D1 queried with \`wrangler d1 execute --local\`.

${table(["check", "expected", "found", ""], verification.map((v) => [v.what, int(v.expected), int(v.actual), v.expected === v.actual ? "ok" : "**FAILED**"]))}

${ok ? "All checks passed." : "**Verification failed.**"}
`;
}

/**
 * Written by hand from profiling on 2026-11-27 (perf on the runtime workerd, and the bench run with
 * BENCH_CONFIG against modified copies of worker/); re-check it when the Worker changes.
 */
const FINDINGS = `### What bounds it (profiling notes, 2026-11-27)

- **One thread does all the server's work.** The runtime workerd runs the Worker, every Installation
  object and local D1 (miniflare's D1 object over SQLite) on one thread: its busiest thread carries
  95–98% of the process's CPU in every run. On a quiet host the runtime uses 0.85–0.95 of a core in
  every scenario, i.e. that thread is saturated, so requests/s ≈ 1 / (runtime CPU per request), the
  last column above. The other core holds wrangler's local proxy (0.6–0.9 ms of CPU per request,
  0.1–0.35 cores), the load generator (0.1–0.2) and the kernel's loopback TCP, and is not the limit.
  When someone's tests take a core, the runtime gets less than one and every figure drops with it
  (“others' CPU” in the raw runs).
- **The margins are thin and need a quiet host.** On a quiet host on 2026-11-27 the medians cleared
  the goals by 7–38%; a full run the same day while someone's tests held one core measured 301–339
  structures/s and 18.0–18.1k action-log rows/s, below both goals. In the quiet run, the rounds in
  which others took half a core lost 15–25% (and a structures p99 reached 198 ms).
- **Local D1 is more than half of that thread.** A copy of the Worker whose object answers without
  writing to D1 needed 0.74 instead of 1.67 ms per structure update and 1.9–2.1 instead of 4.0–4.3 ms
  per 100-log batch. perf during (b): SQLite ≈ 29% of the samples, of which its JSON functions
  (\`json_each\`, \`->\`, \`->>\`) ≈ 12% and fsync ≈ 7%; V8 JSON.parse ≈ 5%, the RPC's structured clone
  ≈ 6%, starting and stopping objects ≈ 7%, GC ≈ 5%. On Cloudflare D1 runs elsewhere, so this part is
  a local cost.
- **Creating an Installation object is the costliest step of a structure post.** The first post of an
  installation creates its object (and the object's SQLite database): the run with 1,000 new
  installations costs 2.9–3.9 ms of runtime CPU per post, runs of updates 1.5–1.8 ms. A copy that
  upserts the structure from the Worker, without the object, needed 1.5–1.9 ms in that run and
  reached 491–613 instead of 215–294 structures/s; runs of updates did not get faster. Moving the
  object's storage migration from its constructor to its first action-log write did not help
  (3.7–4.3 ms): the cost is the object, not the migration.
- **Not what bounds it:** the connection mode (a new TCP connection per request costs the client and
  the kernel, not the runtime); zod, which costs ≈ 0.2 ms of a 100-log batch (5–10%) and nothing
  measurable for a structure.
- **Smaller levers, measured:** writing action logs from the Worker straight to D1 (no object) cut a
  batch from 3.7–4.2 to 3.1–3.3 ms, but re-posts then reach D1 (2.5–3.0 instead of 1.7–1.8 ms).
  Handing the object one JSON string per installation instead of 100 cloned records, and
  \`json_each\` over arrays (\`[id, type, name, body]\`) instead of objects, each saved 3–6% here,
  within the noise; in plain SQLite (3.40) the array form inserts a 100-row batch in 0.53 instead of
  0.72 ms, a saving on D1's side, which applies one database's writes one at a time.`;
