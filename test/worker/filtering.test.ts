import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findInstallation } from "../../worker/db/collector";
import { adminCall, call, freshUid, postJson, structure } from "./helpers";

const putRules = (rules: unknown, token?: string | null) =>
  call("/api/v1/admin/filtering-rules", {
    method: "PUT",
    headers: token === null ? {} : { authorization: `Bearer ${token ?? "test-admin-token-0123456789"}` },
    body: JSON.stringify(rules),
  });
const post = (uid: string, fuel_release: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  postJson("/api/v1/installation_structure/", {
    installation_structure: structure(uid, { fuel_release: { api: "1", feature_groups: [], ...fuel_release }, ...extra }),
  });
const isFilteredOf = async (uid: string) => (await findInstallation(env.COLLECTOR_DB, uid))!.isFiltered;

describe("filtering rules", () => {
  it("filter nothing until rules are set, then classify every structure written", async () => {
    const before = freshUid();
    await post(before, { release: "9.0", build_id: "dev-build" });
    expect(await isFilteredOf(before)).toBe(false);

    const res = await putRules({ "8.0": [{ packages_list: ["fuel-nailgun-8.0.0-1.mos8212.noarch"] }], "9.0": { "495": null } });
    expect(res.status).toBe(200);

    const [released, dev, packaged, unknown] = [freshUid(), freshUid(), freshUid(), freshUid()];
    await post(released, { release: "9.0", build_id: "495" });
    await post(dev, { release: "9.0", build_id: "dev-build" });
    await post(packaged, { release: "8.0" }, { fuel_packages: ["fuel-nailgun-8.0.0-1.mos8212.noarch"] });
    await post(unknown, { release: "10.0-dev" });
    expect(await Promise.all([released, dev, packaged, unknown].map(isFilteredOf))).toEqual([false, true, false, true]);

    await post(before, { release: "9.0", build_id: "dev-build" });
    expect(await isFilteredOf(before)).toBe(true);
  });

  it("are read back as stored, and an empty set filters nothing again", async () => {
    const rules = { "7.0": null, "6.1": { b: "2015-04-30T23:00:18" } };
    await putRules(rules);
    expect(await (await adminCall("/filtering-rules")).json()).toMatchObject({ status: "ok", rules });
    await putRules({});
    const uid = freshUid();
    await post(uid, { release: "anything" });
    expect(await isFilteredOf(uid)).toBe(false);
  });

  it("refuse invalid rules with a 400 naming the field, keeping the rules in force", async () => {
    await putRules({ "9.0": null });
    const res = await putRules({ "8.0": [{ build_id: "b", from_date: "next week" }] });
    expect(res.status).toBe(400);
    expect((await res.json<{ message: string }>()).message).toMatch(/8\.0\[0\]\.from_date.*2016-02-01/);
    expect(await (await adminCall("/filtering-rules")).json()).toMatchObject({ rules: { "9.0": null } });
  });

  it("need the admin secret", async () => {
    expect((await putRules({}, null)).status).toBe(401);
    expect((await putRules({}, "wrong")).status).toBe(403);
  });
});
