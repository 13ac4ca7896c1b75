// Property-based tests: random and mutated payloads at every collector endpoint.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  ActionLogsRequestSchema,
  InstallationStructureRequestSchema,
  OswlStatsRequestSchema,
  RESOURCE_TYPES,
} from "../../schemas/collector";
import { findBoundViolation } from "../../schemas/limits";
import { app } from "../../worker/app";
import { soleInstallation } from "../../worker/domain/batch";

/**
 * Posts straight to the hono app with the real bindings. Going through `exports.default.fetch`
 * would be the same code, but @cloudflare/vitest-pool-workers 0.15.1 wraps the entrypoint's
 * prototype in one more Proxy per request, so thousands of requests in one file slow every
 * lookup until the stack overflows.
 */
async function post(path: string, body: string): Promise<Response> {
  const request = new Request(`http://collector.test${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
  // Not waiting on ctx: its only work is the counters' delayed flush.
  return app.fetch(request, env, createExecutionContext());
}

const text = fc.string({ maxLength: 12 });
const int = fc.integer({ min: -1_000_000, max: 1_000_000 });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Drops the keys whose value is undefined, as JSON would. */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const node = fc.record({ id: int, roles: fc.array(text, { maxLength: 3 }), status: optional(text), os: optional(text) });
const cluster = fc.record({
  id: int,
  nodes_num: int,
  nodes: fc.array(node, { maxLength: 3 }),
  mode: text,
  release: fc.record({ version: text, os: text, name: text }),
  status: fc.constantFrom("new", "deployment", "stopped", "operational", "error", "remove", "update", "update_error"),
  attributes: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  network_configuration: optional(fc.record({ segmentation_type: optional(text), fixed_networks_vlan_start: optional(fc.option(int, { nil: null })) })),
});
// A pool of installations, so that most runs write to known ones, as real traffic does.
const UID_POOL = Array.from({ length: 16 }, () => crypto.randomUUID());
const uid = fc.constantFrom(...UID_POOL);
const validStructure = fc.record({
  installation_structure: fc.record({
    master_node_uid: uid,
    clusters_num: int,
    allocated_nodes_num: int,
    unallocated_nodes_num: int,
    clusters: fc.array(cluster, { maxLength: 3 }),
    fuel_release: optional(fc.record({ release: text, api: text, feature_groups: fc.array(text, { maxLength: 2 }), build_id: optional(text) })),
    fuel_packages: optional(fc.array(text, { maxLength: 3 })),
  }),
});
/** A request body `{ [key]: [...] }` of up to `max` records, all of one installation of the pool. */
const batchOf = (key: string, record: (uid: string) => fc.Arbitrary<unknown>, max: number) =>
  uid.chain((u) => fc.record({ [key]: fc.array(record(u), { maxLength: max }) }));

const jsonList = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 });
const validActionLogs = batchOf(
  "action_logs",
  (u) =>
    fc.record({
      master_node_uid: fc.constant(u),
      external_id: fc.nat({ max: 50 }),
      body: fc.oneof(
        fc.record({ action_type: fc.constant("http_request"), action_name: optional(text), end_timestamp: optional(text), cluster_id: optional(fc.option(int, { nil: null })) }),
        fc.record({ action_type: fc.constant("nailgun_task"), action_name: optional(text), end_timestamp: fc.option(text, { nil: null }) }),
      ),
    }),
  20,
);
const validOswl = batchOf(
  "oswl_stats",
  (u) =>
    fc.record({
      master_node_uid: fc.constant(u),
      id: fc.nat({ max: 50 }),
      cluster_id: int,
      created_date: text,
      updated_time: text,
      resource_type: fc.constantFrom(...RESOURCE_TYPES),
      resource_checksum: text,
      resource_data: fc.record({ added: jsonList, current: jsonList, removed: jsonList, modified: jsonList }),
      version_info: optional(fc.record({ fuel_version: fc.option(text, { nil: null }) })),
    }),
  10,
);

const ENDPOINTS = [
  { path: "/api/v1/installation_structure/", schema: InstallationStructureRequestSchema, valid: validStructure },
  { path: "/api/v1/action_logs/", schema: ActionLogsRequestSchema, valid: validActionLogs },
  { path: "/api/v1/oswl_stats/", schema: OswlStatsRequestSchema, valid: validOswl },
] as const;

/** Whether the collector must accept `payload`: within bounds, valid, and of one installation. */
function acceptable(schema: z.ZodType, payload: unknown): boolean {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload) || findBoundViolation(payload)) return false;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) return false;
  const records = Object.values(parsed.data as Record<string, unknown>)[0];
  return !Array.isArray(records) || !("error" in soleInstallation(records as { master_node_uid: string }[]));
}

/** A cheap fingerprint of everything stored: any insert or update changes it. */
async function fingerprint(): Promise<string> {
  const db = env.COLLECTOR_DB;
  const results = await db.batch([
    db.prepare("SELECT count(*) AS n, coalesce(sum(updated_at), 0) AS u FROM installation_structures"),
    db.prepare("SELECT count(*) AS n FROM action_logs"),
    db.prepare("SELECT count(*) AS n, coalesce(sum(updated_at), 0) AS u FROM oswl_stats"),
  ]);
  return JSON.stringify(results.map((r) => r.results));
}

/** Replaces, deletes or adds one value somewhere inside a valid payload. */
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("replace", "delete", "add"),
  value: fc.jsonValue({ maxDepth: 3 }),
  key: text,
});
function mutate(payload: unknown, m: { at: number; op: string; value: unknown; key: string }): unknown {
  const copy = structuredClone(payload) as Record<string, unknown>;
  const containers: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown) => {
    if (v === null || typeof v !== "object") return;
    for (const [k, child] of Object.entries(v)) {
      containers.push([v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k]);
      walk(child);
    }
  };
  walk(copy);
  if (containers.length === 0) return m.value;
  const [parent, key] = containers[m.at % containers.length]!;
  if (m.op === "replace") (parent as Record<string | number, unknown>)[key] = m.value;
  else if (m.op === "delete") Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key as string];
  else if (!Array.isArray(parent)) parent[`${m.key}_extra`] = m.value;
  else parent.push(m.value);
  return copy;
}

async function check(path: string, schema: z.ZodType, payload: unknown) {
  const before = await fingerprint();
  const res = await post(path, JSON.stringify(payload));
  const body = await res.json<{ status: string }>();
  const label = `${path} ${JSON.stringify(payload).slice(0, 300)}`;
  expect(res.status, label).toBeLessThan(500);
  if (acceptable(schema, payload)) {
    expect([200, 201], label).toContain(res.status);
    expect(body.status).toBe("ok");
  } else {
    expect(res.status, label).toBe(400);
    expect(body.status).toBe("error");
    expect(await fingerprint(), label).toBe(before);
  }
}

// 3,000 requests in all; generous, as the machines running this are small and shared.
const TIMEOUT = 120_000;

describe("property: any payload gets a 2xx exactly when valid, never a 5xx, and a refusal stores nothing", () => {
  for (const { path, schema, valid } of ENDPOINTS) {
    it(`random JSON at ${path}`, async () => {
      const top = fc.oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.dictionary(fc.constantFrom("installation_structure", "action_logs", "oswl_stats", "x"), fc.jsonValue({ maxDepth: 4 })),
      );
      await fc.assert(fc.asyncProperty(top, (payload) => check(path, schema, payload)), { numRuns: 300 });
    }, TIMEOUT);

    it(`mutated valid payloads at ${path}`, async () => {
      await fc.assert(
        fc.asyncProperty(valid, mutation, (payload, m) => check(path, schema, mutate(json(payload), m))),
        { numRuns: 500 },
      );
    }, TIMEOUT);

    it(`valid payloads at ${path} are always accepted`, async () => {
      await fc.assert(
        fc.asyncProperty(valid, async (payload) => {
          const res = await post(path, JSON.stringify(payload));
          expect([200, 201], JSON.stringify(payload).slice(0, 300)).toContain(res.status);
          await res.arrayBuffer();
        }),
        { numRuns: 200 },
      );
    }, TIMEOUT);
  }
});
