// Sends validated collector writes to the installation's object, with what the worker knows of
// the caller (its token and its address).
import type { ActionLog, ActionLogStatus, DeletionReceipt, InstallationStructure, Oswl, OswlStatus } from "../../schemas/collector";
import type { CollectorConfig } from "../config";
import { toActionLogBatch, uniqueActionLogs } from "../domain/action-logs";
import { buildInfoOf, isFiltered } from "../domain/filtering";
import { releaseOf } from "../domain/installation";
import { currentFilteringRules } from "../filtering";
import { uniqueOswlStats } from "../domain/oswl";
import type { DeletionProof, Guarded, WriteContext } from "./installation";

export interface Caller {
  /** The X-Installation-Token header, if any. */
  token: string | null;
  /** The client address (CF-Connecting-IP); never stored, only its hash names a quota object. */
  address: string | null;
  config: CollectorConfig;
}

export const installationObject = (env: Env, uid: string) => env.INSTALLATION.get(env.INSTALLATION.idFromName(uid));

function writeContext(uid: string, caller: Caller): WriteContext {
  return { uid, presentedToken: caller.token, address: caller.address, config: caller.config };
}

export async function storeInstallationStructure(
  env: Env,
  structure: InstallationStructure,
  country: string | null,
  caller: Caller,
): Promise<Guarded<{ created: boolean }>> {
  const uid = structure.master_node_uid;
  const now = Date.now();
  const filtered = isFiltered(buildInfoOf(structure), await currentFilteringRules(env.ANALYTIC_DB, now), now);
  return installationObject(env, uid).storeStructure(writeContext(uid, caller), JSON.stringify(structure), releaseOf(structure), country, filtered);
}

/** `uid` is the one installation of `logs` (see `soleInstallation`). */
export async function storeActionLogs(
  env: Env,
  uid: string,
  logs: readonly ActionLog[],
  caller: Caller,
): Promise<Guarded<{ master_node_uid: string; external_id: number; status: ActionLogStatus }[]>> {
  const unique = uniqueActionLogs(logs);
  const result = await installationObject(env, uid).storeActionLogs(writeContext(uid, caller), toActionLogBatch(unique));
  if (!result.ok) return result;
  const byId = new Map(result.value.map((r) => [r.external_id, r.status]));
  const value = unique.map((log) => ({
    master_node_uid: uid,
    external_id: log.external_id,
    status: byId.get(log.external_id) ?? ("failed" as const),
  }));
  return { ...result, value };
}

/** `uid` is the one installation of `items` (see `soleInstallation`). */
export async function storeOswlStats(
  env: Env,
  uid: string,
  items: readonly Oswl[],
  caller: Caller,
): Promise<Guarded<{ master_node_uid: string; id: number; status: OswlStatus }[]>> {
  const unique = uniqueOswlStats(items);
  const result = await installationObject(env, uid).storeOswlStats(writeContext(uid, caller), unique);
  if (!result.ok) return result;
  return { ...result, value: unique.map((item, i) => ({ master_node_uid: uid, id: item.id, status: result.value[i] ?? "failed" })) };
}

/**
 * Deletes everything stored about an installation through its object (so that it waits for, and
 * holds off, that installation's writes) and answers with the receipt, or the 403 refusal.
 */
export async function deleteInstallation(
  env: Env,
  uid: string,
  proof: DeletionProof,
): Promise<{ ok: true; receipt: DeletionReceipt } | { ok: false; status: 403; reason: string; message: string }> {
  const result = await installationObject(env, uid).forget(uid, proof);
  if (!result.ok) return { ok: false, status: result.status, reason: result.reason, message: result.message };
  const { statements: _, ...rows } = result.rows;
  return {
    ok: true,
    receipt: {
      status: "ok",
      master_node_uid: uid,
      requested_by: proof.by,
      deleted_at: new Date(result.deletedAt).toISOString(),
      deleted: { ...rows, installation_object: result.object },
      reports: rows.installation_structures > 0 ? "next_rollup" : "not_in_reports",
    },
  };
}
