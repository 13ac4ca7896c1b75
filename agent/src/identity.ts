// Identity: the installation token the collector issues is kept and presented on every write
// (docs/security.md). The first accepted write that presents it binds the installation to it.
import type { z } from "zod";
import { type CollectorClient, CollectorError } from "./client";
import type { StoredToken } from "./outbox";

export interface TokenStore {
  get(): StoredToken | null;
  set(token: StoredToken | null): void;
}

/** The collector refused this installation's identity (403): nothing of that request was stored. */
export class IdentityError extends Error {
  constructor(
    readonly masterNodeUid: string,
    readonly collectorMessage: string,
    readonly presentedToken: boolean,
  ) {
    super(
      presentedToken
        ? `token mismatch: the collector refused the installation token of master_node_uid ${masterNodeUid} ` +
            `(403: ${collectorMessage}). The installation is bound to another token: if an operator rotated it, ` +
            "store the new one with `edgestats-agent token set <token>`; if this outbox was copied from another " +
            "installation, give this one its own masterNodeUid; or ask the collector's operator to clear the " +
            "binding so that this agent binds afresh. Nothing was marked sent."
        : `the collector refused master_node_uid ${masterNodeUid} (403: ${collectorMessage}). The installation ` +
            "is bound to a token this agent does not hold: store it with `edgestats-agent token set <token>`, or " +
            "ask the collector's operator to clear the binding. Nothing was marked sent.",
    );
    this.name = "IdentityError";
  }
}

/**
 * POSTs one write and returns the collector's parsed answer. Keeps the token up to date: a token
 * that comes with an answer is stored, and the next write presents it and so binds. A token that
 * never bound (expired, or issued by a collector whose state was reset) is dropped once and the
 * write retried without it; a refused token that had bound is a mismatch for the operator.
 */
export async function sendWrite<S extends z.ZodType>(
  client: CollectorClient,
  tokens: TokenStore,
  uid: string,
  path: string,
  body: unknown,
  schema: S,
): Promise<z.output<S>> {
  for (let attempt = 0; ; attempt++) {
    const token = tokens.get();
    const response = await client.post(path, body, uid, token?.value ?? null);
    const json = response.json ?? {};
    if (response.status === 200 || response.status === 201) {
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new CollectorError("protocol", `${path}: an answer that does not follow the protocol`, response.status);
      const issued = typeof json.installation_token === "string" ? json.installation_token : null;
      if (token && !token.bound) tokens.set({ value: token.value, bound: true });
      else if (!token && issued) tokens.set({ value: issued, bound: false });
      return parsed.data;
    }
    const message = typeof json.message === "string" ? json.message : `HTTP ${response.status}`;
    if (response.status === 403) {
      const issued = typeof json.installation_token === "string" ? json.installation_token : null;
      if (attempt === 0 && token && !token.bound) {
        tokens.set(null);
        continue;
      }
      if (attempt === 0 && !token && issued) {
        tokens.set({ value: issued, bound: false });
        continue;
      }
      throw new IdentityError(uid, message, token !== null);
    }
    if (response.status === 429) {
      throw new CollectorError("rate", `${path}: rate limited: ${message}`, 429, response.retryAfterSeconds);
    }
    throw new CollectorError("http", `${path}: ${response.status} ${message}`, response.status, response.retryAfterSeconds);
  }
}
