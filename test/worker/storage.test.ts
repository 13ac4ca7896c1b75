import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { count, freshUid, oswl, postJson } from "./helpers";

const db = () => env.COLLECTOR_DB;
const insert = (sql: string, ...args: unknown[]) => db().prepare(sql).bind(...args).run();

describe("collector tables", () => {
  it("refuse a second installation with the same master_node_uid", async () => {
    const uid = freshUid();
    const row = "INSERT INTO installation_structures (master_node_uid, structure, creation_date, updated_at) VALUES (?, '{}', '2020-01-01', 0)";
    await insert(row, uid);
    await expect(insert(row, uid)).rejects.toThrow(/UNIQUE/);
  });

  it("refuse a second action log with the same (master_node_uid, external_id), but not across installations", async () => {
    const [a, b] = [freshUid(), freshUid()];
    const row = "INSERT INTO action_logs (master_node_uid, external_id, body, received_at) VALUES (?, 1, '{}', 0)";
    await insert(row, a);
    await insert(row, b);
    await expect(insert(row, a)).rejects.toThrow(/UNIQUE/);
  });

  it("refuse a second oswl row with the same (master_node_uid, external_id, resource_type)", async () => {
    const uid = freshUid();
    const row = `INSERT INTO oswl_stats (master_node_uid, external_id, cluster_id, created_date, updated_time, resource_type,
      resource_data, resource_checksum, updated_at) VALUES (?, 1, 1, '2015-01-01', '00:00', ?, '{}', 'c', 0)`;
    await insert(row, uid, "vm");
    await insert(row, uid, "image");
    await expect(insert(row, uid, "vm")).rejects.toThrow(/UNIQUE/);
  });

  it.each([
    ["installation_structures", "INSERT INTO installation_structures (master_node_uid, structure, creation_date, updated_at) VALUES (?, NULL, '2020-01-01', 0)"],
    ["action_logs", "INSERT INTO action_logs (master_node_uid, external_id, body, received_at) VALUES (?, NULL, '{}', 0)"],
    ["oswl_stats", `INSERT INTO oswl_stats (master_node_uid, external_id, cluster_id, created_date, updated_time, resource_type,
      resource_data, resource_checksum, updated_at) VALUES (?, 1, 1, '2015-01-01', '00:00', 'vm', '{}', NULL, 0)`],
  ])("%s refuse NULL in a required column", async (_, sql) => {
    await expect(insert(sql, freshUid())).rejects.toThrow(/NOT NULL/);
  });

  it("re-applying the migrations changes nothing", async () => {
    const uid = freshUid();
    await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1)] });
    await applyD1Migrations(env.COLLECTOR_DB, env.COLLECTOR_MIGRATIONS);
    await applyD1Migrations(env.ANALYTIC_DB, env.ANALYTIC_MIGRATIONS);
    expect(await count("oswl_stats", uid)).toBe(1);
  });
});

describe("oswl ids", () => {
  it("never confuse the sender's id with the row id (fuel-stats bug 1427575)", async () => {
    const [a, b] = [freshUid(), freshUid()];
    await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(a, 1000), oswl(a, 1001)] });
    const { id: rowId } = (await db().prepare("SELECT id FROM oswl_stats WHERE master_node_uid = ? AND external_id = 1001").bind(a).first<{ id: number }>())!;
    // b sends an id equal to a's internal row id: it must be a new row of b, and a's rows stay as they were.
    const res = await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(b, rowId, { resource_checksum: "b" })] });
    expect((await res.json<{ oswl_stats: { status: string }[] }>()).oswl_stats[0]!.status).toBe("added");
    const again = await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(b, rowId, { resource_checksum: "b2" })] });
    expect((await again.json<{ oswl_stats: { status: string }[] }>()).oswl_stats[0]!.status).toBe("updated");
    const rows = await db().prepare("SELECT master_node_uid, external_id, resource_checksum FROM oswl_stats WHERE master_node_uid IN (?, ?) ORDER BY id")
      .bind(a, b).all();
    expect(rows.results).toEqual([
      { master_node_uid: a, external_id: 1000, resource_checksum: "xx" },
      { master_node_uid: a, external_id: 1001, resource_checksum: "xx" },
      { master_node_uid: b, external_id: rowId, resource_checksum: "b2" },
    ]);
  });
});
