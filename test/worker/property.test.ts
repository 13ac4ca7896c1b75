// Property-based tests: valid, invalid, random and mutated payloads at every collector endpoint.
// What is valid is stated here by hand, independently of the worker's schemas and helpers: the
// generators of valid payloads follow the protocol (docs/collector.md, fuel-stats), and each
// invalid payload is a valid one broken by one named rule, so that a schema that wrongly accepts
// (say) a fractional external_id fails here.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";

// A failing property reports its first counterexample at once: shrinking one replays hundreds of
// requests, long after the test's timeout, and starves every other test in the runtime.
fc.configureGlobal({ endOnFailure: true });

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
/** A finite number that is not an integer. */
const fraction = fc.double({ min: -1_000_000, max: 1_000_000, noInteger: true, noNaN: true, noDefaultInfinity: true });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Drops the keys whose value is undefined, as JSON would. */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value));

// The protocol, stated here rather than imported: the eight OSWL resource types, and the bounds a
// request must keep (docs/collector.md).
const RESOURCE_TYPES = ["vm", "tenant", "volume", "security_group", "keystone_user", "flavor", "cluster_stats", "image"];
const MAX_UID_LENGTH = 128;
const MAX_STRING_LENGTH = 65_536;
const MAX_DEPTH = 32;
const MAX_RECORDS = 1000;

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
/** A valid structure with at least `min` clusters, and at least `min` nodes in the first. */
const structureWith = (min: number) =>
  fc.record({
    installation_structure: fc.record({
      master_node_uid: uid,
      clusters_num: int,
      allocated_nodes_num: int,
      unallocated_nodes_num: int,
      clusters: fc.array(cluster, { minLength: min, maxLength: 3 }).chain((cs) =>
        cs.length === 0 ? fc.constant(cs) : fc.array(node, { minLength: min, maxLength: 3 }).map((nodes) => [{ ...cs[0]!, nodes }, ...cs.slice(1)]),
      ),
      fuel_release: optional(fc.record({ release: text, api: text, feature_groups: fc.array(text, { maxLength: 2 }), build_id: optional(text) })),
      fuel_packages: optional(fc.array(text, { maxLength: 3 })),
    }),
  });
/** A request body `{ [key]: [...] }` of `min` to `max` records, all of one installation of the pool. */
const batchOf = (key: string, record: (uid: string) => fc.Arbitrary<unknown>, min: number, max: number) =>
  uid.chain((u) => fc.record({ [key]: fc.array(record(u), { minLength: min, maxLength: max }) }));

const jsonList = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 });
const actionLog = (u: string) =>
  fc.record({
    master_node_uid: fc.constant(u),
    external_id: fc.nat({ max: 50 }),
    body: fc.oneof(
      fc.record({ action_type: fc.constant("http_request"), action_name: optional(text), end_timestamp: optional(text), cluster_id: optional(fc.option(int, { nil: null })) }),
      fc.record({ action_type: fc.constant("nailgun_task"), action_name: optional(text), end_timestamp: fc.option(text, { nil: null }) }),
    ),
  });
const oswlRow = (u: string) =>
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
  });
const actionLogsWith = (min: number) => batchOf("action_logs", actionLog, min, 20);
const oswlWith = (min: number) => batchOf("oswl_stats", oswlRow, min, 10);

type Json = Record<string, any>;
/**
 * One rule of the protocol, and how to break it in a valid payload (at least `min` records or
 * clusters). `field` is what the 400's message must name.
 */
interface Rule {
  rule: string;
  field: string;
  min?: number;
  break: (payload: Json, noise: { fraction: number; pick: number }) => unknown;
}
/** The `pick`-th element of a non-empty list. */
const nth = (list: Json[], pick: number): Json => list[pick % list.length]!;
/** Something nested deeper than the limit. */
const deep = (levels: number): unknown => (levels <= 1 ? [] : [deep(levels - 1)]);

