// The request log line (worker/http/request-log.ts): one JSON line per request, with the route's
// pattern, status, time, the installation's hash and the outcomes, and nothing secret.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../worker/http/app-env";
import { requestLog } from "../../worker/http/request-log";
import { ADMIN_TOKEN, adminCall, call, captureLog, eventually, freshUid, httpRequestLog, postJson, structure, TOKEN_HEADER } from "./helpers";

const log = captureLog();

const sha256Prefix = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))).slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");

const SECRET_ADDRESS = "203.0.113.77";
const SECRET_QUERY = "sig=query-secret-4711";

describe("the request log line", () => {
  it("writes one line per request with the route's pattern, method, status and time", async () => {
    await call("/api/v1/ping/");
    await call("/api/v1/json/collector/health?from_date=2026-01-01&to_date=2026-01-02");
    await call("/api/v1/no-such-thing/at/all");
    const lines = log.lines("request");
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => [l.method, l.route, l.status])).toEqual([
      ["GET", "/api/v1/ping", 200],
      ["GET", "/api/v1/json/collector/health", 200],
      ["GET", "(no route)", 404],
    ]);
    for (const line of lines) {
      expect(Number.isInteger(line.ms) && line.ms >= 0).toBe(true);
      expect(Object.keys(line).sort()).toEqual(["kind", "method", "ms", "route", "status"]);
    }
  });

  it("names a route with parameters by its pattern, also when the admin secret is refused", async () => {
    const uid = freshUid("admin-log");
    expect((await adminCall(`/installations/${uid}`)).status).toBe(200);
    expect((await adminCall(`/installations/${uid}`, "GET", null)).status).toBe(401);
    expect((await adminCall(`/installations/${uid}`, "GET", "wrong-secret")).status).toBe(403);
    const lines = log.lines("request");
    expect(lines.map((l) => [l.route, l.status])).toEqual([
      ["/api/v1/admin/installations/:uid", 200],
      ["/api/v1/admin/installations/:uid", 401],
      ["/api/v1/admin/installations/:uid", 403],
    ]);
    expect(log.written().join("\n")).not.toContain(uid);
    expect(log.written().join("\n")).not.toContain(ADMIN_TOKEN);
  });

  it("gives a collector write the installation's hash and its outcomes, and never its token, address, uid or query", async () => {
    const uid = freshUid("log-writer");
    const first = await postJson(`/api/v1/installation_structure/?${SECRET_QUERY}`, { installation_structure: structure(uid) }, { "cf-connecting-ip": SECRET_ADDRESS });
    expect(first.status).toBe(201);
    const token = (await first.json<{ installation_token: string }>()).installation_token;
    const res = await postJson(
      `/api/v1/action_logs/?${SECRET_QUERY}`,
      { action_logs: [httpRequestLog(uid, 1), httpRequestLog(uid, 2)] },
      { [TOKEN_HEADER]: token, authorization: `Bearer ${ADMIN_TOKEN}`, "cf-connecting-ip": SECRET_ADDRESS, "x-forwarded-for": SECRET_ADDRESS },
    );
    expect(res.status).toBe(200);
    // The hash is written under waitUntil, after the response.
    const lines = await eventually(async () => {
      const found = log.lines("request");
      expect(found).toHaveLength(2);
      return found;
    });
    const hash = await sha256Prefix(uid);
    expect(lines).toEqual([
      { kind: "request", method: "POST", route: "/api/v1/installation_structure", status: 201, ms: expect.any(Number), installation: hash, outcomes: { accepted: 1 } },
      { kind: "request", method: "POST", route: "/api/v1/action_logs", status: 200, ms: expect.any(Number), installation: hash, outcomes: { accepted: 2, bound: 1 } },
    ]);
    const text = log.written().join("\n");
    for (const secret of [uid, token, ADMIN_TOKEN, SECRET_ADDRESS, SECRET_QUERY, "query-secret", "?"]) expect(text).not.toContain(secret);
  });

  it("gives a refused write its status and hash but no outcomes", async () => {
    const uid = freshUid("log-refused");
    const res = await postJson("/api/v1/oswl_stats/", { oswl_stats: [] }, { [TOKEN_HEADER]: "not-a-token" });
    expect(res.status).toBe(200);
    const refused = await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) }, { [TOKEN_HEADER]: "x".repeat(72) });
    expect(refused.status).toBe(403);
    const bad = await postJson("/api/v1/action_logs/", { action_logs: "nope" });
    expect(bad.status).toBe(400);
    const lines = await eventually(async () => {
      const found = log.lines("request");
      expect(found).toHaveLength(3);
      return found;
    });
    expect(lines.map((l) => [l.route, l.status, l.installation ?? null, l.outcomes ?? null])).toEqual([
      ["/api/v1/oswl_stats", 200, null, null],
      ["/api/v1/installation_structure", 403, await sha256Prefix(uid), null],
      ["/api/v1/action_logs", 400, null, null],
    ]);
    expect(log.written().join("\n")).not.toContain("x".repeat(72));
  });

  it("names a dashboard page by the fallback that served it, not by its path", async () => {
    const res = await call("/adoption?secret=page-query-secret");
    expect(res.status).toBe(200);
    expect(log.lines("request").map((l) => [l.method, l.route, l.status])).toEqual([["GET", "(page)", 200]]);
    expect(log.written().join("\n")).not.toContain("page-query-secret");
  });

  it("adds the exception to the line of a 5xx, and nothing of it to a 4xx", async () => {
    const app = new Hono<AppEnv>();
    app.use("*", requestLog);
    app.get("/broken/:id", () => {
      throw new Error("D1_ERROR: no such table: nowhere");
    });
    app.get("/refused", (c) => c.json({ status: "error" }, 418));
    app.onError((_, c) => c.json({ status: "error", message: "internal error" }, 500));
    expect((await app.request("/broken/42?token=abc")).status).toBe(500);
    expect((await app.request("/refused")).status).toBe(418);
    expect(log.lines("request")).toEqual([
      { kind: "request", method: "GET", route: "/broken/:id", status: 500, ms: expect.any(Number), error: "Error: D1_ERROR: no such table: nowhere" },
      { kind: "request", method: "GET", route: "/refused", status: 418, ms: expect.any(Number) },
    ]);
  });
});
