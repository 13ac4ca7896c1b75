// Runs with LEGACY_POLICY=quarantine (see vitest.config.ts).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runInstallationsRollup } from "../../worker/cron/rollup";
import { readReportRows } from "../../worker/db/reports";
import { reportFromRows } from "../../worker/domain/rollup";
import { adminCall, freshUid, httpRequestLog, installationRows, oswl, postJson, structure, TOKEN_HEADER } from "../worker/helpers";

const trusts = async (uid: string) => {
  const rows = await installationRows(uid);
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.map((r) => r.trust)]));
};

describe("legacy policy quarantine", () => {
  it("stores a legacy sender's data as quarantined, on every endpoint, and issues a token", async () => {
    const uid = freshUid();
    const res = await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) });
    expect(res.status).toBe(201);
    expect(res.headers.get(TOKEN_HEADER)).toMatch(/^[A-Za-z0-9_-]{72}$/);
    await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 1)] });
    await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1)] });
    expect(await trusts(uid)).toEqual({
      installation_structures: ["quarantined"],
      action_logs: ["quarantined"],
      oswl_stats: ["quarantined"],
    });
  });

  it("releases an installation's data when an operator accepts it, and later writes are unverified", async () => {
    const uid = freshUid();
    await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) });
    await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 1)] });
    const accepted = await (await adminCall(`/installations/${uid}/accept`, "POST")).json<{ released_rows: number }>();
    expect(accepted.released_rows).toBe(2);
    await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1)] });
    expect(await trusts(uid)).toEqual({
      installation_structures: ["unverified"],
      action_logs: ["unverified"],
      oswl_stats: ["unverified"],
    });
    expect(await (await adminCall(`/installations/${uid}`)).json()).toMatchObject({ known: true });
  });

  it("does not quarantine a sender that binds with its token", async () => {
    const uid = freshUid();
    const first = await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) });
    const token = first.headers.get(TOKEN_HEADER)!;
    await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) }, { [TOKEN_HEADER]: token });
    expect((await trusts(uid)).installation_structures).toEqual(["verified"]);
  });

  it("keeps a quarantined installation out of the reports until it is accepted", async () => {
    const uid = freshUid();
    const release = `q-${uid}`;
    const installation = structure(uid, { fuel_release: { release, api: "1", feature_groups: [] } });
    await postJson("/api/v1/installation_structure/", { installation_structure: installation });
    const rollUp = () => runInstallationsRollup(env, { chunkSize: 100, overlapMs: 0, budgetMs: 60_000 });
    const count = async () => reportFromRows(await readReportRows(env.ANALYTIC_DB, release)).installations.count;
    await rollUp();
    expect(await count()).toBe(0);
    await adminCall(`/installations/${uid}/accept`, "POST");
    await rollUp();
    expect(await count()).toBe(1);
  });
});
