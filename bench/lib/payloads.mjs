// Request bodies of the ingest benchmark. Every body is a pure function of a sequence number, so
// a batch can be rebuilt later (to re-post it, or to re-send one whose response was cut off)
// instead of being kept in memory.

/** Installations in the pool; action logs go to the first LOG_INSTALLATIONS of them. */
export const INSTALLATIONS = 1000;
export const LOG_INSTALLATIONS = 300;
/** Action-log records per request, as statsenderd sends them. */
export const BATCH_SIZE = 100;

export const uidOf = (index) => `bench-${String(index).padStart(4, "0")}-5f0c2d9e-8b1a-4c63-9d47-0e2f6a7b3c1d`;

const ROLE_SETS = [["controller"], ["controller", "mongo"], ["compute"], ["compute", "cinder"], ["ceph-osd"]];

function node(clusterId, i, seq) {
  const id = clusterId * 100 + i;
  return {
    id,
    roles: ROLE_SETS[i % ROLE_SETS.length],
    // Changes between posts of one installation, so an update really replaces the structure.
    status: (seq + i) % 11 === 0 ? "provisioning" : "ready",
    online: true,
    os: "ubuntu",
    manufacturer: "Supermicro",
    platform_name: "X9DRW",
    meta: {
      cpu: { real: 2, total: 24 },
      memory: { total: 137438953472 },
      disks: [{ size: 480103981056 }, { size: 2000398934016 }],
    },
  };
}

function cluster(id, seq) {
  return {
    id,
    mode: "ha_compact",
    status: "operational",
    release: { version: "mitaka-9.0", os: "Ubuntu", name: "Mitaka on Ubuntu 14.04" },
    fuel_version: "9.0",
    net_provider: "neutron",
    is_customized: false,
    nodes_num: 7,
    nodes: Array.from({ length: 7 }, (_, i) => node(id, i, seq)),
    installed_plugins: [],
    attributes: {
      libvirt_type: "kvm",
      debug_mode: false,
      use_cow_images: true,
      auto_assign_floating_ip: false,
      heat: true,
      sahara: false,
      murano: false,
      ceilometer: false,
      volumes_lvm: false,
      volumes_ceph: true,
      images_ceph: true,
      ephemeral_ceph: false,
      objects_ceph: true,
      osd_pool_size: "3",
      provision_method: "image",
      kernel_params: "console=tty0 net.ifnames=0 biosdevname=0 rootdelay=90 nomodeset",
      public_ssl_horizon: true,
      public_ssl_services: true,
      workloads_collector_enabled: true,
    },
    vmware_attributes: { vmware_az_cinder_enable: [], vmware_az_nova_computes_num: 0 },
    network_configuration: {
      segmentation_type: "vlan",
      net_l23_provider: "ovs",
      fixed_networks_vlan_start: null,
      fixed_network_size: 256,
      fixed_networks_amount: 1,
    },
  };
}

/** The installation_structure request for pool member `index`, at its `seq`-th post. */
export function structureRequest(index, seq) {
  return JSON.stringify({
    installation_structure: {
      master_node_uid: uidOf(index),
      clusters_num: 3,
      allocated_nodes_num: 21,
      unallocated_nodes_num: 2,
      clusters: [1, 2, 3].map((id) => cluster(id, seq)),
      fuel_release: {
        release: "9.0",
        api: "1",
        build_id: "495",
        feature_groups: ["mirantis"],
      },
      fuel_packages: ["fuel-nailgun-9.0.0-1.mos8694", "fuel-library9.0-9.0.0-1.mos8464", "fuel-ostf-9.0.0-1.mos942"],
      user_information: { contact_info_provided: false },
    },
  });
}

/** Which installation and which of its batches the `seq`-th action-log batch is. */
export function batchOf(seq) {
  return { index: seq % LOG_INSTALLATIONS, batchNo: Math.floor(seq / LOG_INSTALLATIONS) };
}

/**
 * The action_logs request for batch `seq`: BATCH_SIZE http_request records of one installation
 * with external ids batchNo*BATCH_SIZE+1 … (batchNo+1)*BATCH_SIZE, so no two batches share a key.
 */
export function actionLogsRequest(seq) {
  const { index, batchNo } = batchOf(seq);
  const uid = uidOf(index);
  const first = batchNo * BATCH_SIZE + 1;
  const records = Array.from({ length: BATCH_SIZE }, (_, i) => {
    const id = first + i;
    const second = String(id % 60).padStart(2, "0");
    return {
      master_node_uid: uid,
      external_id: id,
      body: {
        id,
        actor_id: "",
        action_group: "cluster_changes",
        action_name: "deploy",
        action_type: "http_request",
        start_timestamp: `2016-06-01T10:00:${second}.${String(id % 1e6).padStart(6, "0")}`,
        end_timestamp: `2016-06-01T10:00:${second}.${String((id + 7) % 1e6).padStart(6, "0")}`,
        additional_info: {
          request_data: { url: "/api/clusters/5/changes", http_method: "PUT" },
          response_data: { status: "202" },
        },
        is_sent: false,
        cluster_id: 5,
        task_uuid: null,
      },
    };
  });
  return JSON.stringify({ action_logs: records });
}
