// Routes validated collector requests to the installations' objects, one call per installation.
import type {
  ActionLog,
  ActionLogStatus,
  InstallationStructure,
  Oswl,
  OswlStatus,
} from "../../schemas/collector";
import { actionLogKey, uniqueActionLogs } from "../domain/action-logs";
import { groupByInstallation } from "../domain/batch";
import { releaseOf } from "../domain/installation";
import { oswlItemKey, uniqueOswlStats } from "../domain/oswl";

const installation = (env: Env, masterNodeUid: string) =>
  env.INSTALLATION.get(env.INSTALLATION.idFromName(masterNodeUid));

export async function storeInstallationStructure(
  env: Env,
  structure: InstallationStructure,
  country: string | null,
): Promise<{ created: boolean }> {
  const uid = structure.master_node_uid;
  return installation(env, uid).storeStructure(uid, JSON.stringify(structure), releaseOf(structure), country);
}

/** A call to one installation's object failed as a whole (for example, the object was reset). */
async function settled<T>(call: Promise<T>, uid: string): Promise<T | "failed"> {
  try {
    return await call;
  } catch (error) {
    console.error("installation object call failed", uid, error);
    return "failed";
  }
}

export async function storeActionLogs(
  env: Env,
  logs: readonly ActionLog[],
): Promise<{ master_node_uid: string; external_id: number; status: ActionLogStatus }[]> {
  const unique = uniqueActionLogs(logs);
  const statuses = new Map<string, ActionLogStatus>();
  await Promise.all(
    [...groupByInstallation(unique)].map(async ([uid, group]) => {
      const result = await settled(installation(env, uid).storeActionLogs(uid, group), uid);
      const byId = new Map(result === "failed" ? [] : result.map((r) => [r.external_id, r.status]));
      for (const log of group) statuses.set(actionLogKey(log), byId.get(log.external_id) ?? "failed");
    }),
  );
  return unique.map((log) => ({
    master_node_uid: log.master_node_uid,
    external_id: log.external_id,
    status: statuses.get(actionLogKey(log)) ?? "failed",
  }));
}

export async function storeOswlStats(
  env: Env,
  items: readonly Oswl[],
): Promise<{ master_node_uid: string; id: number; status: OswlStatus }[]> {
  const unique = uniqueOswlStats(items);
  const statuses = new Map<string, OswlStatus>();
  await Promise.all(
    [...groupByInstallation(unique)].map(async ([uid, group]) => {
      const result = await settled(installation(env, uid).storeOswlStats(uid, group), uid);
      group.forEach((item, i) => statuses.set(oswlItemKey(item), result === "failed" ? "failed" : result[i]!));
    }),
  );
  return unique.map((item) => ({
    master_node_uid: item.master_node_uid,
    id: item.id,
    status: statuses.get(oswlItemKey(item)) ?? "failed",
  }));
}
