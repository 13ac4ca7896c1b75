import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DeletionReceiptSchema } from "../../schemas/collector";
import { runInstallationsRollup } from "../../worker/cron/rollup";
import { deleteInstallationRows } from "../../worker/db/collector";
import type { Installation } from "../../worker/durable/installation";
import {
  ADMIN_TOKEN,
  adminCall,
  call,
  cluster,
  freshUid,
  httpRequestLog,
  installationRows,
  oswl,
  postJson,
  structure,
  TOKEN_HEADER,
} from "./helpers";

const objectOf = (uid: string) => env.INSTALLATION.get(env.INSTALLATION.idFromName(uid));

/** Every row of every table of the object's own storage, but the schema's own bookkeeping. */
const objectRows = (uid: string) =>
  runInDurableObject(objectOf(uid), (_: Installation, state) => {
    const sql = state.storage.sql;
    const tables = sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations', '_cf_KV') ORDER BY name")
      .toArray();
    return Object.fromEntries(tables.map(({ name }) => [name, sql.exec(`SELECT * FROM "${name}"`).toArray().length]));
  });

const releaseDays = async (uid: string) =>
  (await env.COLLECTOR_DB.prepare("SELECT count(*) AS n FROM installation_release_days WHERE master_node_uid = ?").bind(uid).first<{ n: number }>())!.n;

const postStructure = (uid: string, token?: string, extra: Record<string, unknown> = {}) =>
  postJson("/api/v1/installation_structure/", { installation_structure: structure(uid, extra) }, token ? { [TOKEN_HEADER]: token } : {});

/** An installation bound to its token, with a structure, 3 action logs and 2 OSWL rows. */
async function installationWithData(label = "del") {
  const uid = freshUid(label);
  const first = await postStructure(uid, undefined, { clusters_num: 1, clusters: [cluster(1, 2)] });
  expect(first.status).toBe(201);
  const token = (await first.json<{ installation_token: string }>()).installation_token;
  const bind = await postStructure(uid, token, {
    clusters_num: 1,
    clusters: [cluster(1, 2)],
    fuel_release: { release: "9.0", api: "1", feature_groups: [] },
  });
  expect(bind.status).toBe(200);
  const logs = await postJson("/api/v1/action_logs/", { action_logs: [1, 2, 3].map((i) => httpRequestLog(uid, i)) }, { [TOKEN_HEADER]: token });
  expect((await logs.json<{ action_logs: { status: string }[] }>()).action_logs.map((l) => l.status)).toEqual(["added", "added", "added"]);
  const oswls = await postJson(
    "/api/v1/oswl_stats/",
    { oswl_stats: [oswl(uid, 1), oswl(uid, 2, { resource_type: "tenant" })] },
    { [TOKEN_HEADER]: token },
  );
  expect(oswls.status).toBe(200);
  return { uid, token };
}

const deleteCall = (uid: string, token: string | null, body: unknown = { master_node_uid: uid }) =>
  call("/api/v1/installation", {
    method: "DELETE",
    headers: { "content-type": "application/json", ...(token === null ? {} : { [TOKEN_HEADER]: token }) },
    body: JSON.stringify(body),
  });

