import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findInstallation } from "../../worker/db/collector";
import { call, cluster, count, freshUid, postJson, structure } from "./helpers";

const post = (body: unknown, init: RequestInit = {}) => postJson("/api/v1/installation_structure/", body, init.headers as never);

describe("POST installation_structure", () => {
  it("creates a new installation with 201, a UTC creation_date and no modification_date", async () => {
    const uid = freshUid();
    const before = Date.now();
    const res = await post({ installation_structure: structure(uid, { clusters_num: 1, allocated_nodes_num: 3, clusters: [cluster(29)] }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: "ok" });
    const row = await findInstallation(env.COLLECTOR_DB, uid);
    expect(row).not.toBeNull();
    expect(row!.modificationDate).toBeNull();
    expect(row!.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(row!.creationDate)).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.parse(row!.structure).clusters[0].id).toBe(29);
  });

  it("updates an existing installation with 200, keeping creation_date and setting modification_date", async () => {
    const uid = freshUid();
    await post({ installation_structure: structure(uid) });
    const created = await findInstallation(env.COLLECTOR_DB, uid);
    const res = await post({ installation_structure: structure(uid, { clusters_num: 2 }) });
    expect(res.status).toBe(200);
    const updated = await findInstallation(env.COLLECTOR_DB, uid);
    expect(updated!.creationDate).toBe(created!.creationDate);
    expect(updated!.modificationDate).not.toBeNull();
    expect(JSON.parse(updated!.structure).clusters_num).toBe(2);
    expect(await count("installation_structures", uid)).toBe(1);
  });

  it("copies fuel_release.release into the release column, and null without it", async () => {
    const uid = freshUid();
    await post({ installation_structure: structure(uid, { fuel_release: { release: "8.0", api: "1", feature_groups: [] } }) });
    expect((await findInstallation(env.COLLECTOR_DB, uid))!.release).toBe("8.0");
    await post({ installation_structure: structure(uid, { fuel_release: { release: "9.0", api: "1", feature_groups: [] } }) });
    expect((await findInstallation(env.COLLECTOR_DB, uid))!.release).toBe("9.0");
    const bare = freshUid();
    await post({ installation_structure: structure(bare) });
    expect((await findInstallation(env.COLLECTOR_DB, bare))!.release).toBeNull();
  });

  it.each([
    ["6.x shas", { release: "6.0", api: "1.0", feature_groups: ["mirantis"], build_id: "2014-12-26_14-25-46", ostf_sha: "a", astute_sha: "b", nailgun_sha: "c", fuellib_sha: "d" }, {}],
    ["7.0 renames", { release: "7.0", api: "1.0", feature_groups: [], "fuel-ostf_sha": "a", "fuel-library_sha": "b" }, {}],
    ["8.0 fuel-nailgun_sha", { release: "8.0", api: "1", feature_groups: [], "fuel-nailgun_sha": "e" }, {}],
    ["8.0 fuel_packages", { release: "8.0", api: "1", feature_groups: [] }, { fuel_packages: ["fuel-nailgun-8.0.0-1.mos8212.noarch"] }],
    ["9.0", { release: "9.0", api: "1", feature_groups: ["experimental"], build_id: "495", openstack_version: "mitaka-9.0" }, { fuel_packages: [] }],
  ])("accepts and stores the %s variant", async (_, fuel_release, extra) => {
    const uid = freshUid();
    const res = await post({ installation_structure: structure(uid, { fuel_release, ...extra }) });
    expect(res.status).toBe(201);
    const stored = JSON.parse((await findInstallation(env.COLLECTOR_DB, uid))!.structure);
    expect(stored.fuel_release).toEqual(fuel_release);
  });

  it("stores unknown keys of the structure as sent", async () => {
    const uid = freshUid();
    const user_information = { contact_info_provided: true, name: "Ops", company: "Acme" };
    await post({ installation_structure: structure(uid, { user_information }) });
    expect(JSON.parse((await findInstallation(env.COLLECTOR_DB, uid))!.structure).user_information).toEqual(user_information);
  });

  it("stores the request's coarse country and keeps it when a later request has none", async () => {
    const uid = freshUid();
    const body = JSON.stringify({ installation_structure: structure(uid) });
    const init = { method: "POST", body, cf: { country: "DE" } } as RequestInit;
    expect((await call("/api/v1/installation_structure/", init)).status).toBe(201);
    expect((await findInstallation(env.COLLECTOR_DB, uid))!.country).toBe("DE");
    await post({ installation_structure: structure(uid) });
    expect((await findInstallation(env.COLLECTOR_DB, uid))!.country).toBe("DE");
    const columns = await env.COLLECTOR_DB.prepare("SELECT name FROM pragma_table_info('installation_structures')").all<{ name: string }>();
    expect(columns.results.map((c) => c.name).some((n) => /ip|addr/.test(n))).toBe(false);
  });

  it("answers two concurrent first posts of one installation with one 201 and one 200, and one row", async () => {
    const uid = freshUid();
    const statuses = await Promise.all([1, 2].map(() => post({ installation_structure: structure(uid) }).then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 201]);
    expect(await count("installation_structures", uid)).toBe(1);
  });
});
