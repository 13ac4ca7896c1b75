import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DRAIN_LIMIT_BYTES } from "../../worker/http/body";
import { call, cluster, freshUid, httpRequestLog, oswl, postJson, structure } from "./helpers";

const uid = freshUid("seeded");

/** Everything stored, so a test can show that a rejected request changed nothing. */
async function snapshot() {
  const tables = ["installation_structures", "action_logs", "oswl_stats"];
  const dumps = await env.COLLECTOR_DB.batch(
    tables.map((t) => env.COLLECTOR_DB.prepare(`SELECT * FROM ${t} ORDER BY id`)),
  );
  return Object.fromEntries(tables.map((t, i) => [t, dumps[i]!.results]));
}

async function expectRejected(res: Response, status: number, ...mentions: (string | RegExp)[]) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  const body = await res.json<{ status: string; message: string }>();
  expect(body.status).toBe("error");
  for (const m of mentions) expect(body.message).toMatch(m);
  return body.message;
}

beforeAll(async () => {
  await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid, { clusters_num: 1, clusters: [cluster(1)] }) });
  await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 1)] });
  await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1)] });
});

const validStructure = () => ({ installation_structure: structure(uid, { clusters_num: 5 }) });

describe("bad input: a clear 4xx that names the field, and nothing stored changes", () => {
  const cases: [string, string, unknown, number, ...(string | RegExp)[]][] = [
    ["malformed JSON", "/api/v1/installation_structure/", '{"installation_structure": {', 400, /not valid JSON/],
    ["an empty body", "/api/v1/action_logs/", "", 400, /empty/],
    ["a JSON null body", "/api/v1/installation_structure/", "null", 400, /JSON object, not null/],
    ["a JSON array body", "/api/v1/action_logs/", [httpRequestLog(uid, 2)], 400, /JSON object, not an array/],
    ["a JSON string body", "/api/v1/oswl_stats/", '"x"', 400, /JSON object, not string/],
    ["an empty object", "/api/v1/installation_structure/", {}, 400, /installation_structure: required field is missing/],
    ["an empty object for oswl", "/api/v1/oswl_stats/", {}, 400, /oswl_stats: required field is missing/],
    ["an empty object for action logs", "/api/v1/action_logs/", {}, 400, /action_logs: required field is missing/],
    ["a missing required field", "/api/v1/installation_structure/",
      { installation_structure: { ...structure(uid), clusters: undefined } }, 400, /installation_structure\.clusters: required field is missing/],
    ["a wrong type", "/api/v1/installation_structure/",
      { installation_structure: structure(uid, { clusters_num: "5" }) }, 400, /installation_structure\.clusters_num: .*expected number, received string/],
    ["a wrong type deep in a node", "/api/v1/installation_structure/",
      { installation_structure: structure(uid, { clusters: [{ ...cluster(1), nodes: [{ id: 1, roles: "controller" }] }] }) }, 400,
      /installation_structure\.clusters\[0\]\.nodes\[0\]\.roles: .*expected array/],
    ["an unknown top-level key", "/api/v1/installation_structure/", { ...validStructure(), extra: true }, 400, /unknown field "extra"/],
    ["an array where an object belongs", "/api/v1/installation_structure/", { installation_structure: [structure(uid)] }, 400,
      /installation_structure: .*expected object, received array/],
    ["a null external_id", "/api/v1/action_logs/", { action_logs: [{ ...httpRequestLog(uid, 1), external_id: null }] }, 400,
      /action_logs\[0\]\.external_id/],
    ["a fractional external_id", "/api/v1/action_logs/", { action_logs: [{ ...httpRequestLog(uid, 1), external_id: 1.5 }] }, 400,
      /action_logs\[0\]\.external_id: .*expected int/],
    ["a body without action_type", "/api/v1/action_logs/",
      { action_logs: [{ master_node_uid: uid, external_id: 3, body: { action_name: "x" } }] }, 400, /action_logs\[0\]\.body\.action_type/],
    ["an unknown action_type", "/api/v1/action_logs/",
      { action_logs: [{ master_node_uid: uid, external_id: 3, body: { action_type: "cron" } }] }, 400, /action_logs\[0\]\.body\.action_type/],
    ["an http request without end_timestamp value", "/api/v1/action_logs/",
      { action_logs: [httpRequestLog(uid, 3, { end_timestamp: null })] }, 400, /action_logs\[0\]\.body\.end_timestamp/],
    ["an unknown top-level key in action logs", "/api/v1/action_logs/", { action_logs: [], more: [] }, 400, /unknown field "more"/],
    ["a null cluster_id in oswl", "/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1, { cluster_id: null })] }, 400, /oswl_stats\[0\]\.cluster_id/],
    ["a null id in oswl", "/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1, { id: null })] }, 400, /oswl_stats\[0\]\.id/],
    ["an unknown resource type", "/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1, { resource_type: "network" })] }, 400,
      /oswl_stats\[0\]\.resource_type/],
    ["a missing resource type", "/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1, { resource_type: undefined })] }, 400,
      /oswl_stats\[0\]\.resource_type: required field is missing/],
    ["an unknown key in an oswl item", "/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1, { note: "x" })] }, 400,
      /oswl_stats\[0\]: unknown field "note"/],
    ["resource_data without modified", "/api/v1/oswl_stats/",
      { oswl_stats: [oswl(uid, 1, { resource_data: { added: [], current: [], removed: [] } })] }, 400,
      /oswl_stats\[0\]\.resource_data\.modified: required field is missing/],
    ["an empty master_node_uid", "/api/v1/action_logs/", { action_logs: [httpRequestLog("", 9)] }, 400, /action_logs\[0\]\.master_node_uid/],
  ];

  it.each(cases)("rejects %s", async (_, path, body, status, ...mentions) => {
    const before = await snapshot();
    await expectRejected(await postJson(path, body), status, ...mentions);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects a whole request when one record of many is invalid, storing none of it", async () => {
    const before = await snapshot();
    const logs = [httpRequestLog(uid, 10), httpRequestLog(uid, 11), { ...httpRequestLog(uid, 12), external_id: "12" }];
    await expectRejected(await postJson("/api/v1/action_logs/", { action_logs: logs }), 400, /action_logs\[2\]\.external_id/);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects a body that is not UTF-8", async () => {
    const before = await snapshot();
    const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    await expectRejected(await call("/api/v1/action_logs/", { method: "POST", body: bytes }), 400, /UTF-8/);
    expect(await snapshot()).toEqual(before);
  });

  it("answers a body over the limit with 413 when it declares its length", async () => {
    const before = await snapshot();
    const big = JSON.stringify({ action_logs: [httpRequestLog(uid, 20, { action_name: "x".repeat(1024 * 1024) })] });
    await expectRejected(await postJson("/api/v1/action_logs/", big), 413, /larger than the limit of 1048576 bytes/);
    expect(await snapshot()).toEqual(before);
  });

  // workerd logs "Network connection lost" for this test: the sending side of the stream is cut
  // off when the worker stops reading, which is the point. (A body less far over the limit is
  // read to the end before the 413: see request-bodies.test.ts.)
  it("answers a streamed body far over the limit with 413 without reading it all", async () => {
    const before = await snapshot();
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    const total = Number(env.MAX_BODY_BYTES) + DRAIN_LIMIT_BYTES + 2 * 1024 * 1024;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await call("/api/v1/installation_structure/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await expectRejected(res, 413, /larger than the limit/);
    expect(sent).toBeLessThan(total);
    expect(await snapshot()).toEqual(before);
  });

  it("still accepts a valid request after all that, and only then changes what is stored", async () => {
    const before = await snapshot();
    expect((await postJson("/api/v1/installation_structure/", validStructure())).status).toBe(200);
    expect(await snapshot()).not.toEqual(before);
  });
});

describe("no input produces a 5xx", () => {
  // Mutations of valid bodies: every field replaced by values of every other JSON type.
  const values: unknown[] = [null, true, -1, 2 ** 53 + 2, 1.5, "", "x", [], [null], {}, { a: 1 }];
  const bodies: [string, Record<string, unknown>][] = [
    ["/api/v1/installation_structure/", structure(uid, { clusters_num: 1, clusters: [cluster(1, 1)] })],
    ["/api/v1/action_logs/", httpRequestLog(uid, 30)],
    ["/api/v1/oswl_stats/", oswl(uid, 30)],
  ];

  it.each(bodies)("mutating every field of %s answers 200/201 or 400, never 5xx", async (path, item) => {
    const wrap = (value: unknown) =>
      path.includes("installation") ? { installation_structure: value } : { [path.includes("action") ? "action_logs" : "oswl_stats"]: [value] };
    const statuses = new Set<number>();
    for (const key of Object.keys(item)) {
      for (const value of values) {
        const res = await postJson(path, wrap({ ...item, [key]: value }));
        statuses.add(res.status);
        expect(res.status, `${path} ${key}=${JSON.stringify(value)}`).toBeLessThan(500);
        await res.arrayBuffer();
      }
    }
    expect([...statuses].every((s) => [200, 201, 400].includes(s))).toBe(true);
  });
});
