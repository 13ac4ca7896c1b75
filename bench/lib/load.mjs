// One bounded load run, in its own process so that its CPU can be told apart from the server's.
// Forked by bench/ingest.mjs: it answers "ready", waits for { run }, loads one collector (edgestats
// or a peer) for `warmup` then `seconds`, re-sends whatever was cut off, and answers { result }.
//
// `connections` workers each post, wait for the answer and post again until the deadline, with
// node:http:
// - keep-alive: one http.Agent with keep-alive and `connections` sockets; a server that closes
//   the connection after each response (fuel-stats' gunicorn sync workers do) gets a new one for
//   the next request, which the agent opens.
// - new-connection: `agent: false`, so every request opens (and the server closes) a TCP
//   connection, as statsenderd's `requests.post` does.
// New sockets are counted by their `connect` events.
import http from "node:http";
import { actionLogsRequest, BATCH_SIZE, fleetBatchOf, FLEET_SIZE, structureRequest, uidOf } from "./payloads.mjs";

const PATHS = {
  "fleet-logs": "/api/v1/action_logs/",
  "fleet-structures": "/api/v1/installation_structure/",
  "fleet-reposts": "/api/v1/action_logs/",
  "first-logs": "/api/v1/action_logs/",
  "first-structures": "/api/v1/installation_structure/",
};
/** A request slower than this is given up and re-sent after the run. */
const TIMEOUT_SECONDS = 4;
/** The whole run, re-sends included, ends this long after the load's deadline, or fails. */
const GRACE_SECONDS = 5;

/**
 * What one scenario sends and expects. `next()` picks the next request's tag (a sequence number);
 * `uidOf(tag)` is its installation and `body(tag)` its body, rebuilt whenever needed;
 * `check(tag, status, body)` tallies a response and says whether it was what the protocol promises.
 */
function scenarioOf(name, state) {
  // `failures`: the first few answers other than 2xx, and transport errors, to tell what they were.
  const tally = { statuses: {}, records: {}, unexpected: 0, rows: 0, failures: [] };
  const count = (bag, key, n = 1) => (bag[key] = (bag[key] ?? 0) + n);
  let seq = state.seq ?? 0;

  if (name === "fleet-structures" || name === "first-structures") {
    // Fleet: updates of registered installations, round robin (200). First contact: a new
    // installation each time (201). A cut-off post may or may not have been stored: its re-send
    // may answer either.
    const fleet = name === "fleet-structures";
    const uncertain = new Set();
    const uidOfTag = (s) => (fleet ? uidOf("fleet", s % FLEET_SIZE) : uidOf("first-structures", s));
    return {
      tally,
      next: () => seq++,
      uidOf: uidOfTag,
      // Registration posted each fleet installation's structure twice (seq 0 and 1).
      body: (s) => structureRequest(uidOfTag(s), fleet ? 2 + s : 0),
      check(s, status) {
        count(tally.statuses, status);
        const expected = uncertain.has(s) ? [200, 201] : fleet ? [200] : [201];
        const ok = expected.includes(status);
        if (status === 200 || status === 201) tally.rows += 1;
        if (!ok) tally.unexpected += 1;
        return ok;
      },
      cutOff: (s) => uncertain.add(s),
      state: () => ({ seq }),
    };
  }

  // Action logs. A fleet batch `s` is BATCH_SIZE records of fleet installation s % FLEET_SIZE with
  // keys unique to it, so new batches are all `added`; a re-post of a batch stored earlier is all
  // `existed`; a first contact's batch is the first of a new installation, all `added`.
  const where = {
    "fleet-logs": (s) => ({ uid: uidOf("fleet", fleetBatchOf(s).index), batchNo: fleetBatchOf(s).batchNo }),
    "fleet-reposts": (s) => ({ uid: uidOf("fleet", fleetBatchOf(s % state.stored).index), batchNo: fleetBatchOf(s % state.stored).batchNo }),
    "first-logs": (s) => ({ uid: uidOf("first-logs", s), batchNo: 0 }),
  }[name];
  const expected = name === "fleet-reposts" ? "existed" : "added";
  return {
    tally,
    next: () => seq++,
    uidOf: (s) => where(s).uid,
    body: (s) => {
      const { uid, batchNo } = where(s);
      return actionLogsRequest(uid, batchNo);
    },
    check(s, status, body, expectStatus = expected) {
      count(tally.statuses, status);
      if (status !== 200) {
        tally.unexpected += 1;
        return false;
      }
      const { action_logs: statuses } = JSON.parse(body);
      const { uid, batchNo } = where(s);
      let ok = statuses.length === BATCH_SIZE;
      for (const r of statuses) {
        count(tally.records, r.status);
        if (r.status === "added") tally.rows += 1;
        if (r.master_node_uid !== uid || Math.ceil(r.external_id / BATCH_SIZE) - 1 !== batchNo) ok = false;
        if (expectStatus !== "either" && r.status !== expectStatus) ok = false;
      }
      if (!ok) tally.unexpected += 1;
      return ok;
    },
    cutOff: () => {},
    state: () => ({ seq }),
  };
}

const percentile = (sorted, p) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);

/** One POST; resolves with status, body and whether it went out on a socket of its own. */
function post({ port, path, body, agent, headers }) {
  return new Promise((resolve) => {
    let fresh = false;
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent,
        timeout: TIMEOUT_SECONDS * 1000,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString(), fresh }));
        res.on("error", (error) => resolve({ error, fresh }));
      },
    );
    req.on("socket", (socket) => {
      if (!req.reusedSocket) socket.once("connect", () => (fresh = true));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) => resolve({ error, fresh }));
    req.end(body);
  });
}

