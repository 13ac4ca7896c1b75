// Small-cell suppression at the shipped k (5): the public reports withhold what comes from fewer
// than 5 installations, and what would give it away by subtraction; the admin secret shows all.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { runInstallationsRollup } from "../../worker/cron/rollup";
import { ADMIN_TOKEN, call, cluster, freshUid, postJson, structure } from "../worker/helpers";

const fuelRelease = (release: string) => ({ fuel_release: { release, api: "1", feature_groups: [] } });
const post = async (uid: string, release: string, clusters: unknown[]) => {
  const res = await postJson("/api/v1/installation_structure/", {
    installation_structure: structure(uid, { ...fuelRelease(release), clusters_num: clusters.length, clusters }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
};
const get = (path: string, secret?: string) => call(path, secret === undefined ? {} : { headers: { authorization: `Bearer ${secret}` } });
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  const rules = await call("/api/v1/admin/filtering-rules", {
    method: "PUT",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ "9.0": null, "8.0": null }),
  });
  expect(rules.status).toBe(200);
  // 9.0: 21 installations with one environment, 8 with two, 1 with four erroring on xen.
  for (let i = 0; i < 20; i++) await post(freshUid("one"), "9.0", [cluster(1)]);
  for (let i = 0; i < 8; i++) await post(freshUid("two"), "9.0", [cluster(1), cluster(2)]);
  await post(freshUid("four"), "9.0", [1, 2, 3, 4].map((id) => cluster(id, 3, { status: "error", attributes: { libvirt_type: "xen" } })));
  // One stays on 8.0; one moves from 8.0 to 9.0 today; one runs 6.1, which the rules filter.
  await post(freshUid("stays"), "8.0", [cluster(1)]);
  const upgrader = freshUid("upgrader");
  await post(upgrader, "8.0", [cluster(1)]);
  await post(upgrader, "9.0", [cluster(1)]);
  await post(freshUid("old"), "6.1", [cluster(1)]);
  await runInstallationsRollup(env, { chunkSize: 500, overlapMs: 0, budgetMs: 60_000 });
});

describe("small-cell suppression of the public reports (k = 5)", () => {
  it("withholds the installations report's small cells, and what would give them away", async () => {
    const res = await get("/api/v1/json/report/installations");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, no-cache");
    expect(res.headers.get("vary")).toBe("Authorization");
    expect(await res.json()).toEqual({
      installations: { count: 31, environments_num: { "1": 22, "2": null, "4": null } },
      environments: {
        count: 42,
        operable_envs_count: 42,
        // 42 − 38 would be error's 4: with only two statuses, operational goes too.
        statuses: { operational: null, error: null },
        nodes_num: { "3": 42 },
        hypervisors_num: { kvm: 38, xen: null },
        oses_num: { centos: 42 },
      },
      suppressed: {
        k: 5,
        below_k: ["/installations/environments_num/4", "/environments/statuses/error", "/environments/hypervisors_num/xen"],
        // 31 − 22 = 9 for "2" and "4" together: "4" may be anything from 1 to 4.
        complementary: ["/installations/environments_num/2", "/environments/statuses/operational"],
      },
    });
  });

  it("shows every number to the admin secret, and keeps that answer out of every cache", async () => {
    const res = await get("/api/v1/json/report/installations", ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      installations: { count: 31, environments_num: { "1": 22, "2": 8, "4": 1 } },
      environments: {
        count: 42,
        operable_envs_count: 42,
        statuses: { operational: 38, error: 4 },
        nodes_num: { "3": 42 },
        hypervisors_num: { kvm: 38, xen: 4 },
        oses_num: { centos: 42 },
      },
    });
    expect((await get("/api/v1/json/report/installations", "not-the-secret")).status).toBe(403);
  });

  it("withholds every number of a release that fewer than 5 installations run", async () => {
    const body = await (await get("/api/v1/json/report/installations?release=8.0")).json();
    expect(body).toMatchObject({
      installations: { count: null, environments_num: { "1": null } },
      environments: { count: null, operable_envs_count: null, statuses: { operational: null }, nodes_num: { "3": null } },
    });
    expect((await (await get("/api/v1/json/report/installations?release=8.0", ADMIN_TOKEN)).json<{ installations: { count: number } }>()).installations.count).toBe(1);
  });

  it("withholds a small release in the releases list", async () => {
    expect(await (await get("/api/v1/json/report/releases")).json()).toEqual({
      releases: [
        { release: "9.0", installations: 30 },
        { release: "8.0", installations: null },
      ],
      suppressed: { k: 5, below_k: ["/releases/1/installations"], complementary: [] },
    });
  });

  it("withholds small adoption numbers and upgrades, day by day and over the range", async () => {
    const query = `?from_date=${today}&to_date=${today}`;
    expect(await (await get(`/api/v1/json/report/adoption${query}`)).json()).toEqual({
      from_date: today,
      to_date: today,
      releases: ["9.0", "8.0"],
      days: [{ date: today, installations: { "9.0": 30, "8.0": null } }],
      transitions: [{ from_release: "8.0", to_release: "9.0", installations: null }],
      transitions_by_day: [{ date: today, from_release: "8.0", to_release: "9.0", installations: null }],
      suppressed: {
        k: 5,
        below_k: ["/days/0/installations/8.0", "/transitions_by_day/0/installations", "/transitions/0/installations"],
        complementary: [],
      },
    });
    const admin = await (await get(`/api/v1/json/report/adoption${query}`, ADMIN_TOKEN)).json<{ transitions: { installations: number }[] }>();
    expect(admin.transitions[0]!.installations).toBe(1);
  });

  it("withholds a small count of filtered installations", async () => {
    const body = await (await get("/api/v1/json/report/filtering")).json();
    expect(body).toMatchObject({
      filtered: { count: null, releases: { "6.1": null } },
      suppressed: { k: 5, below_k: ["/filtered/count", "/filtered/releases/6.1"], complementary: [] },
    });
    expect(await (await get("/api/v1/json/report/filtering", ADMIN_TOKEN)).json()).toMatchObject({ filtered: { count: 1, releases: { "6.1": 1 } } });
  });

  it("answers a revalidation of the public answer with 304, and the admin's never from that", async () => {
    const first = await get("/api/v1/json/report/releases");
    const tag = first.headers.get("etag")!;
    const again = await call("/api/v1/json/report/releases", { headers: { "if-none-match": tag } });
    expect(again.status).toBe(304);
    const admin = await call("/api/v1/json/report/releases", { headers: { "if-none-match": tag, authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toEqual({ releases: [{ release: "9.0", installations: 30 }, { release: "8.0", installations: 1 }] });
  });
});
