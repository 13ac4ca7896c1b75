// Small factories and request helpers shared by the worker tests.
import { applyD1Migrations, createExecutionContext, reset, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, type MockInstance, vi } from "vitest";
import worker from "../../worker/index";
import type { RequestLine, StepLine } from "../../worker/observability/log";

let seq = 0;
/** A master_node_uid no other test uses (objects and rows are shared within a file). */
export const freshUid = (label = "mn") => `${label}-${Date.now().toString(36)}-${++seq}`;

/** Wipes D1 and every Durable Object, then re-applies the migrations. */
export async function resetStorage(): Promise<void> {
  await reset();
  await applyD1Migrations(env.COLLECTOR_DB, env.COLLECTOR_MIGRATIONS);
  await applyD1Migrations(env.ANALYTIC_DB, env.ANALYTIC_MIGRATIONS);
  await applyD1Migrations(env.CONTRIB_DB, env.CONTRIB_MIGRATIONS);
}

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`http://collector.test${path}`, init));
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function structure(uid: string, overrides: Record<string, unknown> = {}) {
  return {
    master_node_uid: uid,
    clusters_num: 0,
    allocated_nodes_num: 0,
    unallocated_nodes_num: 0,
    clusters: [],
    ...overrides,
  };
}

export function cluster(id: number, nodes = 3, overrides: Record<string, unknown> = {}) {
  return {
    id,
    mode: "ha_full",
    release: { version: "2014.2-6.0", name: "Juno on CentOS 6.5", os: "CentOS" },
    nodes_num: nodes,
    nodes: Array.from({ length: nodes }, (_, i) => ({ id: id * 100 + i, roles: ["compute"], status: "ready" })),
    status: "operational",
    attributes: { libvirt_type: "kvm" },
    network_configuration: { segmentation_type: "vlan", net_l23_provider: "ovs" },
    ...overrides,
  };
}

export function httpRequestLog(uid: string, externalId: number, overrides: Record<string, unknown> = {}) {
  return {
    master_node_uid: uid,
    external_id: externalId,
    body: {
      id: externalId,
      actor_id: "",
      action_group: "cluster_changes",
      action_name: "deploy",
      action_type: "http_request",
      start_timestamp: "2015-06-01T10:00:00",
      end_timestamp: "2015-06-01T10:00:01",
      additional_info: { request_data: {}, response_data: {} },
      is_sent: false,
      cluster_id: 5,
      task_uuid: null,
      ...overrides,
    },
  };
}

export function nailgunTaskLog(uid: string, externalId: number, endTimestamp: string | null) {
  return {
    master_node_uid: uid,
    external_id: externalId,
    body: {
      id: externalId,
      actor_id: null,
      action_group: "cluster_changes",
      action_name: "deployment",
      action_type: "nailgun_task",
      start_timestamp: "1",
      end_timestamp: endTimestamp,
      additional_info: {
        parent_task_id: null,
        subtasks_ids: [],
        operation: "deployment",
        nodes_from_resp: [],
        ended_with_status: endTimestamp ? "ready" : "",
      },
      is_sent: false,
      cluster_id: 1,
    },
  };
}

export function oswl(uid: string, id: number, overrides: Record<string, unknown> = {}) {
  return {
    master_node_uid: uid,
    id,
    cluster_id: 1,
    resource_type: "vm",
    resource_checksum: "xx",
    created_date: "2015-02-24",
    updated_time: "15:51:11.690102",
    resource_data: {
      added: [{ id: 1, time: 343434343 }],
      current: [{ id: "xxx", status: "down" }],
      removed: [],
      modified: [],
    },
    ...overrides,
  };
}

export const ADMIN_TOKEN = "test-admin-token-0123456789";
export const TOKEN_HEADER = "X-Installation-Token";
/** The test secret as a request header: the admin API, and the row-level exports (docs/privacy.md). */
export const ADMIN_AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Calls the admin API with the test secret (or the given one, or none with null). */
export function adminCall(path: string, method = "GET", token: string | null = ADMIN_TOKEN): Promise<Response> {
  return call(`/api/v1/admin${path}`, { method, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

/** The test project's env with some settings changed (the config readers parse each env object once). */
export const envWith = (vars: Record<string, string>) => ({ ...env, ...vars }) as unknown as Env;

/** A request through the Worker's entry under another env (envWith), once what it left running is done. */
export async function callUnder(on: Env, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch!(new Request(`http://collector.test${path}`, init), on, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Polls until `check` stops throwing (for work the worker finishes after responding). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Rows of one installation in the three collector tables, to show that a refusal changed nothing. */
export async function installationRows(uid: string) {
  const tables = ["installation_structures", "action_logs", "oswl_stats"] as const;
  const results = await env.COLLECTOR_DB.batch(
    tables.map((t) => env.COLLECTOR_DB.prepare(`SELECT * FROM ${t} WHERE master_node_uid = ? ORDER BY id`).bind(uid)),
  );
  return Object.fromEntries(tables.map((t, i) => [t, results[i]!.results]));
}

export async function count(table: "installation_structures" | "action_logs" | "oswl_stats", uid?: string) {
  const where = uid ? " WHERE master_node_uid = ?" : "";
  const stmt = env.COLLECTOR_DB.prepare(`SELECT count(*) AS n FROM ${table}${where}`);
  const row = await (uid ? stmt.bind(uid) : stmt).first<{ n: number }>();
  return row!.n;
}

type LogLine = RequestLine | StepLine;

/**
 * Silences console.log in each test of the calling file, and reads back what it wrote: `written()`
 * every call as text, `lines(kind)` the worker's JSON lines of one kind (worker/observability/log.ts);
 * `clear()` forgets what was written so far.
 */
export function captureLog() {
  let spy: MockInstance<typeof console.log>;
  beforeEach(() => {
    spy = vi.spyOn(console, "log").mockImplementation(() => {});
  });
  afterEach(() => spy.mockRestore());
  const written = () => spy.mock.calls.map((args) => args.map(String).join(" "));
  const lines = <K extends LogLine["kind"]>(kind: K) =>
    written()
      .filter((text) => text.startsWith("{"))
      .map((text) => JSON.parse(text) as LogLine)
      .filter((line): line is Extract<LogLine, { kind: K }> => line.kind === kind);
  return { written, lines, clear: () => spy.mockClear() };
}
