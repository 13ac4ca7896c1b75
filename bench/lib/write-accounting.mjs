// The rows-written pass of `npm run bench:ingest`: a few requests of each kind, one kind at a time,
// to a metered copy of the worker (bench/lib/metered-worker.ts) on a state of its own, and what
// each kind made D1 and the Durable Objects' storage write. Cloudflare bills both by rows written.
import path from "node:path";
import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { root } from "../../scripts/tool-env.mjs";
import { freshState, startBenchWorker } from "./bench-worker.mjs";
import { client } from "./http.mjs";
import { actionLogsRequest, BATCH_SIZE, structureRequest, uidOf } from "./payloads.mjs";

/** Installations of the pass's fleet, and new installations per first-contact kind. */
const FLEET = 40;
const FIRST = 40;
/** The worker adds its outcome counters up and writes them at most this often (wrangler.toml). */
const COUNTER_FLUSH_MS = 1000;
const TOKEN_HEADER = "x-installation-token";

/**
 * Each phase: `requests` as [path, body, headers], the statuses it must get, and whether its
 * records are stored (rows per stored record) or only answered (re-posts: rows per record answered).
 */
function phases(tokens) {
  const fleet = Array.from({ length: FLEET }, (_, i) => uidOf("fleet", i));
  const withToken = (uid) => (tokens[uid] ? { [TOKEN_HEADER]: tokens[uid] } : {});
  const logs = (uid, batchNo, stride = 1) => ["/api/v1/action_logs/", actionLogsRequest(uid, batchNo, stride), withToken(uid)];
  const structure = (uid, seq) => ["/api/v1/installation_structure/", structureRequest(uid, seq), withToken(uid)];
  return [
    { name: "first-structures", title: "first contact: a structure", requests: () => fleet.map((uid) => structure(uid, 0)), status: 201 },
    { name: "bind", title: "the second post, presenting the token (binds)", requests: () => fleet.map((uid) => structure(uid, 1)), status: 200 },
    { name: "fleet-structures", title: "fleet: structure updates", requests: () => [2, 3].flatMap((seq) => fleet.map((uid) => structure(uid, seq))), status: 200 },
    { name: "fleet-logs", title: "fleet: action-log batches, new ids", requests: () => [0, 1].flatMap((b) => fleet.map((uid) => logs(uid, b))), status: 200, logs: "added" },
    { name: "fleet-reposts", title: "fleet: re-posted batches (all `existed`)", requests: () => [0, 1].flatMap((b) => fleet.map((uid) => logs(uid, b))), status: 200, logs: "existed" },
    {
      // Ids 2,001, 2,003 … 2,199: none next to another, nor to the batches above (1 … 200).
      name: "fleet-scattered-logs",
      title: "fleet: action-log batches, new ids of which no two are consecutive",
      requests: () => fleet.map((uid) => logs(uid, 10, 2)),
      status: 200,
      logs: "added",
    },
    {
      name: "first-logs",
      title: "first contact: an action-log batch",
      requests: () => Array.from({ length: FIRST }, (_, i) => logs(uidOf("first-logs", i), 0)),
      status: 200,
      logs: "added",
    },
  ];
}

export async function measureWrites({ config, port, bindings, log }) {
  const dir = freshState("ingest-writes", config);
  const worker = await startBenchWorker({ config, entrypoint: path.join(root, "bench/lib/metered-worker.ts"), port, persistDir: dir, bindings });
  const http = client(worker.port, { connections: 4 });
  const readWrites = async () => JSON.parse((await http.get("/__bench/writes")).text);
  const tokens = {};
  const results = [];
  try {
    await readWrites(); // from zero
    for (const phase of phases(tokens)) {
      const requests = phase.requests();
      let next = 0;
      let stored = 0;
      let answered = 0;
      const send = async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const [urlPath, body, headers] = requests[i];
          const res = await http.post(urlPath, body, headers);
          if (res.status !== phase.status) throw new Error(`rows-written pass, ${phase.name}: ${res.status} ${res.text.slice(0, 200)}`);
          const answer = JSON.parse(res.text);
          if (phase.name === "first-structures") tokens[JSON.parse(body).installation_structure.master_node_uid] = answer.installation_token;
          if (phase.logs) {
            for (const r of answer.action_logs) {
              if (r.status !== phase.logs) throw new Error(`rows-written pass, ${phase.name}: a record answered ${r.status}`);
              answered += 1;
              if (r.status === "added") stored += 1;
            }
          } else {
            answered += 1;
            stored += 1;
          }
        }
      };
      await Promise.all(Array.from({ length: 4 }, send));
      // The outcome counters of this phase's requests are written within a flush interval.
      await sleep(COUNTER_FLUSH_MS + 500);
      results.push({ name: phase.name, title: phase.title, requests: requests.length, stored, answered, writes: await readWrites() });
      log(`rows-written pass: ${phase.name}: ${requests.length} requests, ${stored} stored`);
    }
  } finally {
    http.close();
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { fleet: FLEET, first: FIRST, batchSize: BATCH_SIZE, phases: results };
}
