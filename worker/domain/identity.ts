// Who may write for an installation. The master_node_uid travels in every request, so it names an
// installation but proves nothing; a token the installation's object issued, presented back, does.

export type LegacyPolicy = "allow" | "quarantine" | "deny";
export const LEGACY_POLICIES: readonly LegacyPolicy[] = ["allow", "quarantine", "deny"];

/** How far stored data can be trusted. Quarantined data stays out of reports until accepted. */
export type Trust = "verified" | "unverified" | "quarantined";

/** An issued token that nobody used to bind expires after this long. */
export const ISSUED_TOKEN_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface IdentityState {
  /** SHA-256 (hex) of the token the installation is bound to, or null while unbound. */
  boundHash: string | null;
  /** When an operator accepted this installation's data (the quarantine policy). */
  acceptedAt: number | null;
  /** When this installation issued the token presented now (its MAC checked out under the
   * installation's current key); null if it never did, none was presented, or the key changed. */
  presentedIssuedAt: number | null;
}

export type IdentityRejection = "token_required" | "token_wrong" | "token_unknown" | "legacy_denied";

export type IdentityDecision =
  | { kind: "accept"; trust: Trust; bindTo: string | null; issueToken: boolean }
  | { kind: "reject"; reason: IdentityRejection; message: string; issueToken: boolean };

/**
 * Decides whether a write may proceed. `presentedHash` is the hash of the request's
 * X-Installation-Token header, or null without one.
 */
export function decideIdentity(
  state: IdentityState,
  presentedHash: string | null,
  policy: LegacyPolicy,
  now: number,
): IdentityDecision {
  if (state.boundHash !== null) {
    if (presentedHash === state.boundHash) return { kind: "accept", trust: "verified", bindTo: null, issueToken: false };
    return presentedHash === null
      ? reject("token_required", "this installation is bound to a token: send it in the X-Installation-Token header")
      : reject("token_wrong", "X-Installation-Token does not match the token this installation is bound to");
  }
  if (presentedHash !== null) {
    if (state.presentedIssuedAt !== null && now - state.presentedIssuedAt < ISSUED_TOKEN_TTL_MS) {
      return { kind: "accept", trust: "verified", bindTo: presentedHash, issueToken: false };
    }
    return reject(
      "token_unknown",
      "X-Installation-Token was not issued for this installation or has expired: send the request without it to receive a new one",
    );
  }
  switch (policy) {
    case "allow":
      return { kind: "accept", trust: "unverified", bindTo: null, issueToken: true };
    case "quarantine":
      return { kind: "accept", trust: state.acceptedAt === null ? "quarantined" : "unverified", bindTo: null, issueToken: true };
    case "deny":
      // The refusal still carries a token, so a sender that understands tokens can enrol with its
      // next request; one that ignores them stays out.
      return {
        kind: "reject",
        reason: "legacy_denied",
        message: "this collector accepts only senders that present X-Installation-Token: resend with the installation_token of this response",
        issueToken: true,
      };
  }
}

function reject(reason: IdentityRejection, message: string): IdentityDecision {
  return { kind: "reject", reason, message, issueToken: false };
}

export type DeletionRefusal = "token_required" | "not_bound" | "token_wrong";

/**
 * Whether a request may delete everything stored about an installation. Only the token the
 * installation is bound to proves it: a token merely issued to an unbound installation does not,
 * since anyone who posts for that uid gets one. An operator uses the admin API instead.
 */
export function decideDeletion(
  boundHash: string | null,
  presentedHash: string | null,
): { allowed: true } | { allowed: false; reason: DeletionRefusal; message: string } {
  if (presentedHash === null) {
    return refuse(
      "token_required",
      "deleting an installation needs its token in the X-Installation-Token header; without one, the collector's operator can delete it through the admin API",
    );
  }
  if (boundHash === null) {
    return refuse(
      "not_bound",
      "this installation is not bound to a token (it never presented one back, or nothing is stored for it), so no token proves it: ask the collector's operator to delete it through the admin API",
    );
  }
  if (presentedHash !== boundHash) {
    return refuse("token_wrong", "X-Installation-Token does not match the token this installation is bound to; nothing was deleted");
  }
  return { allowed: true };
}

function refuse(reason: DeletionRefusal, message: string) {
  return { allowed: false as const, reason, message };
}
