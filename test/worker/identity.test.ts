import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Installation } from "../../worker/durable/installation";
import {
  adminCall,
  freshUid,
  httpRequestLog,
  installationRows,
  oswl,
  postJson,
  structure,
  TOKEN_HEADER,
} from "./helpers";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const postStructure = (uid: string, token?: string, extra: Record<string, unknown> = {}) =>
  postJson("/api/v1/installation_structure/", { installation_structure: structure(uid, extra) }, token ? { [TOKEN_HEADER]: token } : {});
const tokenOf = async (res: Response) => {
  const body = await res.json<{ installation_token?: string }>();
  expect(res.headers.get(TOKEN_HEADER)).toBe(body.installation_token ?? null);
  return body.installation_token;
};
const trustOf = async (uid: string) =>
  (await env.COLLECTOR_DB.prepare("SELECT trust FROM installation_structures WHERE master_node_uid = ?").bind(uid).first<{ trust: string }>())!.trust;

/** An installation bound to a token, as a token-aware sender leaves it after two writes. */
async function boundInstallation() {
  const uid = freshUid("bound");
  const token = (await tokenOf(await postStructure(uid)))!;
  const res = await postStructure(uid, token);
  expect(res.status).toBe(200);
  expect(await tokenOf(res)).toBeUndefined();
  return { uid, token };
}

describe("installation identity (legacy policy allow)", () => {
  it("returns a fresh 256-bit token in the body and the header with every write while unbound", async () => {
    const uid = freshUid();
    const first = await tokenOf(await postStructure(uid));
    const second = await tokenOf(await postStructure(uid));
    expect(first).toMatch(TOKEN_PATTERN);
    expect(second).toMatch(TOKEN_PATTERN);
    expect(second).not.toBe(first);
    expect(await trustOf(uid)).toBe("unverified");
  });

  it("keeps only hashes of the tokens it issues", async () => {
    const uid = freshUid();
    const token = (await tokenOf(await postStructure(uid)))!;
    const stored = await runInDurableObject(env.INSTALLATION.get(env.INSTALLATION.idFromName(uid)), (_: Installation, state) =>
      state.storage.sql.exec<{ hash: string }>("SELECT hash FROM issued_tokens").toArray().map((r) => r.hash),
    );
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(stored).toEqual([hex]);
    expect(stored).not.toContain(token);
  });

  it("binds on the first write presenting an issued token, which is then verified", async () => {
    const { uid } = await boundInstallation();
    expect(await trustOf(uid)).toBe("verified");
    const view = await (await adminCall(`/installations/${uid}`)).json<{ bound: boolean; pendingTokens: number }>();
    expect(view).toMatchObject({ bound: true, pendingTokens: 0 });
  });

  it("answers 403 to a bound installation written without its token, and changes nothing", async () => {
    const { uid } = await boundInstallation();
    const before = await installationRows(uid);
    const res = await postStructure(uid, undefined, { clusters_num: 99 });
    expect(res.status).toBe(403);
    const body = await res.json<{ status: string; message: string; installation_token?: string }>();
    expect(body).toMatchObject({ status: "error" });
    expect(body.message).toContain("X-Installation-Token");
    expect(body.installation_token).toBeUndefined();
    expect(await installationRows(uid)).toEqual(before);
  });

  it("answers 403 to a bound installation written with a wrong token, on every endpoint, and changes nothing", async () => {
    const { uid } = await boundInstallation();
    const before = await installationRows(uid);
    const wrong = { [TOKEN_HEADER]: "A".repeat(43) };
    for (const [path, body] of [
      ["/api/v1/installation_structure/", { installation_structure: structure(uid, { clusters_num: 99 }) }],
      ["/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 1)] }],
      ["/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1)] }],
    ] as const) {
      const res = await postJson(path, body, wrong);
      expect(res.status, path).toBe(403);
      expect((await res.json<{ message: string }>()).message).toContain("does not match");
    }
    expect(await installationRows(uid)).toEqual(before);
  });

  it("accepts a bound installation's writes with the right token, on every endpoint", async () => {
    const { uid, token } = await boundInstallation();
    const headers = { [TOKEN_HEADER]: token };
    expect((await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 1)] }, headers)).status).toBe(200);
    expect((await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1)] }, headers)).status).toBe(200);
    const rows = await installationRows(uid);
    expect(rows.action_logs).toMatchObject([{ trust: "verified" }]);
    expect(rows.oswl_stats).toMatchObject([{ trust: "verified" }]);
  });

  it("refuses a token the installation never issued, and one that expired unused", async () => {
    const uid = freshUid();
    expect((await postStructure(uid, "B".repeat(43))).status).toBe(403);
    const token = (await tokenOf(await postStructure(uid)))!;
    await runInDurableObject(env.INSTALLATION.get(env.INSTALLATION.idFromName(uid)), (_: Installation, state) => {
      state.storage.sql.exec("UPDATE issued_tokens SET issued_at = issued_at - ?", 7 * 24 * 3600 * 1000);
    });
    const res = await postStructure(uid, token);
    expect(res.status).toBe(403);
    expect((await res.json<{ message: string }>()).message).toContain("expired");
  });

  it("keeps the 16 newest pending tokens of a legacy sender, the newest of which still binds", async () => {
    const uid = freshUid();
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push((await tokenOf(await postStructure(uid)))!);
    expect(await (await adminCall(`/installations/${uid}`)).json()).toMatchObject({ pendingTokens: 16 });
    expect((await postStructure(uid, tokens[0])).status).toBe(403);
    expect((await postStructure(uid, tokens[19])).status).toBe(200);
  });

  it("treats a malformed token header like any wrong token", async () => {
    const { uid } = await boundInstallation();
    expect((await postStructure(uid, "not a token")).status).toBe(403);
  });
});

