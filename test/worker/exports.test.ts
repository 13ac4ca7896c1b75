import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ActionLogRowSchema, InstallationInfoSchema, OswlRowSchema, pagedSchema, SummarySchema } from "../../schemas/exports";
import { ADMIN_TOKEN, call, freshUid, httpRequestLog, oswl, postJson, structure } from "./helpers";

const get = (path: string, token: string | null = ADMIN_TOKEN) =>
  call(`/api/v1/json${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
const paging = (p: unknown) => `paging_params=${encodeURIComponent(typeof p === "string" ? p : JSON.stringify(p))}`;

async function seeded() {
  const uid = freshUid("export");
  await postJson("/api/v1/installation_structure/", {
    installation_structure: structure(uid, { fuel_release: { release: "9.0", api: "1", feature_groups: [] } }),
  });
  await postJson("/api/v1/action_logs/", { action_logs: [1, 2, 3].map((i) => httpRequestLog(uid, i)) });
  await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1), oswl(uid, 2, { resource_type: "image" }), oswl(uid, 3)] });
  return uid;
}

describe("raw JSON exports", () => {
  it("give an installation's row with its structure as an object, 404 for an unknown one", async () => {
    const uid = await seeded();
    const info = InstallationInfoSchema.parse(await (await get(`/installation_info/${uid}`)).json());
    expect(info).toMatchObject({ master_node_uid: uid, release: "9.0", is_filtered: false, modification_date: null });
    expect(info.structure.master_node_uid).toBe(uid);
    const missing = await get("/installation_info/nobody");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: "error" });
  });

  it("page action logs and oswl rows by id, with the paging envelope and the total", async () => {
    const uid = await seeded();
    const logs = pagedSchema(ActionLogRowSchema).parse(await (await get(`/action_logs/${uid}?${paging({ limit: 2, offset: 1 })}`)).json());
    expect(logs.paging_params).toEqual({ limit: 2, offset: 1, total: 3 });
    expect(logs.objs.map((o) => o.external_id)).toEqual([2, 3]);
    expect(logs.objs[0]!.body).toEqual(httpRequestLog(uid, 2).body);
    const oswls = pagedSchema(OswlRowSchema).parse(await (await get(`/oswls/${uid}`)).json());
    expect(oswls.paging_params).toEqual({ limit: 1000, offset: 0, total: 3 });
    const vms = pagedSchema(OswlRowSchema).parse(await (await get(`/oswls/${uid}/vm`)).json());
    expect(vms.objs.map((o) => [o.external_id, o.resource_type])).toEqual([[1, "vm"], [3, "vm"]]);
    expect(vms.objs[0]!.resource_data).toEqual(oswl(uid, 1).resource_data);
  });

  it("list filtered installations and summarise everything, counting NULL is_filtered as not filtered", async () => {
    const uid = await seeded();
    await env.COLLECTOR_DB.prepare("UPDATE installation_structures SET is_filtered = 1 WHERE master_node_uid = ?").bind(uid).run();
    const filtered = pagedSchema(InstallationInfoSchema).parse(await (await get("/installation_infos/filtered")).json());
    expect(filtered.objs.map((o) => o.master_node_uid)).toContain(uid);
    expect(filtered.objs.every((o) => o.is_filtered === true)).toBe(true);
    const summary = SummarySchema.parse(await (await get("/summary")).json());
    const { n } = (await env.COLLECTOR_DB.prepare("SELECT count(*) AS n FROM installation_structures WHERE is_filtered IS NULL OR is_filtered = 0").first<{ n: number }>())!;
    expect(summary.installation_structures.not_filtered).toBe(n);
    expect(summary.installation_structures.total).toBe(summary.installation_structures.filtered + n);
  });

  it("refuse bad paging and resource types with a 400 naming the field", async () => {
    const uid = await seeded();
    for (const [query, message] of [
      [paging("not json"), /paging_params: expected a JSON object/],
      [paging({ limit: 0 }), /paging_params\.limit/],
      [paging({ limit: 5000 }), /paging_params\.limit/],
      [paging({ offset: -1 }), /paging_params\.offset/],
      [paging({ page: 2 }), /paging_params.*unknown field "page"/],
    ] as const) {
      const res = await get(`/action_logs/${uid}?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json<{ message: string }>()).message).toMatch(message);
    }
    const res = await get(`/oswls/${uid}/network`);
    expect(res.status).toBe(400);
    expect((await res.json<{ message: string }>()).message).toContain("resource_type");
  });

  it("require the admin secret, while the public health counters and unknown paths are unaffected", async () => {
    for (const path of ["/summary", "/installation_info/x", "/action_logs/x", "/oswls/x", "/installation_infos/filtered"]) {
      expect((await get(path, null)).status, path).toBe(401);
      expect((await get(path, "wrong")).status, path).toBe(403);
    }
    expect((await get("/collector/health", null)).status).toBe(200);
    expect((await get("/nothing/here", null)).status).toBe(404);
  });
});
