import { describe, expect, it } from "vitest";
import { call, postJson, structure, freshUid } from "./helpers";

const COLLECTOR_PATHS = {
  "/api/v1/ping/": "GET",
  "/api/v1/installation_structure/": "POST",
  "/api/v1/action_logs/": "POST",
  "/api/v1/oswl_stats/": "POST",
} as const;

describe("collector protocol", () => {
  it("answers ping with the ok envelope and exec_time", async () => {
    const res = await call("/api/v1/ping/");
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; exec_time: number }>();
    expect(body.status).toBe("ok");
    expect(typeof body.exec_time).toBe("number");
  });

  it("serves every path with and without the trailing slash", async () => {
    expect((await call("/api/v1/ping")).status).toBe(200);
    const uid = freshUid();
    expect((await postJson("/api/v1/installation_structure", { installation_structure: structure(uid) })).status).toBe(201);
    expect((await postJson("/api/v1/action_logs", { action_logs: [] })).status).toBe(200);
    expect((await postJson("/api/v1/oswl_stats", { oswl_stats: [] })).status).toBe(200);
  });

  // A GET with a body cannot be built with the Fetch API in workerd ("Request with a GET or HEAD
  // method cannot have a body"): the ping bodies go over raw HTTP in test/e2e/dashboard.test.ts.
  it("ignores the master-node-uid header on ping", async () => {
    for (const uid of ["whatever", "", "x".repeat(1000)]) {
      const res = await call("/api/v1/ping/", { headers: { "master-node-uid": uid } });
      expect(res.status, uid.slice(0, 20)).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok" });
    }
  });

  it.each(Object.entries(COLLECTOR_PATHS))("answers a wrong method on %s with 405 and an error body", async (path, method) => {
    const wrong = method === "GET" ? ["POST", "PUT", "DELETE", "PATCH"] : ["GET", "PUT", "DELETE", "PATCH"];
    for (const m of wrong) {
      const res = await call(path, { method: m });
      expect(res.status, `${m} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toContain(method);
      const body = await res.json<{ status: string; message: string }>();
      expect(body.status).toBe("error");
      expect(body.message).toContain(m);
    }
  });

  it("answers an unknown path with 404 and an error body", async () => {
    for (const path of ["/api/v1/nothing/", "/api/v2/ping/", "/api/v1/action_logs/extra"]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ status: "error" });
    }
  });

  it("answers an empty action log or oswl list with ok and an empty list", async () => {
    expect(await (await postJson("/api/v1/action_logs/", { action_logs: [] })).json()).toMatchObject({ status: "ok", action_logs: [] });
    expect(await (await postJson("/api/v1/oswl_stats/", { oswl_stats: [] })).json()).toMatchObject({ status: "ok", oswl_stats: [] });
  });
});

describe("published JSON Schema", () => {
  it("lists the schemas", async () => {
    const body = await (await call("/api/v1/schemas/")).json<{ schemas: string[] }>();
    expect(body.schemas).toContain("/api/v1/schemas/action_logs.json");
  });

  it("serves each request schema generated from zod, with the original's required fields", async () => {
    const doc = await (await call("/api/v1/schemas/installation_structure.json")).json<Record<string, any>>();
    expect(doc.additionalProperties).toBe(false);
    expect(doc.required).toEqual(["installation_structure"]);
    expect(doc.properties.installation_structure.required).toEqual(
      expect.arrayContaining(["master_node_uid", "clusters_num", "allocated_nodes_num", "unallocated_nodes_num", "clusters"]),
    );
    const oswl = await (await call("/api/v1/schemas/oswl_stats.json")).json<Record<string, any>>();
    expect(oswl.properties.oswl_stats.items.additionalProperties).toBe(false);
    expect(oswl.properties.oswl_stats.items.properties.resource_type.enum).toContain("cluster_stats");
  });

  it("answers an unknown schema with 404", async () => {
    const res = await call("/api/v1/schemas/nope.json");
    expect(res.status).toBe(404);
    expect((await res.json<{ message: string }>()).message).toContain("nope");
  });
});
