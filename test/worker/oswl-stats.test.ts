import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { count, freshUid, oswl, postJson } from "./helpers";

type Result = { master_node_uid: string; id: number; status: string };
const post = async (items: unknown[]) => {
  const res = await postJson("/api/v1/oswl_stats/", { oswl_stats: items });
  expect(res.status).toBe(200);
  const body = await res.json<{ status: string; oswl_stats: Result[] }>();
  expect(body.status).toBe("ok");
  return body.oswl_stats;
};
const row = (uid: string, id: number, type = "vm") =>
  env.COLLECTOR_DB.prepare("SELECT * FROM oswl_stats WHERE master_node_uid = ? AND external_id = ? AND resource_type = ?")
    .bind(uid, id, type)
    .first<Record<string, string | number | null>>();

describe("POST oswl_stats", () => {
  afterEach(async () => {
    await env.COLLECTOR_DB.exec("DROP TRIGGER IF EXISTS fail_oswl");
  });

  it("adds new rows, storing the sender's id as external_id and every field", async () => {
    const uid = freshUid();
    const results = await post([oswl(uid, 2), oswl(uid, 3, { resource_type: "image" })]);
    expect(results).toEqual([
      { master_node_uid: uid, id: 2, status: "added" },
      { master_node_uid: uid, id: 3, status: "added" },
    ]);
    const stored = await row(uid, 2);
    expect(stored).toMatchObject({ cluster_id: 1, created_date: "2015-02-24", updated_time: "15:51:11.690102", resource_checksum: "xx", version_info: null });
    expect(JSON.parse(stored!.resource_data as string)).toEqual(oswl(uid, 2).resource_data);
  });

  it("updates an existing row in place, every field replaced", async () => {
    const uid = freshUid();
    await post([oswl(uid, 2)]);
    const versionInfo = { fuel_version: "8.0", release_version: "liberty-8.0", release_name: null, release_os: "Ubuntu", environment_version: "8.0" };
    const changed = oswl(uid, 2, {
      cluster_id: 9,
      resource_checksum: "yy",
      resource_data: { added: [], current: [{ id: "a" }], removed: [{ id: "xxx", time: 1 }], modified: [] },
      version_info: versionInfo,
    });
    expect(await post([changed])).toEqual([{ master_node_uid: uid, id: 2, status: "updated" }]);
    const stored = await row(uid, 2);
    expect(stored).toMatchObject({ cluster_id: 9, resource_checksum: "yy" });
    expect(JSON.parse(stored!.version_info as string)).toEqual(versionInfo);
    expect(await count("oswl_stats", uid)).toBe(1);
  });

  it("keys rows by resource type too: the same id of two types is two rows", async () => {
    const uid = freshUid();
    await post([oswl(uid, 1, { resource_type: "vm" })]);
    expect((await post([oswl(uid, 1, { resource_type: "flavor" })]))[0]!.status).toBe("added");
    expect(await count("oswl_stats", uid)).toBe(2);
  });

  it.each([
    ["absent", undefined],
    ["all null", { fuel_version: null, release_version: null, release_name: null, release_os: null, environment_version: null }],
    ["partial", { fuel_version: "7.0" }],
  ])("accepts version_info %s", async (_, version_info) => {
    const uid = freshUid();
    const item = version_info === undefined ? oswl(uid, 1) : oswl(uid, 1, { version_info });
    expect((await post([item]))[0]!.status).toBe("added");
    const stored = await row(uid, 1);
    expect(stored!.version_info === null ? undefined : JSON.parse(stored!.version_info as string)).toEqual(version_info);
  });

  it("collapses a key repeated in one request to the last item instead of failing", async () => {
    const uid = freshUid();
    const results = await post([oswl(uid, 1, { resource_checksum: "a" }), oswl(uid, 1, { resource_checksum: "b" })]);
    expect(results).toEqual([{ master_node_uid: uid, id: 1, status: "added" }]);
    expect((await row(uid, 1))!.resource_checksum).toBe("b");
  });

  it("answers failed for every item when the write fails, and stores none of them", async () => {
    const uid = freshUid();
    await post([oswl(uid, 1)]);
    await env.COLLECTOR_DB.exec(
      "CREATE TRIGGER fail_oswl BEFORE INSERT ON oswl_stats WHEN NEW.external_id = 3 BEGIN SELECT RAISE(ABORT, 'forced failure'); END",
    );
    const results = await post([oswl(uid, 1, { resource_checksum: "new" }), oswl(uid, 2), oswl(uid, 3)]);
    expect(results.map((r) => r.status)).toEqual(["failed", "failed", "failed"]);
    expect(await count("oswl_stats", uid)).toBe(1);
    expect((await row(uid, 1))!.resource_checksum).toBe("xx");
  });
});
