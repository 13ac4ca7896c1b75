import { describe, expect, it } from "vitest";
import { decideIdentity, type IdentityState, ISSUED_TOKEN_TTL_MS, type LegacyPolicy } from "../../worker/domain/identity";

const NOW = 1_800_000_000_000;
const unbound = (presentedIssuedAt: number | null = null, acceptedAt: number | null = null): IdentityState => ({
  boundHash: null,
  acceptedAt,
  presentedIssuedAt,
});
const bound: IdentityState = { boundHash: "h-bound", acceptedAt: null, presentedIssuedAt: null };

describe("decideIdentity for a bound installation", () => {
  it.each<LegacyPolicy>(["allow", "quarantine", "deny"])("accepts the bound token as verified under %s", (policy) => {
    expect(decideIdentity(bound, "h-bound", policy, NOW)).toEqual({ kind: "accept", trust: "verified", bindTo: null, issueToken: false });
  });
  it.each<LegacyPolicy>(["allow", "quarantine", "deny"])("refuses a write without a token under %s, issuing none", (policy) => {
    expect(decideIdentity(bound, null, policy, NOW)).toMatchObject({ kind: "reject", reason: "token_required", issueToken: false });
  });
  it("refuses a wrong token, even one it once issued", () => {
    const state = { ...bound, presentedIssuedAt: NOW - 1000 };
    expect(decideIdentity(state, "h-old", "allow", NOW)).toMatchObject({ kind: "reject", reason: "token_wrong" });
  });
});

describe("decideIdentity for an unbound installation", () => {
  it("binds to a token it issued, as verified, whatever the policy", () => {
    for (const policy of ["allow", "quarantine", "deny"] as const) {
      expect(decideIdentity(unbound(NOW - 1000), "h1", policy, NOW)).toEqual({
        kind: "accept",
        trust: "verified",
        bindTo: "h1",
        issueToken: false,
      });
    }
  });
  it("refuses a token it issued more than 7 days ago", () => {
    const state = unbound(NOW - ISSUED_TOKEN_TTL_MS);
    expect(decideIdentity(state, "h1", "allow", NOW)).toMatchObject({ kind: "reject", reason: "token_unknown", issueToken: false });
    const fresh = unbound(NOW - ISSUED_TOKEN_TTL_MS + 1);
    expect(decideIdentity(fresh, "h1", "allow", NOW)).toMatchObject({ kind: "accept", bindTo: "h1" });
  });
  it("refuses a token it never issued", () => {
    expect(decideIdentity(unbound(), "h-forged", "allow", NOW)).toMatchObject({ kind: "reject", reason: "token_unknown" });
  });
  it("accepts a legacy write as unverified under allow, issuing a token", () => {
    expect(decideIdentity(unbound(), null, "allow", NOW)).toEqual({ kind: "accept", trust: "unverified", bindTo: null, issueToken: true });
  });
  it("accepts a legacy write as quarantined under quarantine until an operator accepted it", () => {
    expect(decideIdentity(unbound(), null, "quarantine", NOW)).toMatchObject({ kind: "accept", trust: "quarantined", issueToken: true });
    expect(decideIdentity(unbound(null, NOW - 5), null, "quarantine", NOW)).toMatchObject({ kind: "accept", trust: "unverified" });
  });
  it("refuses a legacy write under deny, with a token to enrol", () => {
    expect(decideIdentity(unbound(), null, "deny", NOW)).toMatchObject({ kind: "reject", reason: "legacy_denied", issueToken: true });
  });
});
