// Runs with LEGACY_POLICY=quarantine (see vitest.config.ts).
import { describe, expect, it } from "vitest";
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
});