describe("DELETE /api/v1/installation", () => {
  it("deletes the installation's rows and its object's state, and answers with a receipt", async () => {
    const { uid, token } = await installationWithData();
    expect(await releaseDays(uid)).toBe(2);
    // Ids 1, 2 and 3 are one range.
    expect(await objectRows(uid)).toMatchObject({ identity: 1, action_log_ranges: 1, action_log_keys: 0 });

    const before = Date.now();
    const res = await deleteCall(uid, token);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const receipt = DeletionReceiptSchema.parse(await res.json());
    expect(receipt).toMatchObject({
      status: "ok",
      master_node_uid: uid,
      requested_by: "installation",
      deleted: {
        installation_structures: 1,
        action_logs: 3,
        oswl_stats: 2,
        installation_release_days: 2,
        installation_object: { identity: true, token_binding: true, token_key: false, action_log_ids: 3 },
      },
      reports: "next_rollup",
    });
    expect(receipt.deleted.installation_object.quota_windows).toBeGreaterThan(0);
    expect(Date.parse(receipt.deleted_at)).toBeGreaterThanOrEqual(before - 1000);

    expect(await installationRows(uid)).toEqual({ installation_structures: [], action_logs: [], oswl_stats: [] });
    expect(await releaseDays(uid)).toBe(0);
    expect(Object.values(await objectRows(uid)).every((n) => n === 0)).toBe(true);
    const identity = await (await adminCall(`/installations/${uid}`)).json<{ known: boolean; bound: boolean; lastSeen: string | null }>();
    expect(identity).toMatchObject({ known: false, bound: false, lastSeen: null });
  });

  it("treats the next post from the same uid as a first contact", async () => {
    const { uid, token } = await installationWithData();
    expect((await deleteCall(uid, token)).status).toBe(200);

    // The old token proves nothing any more; a post without one is a new installation (201, a fresh token).
    const stale = await postStructure(uid, token);
    expect(stale.status).toBe(403);
    const again = await postStructure(uid);
    expect(again.status).toBe(201);
    const fresh = (await again.json<{ installation_token?: string }>()).installation_token;
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{72}$/);
    expect(fresh).not.toBe(token);
    // Action logs it had sent before are stored again, not answered "existed" from a remembered id.
    const logs = await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 1)] });
    expect((await logs.json<{ action_logs: { status: string }[] }>()).action_logs[0]!.status).toBe("added");
    const rows = await installationRows(uid);
    expect(rows.installation_structures).toHaveLength(1);
    expect(rows.installation_structures?.[0]).toMatchObject({ modification_date: null, trust: "unverified" });
    expect(await objectRows(uid)).toMatchObject({ identity: 1, action_log_ranges: 1 });
  });

  it("counts in the receipt every remembered id, of the ranges and of the legacy table, not rows", async () => {
    const { uid, token } = await installationWithData();
    await postJson("/api/v1/action_logs/", { action_logs: [10, 11, 20].map((i) => httpRequestLog(uid, i)) }, { [TOKEN_HEADER]: token });
    // An object from before the ranges kept its ids one row each.
    await runInDurableObject(objectOf(uid), (_: Installation, state) => {
      state.storage.sql.exec("INSERT INTO action_log_keys (external_id) VALUES (100), (101)");
    });
    expect(await objectRows(uid)).toMatchObject({ action_log_ranges: 3, action_log_keys: 2 });
    const receipt = DeletionReceiptSchema.parse(await (await deleteCall(uid, token)).json());
    expect(receipt.deleted.installation_object.action_log_ids).toBe(3 + 2 + 1 + 2);
    expect(Object.values(await objectRows(uid)).every((n) => n === 0)).toBe(true);
  });

  it("refuses a wrong token with 403 naming it, and deletes nothing", async () => {
    const { uid, token } = await installationWithData();
    const rowsBefore = await installationRows(uid);
    const objectBefore = await objectRows(uid);
    const wrong = `${token.slice(0, -4)}AAAA` === token ? `${token.slice(0, -4)}BBBB` : `${token.slice(0, -4)}AAAA`;

    const res = await deleteCall(uid, wrong);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      status: "error",
      reason: "token_wrong",
      message: expect.stringContaining("does not match the token this installation is bound to"),
    });
    expect(await installationRows(uid)).toEqual(rowsBefore);
    expect(await objectRows(uid)).toEqual(objectBefore);
    expect(await releaseDays(uid)).toBe(2);
    // Still bound to its token: a write with it is accepted.
    expect((await postStructure(uid, token)).status).toBe(200);
  });

  it("refuses a request without a token, and one for an unbound installation, with 403", async () => {
    const { uid } = await installationWithData();
    const rowsBefore = await installationRows(uid);
    const missing = await deleteCall(uid, null);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ reason: "token_required", message: expect.stringContaining("X-Installation-Token") });
    expect(await installationRows(uid)).toEqual(rowsBefore);

    // A legacy installation never bound: the token it was issued proves nothing (anyone posting gets one).
    const legacy = freshUid("legacy");
    const issued = (await (await postStructure(legacy)).json<{ installation_token: string }>()).installation_token;
    const unbound = await deleteCall(legacy, issued);
    expect(unbound.status).toBe(403);
    expect(await unbound.json()).toMatchObject({ reason: "not_bound", message: expect.stringContaining("admin API") });
    expect((await installationRows(legacy)).installation_structures).toHaveLength(1);
  });

  it("answers 400 naming the field for a body without master_node_uid, and 405 for another method", async () => {
    const res = await deleteCall("x", null, {});
    expect(res.status).toBe(400);
    expect((await res.json<{ message: string }>()).message).toContain("master_node_uid: required field is missing");
    const get = await call("/api/v1/installation/");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("DELETE");
  });

  it("lets a write that races the deletion either be deleted with the rest or be refused", async () => {
    const { uid, token } = await installationWithData();
    const [write, deletion] = await Promise.all([
      postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 4), httpRequestLog(uid, 5)] }, { [TOKEN_HEADER]: token }),
      deleteCall(uid, token),
    ]);
    expect(deletion.status).toBe(200);
    const receipt = DeletionReceiptSchema.parse(await deletion.json());
    if (write.status === 200) expect(receipt.deleted.action_logs).toBe(5);
    else {
      expect(write.status).toBe(403);
      expect(receipt.deleted.action_logs).toBe(3);
    }
    expect(await installationRows(uid)).toEqual({ installation_structures: [], action_logs: [], oswl_stats: [] });
  });
});

