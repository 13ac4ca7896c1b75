// The reports' caching: an answer is revalidated before every use and dated by the roll-up, so a
// roll-up shows at once; the filtered counts; and paths outside the API that are no page.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { dispatchScheduled } from "../../worker/cron/dispatcher";
import { ADMIN_TOKEN, call, postJson, resetStorage, structure } from "./helpers";

beforeEach(resetStorage);

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const post = async (uid: string, release: string, build_id = "ga") => {
  const res = await postJson("/api/v1/installation_structure/", {
    installation_structure: structure(uid, { fuel_release: { release, build_id, api: "1", feature_groups: [] }, clusters_num: 0, clusters: [] }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
};
const refresh = async () => {
  const res = await call("/api/v1/json/report/installations?refresh=1", { headers: admin });
  expect(res.status).toBe(200);
  return res;
};
const count = async (res: Response) => (await res.json<{ installations: { count: number } }>()).installations.count;

describe("report answers in a cache", () => {
  for (const path of [
    "/api/v1/json/report/installations",
    "/api/v1/json/report/installations?release=9.0",
    "/api/v1/json/report/releases",
    "/api/v1/json/report/adoption",
  ]) {
    it(`are revalidated before each use and change their ETag with a roll-up: ${path}`, async () => {
      await post("cache-a", "9.0");
      await refresh();
      const first = await call(path);
      expect(first.status).toBe(200);
      expect(first.headers.get("cache-control")).toBe("public, no-cache");
      const tag = first.headers.get("etag");
      expect(tag).toMatch(/^"[0-9a-f]+"$/);

      const unchanged = await call(path, { headers: { "if-none-match": tag! } });
      expect(unchanged.status).toBe(304);
      expect(unchanged.headers.get("cache-control")).toBe("public, no-cache");

      await post("cache-b", "9.0");
      await refresh();
      const changed = await call(path, { headers: { "if-none-match": tag! } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get("etag")).not.toBe(tag);
    });
  }

  it("show a refresh roll-up to a client that revalidates its stored answer", async () => {
    const before = await call("/api/v1/json/report/installations");
    expect(await count(before)).toBe(0);
    await post("refresh-a", "9.0");
    await post("refresh-b", "8.0");
    await post("refresh-c", "8.0");
    const fresh = await refresh();
    expect(fresh.headers.get("cache-control")).toBe("no-store");
    const after = await call("/api/v1/json/report/installations", { headers: { "if-none-match": before.headers.get("etag")! } });
    expect(after.status).toBe(200);
    expect(await count(after)).toBe(3);
  });

  it("carry the time of the last roll-up as Last-Modified, also on a 304, and none before any", async () => {
    const never = await call("/api/v1/json/report/installations");
    expect(never.headers.get("last-modified")).toBeNull();

    await post("dated-a", "9.0");
    const start = Math.floor(Date.now() / 1000) * 1000;
    await refresh();
    const dated = await call("/api/v1/json/report/adoption");
    const committed = Date.parse(dated.headers.get("last-modified")!);
    expect(committed).toBeGreaterThanOrEqual(start);
    expect(committed).toBeLessThanOrEqual(Date.now());

    // An hourly run that changes nothing still dates the data: the answer is the same, its time later.
    const at = committed + 5_000;
    await env.ANALYTIC_DB.prepare(
      `INSERT INTO job_runs (job, cron, scheduled_time, started_at, finished_at, status) VALUES ('installations-rollup', '0 * * * *', ?1, ?1, ?1, 'ok')`,
    )
      .bind(at)
      .run();
    const revalidated = await call("/api/v1/json/report/adoption", { headers: { "if-none-match": dated.headers.get("etag")! } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("last-modified")).toBe(new Date(at).toUTCString());
  });

  it("date the data by an hourly run from the cron trigger", async () => {
    await post("cron-a", "9.0");
    const at = Date.now();
    await dispatchScheduled(env, "0 * * * *", at);
    const res = await call("/api/v1/json/report/releases");
    expect(Date.parse(res.headers.get("last-modified")!)).toBeGreaterThanOrEqual(Math.floor(at / 1000) * 1000);
  });
});

describe("collector health", () => {
  it("is dated by the time of its answer, since its counters are not rolled up", async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const res = await call("/api/v1/json/collector/health");
    expect(res.status).toBe(200);
    const at = Date.parse(res.headers.get("last-modified")!);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});

describe("the filtering report", () => {
  it("counts the installations the last roll-up left out, by release, and shows the rules in force", async () => {
    const rules = { "9.0": [{ build_id: "ga" }], "8.0": null };
    const put = await call("/api/v1/admin/filtering-rules", { method: "PUT", headers: admin, body: JSON.stringify(rules) });
    expect(put.status).toBe(200);
    await post("kept-9", "9.0");
    await post("dev-9", "9.0", "dev");
    await post("kept-8", "8.0");
    await post("other-7", "7.0");
    await refresh();

    const res = await call("/api/v1/json/report/filtering");
    expect(res.status).toBe(200);
    const body = await res.json<{ filtered: unknown; rules: unknown; rules_updated_at: string | null }>();
    expect(body.filtered).toEqual({ count: 2, releases: { "9.0": 1, "7.0": 1 } });
    expect(body.rules).toEqual(rules);
    expect(Date.parse(body.rules_updated_at!)).toBeLessThanOrEqual(Date.now());
    expect(await count(await call("/api/v1/json/report/installations"))).toBe(2);
  });

  it("counts nothing and shows empty rules when none were set", async () => {
    await post("plain", "9.0");
    await refresh();
    expect(await (await call("/api/v1/json/report/filtering")).json()).toEqual({
      filtered: { count: 0, releases: {} },
      rules: {},
      rules_updated_at: null,
    });
  });

  it("follows a change of rules after the next roll-up", async () => {
    await post("later-a", "9.0", "dev");
    await refresh();
    const before = await call("/api/v1/json/report/filtering");
    expect(before.headers.get("cache-control")).toBe("public, no-cache");
    expect((await before.json<{ filtered: { count: number } }>()).filtered.count).toBe(0);
    const tag = before.headers.get("etag")!;
    expect((await call("/api/v1/json/report/filtering", { headers: { "if-none-match": tag } })).status).toBe(304);
    await call("/api/v1/admin/filtering-rules", { method: "PUT", headers: admin, body: JSON.stringify({ "9.0": [{ build_id: "ga" }] }) });
    await refresh();
    const after = await call("/api/v1/json/report/filtering", { headers: { "if-none-match": tag } });
    expect(after.status).toBe(200);
    expect((await after.json<{ filtered: { count: number } }>()).filtered.count).toBe(1);
  });
});

describe("paths outside the API", () => {
  it("answer a path that is no page with 404", async () => {
    for (const path of ["/no-such-page", "/adoption/extra", "/Reports", "/contrib/other", "/contribution", "/contrib/reportsx"]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
    }
  });

  it("answer the dashboard's pages as pages, not as a 404", async () => {
    for (const path of ["/adoption", "/reports", "/health/", "/contrib/", "/contrib", "/contrib/reports/", "/contrib/reports/activity", "/contrib/reports/open-reviews/core"]) {
      const res = await call(path);
      // 200 with the built app; 503 naming the missing build when public/ was not built.
      expect([200, 503], path).toContain(res.status);
    }
  });

  it("answer an unknown API path with the JSON error, not the page", async () => {
    const res = await call("/api/v1/json/report/no-such-report");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: "error", message: "no such resource: GET /api/v1/json/report/no-such-report" });
  });
});
