// The rows `npm run bench:row-bytes` stores to measure bytes per row: action logs and OSWL rows in
// the shapes Fuel's sender posts (docs of fuel-stats, "Representative payloads"), and the roll-up's
// summary of an installation as worker/cron/rollup.ts writes it. Everything is a pure function of
// its arguments, so a run is reproducible.
import { prng } from "./installations.mjs";

/** A UUID-shaped string that depends only on `n`. */
function uuid(n) {
  const rand = prng(n * 2654435761);
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const stamp = (id, offsetSeconds = 0) => {
  const at = new Date(Date.UTC(2016, 5, 1, 10, 0, 0) + (id * 37 + offsetSeconds) * 1000);
  return `${at.toISOString().slice(0, 19)}.${String((id * 7919) % 1e6).padStart(6, "0")}`;
};

/**
 * One action log `{external_id, body}`. `http_request`: the body of bench:ingest's batches (an
 * API call that changed something). `nailgun_task`: a finished deployment task of a 7-node
 * cluster with three subtasks, the additional_info fields the sender keeps.
 */
export function actionLog(shape, id) {
  const common = { id, actor_id: "", is_sent: false, cluster_id: 5, task_uuid: null };
  if (shape === "http_request") {
    return {
      external_id: id,
      body: {
        ...common,
        action_group: "cluster_changes",
        action_name: "deploy",
        action_type: "http_request",
        start_timestamp: stamp(id),
        end_timestamp: stamp(id, 1),
        additional_info: {
          request_data: { url: "/api/clusters/5/changes", http_method: "PUT" },
          response_data: { status: "202" },
        },
      },
    };
  }
  return {
    external_id: id,
    body: {
      ...common,
      action_group: "cluster_changes",
      action_name: "deployment",
      action_type: "nailgun_task",
      start_timestamp: stamp(id),
      end_timestamp: stamp(id, 1800),
      additional_info: {
        parent_task_id: null,
        subtasks_ids: [id * 10 + 1, id * 10 + 2, id * 10 + 3],
        operation: "deployment",
        nodes_from_resp: Array.from({ length: 7 }, (_, i) => ({ uid: String(500 + i), status: "ready", progress: 100 })),
        ended_with_status: "ready",
      },
    },
  };
}

export const OSWL_TYPES = ["vm", "volume", "image", "flavor", "tenant", "keystone_user"];

/**
 * Resources of each type in one cluster's `current` list. The reference gives no fleet figures;
 * these are a modest cloud of the bench's median cluster (about 7 nodes): 20 instances, 10 volumes,
 * 5 images, the 8 flavors of a default install and a few custom, 4 projects, 10 users.
 */
export const RESOURCES_PER_CLUSTER = { vm: 20, volume: 10, image: 5, flavor: 8, tenant: 4, keystone_user: 10 };

function resource(type, n) {
  const id = uuid(n);
  switch (type) {
    case "vm":
      return {
        id,
        status: "ACTIVE",
        tenant_id: uuid(n % 4),
        host_id: uuid(n % 7).replaceAll("-", "").slice(0, 28),
        created_at: "2016-05-20T08:13:42Z",
        power_state: 1,
        flavor_id: String(n % 8),
        image_id: uuid(n % 5),
      };
    case "volume":
      return {
        id,
        availability_zone: "nova",
        encrypted_flag: false,
        bootable_flag: n % 2 === 0,
        status: "in-use",
        volume_type: "volumes_lvm",
        size: 20 + (n % 5) * 10,
        snapshot_id: null,
        tenant_id: uuid(n % 4),
        attachments: [{ device: "/dev/vdb", server_id: uuid(n + 1), id }],
      };
    case "image":
      return { id, minDisk: 0, minRam: 0, sizeBytes: 13_287_936 + n, created_at: "2016-05-18T11:02:09Z", updated_at: "2016-05-18T11:02:11Z" };
    case "flavor":
      return { id: String(n), ram: 512 * 2 ** (n % 5), vcpus: 1 + (n % 8), ephemeral: 0, disk: 1 + (n % 5) * 20, swap: "" };
    case "tenant":
      return { id, enabled_flag: true };
    case "keystone_user":
      return { id, enabled_flag: true, tenant_id: uuid(n % 4) };
    default:
      throw new Error(`unknown resource type ${type}`);
  }
}

/**
 * One OSWL item as the sender posts it: a day of one cluster and resource type, with the full
 * `current` list and a few changes of that day (two added, one modified, one removed).
 */
export function oswlItem(type, uid, id) {
  const base = id * 100;
  const current = Array.from({ length: RESOURCES_PER_CLUSTER[type] }, (_, i) => resource(type, base + i));
  const time = 1_464_775_200 + id;
  return {
    master_node_uid: uid,
    id,
    cluster_id: 1 + (id % 3),
    created_date: new Date(Date.UTC(2016, 5, 1) + (id % 365) * 86_400_000).toISOString().slice(0, 10),
    updated_time: "15:51:11.690102",
    resource_type: type,
    resource_checksum: uuid(base).replaceAll("-", "").slice(0, 40).padEnd(40, "0"),
    resource_data: {
      added: current.slice(0, 2).map((r) => ({ id: r.id, time })),
      current,
      removed: [{ ...resource(type, base + 99), time }],
      modified: [{ id: current[0].id, time, ...(type === "vm" ? { status: "SHUTOFF" } : {}) }],
    },
    version_info: { fuel_version: "9.0", release_version: "mitaka-9.0", release_name: "Mitaka on Ubuntu 14.04", release_os: "Ubuntu", environment_version: "9.0" },
  };
}

/** The roll-up's summary of an installation (InstallationSummary in worker/domain/rollup.ts). */
export function rollupSummary(facts) {
  return {
    release: facts.release,
    clustersNum: String(facts.clusters.length),
    clusters: facts.clusters.map((c) => ({ status: c.status, nodesNum: String(c.nodes), hypervisor: c.hypervisor, os: c.os })),
    counted: true,
    history: facts.history,
  };
}
