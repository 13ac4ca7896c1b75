// One bounded load run, in its own process so that its CPU can be told apart from the server's.
// Forked by bench/ingest.mjs: it answers "ready", waits for { run }, loads the collector for
// `seconds`, re-sends whatever was cut off, and answers { result }.
//
// keep-alive: autocannon, 16 persistent connections.
// new-connection: node:http with `agent: false`, so every request opens (and the server closes)
// its own TCP connection, as behind fuel-stats' original server; counted by `connect` events.
import http from "node:http";
import autocannon from "autocannon";
import { actionLogsRequest, batchOf, BATCH_SIZE, INSTALLATIONS, structureRequest, uidOf } from "./payloads.mjs";

const PATHS = { structures: "/api/v1/installation_structure/", logs: "/api/v1/action_logs/", reposts: "/api/v1/action_logs/" };
/** A request slower than this is given up (autocannon's timeout too) and re-sent after the run. */
const TIMEOUT_SECONDS = 4;
/** The whole run, re-sends included, ends this long after the load's deadline, or fails. */
const GRACE_SECONDS = 5;

/**
 * What one scenario sends and expects. `next()` picks the next request body and a tag naming it;
 * `check(tag, status, body)` tallies a response and says whether it was what the protocol promises.
 */
function scenarioOf(name, state) {
  const tally = { statuses: {}, records: {}, unexpected: 0, rows: 0 };
  const count = (bag, key, n = 1) => (bag[key] = (bag[key] ?? 0) + n);

  if (name === "structures") {
    // Round robin over the pool: the first post of an installation creates it (201), later posts
    // update it (200). `known` holds the installations acknowledged so far, across runs.
    const known = new Set(state.known);
    const uncertain = new Set(); // a post was cut off: it may or may not have created the row
    let seq = state.seq;
    return {
      tally,
      next() {
        const s = seq++;
        return { tag: s, body: structureRequest(s % INSTALLATIONS, s) };
      },
      check(s, status) {
        const index = s % INSTALLATIONS;
        count(tally.statuses, status);
        const expected = uncertain.has(index) ? [200, 201] : known.has(index) ? [200] : [201];
        const ok = expected.includes(status);
        if (status === 200 || status === 201) {
          known.add(index);
          uncertain.delete(index);
          tally.rows += 1;
        }
        if (!ok) tally.unexpected += 1;
        return ok;
      },
      cutOff: (s) => uncertain.add(s % INSTALLATIONS),
      state: () => ({ seq, known: [...known] }),
    };
  }

  // Action logs. Batch `s` is BATCH_SIZE records of one installation with keys unique to it, so
  // new batches are all `added`, and a re-post of a batch stored earlier is all `existed`.
  const fresh = name === "logs";
  let seq = fresh ? state.seq : state.repostCursor;
  const pick = fresh ? () => seq++ : () => seq++ % state.stored;
  return {
    tally,
    next() {
      const s = pick();
      return { tag: s, body: actionLogsRequest(s) };
    },
    check(s, status, body, expectStatus = fresh ? "added" : "existed") {
      count(tally.statuses, status);
      if (status !== 200) {
        tally.unexpected += 1;
        return false;
      }
      const { action_logs: statuses } = JSON.parse(body);
      const { index, batchNo } = batchOf(s);
      let ok = statuses.length === BATCH_SIZE;
      for (const r of statuses) {
        count(tally.records, r.status);
        if (r.status === "added") tally.rows += 1;
        if (r.master_node_uid !== uidOf(index) || Math.ceil(r.external_id / BATCH_SIZE) - 1 !== batchNo) ok = false;
        if (expectStatus !== "either" && r.status !== expectStatus) ok = false;
      }
      if (!ok) tally.unexpected += 1;
      return ok;
    },
    cutOff: () => {},
    state: () => (fresh ? { seq } : { repostCursor: seq }),
  };
}

const percentile = (sorted, p) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);

/** keep-alive: autocannon's own duration bound; requests still in flight at the end are cut off. */
async function keepAliveRun(scenario, { port, path, seconds, connections }) {
  const inFlight = new Set();
  const latencies = [];
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    timeout: TIMEOUT_SECONDS,
    requests: [
      {
        method: "POST",
        path,
        headers: { "content-type": "application/json" },
        setupRequest(request, context) {
          const { tag, body } = scenario.next();
          context.tag = tag;
          inFlight.add(tag);
          return { ...request, body };
        },
        onResponse(status, body, context) {
          inFlight.delete(context.tag);
          scenario.check(context.tag, status, body);
        },
      },
    ],
  });
  instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  return {
    seconds: result.duration,
    completed: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors, // timeouts included
    latencies,
    cutOff: [...inFlight],
    connects: null,
  };
}