/** Rules every body follows: an object with exactly the endpoint's one key, within the bounds. */
const bodyRules = (key: string): Rule[] => [
  { rule: "the body is an array, not an object", field: "body", break: (p) => [p] },
  { rule: "the body is a string", field: "body", break: () => "hello" },
  { rule: "the body is null", field: "body", break: () => null },
  { rule: `the body lacks ${key}`, field: key, break: () => ({}) },
  { rule: `a key beside ${key}`, field: "surplus", break: (p) => ({ ...p, surplus: 1 }) },
];
const slim = (record: Json): Json =>
  "resource_data" in record ? { ...record, resource_data: { added: [], current: [], removed: [], modified: [] } } : record;
const recordRules = (key: string, record: string[]): Rule[] => [
  ...bodyRules(key),
  { rule: `${key} is an object, not a list`, field: key, break: (p) => ({ [key]: { ...p[key] } }) },
  {
    rule: `more than ${MAX_RECORDS} records in one request`,
    field: key,
    min: 1,
    // Copies of a record without its resource lists: 1,001 copies of a large one would pass the
    // 1 MiB body limit, which is refused (413) before the records are counted.
    break: (p) => ({ [key]: Array.from({ length: MAX_RECORDS + 1 }, () => slim(p[key][0])) }),
  },
  {
    rule: "records of two installations in one request",
    field: "one installation",
    min: 1,
    break: (p, { pick }) => ({ [key]: [...p[key], { ...nth(p[key], pick), master_node_uid: `other-${crypto.randomUUID()}` }] }),
  },
  { rule: "master_node_uid missing", field: "master_node_uid", min: 1, break: (p, { pick }) => (delete nth(p[key], pick).master_node_uid, p) },
  { rule: "master_node_uid empty", field: "master_node_uid", min: 1, break: (p) => (p[key].forEach((r: Json) => (r.master_node_uid = "")), p) },
  {
    rule: `master_node_uid longer than ${MAX_UID_LENGTH} characters`,
    field: "master_node_uid",
    min: 1,
    break: (p) => (p[key].forEach((r: Json) => (r.master_node_uid = "u".repeat(MAX_UID_LENGTH + 1))), p),
  },
  ...record.map((f) => ({ rule: `${f} missing`, field: f, min: 1, break: (p: Json, { pick }: { pick: number }) => (delete nth(p[key], pick)[f], p) })),
];

const STRUCTURE_RULES: Rule[] = [
  ...bodyRules("installation_structure"),
  ...["master_node_uid", "clusters_num", "allocated_nodes_num", "unallocated_nodes_num", "clusters"].map((f) => ({
    rule: `${f} missing`,
    field: f,
    break: (p: Json) => (delete p.installation_structure[f], p),
  })),
  { rule: "master_node_uid empty", field: "master_node_uid", break: (p) => ((p.installation_structure.master_node_uid = ""), p) },
  {
    rule: `master_node_uid longer than ${MAX_UID_LENGTH} characters`,
    field: "master_node_uid",
    break: (p) => ((p.installation_structure.master_node_uid = "u".repeat(MAX_UID_LENGTH + 1)), p),
  },
  ...["clusters_num", "allocated_nodes_num", "unallocated_nodes_num"].flatMap((f) => [
    { rule: `${f} fractional`, field: f, break: (p: Json, { fraction }: { fraction: number }) => ((p.installation_structure[f] = fraction), p) },
    { rule: `${f} a numeric string`, field: f, break: (p: Json) => ((p.installation_structure[f] = "3"), p) },
  ]),
  { rule: "clusters not a list", field: "clusters", break: (p) => ((p.installation_structure.clusters = {}), p) },
  { rule: "a cluster's id fractional", field: "id", min: 1, break: (p, n) => ((nth(p.installation_structure.clusters, n.pick).id = n.fraction), p) },
  { rule: "a cluster's nodes_num fractional", field: "nodes_num", min: 1, break: (p, n) => ((nth(p.installation_structure.clusters, n.pick).nodes_num = n.fraction), p) },
  ...["id", "nodes_num", "nodes", "mode", "release", "status", "attributes"].map((f) => ({
    rule: `a cluster's ${f} missing`,
    field: f,
    min: 1,
    break: (p: Json, { pick }: { pick: number }) => (delete nth(p.installation_structure.clusters, pick)[f], p),
  })),
  { rule: "a cluster's release lacks version", field: "version", min: 1, break: (p, { pick }) => (delete nth(p.installation_structure.clusters, pick).release.version, p) },
  { rule: "a cluster's attributes a list", field: "attributes", min: 1, break: (p, { pick }) => ((nth(p.installation_structure.clusters, pick).attributes = []), p) },
  { rule: "a node's id fractional", field: "id", min: 1, break: (p, n) => ((nth(p.installation_structure.clusters[0].nodes, n.pick).id = n.fraction), p) },
  { rule: "a node's roles not a list", field: "roles", min: 1, break: (p, n) => ((nth(p.installation_structure.clusters[0].nodes, n.pick).roles = "compute"), p) },
  {
    rule: `a string of more than ${MAX_STRING_LENGTH} characters in the attributes`,
    field: "attributes",
    min: 1,
    break: (p, { pick }) => ((nth(p.installation_structure.clusters, pick).attributes.long = "a".repeat(MAX_STRING_LENGTH + 1)), p),
  },
  {
    rule: `attributes nested deeper than ${MAX_DEPTH} levels`,
    field: "attributes",
    min: 1,
    break: (p, { pick }) => ((nth(p.installation_structure.clusters, pick).attributes.deep = deep(MAX_DEPTH)), p),
  },
];

