import { describe, expect, it } from "vitest";
import { HealthResponseSchema } from "../../schemas/health";
import { call, count, eventually, freshUid, httpRequestLog, oswl, postJson, structure, TOKEN_HEADER } from "./helpers";

async function rejected(res: Response, status: number, message: RegExp) {
  expect(res.status).toBe(status);
  expect((await res.json<{ message: string }>()).message).toMatch(message);
}

describe("schema limits: a request over a limit is refused, naming the limit", () => {
  it("refuses more than 1000 records in one request", async () => {
    const uid = freshUid();
    const logs = Array.from({ length: 1001 }, (_, i) => ({ master_node_uid: uid, external_id: i, body: { action_type: "http_request" } }));
    await rejected(await postJson("/api/v1/action_logs/", { action_logs: logs }), 400, /action_logs: 1001 records exceed the limit of 1000 per request/);
    expect(await count("action_logs", uid)).toBe(0);
  });

  it("refuses a master_node_uid longer than 128 characters", async () => {
    const uid = "u".repeat(129);
    await rejected(await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) }), 400,
      /installation_structure\.master_node_uid: longer than the limit of 128 characters/);
  });

  it("refuses a string over 65536 characters anywhere, naming where", async () => {
    const uid = freshUid();
    const body = { installation_structure: structure(uid, { attributes_note: { text: "x".repeat(65_537) } }) };
    await rejected(await postJson("/api/v1/installation_structure/", body), 400,
      /installation_structure\.attributes_note\.text: string of 65537 characters exceeds the limit of 65536/);
    expect(await count("installation_structures", uid)).toBe(0);
  });

  it("refuses an array over 10000 elements anywhere", async () => {
    const uid = freshUid();
    const item = oswl(uid, 1, { resource_data: { added: [], current: Array.from({ length: 10_001 }, () => 0), removed: [], modified: [] } });
    await rejected(await postJson("/api/v1/oswl_stats/", { oswl_stats: [item] }), 400,
      /oswl_stats\[0\]\.resource_data\.current: array of 10001 elements exceeds the limit of 10000/);
  });

  it("refuses nesting deeper than 32 levels", async () => {
    let deep: unknown = {};
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const res = await postJson("/api/v1/installation_structure/", { installation_structure: structure(freshUid(), { deep }) });
    await rejected(res, 400, /nesting deeper than the limit of 32 levels/);
  });

  it("refuses pathological nesting that JSON itself cannot hold, with a 400 and not a 5xx", async () => {
    const res = await postJson("/api/v1/action_logs/", `{"action_logs":${"[".repeat(500_000)}${"]".repeat(500_000)}}`);
    expect(res.status).toBe(400);
  });
});

describe("the data-quality counters", () => {
  type Health = { days: { date: string; totals: Record<string, number>; by_endpoint: Record<string, Record<string, number>> }[] };
  const today = () => new Date().toISOString().slice(0, 10);
  const todays = async () => (await (await call(`/api/v1/json/collector/health?from_date=${today()}&to_date=${today()}`)).json<Health>()).days[0]!;

  it("count every outcome of collector requests per day, endpoint and reason", async () => {
    // Let earlier tests' counts (written every 50 ms here) land before taking the baseline.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await todays();
    const uid = freshUid();
    const token = (await (await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) })).json<{ installation_token: string }>()).installation_token;
    const auth = { [TOKEN_HEADER]: token };
    await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) }, auth); // replaced + bound
    await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 1), httpRequestLog(uid, 2)] }, auth);
    await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 1)] }, auth); // existed
    await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) }); // identity
    await postJson("/api/v1/oswl_stats/", { oswl_stats: [{ bad: true }] }); // schema
    await postJson("/api/v1/oswl_stats/", "x".repeat(1024 * 1024 + 1)); // too large
    const delta = (after: Record<string, number> = {}, was: Record<string, number> = {}) =>
      Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (was[k] ?? 0)]).filter(([, v]) => v !== 0));
    await eventually(async () => {
      const now = await todays();
      expect(delta(now.by_endpoint.installation_structure, before.by_endpoint.installation_structure)).toEqual({
        accepted: 1,
        replaced: 1,
        bound: 1,
        rejected_identity: 1,
      });
      expect(delta(now.by_endpoint.action_logs, before.by_endpoint.action_logs)).toEqual({ accepted: 2, existed: 1 });
      expect(delta(now.by_endpoint.oswl_stats, before.by_endpoint.oswl_stats)).toEqual({ rejected_schema: 1, too_large: 1 });
    });
  });

  it("lists every day of the range, the last 30 days by default, with units", async () => {
    const body = HealthResponseSchema.parse(await (await call("/api/v1/json/collector/health")).json());
    expect(body.days).toHaveLength(30);
    expect(body.to_date).toBe(today());
    expect(body.units).toMatchObject({ accepted: "records", rejected_identity: "requests" });
  });

  it("refuses bad dates and ranges with a 400 naming the expected format", async () => {
    await rejected(await call("/api/v1/json/collector/health?from_date=27-11-2026"), 400, /from_date: expected a date as YYYY-MM-DD/);
    await rejected(await call("/api/v1/json/collector/health?from_date=2026-02-30"), 400, /from_date/);
    await rejected(await call("/api/v1/json/collector/health?from_date=2026-11-10&to_date=2026-11-01"), 400, /after to_date/);
    await rejected(await call("/api/v1/json/collector/health?from_date=2020-01-01&to_date=2026-01-01"), 400, /longer than 366 days/);
    await rejected(await call("/api/v1/json/collector/health?since=2026-01-01"), 400, /unknown field "since"/);
  });
});