/** One POST on a connection of its own; resolves with status, body and whether it was a new socket. */
function postOnce({ port, path, body }) {
  return new Promise((resolve) => {
    let fresh = false;
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent: false, // a throwaway agent without keep-alive: Connection: close, one socket per request
        timeout: TIMEOUT_SECONDS * 1000,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString(), fresh }));
        res.on("error", (error) => resolve({ error, fresh }));
      },
    );
    req.on("socket", (socket) => socket.once("connect", () => (fresh = !req.reusedSocket)));
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) => resolve({ error, fresh }));
    req.end(body);
  });
}

/**
 * new-connection: `connections` workers each post, wait for the answer, and post again until the
 * deadline; the request in flight at the deadline is finished, so the run stops by itself.
 */
async function newConnectionRun(scenario, { port, path, seconds, connections }) {
  const latencies = [];
  const cutOff = [];
  let completed = 0, non2xx = 0, errors = 0, connects = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const { tag, body } = scenario.next();
      const t0 = performance.now();
      const res = await postOnce({ port, path, body });
      if (res.fresh) connects += 1;
      if (res.error) {
        errors += 1;
        cutOff.push(tag);
        scenario.cutOff(tag); // its installation's next answer may be either 200 or 201
        continue;
      }
      latencies.push(performance.now() - t0);
      completed += 1;
      if (res.status < 200 || res.status > 299) non2xx += 1;
      scenario.check(tag, res.status, res.body);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { seconds: (performance.now() - started) / 1000, completed, non2xx, errors, latencies, cutOff, connects };
}

/**
 * Re-sends, outside the measurement and all at once, every request whose answer never came (at most
 * one per connection), as statsenderd would; afterwards every record sent has a known fate. Bounded:
 * two attempts of at most TIMEOUT_SECONDS each, then the run fails.
 */
async function reconcile(scenario, name, tags, port) {
  const outcome = { resent: tags.length, records: {} };
  const resend = async (tag) => {
    scenario.cutOff(tag);
    const body = name === "structures" ? structureRequest(tag % INSTALLATIONS, tag) : actionLogsRequest(tag);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const res = await postOnce({ port, path: PATHS[name], body });
      if (res.error || res.status < 200 || res.status > 299) continue;
      if (name === "structures") scenario.check(tag, res.status);
      else {
        // A cut-off new batch may have been stored before its answer was lost: added or existed.
        const before = { ...scenario.tally.records };
        scenario.check(tag, res.status, res.body, name === "logs" ? "either" : "existed");
        for (const [k, v] of Object.entries(scenario.tally.records)) outcome.records[k] = (outcome.records[k] ?? 0) + v - (before[k] ?? 0);
      }
      return;
    }
    throw new Error(`re-sending ${name} #${tag} failed twice`);
  };
  await Promise.all(tags.map(resend));
  return outcome;
}

async function run({ scenario: name, mode, port, seconds, connections, state }) {
  const scenario = scenarioOf(name, state);
  const options = { port, path: PATHS[name], seconds, connections };
  const measured = mode === "keep-alive" ? await keepAliveRun(scenario, options) : await newConnectionRun(scenario, options);
  // Rows and statuses counted so far are the measured ones; reconcile only adds to the totals.
  const tally = structuredClone(scenario.tally);
  const reconciled = await reconcile(scenario, name, measured.cutOff, port);
  const sorted = measured.latencies.sort((a, b) => a - b);
  return {
    scenario: name,
    mode,
    seconds: measured.seconds,
    completed: measured.completed,
    rps: measured.completed / measured.seconds,
    rowsPerSecond: tally.rows / measured.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
    non2xx: measured.non2xx,
    errors: measured.errors,
    unexpected: tally.unexpected,
    statuses: tally.statuses,
    records: tally.records,
    connects: measured.connects,
    reconciled,
    rowsTotal: scenario.tally.rows,
    unexpectedTotal: scenario.tally.unexpected,
    state: scenario.state(),
  };
}

process.on("message", async (message) => {
  // Whatever happens, this process stops by itself.
  setTimeout(() => {
    process.send({ error: `run did not finish within ${message.run.seconds + GRACE_SECONDS} s` }, () => process.exit(1));
  }, (message.run.seconds + GRACE_SECONDS) * 1000);
  try {
    process.send({ result: await run(message.run) }, () => process.exit(0));
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) }, () => process.exit(1));
  }
});
process.send({ ready: true });
