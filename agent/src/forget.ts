// `edgestats-agent forget`: asks the collector to delete everything it holds of this installation
// (DELETE /api/v1/installation, docs/privacy.md), proving it with the installation's bound token.
// It is a request about data already sent, not telemetry, so it goes whatever the consent says.
import { type DeletionReceipt, DeletionReceiptSchema } from "../../schemas/collector";
import { type CollectorClient, CollectorError } from "./client";
import type { Outbox } from "./outbox";

export type ForgetResult =
  | { outcome: "deleted"; receipt: DeletionReceipt }
  /** The collector refused (403), or the agent holds no token to prove the installation with. */
  | { outcome: "refused"; master_node_uid: string; reason: string; message: string };

/**
 * Sends the deletion and, once the collector confirms it, forgets the token (the collector has
 * forgotten it too: the next write is a first contact and is issued a new one). Throws a
 * CollectorError when the collector cannot be reached or answers otherwise.
 */
export async function forgetInstallation(outbox: Outbox, client: CollectorClient, configuredUid?: string): Promise<ForgetResult> {
  const uid = outbox.masterNodeUid(configuredUid);
  const token = outbox.token();
  if (token === null) {
    return {
      outcome: "refused",
      master_node_uid: uid,
      reason: "no_token",
      message:
        `this agent holds no installation token for master_node_uid ${uid}, so it cannot prove the installation: ` +
        `ask the collector's operator to delete it (DELETE /api/v1/admin/installations/${uid})`,
    };
  }
  const response = await client.deleteInstallation(uid, token.value);
  const json = response.json ?? {};
  if (response.status === 200) {
    const parsed = DeletionReceiptSchema.safeParse(json);
    if (!parsed.success) throw new CollectorError("protocol", `${client.url("/api/v1/installation")}: a receipt that does not follow the protocol`, 200);
    outbox.setToken(null);
    return { outcome: "deleted", receipt: parsed.data };
  }
  const message = typeof json.message === "string" ? json.message : `HTTP ${response.status}`;
  if (response.status === 403) {
    const reason = typeof json.reason === "string" ? json.reason : "refused";
    const hint = token.bound ? "" : " (this agent's token was issued but never bound: a token binds with the first write that presents it)";
    return { outcome: "refused", master_node_uid: uid, reason, message: `${message}${hint}` };
  }
  throw new CollectorError(response.status === 429 ? "rate" : "http", `DELETE /api/v1/installation: ${response.status} ${message}`, response.status, response.retryAfterSeconds);
}
