// Renders bench/RESULTS.md from the runs of bench/ingest.mjs. Everything except FINDINGS (written
// by hand after profiling, below) is computed, so a re-run rewrites the file.

/** Issue 18's goals: edgestats against the original, measured side by side (medians), and its p99. */
const GOALS = { "fleet-logs": 5, "fleet-structures": 2, "first-logs": 1.5, "first-structures": 1.5 };
const P99_GOAL_MS = 200;

/** The processes whose CPU each run samples (keys of `cpu.processes`), by collector. */
const PROCESSES = {
  edgestats: {
    "edgestats.runtime": "workerd runtime (Worker, objects, local D1)",
    "edgestats.proxy": "workerd proxy (owns the port)",
    "edgestats.host": "wrangler host (bench/ingest.mjs)",
  },
  peer: {
    "peer.server": "gunicorn (master + 2 sync workers)",
    "peer.database": "PostgreSQL (postmaster + backends)",
  },
};
/** What does the server's work, per collector (its CPU per request is their sum). */
const SERVER = { edgestats: ["edgestats.runtime", "edgestats.proxy"], peer: ["peer.server", "peer.database"] };

const SCENARIOS = {
  "fleet-logs": { title: "fleet: action-log batches of known installations, new ids", unit: "rows added/s" },
  "fleet-structures": { title: "fleet: structure updates of known installations", unit: "structures/s" },
  "fleet-reposts": { title: "fleet: re-posted batches (all `existed`)", unit: "records answered/s" },
  "first-logs": { title: "first contact: a new installation per action-log batch", unit: "rows added/s" },
  "first-structures": { title: "first contact: a new installation per structure", unit: "structures/s" },
};
const MODES = ["keep-alive", "new-connection"];
const TARGETS = ["peer", "edgestats"];
const TARGET_NAMES = { peer: "fuel-stats (peer)", edgestats: "edgestats" };

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const sum = (values) => values.reduce((a, b) => a + b, 0);
const int = (n) => Math.round(n).toLocaleString("en-US");
const ms = (n) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
const ratio = (n) => `${n.toFixed(2)}×`;
const per = (n) => (n === 0 ? "0" : n < 0.1 ? n.toFixed(3) : n.toFixed(2));
const row = (cells) => `| ${cells.join(" | ")} |`;
const table = (head, rows) => [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

const cores = (r, key) => r.cpu.processes[key]?.cores ?? 0;
/** Host CPU used by anything but the bench's own processes (both collectors, the load generator) during the run. */
const othersCores = (r) => Math.max(0, r.cpu.machineCores - sum(Object.keys(r.cpu.processes).map((k) => cores(r, k))));
/** CPU milliseconds the collector's server processes spent per completed request. */
const serverMsPerRequest = (r) => (sum(SERVER[r.target].map((k) => cores(r, k))) * r.cpu.seconds * 1000) / (r.completed || 1);
/** Records per second: `added` rows for new batches and structures, every record answered for re-posts. */
const perSecond = (r) => (r.scenario === "fleet-reposts" ? sum(Object.values(r.records)) / r.seconds : r.rowsPerSecond);

/** Median of each column over the rounds, per scenario × connection mode × collector. */
function summarise(runs) {
  const groups = [];
  for (const scenario of Object.keys(SCENARIOS)) {
    for (const mode of MODES) {
      for (const target of TARGETS) {
        const rs = runs.filter((r) => r.scenario === scenario && r.mode === mode && r.target === target);
        if (rs.length === 0) continue;
        groups.push({
          scenario,
          mode,
          target,
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
  }
  return groups;
}

/** The side-by-side table: one row per scenario × mode that ran on both collectors. */
function comparison(groups, runs) {
  const rows = [];
  const verdicts = [];
  for (const [scenario, { title, unit }] of Object.entries(SCENARIOS)) {
    for (const mode of MODES) {
      const peer = groups.find((g) => g.scenario === scenario && g.mode === mode && g.target === "peer");
      const edge = groups.find((g) => g.scenario === scenario && g.mode === mode && g.target === "edgestats");
      if (!peer || !edge) continue;
      const r = edge.perSecond / peer.perSecond;
      // Each round's pair ran back to back: the spread of their ratios shows how steady the ratio is.
      const pairs = edge.runs
        .map((e) => [e, peer.runs.find((p) => p.round === e.round)])
        .filter(([, p]) => p)
        .map(([e, p]) => perSecond(e) / perSecond(p));
      const goal = GOALS[scenario];
      const rateMet = goal === undefined ? null : r >= goal;
      const p99Met = edge.p99 < P99_GOAL_MS;
      if (goal !== undefined) verdicts.push({ scenario, rateMet, p99Met });
      rows.push([
        `${title}${MODES.length > 1 && groups.some((g) => g.mode !== mode) ? `, ${mode}` : ""} (${unit})`,
        int(peer.perSecond),
        int(edge.perSecond),
        `**${ratio(r)}** (${ratio(Math.min(...pairs))}–${ratio(Math.max(...pairs))})`,
        goal === undefined ? "–" : `≥ ${goal}×: ${rateMet ? "met" : "**not met**"}`,
        ms(peer.p99),
        ms(edge.p99),
        goal === undefined ? "–" : `< ${P99_GOAL_MS} ms: ${p99Met ? "met" : "**not met**"}`,
        `${median(peer.runs.map(serverMsPerRequest)).toFixed(1)} / ${median(edge.runs.map(serverMsPerRequest)).toFixed(1)}`,
      ]);
    }
  }
  if (rows.length === 0) return null;
  const loadgen = runs.map((r) => cores(r, "loadgen"));
  const missed = verdicts.filter((v) => !v.rateMet || !v.p99Met);
  return [
    table(
      ["scenario (medians)", "fuel-stats", "edgestats", "ratio (rounds' pairs)", "rate goal", "p99 fuel-stats ms", "p99 edgestats ms", "p99 goal", "server CPU ms / request, fuel-stats / edgestats"],
      rows,
    ),
    missed.length === 0
      ? `**Every goal is met** on this machine (medians).`
      : `**${missed.length} of ${verdicts.length} scenarios miss a goal** on this machine (medians): ${missed
          .map((v) => `${v.scenario} (${[!v.rateMet && "rate", !v.p99Met && "p99"].filter(Boolean).join(" and ")})`)
          .join(", ")}.`,
    reloadNote(runs),
    `The load generator used ${Math.min(...loadgen).toFixed(2)}–${Math.max(...loadgen).toFixed(2)} cores in these runs (one Node process, one thread).` +
      ` “Server CPU per request” is the CPU the collector's own processes spent per answered request (fuel-stats:` +
      ` gunicorn and PostgreSQL; edgestats: both workerd), which others' load changes less than the rates: see` +
      ` “Where the time goes” for how many of each collector's threads waited for a core.`,
  ].join("\n\n");
}

function resultsTables(groups) {
  const out = [];
  const twoTargets = new Set(groups.map((g) => g.target)).size > 1;
  for (const [scenario, { title, unit }] of Object.entries(SCENARIOS)) {
    const gs = groups.filter((g) => g.scenario === scenario);
    if (gs.length === 0) continue;
    const label = (g) => [twoTargets ? TARGET_NAMES[g.target] : null, g.mode].filter(Boolean).join(", ");
    out.push(
      `### ${title}`,
      "",
      table(
        ["collector, connections", "req/s", unit, "p50 ms", "p99 ms", "non-2xx", "unexpected status", "errors"],
        gs.map((g) => [label(g), int(g.rps), int(g.perSecond), ms(g.p50), ms(g.p99), g.non2xx, g.unexpected, g.errors]),
      ),
      "",
      "Raw runs (“server CPU”: cores the collector's own processes used, see “Where the time goes”; “load",
      "generator”: its cores; “others' CPU”: cores used by processes outside the bench, such as someone's",
      "tests, during the run; ↻: wrangler reloaded edgestats' runtime during the run, see “Verification”):",
      "",
      table(
        ["collector, connections", "round", "req/s", unit, "p50 ms", "p99 ms", "server CPU", "load generator", "others' CPU"],
        gs.flatMap((g) =>
          g.runs.map((r) => [
            label(g),
            `${r.round}${r.edgestatsReloaded ? " ↻" : ""}`,
            int(r.rps),
            int(perSecond(r)),
            ms(r.p50),
            ms(r.p99),
            sum(SERVER[r.target].map((k) => cores(r, k))).toFixed(2),
            cores(r, "loadgen").toFixed(2),
            othersCores(r).toFixed(2),
          ]),
        ),
      ),
      "",
    );
  }
  return out.join("\n");
}

/** Rows written per stored record, from the metered pass. */
function writesSection(writes) {
  if (!writes) return "Not measured in this run (`BENCH_WRITES=0`, or the verification failed).";
  const rows = writes.phases.map((p) => {
    const w = p.writes;
    const records = p.stored > 0 ? p.stored : p.answered;
    const d1 = w.d1.installation.rowsWritten;
    const objects = w.objects.installation.rowsWritten + w.objects.addressQuota.rowsWritten;
    return [
      p.title,
      int(p.requests),
      p.stored > 0 ? `${int(p.stored)} stored` : `${int(p.answered)} answered`,
      `${int(d1)} (${int(w.d1.installation.statements)})`,
      `**${per(d1 / records)}**`,
      `${int(w.objects.installation.rowsWritten)} (${int(w.objects.installation.statements)})`,
      `${int(w.objects.addressQuota.rowsWritten)} (${int(w.objects.addressQuota.statements)})`,
      `**${per(objects / records)}**`,
      `${int(w.d1.worker.rowsWritten)} (${int(w.d1.worker.statements)})`,
    ];
  });
  return [
    `A short pass after the measured runs, on a copy of the worker that counts its writes without changing them`,
    `(bench/lib/metered-worker.ts: the same worker/ code and wrangler.toml, its COLLECTOR_DB adding up each result's`,
    `\`meta.rows_written\`, and each object's storage adding up each statement's \`rowsWritten\`), on a state of its own:`,
    `${writes.fleet} installations post their first structure, then the same structure with their token (which binds`,
    `them), then the kinds of request below one kind at a time, 4 at once; ${writes.first} new installations post one batch`,
    `of ${writes.batchSize} action logs each. Rows are local D1's and workerd's own counts, the figures Cloudflare bills.`,
    "",
    table(
      [
        "requests",
        "n",
        "records",
        "D1 rows written by the object (statements)",
        "D1 rows / record",
        "Installation storage rows (statements)",
        "AddressQuota storage rows (statements)",
        "object storage rows / record",
        "D1 rows of the outcome counters (statements)",
      ],
      rows,
    ),
    "",
    "The outcome counters (`collector_outcomes`, docs/security.md) are written by the Worker at most once a second",
    "per isolate, whatever the rate, so their rows per record shrink as the load grows; they are left out of the",
    "per-record columns.",
  ].join("\n");
}

function connectionCheck(runs) {
  const rows = [];
  for (const target of TARGETS) {
    for (const mode of MODES) {
      const rs = runs.filter((r) => r.mode === mode && r.target === target);
      if (rs.length === 0) continue;
      const requests = sum(rs.map((r) => r.completed + r.errors));
      rows.push([TARGET_NAMES[target], mode, int(requests), int(sum(rs.map((r) => r.connects))), int(sum(rs.map((r) => r.activeOpens)))]);
    }
  }
  return table(["collector", "mode", "requests", "TCP connections the client opened", "TCP ActiveOpens on the host (/proc/net/snmp)"], rows);
}

function cpuTables(groups) {
  const out = [];
  for (const target of TARGETS) {
    const gs = groups.filter((g) => g.target === target);
    if (gs.length === 0) continue;
    const keys = Object.keys(PROCESSES[target]);
    const rows = gs.map((g) => {
      const avg = (f) => mean(g.runs.map(f));
      return [
        `${g.scenario}, ${g.mode}`,
        ...keys.map((k) => avg((r) => cores(r, k)).toFixed(2)),
        avg((r) => cores(r, "loadgen")).toFixed(2),
        ...(target === "edgestats" ? [avg((r) => r.cpu.processes["edgestats.runtime"].busiestThread).toFixed(2)] : []),
        avg((r) => sum(SERVER[target].map((k) => r.cpu.processes[k]?.waiting ?? 0))).toFixed(2),
        avg(othersCores).toFixed(2),
        avg((r) => r.cpu.machineCores).toFixed(2),
        avg(serverMsPerRequest).toFixed(2),
      ];
    });
    out.push(
      `### ${TARGET_NAMES[target]}`,
      "",
      table(
        [
          "scenario, connections",
          ...Object.values(PROCESSES[target]),
          "load generator",
          ...(target === "edgestats" ? ["runtime's busiest thread"] : []),
          "server threads waiting for a CPU",
          "others",
          "host total",
          "server CPU ms / request",
        ],
        rows,
      ),
      "",
    );
  }
  return out.join("\n");
}

export function renderResults({ startedAt, finishedAt, machine, source, load, config, verifiedIn, runs, verification, writes }) {
  const groups = summarise(runs);
  const ok = verification.every((v) => v.expected === v.actual);
  const others = runs.map(othersCores);
  const side = config.peer ? comparison(groups, runs) : null;
  return `# Ingest benchmark

Generated by \`npm run bench:ingest\` (bench/ingest.mjs); re-running rewrites this file down to the kept marker.

**These are not production numbers.** The collector runs locally under wrangler ${machine.wrangler} /
workerd ${machine.workerd}: the Worker, every Durable Object and D1 (SQLite, emulated by miniflare)
share one thread of one process${config.viaProxy ? ", behind wrangler's local proxy," : " (the load goes to its own socket, not through wrangler dev's proxy)"} on two cores that also carry the
load generator. On Cloudflare the Worker, each object and D1 run apart, with network hops between
them. With \`BENCH_PEER\`, the original collector (fuel-stats) runs on the same machine at the same
time, each of its runs followed at once by the same run on edgestats, with the same request bodies:
the ratio between the two is what this file compares, never figures from other days.

## Run

- ${startedAt.toISOString()} → ${finishedAt.toISOString()}
- ${machine.nproc} CPUs (${machine.model}), ${machine.memory} RAM, Linux ${machine.kernel}
- Node ${machine.node}, wrangler ${machine.wrangler}, workerd ${machine.workerd}
- code: ${source.commit}${source.dirty.length === 0 ? "" : ` plus uncommitted changes in ${source.dirty.join(", ")}`}${source.config ? `; config ${source.config}` : ""}${source.floor ? `; **edgestats' side is the floor, not the collector**: bench/lib/floor-worker.ts with FLOOR=${source.floor} (${source.floor === "object" ? "Worker → the installation's object → D1" : "Worker → D1, no object"}, none of the collector's own work)` : ""}
- peer: ${config.peer ? `fuel-stats' collector on 127.0.0.1:${config.peer} (how it was run: “How the peer was run”, below the kept marker)` : "none (`BENCH_PEER` unset)"}
- load average before / after: ${load.before.loadavg} / ${load.after.loadavg}; ${load.quiet ? "the host was quiet at the start" : "**the host was not quiet at the start: the figures were taken under that load**"}
  (other vitest/workerd: ${load.before.others.length === 0 ? "none" : load.before.others.map((o) => `\`${o}\``).join(", ")});
  processes outside the bench used ${Math.min(...others).toFixed(2)}–${Math.max(...others).toFixed(2)} cores during the runs
${
  side
    ? `
## edgestats and the original, side by side

Medians of ${config.rounds} rounds; in each round the peer's run came first and edgestats' right after it, same
scenario, same bodies, ${config.connections} connections (${config.modes.join(", ")}), ${config.seconds} s measured after a ${config.warmup} s warm-up.
The ratio is edgestats' median over fuel-stats'; in brackets, the lowest and highest ratio of one round's pair.
Goals (issue 18): fleet action logs ≥ 5×, fleet structures ≥ 2×, first contacts ≥ 1.5×, edgestats' p99 < ${P99_GOAL_MS} ms.

${side}
`
    : ""
}
## Method

- The Worker is started with wrangler's \`DevEnv.startWorker\` (what \`unstable_startWorker\` calls; no inspector, \`logLevel: "warn"\`, no watch),
  its proxy on 127.0.0.1:${config.port}${config.viaProxy ? ", which the load goes through" : "; the load goes to the runtime's own socket (miniflare's entry, where that proxy forwards), as Cloudflare hands a request to the Worker with no dev proxy between (\`BENCH_VIA_PROXY=1\` goes through the proxy)"}, on a fresh persist dir under bench/.state/ with every D1 migration applied. The
  per-address limit on new installations (\`LIMIT_NEW_INSTALLATIONS_PER_HOUR\`) is lifted, as every
  request comes from 127.0.0.1; identity and the per-installation limits stay at their shipped values.
- **Registration, before any measured run**: ${int(config.fleet)} installations (the fleet) post their structure
  (201) and post it again (200), on every collector. edgestats answers the first post with a token and
  the second post presents it, which binds the installation: from then on every fleet request carries
  its token (\`X-Installation-Token\`), as a token-aware sender's would. The peer has no identity and gets
  no such header; the bodies are the same bytes.
- **Scenarios**: fleet action logs (batches of 100 new records of one fleet installation, round robin,
  all \`added\`); fleet structure updates (round robin, 200); fleet re-posts (batches stored earlier in
  this run, all \`existed\`); first contact with an action-log batch (a new installation per request,
  100 records, all \`added\`); first contact with a structure (a new installation per request, 201).
  On edgestats a first contact creates the installation's Durable Object and charges the client
  address's \`AddressQuota\` object.
- **Bodies** (bench/lib/payloads.mjs, a pure function of installation and sequence number, so both
  collectors get the same bytes): an action-log batch is 100 \`http_request\` records with a small
  \`additional_info\` (≈ 38 KB); a structure is 3 clusters × 7 nodes with 33 attributes per cluster
  (≈ 21 KB).
- ${config.connections} connections, ${config.warmup} s of warm-up then ${config.seconds} s measured per run, ${config.rounds} rounds; each round runs
  every scenario in ${config.modes.length > 1 ? "both connection modes" : `the ${config.modes[0]} mode`}${config.peer ? ", on the peer and then on edgestats" : ""}, so noise spreads over all of them.
  Tables give the **median** of each column over the rounds; the raw runs follow.
- **The load generator** is one forked Node process (bench/lib/load.mjs): ${config.connections} workers, each posting with
  \`node:http\` and waiting for the answer before the next post. **keep-alive**: one \`http.Agent\` with
  keep-alive; a server that closes the connection after each answer (gunicorn's sync workers do) gets a
  new one per request. **new-connection**: \`agent: false\`, one TCP connection per request, as
  statsenderd's \`requests.post\`. Latency includes any TCP connect. Its CPU, the collectors' processes'
  (edgestats: the two workerd and the wrangler host; the peer: whatever listens on its port and its
  database's port, with their children) and the host's are read from /proc before and after each run.
- Every response is checked: 201 for a new installation and 200 for a known one; for action logs,
  100 records of the right installation and batch, all \`added\` (new batches) or all \`existed\`
  (re-posts). Requests cut off at the end of a run (at most 16), timed out (4 s) or answered 5xx
  are re-sent after it, outside the measurement, so that every record's fate is known; the rows
  counted in each collector's database afterwards must match. A 5xx still counts as non-2xx.

## Results (median of ${config.rounds})

${resultsTables(groups)}
## Rows written per stored record (edgestats)

${writesSection(writes)}

## Connections

${connectionCheck(runs)}

“Opened” counts the measured parts only: in keep-alive runs the connections of the warm-up carry
over, and the client opens one only when the server closed the last (gunicorn's sync workers close
after every answer; workerd keeps them open). ActiveOpens counts every TCP connection opened on the
host during the runs, warm-ups and re-sends included, by anyone: in new-connection runs it matches
the client's count when the collector opens no connection of its own per request.

## Where the time goes

Cores used on average over the rounds (1.00 = one core busy throughout; the host has ${machine.nproc}).
“Server threads waiting for a CPU” is how many of the collector's threads were, on average, ready to
run but had no core (from /proc/<pid>/task/<tid>/schedstat): what other processes' load took from it.
The kernel shares the cores per thread, so under others' load a collector of several busy processes
(gunicorn's workers, PostgreSQL's backends) keeps a larger share than one of a single busy thread
(workerd's runtime).

${cpuTables(groups)}
${FINDINGS}

## Verification

After the runs the Worker was disposed and each collector's rows counted: ${Object.entries(verifiedIn)
    .map(([t, where]) => `${TARGET_NAMES[t]} in ${where ?? "nothing (not counted: `BENCH_PEER_DB=none`)"}`)
    .join("; ")}.

${table(
  ["collector", "check", "expected", "found", ""],
  verification.map((v) => [TARGET_NAMES[v.target], v.what, int(v.expected), int(v.actual), v.expected === v.actual ? "ok" : "**FAILED**"]),
)}

${ok ? "All checks passed." : "**Verification failed.**"} ${reloadNote(runs)}
${failuresList(runs)}`;
}

/** Runs during which wrangler started a new runtime workerd for edgestats (a file of the bundle changed). */
function reloadNote(runs) {
  if (!runs.some((r) => "edgestatsReloaded" in r)) return "Reloads of edgestats' runtime were not recorded in this run.";
  const reloaded = runs.filter((r) => r.edgestatsReloaded);
  if (reloaded.length === 0) return "wrangler did not reload edgestats' runtime during any run.";
  return (
    `**wrangler reloaded edgestats' runtime during ${reloaded.length} run(s)**: ${reloaded.map((r) => `round ${r.round} ${r.scenario} on ${TARGET_NAMES[r.target]}`).join("; ")}. ` +
    `Its esbuild watches every file the bundle was built from, even without \`watch\`; a reload drops the requests in flight ` +
    `(503 “Your worker restarted mid-request”, sent again after the run), starts a new runtime with every object cold, and the ` +
    `old runtime's CPU since the run began is not counted. Keep the tree (and, with a shared node_modules, the checkout that owns it) unchanged while the bench runs.`
  );
}

/** The first answers other than 2xx, and transport errors, of each run that had any. */
function failuresList(runs) {
  const failing = runs.filter((r) => (r.failures ?? []).length > 0);
  if (failing.length === 0) return "";
  const lines = failing.flatMap((r) =>
    r.failures.map(
      (f) =>
        `- ${TARGET_NAMES[r.target]}, round ${r.round}, ${r.scenario} (${r.mode}), ${(f.at / 1000).toFixed(1)} s into its ${f.phase ?? "measured"} part, after ${int(f.ms)} ms: ` +
        (f.error ? `error \`${f.error}\`` : `${f.status} \`${f.body.replace(/\s+/g, " ").slice(0, 160)}\``),
    ),
  );
  return `
Answers other than 2xx and transport errors (at most 5 per run; each was sent again after its run, and the
row counts above include what the re-sends stored):

${lines.join("\n")}
`;
}

/**
 * Written by hand from profiling on 2026-11-27 (perf on the runtime workerd, and the bench run with
 * BENCH_CONFIG against modified copies of worker/), with the bodies of then (8.8 KB structures,
 * 47 KB batches); re-check it when the Worker changes.
 */
const FINDINGS = `### What bounds edgestats here (profiling notes, 2026-11-27)

These notes were measured with the bench's earlier bodies (8.8 KB structures, 47 KB batches) and
without the first-contact scenarios; the shares hold, the milliseconds are of those bodies.

- **One thread does all the server's work.** The runtime workerd runs the Worker, every Installation
  object and local D1 (miniflare's D1 object over SQLite) on one thread: its busiest thread carries
  95–98% of the process's CPU in every run. On a quiet host the runtime uses 0.85–0.95 of a core in
  every scenario, i.e. that thread is saturated, so requests/s ≈ 1 / (runtime CPU per request). The
  other core holds wrangler's local proxy (0.6–0.9 ms of CPU per request, 0.1–0.35 cores), the load
  generator and the kernel's loopback TCP, and is not the limit. When someone's tests take a core,
  the runtime gets less than one and every figure drops with it (“others' CPU” in the raw runs).
- **Local D1 is more than half of that thread.** A copy of the Worker whose object answers without
  writing to D1 needed 0.74 instead of 1.67 ms per structure update and 1.9–2.1 instead of 4.0–4.3 ms
  per 100-log batch. perf during the action-log runs: SQLite ≈ 29% of the samples, of which its JSON
  functions (\`json_each\`, \`->\`, \`->>\`) ≈ 12% and fsync ≈ 7%; V8 JSON.parse ≈ 5%, the RPC's
  structured clone ≈ 6%, starting and stopping objects ≈ 7%, GC ≈ 5%. On Cloudflare D1 runs
  elsewhere, so this part is a local cost.
- **Creating an Installation object is the costliest step of a structure post.** The first post of an
  installation creates its object (and the object's SQLite database): a run of 1,000 new
  installations cost 2.9–3.9 ms of runtime CPU per post, runs of updates 1.5–1.8 ms. A copy that
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