describe("DELETE /api/v1/admin/installations/<uid>", () => {
  it("lets an operator delete an installation without its token", async () => {
    const { uid } = await installationWithData("admin-del");
    expect((await adminCall(`/installations/${uid}`, "DELETE", null)).status).toBe(401);
    expect((await adminCall(`/installations/${uid}`, "DELETE", "not-the-secret")).status).toBe(403);
    expect((await installationRows(uid)).action_logs).toHaveLength(3);

    const res = await adminCall(`/installations/${uid}`, "DELETE", ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(DeletionReceiptSchema.parse(await res.json())).toMatchObject({
      requested_by: "operator",
      deleted: { installation_structures: 1, action_logs: 3, oswl_stats: 2, installation_object: { identity: true, token_binding: true } },
    });
    expect(await installationRows(uid)).toEqual({ installation_structures: [], action_logs: [], oswl_stats: [] });
    expect(Object.values(await objectRows(uid)).every((n) => n === 0)).toBe(true);
  });

  it("deletes a legacy installation's rows, and answers an unknown one with an empty receipt", async () => {
    const legacy = freshUid("legacy-admin");
    await postStructure(legacy);
    await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(legacy, 1)] });
    const res = await adminCall(`/installations/${legacy}`, "DELETE");
    expect(await res.json()).toMatchObject({ deleted: { installation_structures: 1, action_logs: 1, installation_object: { token_binding: false } } });

    const unknown = await adminCall(`/installations/${freshUid("nobody")}`, "DELETE");
    expect(await unknown.json()).toMatchObject({
      deleted: { installation_structures: 0, action_logs: 0, oswl_stats: 0, installation_release_days: 0, installation_object: { identity: false } },
      reports: "not_in_reports",
    });
  });
});

describe("deleteInstallationRows", () => {
  it("deletes a chunk of rows per statement, and leaves a tombstone for the roll-up with the structure's id", async () => {
    const { uid } = await installationWithData("chunks");
    const { id } = (await env.COLLECTOR_DB.prepare("SELECT id FROM installation_structures WHERE master_node_uid = ?").bind(uid).first<{ id: number }>())!;
    const deleted = await deleteInstallationRows(env.COLLECTOR_DB, uid, 1_800_000_000_000, 2);
    // action logs 2 + 1, OSWL 2 + 0, release history 2 + 0, then the structure with its tombstone.
    expect(deleted).toEqual({ installation_structures: 1, action_logs: 3, oswl_stats: 2, installation_release_days: 2, statements: 7 });
    const tombstone = await env.COLLECTOR_DB.prepare("SELECT structure_id, deleted_at FROM installation_deletions WHERE master_node_uid = ?")
      .bind(uid)
      .all();
    expect(tombstone.results).toEqual([{ structure_id: id, deleted_at: 1_800_000_000_000 }]);
  });
});

