// What the collector's writes cost in D1's rows written, which Cloudflare bills: one per row and
// one per index entry written. The counts are local D1's own (`meta.rows_written`), through the
// collector's functions; an index added or an update widened shows here first.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Oswl } from "../../schemas/collector";
import { findInstallation, type InstallationStructureWrite, insertActionLogs, upsertInstallationStructure, upsertOswlStats } from "../../worker/db/collector";
import { meterD1 } from "../../worker/db/metered";
import { actionLogRow } from "../../worker/domain/action-logs";
import { freshUid, httpRequestLog, nailgunTaskLog, oswl } from "./helpers";

/** Runs `write` on a COLLECTOR_DB that adds up rows written; returns its value and the rows. */
async function metered<T>(write: (db: D1Database) => Promise<T>): Promise<{ value: T; rows: number }> {
  let rows = 0;
  const db = meterD1(env.COLLECTOR_DB, (meta) => void (rows += meta?.rows_written ?? 0), { rawFromAll: true });
  return { value: await write(db), rows };
}

const releaseDays = async (uid: string) =>
  (await env.COLLECTOR_DB.prepare("SELECT count(*) AS n FROM installation_release_days WHERE master_node_uid = ?").bind(uid).first<number>("n"))!;

describe("D1 rows written per stored record", () => {
  const write = (uid: string, overrides: Partial<InstallationStructureWrite> = {}): InstallationStructureWrite => ({
    masterNodeUid: uid,
    structure: JSON.stringify({ master_node_uid: uid, clusters: [] }),
    release: "9.0",
    country: "DE",
    trust: "unverified",
    isFiltered: false,
    now: Date.now(),
    ...overrides,
  });

  it("a new structure: its row with 3 index entries, a release day with its entry, and the sequence row of each table", async () => {
    const uid = freshUid();
    const { value, rows } = await metered((db) => upsertInstallationStructure(db, write(uid), false));
    expect(value).toEqual({ created: true });
    expect(rows).toBe(8);
    expect(await releaseDays(uid)).toBe(1);
  });

  it("a re-post that keeps the release and the verdict: the row and its updated_at entry", async () => {
    const uid = freshUid();
    await upsertInstallationStructure(env.COLLECTOR_DB, write(uid, { now: 1_000 }), false);
    const { value, rows } = await metered((db) =>
      upsertInstallationStructure(db, write(uid, { structure: '{"changed":true}', country: null, trust: "verified", now: 2_000 }), true),
    );
    expect(value).toEqual({ created: false });
    expect(rows).toBe(2);
    const row = (await findInstallation(env.COLLECTOR_DB, uid))!;
    expect(row).toMatchObject({ structure: '{"changed":true}', country: "DE", trust: "verified", updatedAt: 2_000, release: "9.0" });
    expect(row.modificationDate).toBe(new Date(2_000).toISOString());
    expect(await releaseDays(uid)).toBe(1);
  });

  it("a re-post with a new release or verdict takes the upsert, and the release change is kept", async () => {
    const uid = freshUid();
    await upsertInstallationStructure(env.COLLECTOR_DB, write(uid, { now: 1_000 }), false);
    expect(await upsertInstallationStructure(env.COLLECTOR_DB, write(uid, { release: "10.0", now: 2_000 }), true)).toEqual({ created: false });
    expect(await releaseDays(uid)).toBe(2);
    expect(await upsertInstallationStructure(env.COLLECTOR_DB, write(uid, { release: "10.0", isFiltered: true, now: 3_000 }), true)).toEqual({
      created: false,
    });
    expect(await findInstallation(env.COLLECTOR_DB, uid)).toMatchObject({ release: "10.0", isFiltered: true, updatedAt: 3_000 });
  });

  it("a structure of an installation known to its object but with no row yet is created", async () => {
    const uid = freshUid();
    expect(await upsertInstallationStructure(env.COLLECTOR_DB, write(uid), true)).toEqual({ created: true });
    expect(await findInstallation(env.COLLECTOR_DB, uid)).toMatchObject({ release: "9.0", modificationDate: null });
  });

  it("100 action logs: each its row and its key's entry, and one sequence row for the statement", async () => {
    const uid = freshUid();
    const logs = Array.from({ length: 100 }, (_, i) => actionLogRow(httpRequestLog(uid, i + 1) as never));
    const { value, rows } = await metered((db) => insertActionLogs(db, uid, logs, "unverified", Date.now()));
    expect(value.size).toBe(100);
    expect(rows).toBe(201);
  });

  it("a finished verify_networks task: one entry more, in the index the CSV export reads it by", async () => {
    const uid = freshUid();
    const task = nailgunTaskLog(uid, 1, "2015-06-01T10:00:01");
    const verify = { ...task, external_id: 2, body: { ...task.body, id: 2, action_name: "verify_networks" } };
    const { rows } = await metered((db) => insertActionLogs(db, uid, [actionLogRow(task as never), actionLogRow(verify as never)], "unverified", Date.now()));
    expect(rows).toBe(2 + 2 + 1 + 1);
  });

  it("10 new OSWL rows: each its row and 3 index entries; posted again, the row and its 2 entries by created_date", async () => {
    const uid = freshUid();
    const items = Array.from({ length: 10 }, (_, i) => oswl(uid, i + 1) as Oswl);
    expect((await metered((db) => upsertOswlStats(db, uid, items, "unverified", 1_000))).rows).toBe(41);
    const again = items.map((item) => ({ ...item, resource_checksum: "yy" }));
    expect((await metered((db) => upsertOswlStats(db, uid, again, "unverified", 2_000))).rows).toBe(31);
  });
});
