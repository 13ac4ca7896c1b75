// Runs with LEGACY_POLICY=deny, 5 requests per minute, 50 records per day, 3 new installations
// per hour per address, and no ADMIN_TOKEN (see vitest.config.ts).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/crypto";
import type { AddressQuota } from "../../worker/durable/address-quota";
import { adminCall, count, freshUid, httpRequestLog, installationRows, postJson, structure, TOKEN_HEADER } from "../worker/helpers";

let addressSeq = 0;
const freshAddress = () => `198.51.100.${++addressSeq}`;

const postStructure = (uid: string, headers: Record<string, string>) =>
  postJson("/api/v1/installation_structure/", { installation_structure: structure(uid) }, headers);

/** Enrols under deny: the refusal carries a token, and the resent write binds with it. */
async function enrol(address: string) {
  const uid = freshUid();
  const refused = await postStructure(uid, { "cf-connecting-ip": address });
  expect(refused.status).toBe(403);
  const { installation_token: token } = await refused.json<{ installation_token: string }>();
  const headers = { "cf-connecting-ip": address, [TOKEN_HEADER]: token };
  expect((await postStructure(uid, headers)).status).toBe(201);
  return { uid, headers };
}

/** Runs `burst` again if it straddled a window boundary, which would reset the count midway. */
async function withinOneWindow(periodMs: number, burst: () => Promise<void>) {
  for (let attempt = 0; ; attempt++) {
    const window = Math.floor(Date.now() / periodMs);
    try {
      await burst();
      return;
    } catch (error) {
      if (attempt > 0 || Math.floor(Date.now() / periodMs) === window) throw error;
    }
  }
}

describe("legacy policy deny", () => {
  it("refuses a write without a token with 403, storing nothing, but hands out a token to enrol with", async () => {
    const uid = freshUid();
    const res = await postStructure(uid, { "cf-connecting-ip": freshAddress() });
    expect(res.status).toBe(403);
    const body = await res.json<{ status: string; message: string; installation_token: string }>();
    expect(body.status).toBe("error");
    expect(body.message).toContain("X-Installation-Token");
    expect(res.headers.get(TOKEN_HEADER)).toBe(body.installation_token);
    expect(await count("installation_structures", uid)).toBe(0);
  });

  it("accepts the write resent with that token, bound and verified", async () => {
    const { uid, headers } = await enrol(freshAddress());
    const rows = await installationRows(uid);
    expect(rows.installation_structures).toMatchObject([{ trust: "verified" }]);
    const { [TOKEN_HEADER]: _, ...withoutToken } = headers;
    expect((await postStructure(uid, withoutToken)).status).toBe(403);
  });
});

describe("per-installation limits", () => {
  it("answers the 6th request in a minute with 429 and Retry-After, storing nothing", async () => {
    await withinOneWindow(60_000, async () => {
      const { uid, headers } = await enrol(freshAddress()); // 1 request counted
      for (let i = 0; i < 4; i++) expect((await postStructure(uid, headers)).status).toBe(200);
      const before = await installationRows(uid);
      const res = await postJson("/api/v1/action_logs/", { action_logs: [httpRequestLog(uid, 1)] }, headers);
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await res.json<{ message: string }>()).message).toBe("more than 5 requests per minute for this installation");
      expect(await installationRows(uid)).toEqual(before);
    });
  });

  it("answers records past 50 a day with 429, taking none of that request", async () => {
    await withinOneWindow(86_400_000, async () => {
      const { uid, headers } = await enrol(freshAddress()); // 1 record
      const logs = (from: number, n: number) => Array.from({ length: n }, (_, i) => httpRequestLog(uid, from + i));
      expect((await postJson("/api/v1/action_logs/", { action_logs: logs(1, 40) }, headers)).status).toBe(200);
      const res = await postJson("/api/v1/action_logs/", { action_logs: logs(41, 10) }, headers);
      expect(res.status).toBe(429);
      expect((await res.json<{ message: string }>()).message).toBe("more than 50 records per day for this installation");
      const secondsToMidnight = (Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1) - Date.now()) / 1000;
      expect(Math.abs(Number(res.headers.get("retry-after")) - secondsToMidnight)).toBeLessThan(5);
      expect(await count("action_logs", uid)).toBe(40);
      expect((await postJson("/api/v1/action_logs/", { action_logs: logs(41, 9) }, headers)).status).toBe(200);
    });
  });
});

describe("per-address limit on new installations", () => {
  it("lets an address create 3 installations an hour, then answers 429, while others and known ones go on", async () => {
    await withinOneWindow(3_600_000, async () => {
      const address = freshAddress();
      const known = await enrol(address);
      await enrol(address);
      await enrol(address);
      const res = await postStructure(freshUid(), { "cf-connecting-ip": address });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await res.json<{ message: string }>()).message).toBe("more than 3 new installations per hour from this client address");
      expect((await postStructure(known.uid, known.headers)).status).toBe(200);
      expect((await postStructure(freshUid(), { "cf-connecting-ip": freshAddress() })).status).toBe(403);
      // Under a limit this small every admission is written through: a restarted object counts on.
      const quota = env.ADDRESS_QUOTA.get(env.ADDRESS_QUOTA.idFromName(await sha256Hex(`address:${address}`)));
      const stored = await runInDurableObject(quota, (_: AddressQuota, state) =>
        state.storage.sql.exec<{ used: number }>("SELECT used FROM quota_windows WHERE name = 'new_installations'").one(),
      );
      expect(stored.used).toBe(3);
    });
  });
});

describe("the admin API without ADMIN_TOKEN", () => {
  it("is disabled, whatever is presented", async () => {
    for (const token of [null, "", "anything"]) {
      const res = await adminCall(`/installations/${freshUid()}`, "GET", token);
      expect(res.status).toBeGreaterThanOrEqual(401);
      expect(res.status).toBeLessThanOrEqual(403);
      expect((await res.json<{ message: string }>()).message).toContain("disabled");
    }
  });
});