describe("the roll-up after a deletion", () => {
  const rollUp = () => runInstallationsRollup(env, { chunkSize: 500, overlapMs: 0, budgetMs: 60_000 });
  const fuelRelease = (release: string) => ({ fuel_release: { release, api: "1", feature_groups: [] } });
  const report = async (release: string) =>
    (await call(`/api/v1/json/report/installations?release=${encodeURIComponent(release)}`)).json<{
      installations: { count: number; environments_num: Record<string, number> };
      environments: { count: number; statuses: Record<string, number> };
    }>();
  const adoptionOn = async (release: string) => {
    const today = new Date().toISOString().slice(0, 10);
    const body = await (await call(`/api/v1/json/report/adoption?from_date=${today}&to_date=${today}`)).json<{ days: { installations: Record<string, number> }[] }>();
    return body.days[0]!.installations[release] ?? 0;
  };
  const summaryOf = async (uid: string) =>
    env.ANALYTIC_DB.prepare("SELECT source_id FROM rollup_installations WHERE master_node_uid = ?").bind(uid).first<{ source_id: number }>();
  const pendingDeletions = async () =>
    (await env.COLLECTOR_DB.prepare("SELECT count(*) AS n FROM installation_deletions").first<{ n: number }>())!.n;

  /** Two bound installations of a release of their own, one with two clusters, rolled up. */
  async function twoCounted(release: string) {
    const kept = await installationWithData("kept");
    const gone = await installationWithData("gone");
    for (const [{ uid, token }, clusters] of [
      [kept, [cluster(1, 3)]],
      [gone, [cluster(1, 2), cluster(2, 5, { status: "error" })]],
    ] as const) {
      const res = await postStructure(uid, token, { ...fuelRelease(release), clusters_num: clusters.length, clusters });
      expect(res.status).toBe(200);
    }
    await rollUp();
    return { kept, gone };
  }

  it("leaves the reports as they were until the next roll-up, which takes the installation out", async () => {
    const release = `del-${Date.now()}`;
    const { gone } = await twoCounted(release);
    const counted = await report(release);
    expect(counted.installations).toEqual({ count: 2, environments_num: { "1": 1, "2": 1 } });
    expect(counted.environments).toMatchObject({ count: 3, statuses: { operational: 2, error: 1 } });
    expect(await adoptionOn(release)).toBe(2);

    expect((await deleteCall(gone.uid, gone.token)).status).toBe(200);
    expect(await report(release)).toEqual(counted);
    expect(await pendingDeletions()).toBe(1);

    const run = await rollUp();
    expect(run.removed).toBe(1);
    expect(await report(release)).toMatchObject({
      installations: { count: 1, environments_num: { "1": 1 } },
      environments: { count: 1, statuses: { operational: 1 } },
    });
    expect(await adoptionOn(release)).toBe(1);
    expect(await summaryOf(gone.uid)).toBeNull();
    expect(await pendingDeletions()).toBe(0);
    // Nothing left to take out: the next run changes nothing.
    expect((await rollUp()).removed).toBe(0);
  });

  it("counts a later first contact of the same uid as a new installation, once", async () => {
    const release = `again-${Date.now()}`;
    const { gone } = await twoCounted(release);
    expect((await deleteCall(gone.uid, gone.token)).status).toBe(200);
    // Posted again before any roll-up: the deletion is taken out first, then the new row counted.
    expect((await postStructure(gone.uid, undefined, { ...fuelRelease(release), clusters_num: 0 })).status).toBe(201);
    await rollUp();
    expect((await report(release)).installations).toEqual({ count: 2, environments_num: { "1": 1, "0": 1 } });
    expect(await adoptionOn(release)).toBe(2);
  });

  it("keeps a first contact that was rolled up before the deletion was", async () => {
    const release = `late-${Date.now()}`;
    const { gone } = await twoCounted(release);
    expect((await deleteCall(gone.uid, gone.token)).status).toBe(200);
    // Roll up the new row while the deletion waits (as if a run had raced it): the new row's
    // summary replaces the old one's contribution, and the deletion must then leave it alone.
    const held = (await env.COLLECTOR_DB.prepare("SELECT * FROM installation_deletions").all<Record<string, unknown>>()).results;
    await env.COLLECTOR_DB.prepare("DELETE FROM installation_deletions").run();
    expect((await postStructure(gone.uid, undefined, { ...fuelRelease(release), clusters_num: 0 })).status).toBe(201);
    await rollUp();
    const after = await report(release);
    expect(after.installations).toEqual({ count: 2, environments_num: { "1": 1, "0": 1 } });
    for (const row of held) {
      await env.COLLECTOR_DB.prepare("INSERT INTO installation_deletions (id, master_node_uid, structure_id, deleted_at) VALUES (?, ?, ?, ?)")
        .bind(row.id, row.master_node_uid, row.structure_id, row.deleted_at)
        .run();
    }
    const run = await rollUp();
    expect(run.removed).toBe(0);
    expect(await report(release)).toEqual(after);
    expect(await summaryOf(gone.uid)).not.toBeNull();
    expect(await pendingDeletions()).toBe(0);
  });
});