const ACTION_LOG_RULES: Rule[] = [
  ...recordRules("action_logs", ["external_id", "body"]),
  { rule: "external_id fractional", field: "external_id", min: 1, break: (p, n) => ((nth(p.action_logs, n.pick).external_id = n.fraction), p) },
  { rule: "external_id a numeric string", field: "external_id", min: 1, break: (p, n) => ((nth(p.action_logs, n.pick).external_id = "7"), p) },
  { rule: "external_id null", field: "external_id", min: 1, break: (p, n) => ((nth(p.action_logs, n.pick).external_id = null), p) },
  { rule: "an action_type other than http_request or nailgun_task", field: "action_type", min: 1, break: (p, n) => ((nth(p.action_logs, n.pick).body.action_type = "cli_command"), p) },
  { rule: "the body lacks action_type", field: "action_type", min: 1, break: (p, n) => (delete nth(p.action_logs, n.pick).body.action_type, p) },
  { rule: "the body a string", field: "body", min: 1, break: (p, n) => ((nth(p.action_logs, n.pick).body = "{}"), p) },
  {
    rule: "an http_request whose end_timestamp is null (only a running nailgun_task has none)",
    field: "end_timestamp",
    min: 1,
    break: (p, n) => {
      const log = nth(p.action_logs, n.pick);
      log.body = { action_type: "http_request", end_timestamp: null };
      return p;
    },
  },
];

const OSWL_RULES: Rule[] = [
  ...recordRules("oswl_stats", ["id", "cluster_id", "created_date", "updated_time", "resource_type", "resource_checksum", "resource_data"]),
  { rule: "id fractional", field: "id", min: 1, break: (p, n) => ((nth(p.oswl_stats, n.pick).id = n.fraction), p) },
  { rule: "cluster_id fractional", field: "cluster_id", min: 1, break: (p, n) => ((nth(p.oswl_stats, n.pick).cluster_id = n.fraction), p) },
  { rule: "an unknown resource_type", field: "resource_type", min: 1, break: (p, n) => ((nth(p.oswl_stats, n.pick).resource_type = "vms"), p) },
  { rule: "created_date a number", field: "created_date", min: 1, break: (p, n) => ((nth(p.oswl_stats, n.pick).created_date = 20261127), p) },
  { rule: "a field the protocol does not have in a record", field: "surplus", min: 1, break: (p, n) => ((nth(p.oswl_stats, n.pick).surplus = 1), p) },
  ...["added", "current", "removed", "modified"].map((f) => ({
    rule: `resource_data lacks ${f}`,
    field: f,
    min: 1,
    break: (p: Json, { pick }: { pick: number }) => (delete nth(p.oswl_stats, pick).resource_data[f], p),
  })),
  { rule: "resource_data.current not a list", field: "current", min: 1, break: (p, n) => ((nth(p.oswl_stats, n.pick).resource_data.current = {}), p) },
];

