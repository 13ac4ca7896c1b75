import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { importTokenKey, issueInstallationToken } from "../../worker/crypto";
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

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{72}$/;
const WEEK_MS = 7 * 24 * 3600 * 1000;
const objectOf = (uid: string) => env.INSTALLATION.get(env.INSTALLATION.idFromName(uid));
/** Every row of every table in the object's storage, as text, to search for a token in. */
const objectStorageText = (uid: string) =>
  runInDurableObject(objectOf(uid), (_: Installation, state) => {
    const sql = state.storage.sql;
    const tables = sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray();
    return JSON.stringify(
      tables.map(({ name }) =>
        sql
          .exec(`SELECT * FROM "${name}"`)
          .toArray()
          .map((row) => Object.values(row).map((v) => (v instanceof ArrayBuffer ? btoa(String.fromCharCode(...new Uint8Array(v))) : v))),
      ),
    );
  });
/** A token signed with the installation's own key but issued at `issuedAt`. */
const tokenIssuedAt = (uid: string, issuedAt: number) =>
  runInDurableObject(objectOf(uid), async (_: Installation, state) => {
    const { key } = state.storage.sql.exec<{ key: ArrayBuffer }>("SELECT key FROM token_key").one();
    return issueInstallationToken(await importTokenKey(new Uint8Array(key)), issuedAt);
  });
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

  it("stores no token it issues, and once bound only the token's hash", async () => {
    const uid = freshUid();
    const issued = [(await tokenOf(await postStructure(uid)))!, (await tokenOf(await postStructure(uid)))!];
    for (const token of issued) expect(await objectStorageText(uid)).not.toContain(token);
    expect((await postStructure(uid, issued[1])).status).toBe(200);
    const stored = await objectStorageText(uid);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(issued[1]));
    expect(stored).toContain([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""));
    expect(stored).not.toContain(issued[1]);
  });

  it("binds on the first write presenting an issued token, which is then verified", async () => {
    const { uid } = await boundInstallation();
    expect(await trustOf(uid)).toBe("verified");
    const view = await (await adminCall(`/installations/${uid}`)).json<{ bound: boolean; issuingSince: string | null }>();
    expect(view).toMatchObject({ bound: true, issuingSince: null });
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

  it("refuses a token the installation never issued, an altered one, and one that expired unused", async () => {
    const uid = freshUid();
    expect((await postStructure(uid, "B".repeat(72))).status).toBe(403);
    const token = (await tokenOf(await postStructure(uid)))!;
    // Another installation's token, and this one's with one bit of its random part flipped.
    const other = (await tokenOf(await postStructure(freshUid())))!;
    const flipped = (token[0] === "A" ? "B" : "A") + token.slice(1);
    for (const bad of [other, flipped]) {
      const res = await postStructure(uid, bad);
      expect(res.status).toBe(403);
      expect((await res.json<{ message: string }>()).message).toContain("was not issued for this installation");
    }
    const expired = await tokenIssuedAt(uid, Date.now() - WEEK_MS);
    const res = await postStructure(uid, expired);
    expect(res.status).toBe(403);
    expect((await res.json<{ message: string }>()).message).toContain("expired");
    expect(await trustOf(uid)).toBe("unverified");
    // Signed the same way and a minute younger than the limit, it binds.
    expect((await postStructure(uid, await tokenIssuedAt(uid, Date.now() - WEEK_MS + 60_000))).status).toBe(200);
  });

  it("binds with any token issued in the last 7 days, and voids the others when it does", async () => {
    const uid = freshUid();
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push((await tokenOf(await postStructure(uid)))!);
    expect(new Set(tokens).size).toBe(20);
    const view = await (await adminCall(`/installations/${uid}`)).json<{ bound: boolean; issuingSince: string }>();
    expect(view.bound).toBe(false);
    expect(Date.parse(view.issuingSince)).toBeLessThanOrEqual(Date.now());
    expect((await postStructure(uid, tokens[3])).status).toBe(200);
    expect((await postStructure(uid, tokens[19])).status).toBe(403);
    expect((await postStructure(uid, tokens[3])).status).toBe(200);
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

  it("makes no storage for an installation it is only asked about, and all of it with the first write", async () => {
    const uid = freshUid();
    const tables = () =>
      runInDurableObject(objectOf(uid), (_: Installation, state) =>
        state.storage.sql
          .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> '_cf_KV' ORDER BY name")
          .toArray()
          .map((r) => r.name),
      );
    expect(await (await adminCall(`/installations/${uid}`)).json()).toMatchObject({ known: false, issuingSince: null });
    expect(await tables()).toEqual([]);
    const first = await postStructure(uid);
    expect(first.status).toBe(201);
    expect(await tables()).toEqual(["action_log_keys", "action_log_ranges", "identity", "quota_windows", "schema_migrations", "token_key"]);
    // The first write's identity and the key of the token it answered with were stored: that token binds.
    const token = (await tokenOf(first))!;
    expect(await (await adminCall(`/installations/${uid}`)).json()).toMatchObject({ known: true, bound: false });
    expect((await postStructure(uid, token)).status).toBe(200);
    expect(await (await adminCall(`/installations/${uid}`)).json()).toMatchObject({ known: true, bound: true });
  });

  it("answers the identity's times in ISO 8601, as the rest of the API does", async () => {
    const before = new Date().toISOString();
    const { uid } = await boundInstallation();
    const view = await (await adminCall(`/installations/${uid}`)).json<Record<string, unknown>>();
    const after = new Date().toISOString();
    const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    expect(view).toMatchObject({ known: true, bound: true, acceptedAt: null, issuingSince: null });
    for (const field of ["boundAt", "firstSeen", "lastSeen"]) {
      expect(view[field], field).toMatch(isoUtc);
      expect((view[field] as string) >= before && (view[field] as string) <= after, field).toBe(true);
    }
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
