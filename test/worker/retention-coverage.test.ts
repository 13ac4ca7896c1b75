// Which days the CSV exports and the JSON reports can still cover once raw rows are deleted after
// RETENTION_DAYS (docs/operations.md, "Retention"; docs/csv.md).
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { CSV_REPORT_IDS } from "../../schemas/csv";
import { CoverageReportSchema } from "../../schemas/reports";
import { addDays, dayOf } from "../../worker/domain/days";
import worker from "../../worker/index";
import { ADMIN_AUTH, call, callUnder, envWith, freshUid, oswl, postJson, resetStorage, structure } from "./helpers";

const RETAINED = envWith({ RETENTION_DAYS: "30" });

/** A GET through the Worker's entry, under the given env, with the admin secret (the CSV reports want it). */
const get = (path: string, on: Env = env) => callUnder(on, path, { headers: ADMIN_AUTH });

const today = () => dayOf(Date.now());
const keptFrom = () => addDays(today(), -30);

beforeEach(resetStorage);

describe("GET /api/v1/json/report/coverage", () => {
  it("says every day is covered while retention is off", async () => {
    const res = await call("/api/v1/json/report/coverage");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, no-cache");
    const body = CoverageReportSchema.parse(await res.json());
    expect(body).toEqual({
      retention_days: null,
      raw_rows_from: null,
      csv: Object.fromEntries(CSV_REPORT_IDS.map((id) => [id, null])),
      reports: { installations: null, releases: null, adoption: null, filtering: null },
    });
  });

  it("names the first kept day, and the CSV reports that read raw rows, under RETENTION_DAYS", async () => {
    const res = await get("/api/v1/json/report/coverage", RETAINED);
    expect(res.status).toBe(200);
    const from = keptFrom();
    expect(CoverageReportSchema.parse(await res.json())).toEqual({
      retention_days: 30,
      raw_rows_from: from,
      csv: { clusters: from, nodes: null, plugins: null, vm: from, flavor: from, volume: from, image: from, tenant: from, keystone_user: from },
      reports: { installations: null, releases: null, adoption: null, filtering: null },
    });
  });
});

describe("the CSV exports under retention", () => {
  it("answer a range that starts before the first kept day with 200 and a note that says what is incomplete", async () => {
    const from = keptFrom();
    const early = addDays(from, -10);
    const res = await get(`/api/v1/csv/vm?from_date=${early}&to_date=${today()}`, RETAINED);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-raw-rows-from")).toBe(from);
    expect(res.headers.get("x-coverage-note")).toBe(
      `raw rows are kept for 30 days: from ${from}; from_date ${early} is earlier, so the vm rows of the days before ${from} are incomplete or missing`,
    );
    const clusters = await get(`/api/v1/csv/clusters?from_date=${early}`, RETAINED);
    expect(clusters.headers.get("x-coverage-note")).toContain("verify_networks_status values (from action logs)");
    // The default range (90 days) starts before 30 days: still an answer, with the note.
    const byDefault = await get("/api/v1/csv/tenant", RETAINED);
    expect(byDefault.status).toBe(200);
    expect(byDefault.headers.get("x-coverage-note")).toContain(`from_date ${addDays(today(), -90)} is earlier`);
    await Promise.all([res, clusters, byDefault].map((r) => r.text()));
  });

  it("carry no note for a range from the first kept day on, nor for the reports of structures alone, nor with retention off", async () => {
    const from = keptFrom();
    const covered = await get(`/api/v1/csv/vm?from_date=${from}`, RETAINED);
    expect(covered.headers.get("x-raw-rows-from")).toBe(from);
    expect(covered.headers.has("x-coverage-note")).toBe(false);
    for (const report of ["nodes", "plugins"]) {
      const res = await get(`/api/v1/csv/${report}?from_date=2016-01-01`, RETAINED);
      expect([res.status, res.headers.has("x-raw-rows-from"), res.headers.has("x-coverage-note")]).toEqual([200, false, false]);
      await res.text();
    }
    const off = await get("/api/v1/csv/vm?from_date=2016-01-01");
    expect([off.status, off.headers.has("x-raw-rows-from"), off.headers.has("x-coverage-note")]).toEqual([200, false, false]);
    await Promise.all([covered.text(), off.text()]);
  });

  it("give the same file for a range from the first kept day before and after the job deletes the older rows", async () => {
    const uid = freshUid("cov");
    const res = await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) });
    expect(res.status).toBe(201);
    const days = [-45, -31, -30, -29, -3, 0].map((d) => addDays(today(), d));
    const stats = days.map((day, i) =>
      oswl(uid, i + 1, { created_date: day, resource_checksum: `c${i}`, resource_data: { added: [], current: [{ id: `vm-${i}`, status: "up" }], removed: [], modified: [] } }),
    );
    expect((await postJson("/api/v1/oswl_stats/", { oswl_stats: stats })).status).toBe(200);
    const csvOf = async (fromDate: string) => (await get(`/api/v1/csv/vm?from_date=${fromDate}&to_date=${today()}`, RETAINED)).text();
    const [coveredBefore, earlierBefore] = [await csvOf(keptFrom()), await csvOf(days[0]!)];

    // The hourly Cron Trigger, as the platform runs it (the handler awaits its jobs).
    await worker.scheduled!(createScheduledController({ cron: "0 * * * *", scheduledTime: Date.now() }), RETAINED);

    expect(await csvOf(keptFrom())).toBe(coveredBefore);
    expect(coveredBefore.split("\r\n").filter((l) => l.includes("vm-")).length).toBeGreaterThan(0);
    expect(coveredBefore).not.toContain("vm-1,");
    // Before the first kept day the file changed: the deleted days are gone.
    const earlierAfter = await csvOf(days[0]!);
    expect(earlierAfter).not.toBe(earlierBefore);
    expect(earlierBefore).toContain(days[0]);
    expect(earlierAfter).not.toContain(`,${days[0]},`);
  });
});
