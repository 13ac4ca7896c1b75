// The row-level exports (docs/privacy.md, "The row-level exports"): every CSV report and the
// all-reports bundle want the admin secret, unless PUBLIC_ROW_EXPORTS makes them public; the
// aggregate reports stay public.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CSV_REPORT_IDS } from "../../schemas/csv";
import { ADMIN_AUTH, call, callUnder, envWith, postJson, resetStorage } from "./helpers";

const PUBLIC = envWith({ PUBLIC_ROW_EXPORTS: "true" });
const bundleCount = async () => (await env.ANALYTIC_DB.prepare("SELECT count(*) AS n FROM bundles").first<{ n: number }>())!.n;

/** A bundle of one day made with the secret (a day per test: the same range would get the same bundle). */
async function madeBundle(day: string): Promise<string> {
  const res = await postJson("/api/v1/exports", { from_date: day, to_date: day }, ADMIN_AUTH);
  expect(res.status).toBe(202);
  return (await res.json<{ id: string }>()).id;
}

async function expectRefused(res: Response) {
  expect(res.status).toBe(403);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await res.json()).toEqual({
    status: "error",
    message:
      'row-level exports require the admin secret: send Authorization: Bearer <ADMIN_TOKEN>, or the operator sets PUBLIC_ROW_EXPORTS = "true" to make them public',
  });
}

// Once: the local Queue goes on making the bundles asked for after a test has ended.
beforeAll(resetStorage);

describe("the row-level exports", () => {
  it("refuse every CSV report and every bundle route without the admin secret: 403 naming the secret and PUBLIC_ROW_EXPORTS", async () => {
    for (const id of CSV_REPORT_IDS) await expectRefused(await call(`/api/v1/csv/${id}`));
    // Before the report is looked at: an unknown one is refused the same.
    await expectRefused(await call("/api/v1/csv/nope"));
    const before = await bundleCount();
    await expectRefused(await postJson("/api/v1/exports", {}));
    expect(await bundleCount()).toBe(before);
    const id = await madeBundle("2026-01-01");
    await expectRefused(await call(`/api/v1/exports/${id}`));
    await expectRefused(await call(`/api/v1/exports/${id}/download`));
  });

  it("serve every CSV report and the bundle routes with the admin secret", async () => {
    for (const id of CSV_REPORT_IDS) {
      const res = await call(`/api/v1/csv/${id}`, { headers: ADMIN_AUTH });
      expect([id, res.status, res.headers.get("content-type")]).toEqual([id, 200, "text/csv; charset=utf-8"]);
      await res.text();
    }
    const id = await madeBundle("2026-01-02");
    expect((await call(`/api/v1/exports/${id}`, { headers: ADMIN_AUTH })).status).toBe(200);
    // Allowed: not found nor refused (409 while it is being made, 200 once done).
    expect([200, 409]).toContain((await call(`/api/v1/exports/${id}/download`, { headers: ADMIN_AUTH })).status);
  });

  it("serve them without the secret under PUBLIC_ROW_EXPORTS=true, and still refuse a wrong secret", async () => {
    for (const id of CSV_REPORT_IDS) {
      const res = await callUnder(PUBLIC, `/api/v1/csv/${id}`);
      expect([id, res.status]).toEqual([id, 200]);
      await res.text();
    }
    const made = await callUnder(PUBLIC, "/api/v1/exports", { method: "POST", body: '{"from_date":"2026-01-03","to_date":"2026-01-03"}' });
    expect(made.status).toBe(202);
    const { id } = await made.json<{ id: string }>();
    expect((await callUnder(PUBLIC, `/api/v1/exports/${id}`)).status).toBe(200);
    expect([200, 409]).toContain((await callUnder(PUBLIC, `/api/v1/exports/${id}/download`)).status);
    const wrong = await callUnder(PUBLIC, "/api/v1/csv/clusters", { headers: { authorization: "Bearer nope" } });
    expect([wrong.status, await wrong.json()]).toEqual([403, { status: "error", message: "the admin token is wrong" }]);
  });

  it("stay closed when the admin API is disabled (no ADMIN_TOKEN), unless PUBLIC_ROW_EXPORTS opens them", async () => {
    const noSecret = envWith({ ADMIN_TOKEN: "" });
    await expectRefused(await callUnder(noSecret, "/api/v1/csv/nodes"));
    const presented = await callUnder(noSecret, "/api/v1/csv/nodes", { headers: ADMIN_AUTH });
    expect(await presented.json()).toEqual({ status: "error", message: "the admin API is disabled: set the ADMIN_TOKEN secret to enable it" });
    const open = await callUnder(envWith({ ADMIN_TOKEN: "", PUBLIC_ROW_EXPORTS: "true" }), "/api/v1/csv/nodes");
    expect(open.status).toBe(200);
    await open.text();
  });

  it("answer 500 while PUBLIC_ROW_EXPORTS holds a value it cannot read, and log the setting", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await callUnder(envWith({ PUBLIC_ROW_EXPORTS: "yes" }), "/api/v1/csv/nodes");
      expect(res.status).toBe(500);
      expect(String(logged.mock.calls.flat().find((a) => a instanceof Error))).toBe('Error: invalid setting PUBLIC_ROW_EXPORTS: expected "true" or "false"');
    } finally {
      logged.mockRestore();
    }
  });

  it("leave the aggregate reports and the coverage public", async () => {
    for (const path of ["/api/v1/json/report/installations", "/api/v1/json/report/releases", "/api/v1/json/report/coverage"]) {
      expect([path, (await call(path)).status]).toEqual([path, 200]);
    }
  });
});