describe("the admin API", () => {
  it("answers no route without the secret: 401 without it, 403 with a wrong one", async () => {
    const uid = freshUid();
    for (const [path, method] of [
      [`/installations/${uid}`, "GET"],
      [`/installations/${uid}/token`, "POST"],
      [`/installations/${uid}/token`, "DELETE"],
      [`/installations/${uid}/accept`, "POST"],
      ["/anything", "GET"],
    ] as const) {
      const missing = await adminCall(path, method, null);
      expect(missing.status, `${method} ${path}`).toBe(401);
      expect(missing.headers.get("www-authenticate")).toBe("Bearer");
      expect((await adminCall(path, method, "wrong")).status, `${method} ${path}`).toBe(403);
      expect((await adminCall(path, method, "test-admin-token-012345678")).status).toBe(403);
    }
    const view = await adminCall(`/installations/${uid}`);
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({ master_node_uid: uid, known: false, bound: false });
  });

  it("rotates a binding: the old token is refused, the new one accepted", async () => {
    const { uid, token } = await boundInstallation();
    const rotated = await (await adminCall(`/installations/${uid}/token`, "POST")).json<{ installation_token: string }>();
    expect(rotated.installation_token).toMatch(TOKEN_PATTERN);
    expect(rotated.installation_token).not.toBe(token);
    expect((await postStructure(uid, token)).status).toBe(403);
    expect((await postStructure(uid, rotated.installation_token)).status).toBe(200);
  });

  it("clears a binding: the installation is unbound again and the next write may bind it afresh", async () => {
    const { uid, token } = await boundInstallation();
    const cleared = await adminCall(`/installations/${uid}/token`, "DELETE");
    expect(await cleared.json()).toMatchObject({ bound: false });
    expect((await postStructure(uid, token)).status).toBe(403);
    const legacy = await postStructure(uid);
    expect(legacy.status).toBe(200);
    const fresh = (await tokenOf(legacy))!;
    expect((await postStructure(uid, fresh)).status).toBe(200);
    expect(await (await adminCall(`/installations/${uid}`)).json()).toMatchObject({ bound: true });
  });
});