const ENDPOINTS = [
  { path: "/api/v1/installation_structure/", valid: structureWith, rules: STRUCTURE_RULES },
  { path: "/api/v1/action_logs/", valid: actionLogsWith, rules: ACTION_LOG_RULES },
  { path: "/api/v1/oswl_stats/", valid: oswlWith, rules: OSWL_RULES },
] as const;

/** A valid payload broken by one rule, with the rule's name and the field the answer must name. */
const invalidFor = (valid: (min: number) => fc.Arbitrary<unknown>, rules: Rule[]) =>
  fc.constantFrom(...rules).chain((rule) =>
    fc.record({ payload: valid(rule.min ?? 0), fraction, pick: fc.nat() }).map(({ payload, ...noise }) => ({
      rule: rule.rule,
      field: rule.field,
      payload: rule.break(json(payload) as Json, noise),
    })),
  );

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

const label = (path: string, payload: unknown) => `${path} ${JSON.stringify(payload).slice(0, 300)}`;

/** Whatever the payload: never a 5xx; either a 2xx "ok", or a 400 "error" that stored nothing. */
async function checkAnswered(path: string, payload: unknown) {
  const before = await fingerprint();
  const res = await post(path, JSON.stringify(payload));
  const body = await res.json<{ status: string }>();
  expect(res.status, label(path, payload)).toBeLessThan(500);
  if (res.status === 200 || res.status === 201) {
    expect(body.status, label(path, payload)).toBe("ok");
  } else {
    expect(res.status, label(path, payload)).toBe(400);
    expect(body.status).toBe("error");
    expect(await fingerprint(), label(path, payload)).toBe(before);
  }
}

// 3,300 requests in all; generous, as the machines running this are small and shared.
const TIMEOUT = 120_000;

describe("property: a payload gets a 2xx exactly when it follows the protocol, never a 5xx, and a refusal stores nothing", () => {
  for (const { path, valid, rules } of ENDPOINTS) {
    it(`valid payloads at ${path} are always accepted`, async () => {
      await fc.assert(
        fc.asyncProperty(valid(0), async (payload) => {
          const res = await post(path, JSON.stringify(payload));
          expect([200, 201], label(path, payload)).toContain(res.status);
          expect((await res.json<{ status: string }>()).status).toBe("ok");
        }),
        { numRuns: 200 },
      );
    }, TIMEOUT);

    it(`payloads at ${path} that break one rule get a 400 naming the field, and store nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(invalidFor(valid, rules), async ({ rule, field, payload }) => {
          const before = await fingerprint();
          const res = await post(path, JSON.stringify(payload));
          const body = await res.json<{ status: string; message: string }>();
          expect(res.status, `${rule}: ${label(path, payload)}`).toBe(400);
          expect(body.status).toBe("error");
          expect(body.message, rule).toContain(field);
          expect(await fingerprint(), rule).toBe(before);
        }),
        { numRuns: 300 },
      );
    }, TIMEOUT);

    it(`every rule at ${path} is broken at least once`, () => {
      const seen = new Set(fc.sample(invalidFor(valid, rules), { numRuns: 1000, seed: 1 }).map((s) => s.rule));
      expect([...seen].sort()).toEqual(rules.map((r) => r.rule).sort());
    });

    it(`random JSON at ${path}`, async () => {
      const top = fc.oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.dictionary(fc.constantFrom("installation_structure", "action_logs", "oswl_stats", "x"), fc.jsonValue({ maxDepth: 4 })),
      );
      await fc.assert(fc.asyncProperty(top, (payload) => checkAnswered(path, payload)), { numRuns: 300 });
    }, TIMEOUT);

    it(`mutated valid payloads at ${path}`, async () => {
      await fc.assert(
        fc.asyncProperty(valid(0), mutation, (payload, m) => checkAnswered(path, mutate(json(payload), m))),
        { numRuns: 300 },
      );
    }, TIMEOUT);
  }
});