/**
 * `connections` workers post until `deadline`; the request in flight at the deadline is finished,
 * so a run stops by itself. Returns what was measured; cut-off requests are left to `reconcile`.
 */
async function loadFor(scenario, { port, path, seconds, connections, agent, headersOf, phase }) {
  const latencies = [];
  const cutOff = [];
  let completed = 0, non2xx = 0, errors = 0, connects = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const tag = scenario.next();
      const t0 = performance.now();
      const res = await post({ port, path, body: scenario.body(tag), agent, headers: headersOf(scenario.uidOf(tag)) });
      if (res.fresh) connects += 1;
      if ((res.error || res.status < 200 || res.status > 299) && scenario.tally.failures.length < 5) {
        scenario.tally.failures.push({ tag, phase, at: Math.round(performance.now() - started), ms: Math.round(performance.now() - t0), ...(res.error ? { error: String(res.error.message ?? res.error) } : { status: res.status, body: res.body.slice(0, 300) }) });
      }
      if (res.error) {
        errors += 1;
        cutOff.push(tag);
        scenario.cutOff(tag);
        continue;
      }
      latencies.push(performance.now() - t0);
      completed += 1;
      if (res.status < 200 || res.status > 299) non2xx += 1;
      scenario.check(tag, res.status, res.body);
      // A 5xx stored nothing for sure only if the server says so; a sender sends it again.
      if (res.status >= 500) {
        cutOff.push(tag);
        scenario.cutOff(tag);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { seconds: (performance.now() - started) / 1000, completed, non2xx, errors, latencies, cutOff, connects };
}

/**
 * Re-sends, outside the measurement and all at once, every request whose answer never came or was
 * a 5xx, as statsenderd would; afterwards every record sent has a known fate. Bounded: two attempts of at
 * most TIMEOUT_SECONDS each, then the run fails.
 */
async function reconcile(scenario, name, tags, { port, path, headersOf }) {
  const outcome = { resent: tags.length, records: {} };
  const agent = new http.Agent({ keepAlive: false });
  const resend = async (tag) => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const res = await post({ port, path, body: scenario.body(tag), agent, headers: headersOf(scenario.uidOf(tag)) });
      if (res.error || res.status < 200 || res.status > 299) continue;
      if (name.endsWith("structures")) scenario.check(tag, res.status);
      else {
        // A cut-off new batch may have been stored before its answer was lost: added or existed.
        const before = { ...scenario.tally.records };
        scenario.check(tag, res.status, res.body, name === "fleet-reposts" ? "existed" : "either");
        for (const [k, v] of Object.entries(scenario.tally.records)) outcome.records[k] = (outcome.records[k] ?? 0) + v - (before[k] ?? 0);
      }
      return;
    }
    throw new Error(`re-sending ${name} #${tag} failed twice`);
  };
  await Promise.all(tags.map(resend));
  return outcome;
}

const diff = (after, before) => {
  const out = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) !== 0) out[k] = v - (before[k] ?? 0);
  return out;
};

async function run({ scenario: name, mode, port, warmup, seconds, connections, state, tokens }) {
  const scenario = scenarioOf(name, state);
  // Only edgestats' fleet has tokens (bound at registration); a peer gets none.
  const headersOf = (uid) => (tokens?.[uid] ? { "x-installation-token": tokens[uid] } : {});
  const agent = mode === "keep-alive" ? new http.Agent({ keepAlive: true, maxSockets: connections }) : false;
  const options = { port, path: PATHS[name], connections, agent, headersOf };
  const cutOff = [];
  if (warmup > 0) cutOff.push(...(await loadFor(scenario, { ...options, seconds: warmup, phase: "warm-up" })).cutOff);
  // What the warm-up did is not measured; reconcile only adds to the totals.
  const before = structuredClone(scenario.tally);
  const measured = await loadFor(scenario, { ...options, seconds, phase: "measured" });
  const tally = structuredClone(scenario.tally);
  if (agent) agent.destroy();
  const reconciled = await reconcile(scenario, name, [...cutOff, ...measured.cutOff], options);
  const sorted = measured.latencies.sort((a, b) => a - b);
  return {
    scenario: name,
    mode,
    seconds: measured.seconds,
    completed: measured.completed,
    rps: measured.completed / measured.seconds,
    rowsPerSecond: (tally.rows - before.rows) / measured.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
    non2xx: measured.non2xx,
    errors: measured.errors,
    unexpected: tally.unexpected - before.unexpected,
    statuses: diff(tally.statuses, before.statuses),
    records: diff(tally.records, before.records),
    connects: measured.connects,
    reconciled,
    // Over the warm-up, the measured run and the re-sends: what the verification counts.
    rowsTotal: scenario.tally.rows,
    recordsTotal: scenario.tally.records,
    unexpectedTotal: scenario.tally.unexpected,
    failures: scenario.tally.failures,
    state: scenario.state(),
  };
}

process.on("message", async (message) => {
  // Whatever happens, this process stops by itself.
  const bound = message.run.warmup + message.run.seconds + GRACE_SECONDS;
  setTimeout(() => {
    process.send({ error: `run did not finish within ${bound} s` }, () => process.exit(1));
  }, bound * 1000);
  try {
    process.send({ result: await run(message.run) }, () => process.exit(0));
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) }, () => process.exit(1));
  }
});
process.send({ ready: true });
