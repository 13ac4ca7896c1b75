// Request bodies of the ingest benchmark, the same bytes for edgestats and for a peer collector.
// Every body is a pure function of its installation and a sequence number, so a request can be
// rebuilt later (to re-post it, or to re-send one whose response was cut off) instead of being
// kept in memory.
//
// Sizes (issue 18): an action-log batch is 100 `http_request` records with a small
// `additional_info` (≈ 38 KB); a structure is 3 clusters × 7 nodes, 33 attributes per cluster
// (≈ 21 KB).

/** The fleet: installations registered before the measured runs. */
export const FLEET_SIZE = 300;
/** Action-log records per request, as statsenderd sends them. */
export const BATCH_SIZE = 100;

/** Separate uid spaces, so that a first contact of one scenario is never a known installation of another. */
const POOLS = { fleet: "a", "first-logs": "b", "first-structures": "c" };

/** A master_node_uid shaped like Nailgun's (a UUID), naming its pool and its index in it. */
export function uidOf(pool, index) {
  return `${POOLS[pool]}${index.toString(16).padStart(7, "0")}-5f0c-4d9e-8b1a-0e2f6a7b3c1d`;
}

const ROLE_SETS = [["controller"], ["controller", "mongo"], ["compute"], ["compute", "cinder"], ["ceph-osd"]];

function node(clusterId, i, seq) {
  const id = clusterId * 100 + i;
  const compute = i >= 2;
  return {
    id,
    roles: ROLE_SETS[i % ROLE_SETS.length],
    pending_roles: [],
    pending_addition: false,
    pending_deletion: false,
    // Changes between posts of one installation, so an update really replaces the structure.
    status: (seq + i) % 11 === 0 ? "provisioning" : "ready",
    online: true,
    os: "ubuntu",
    manufacturer: "Supermicro",
    platform_name: "X9DRW",
    meta: {
      cpu: {
        real: 2,
        total: 24,
        spec: [{ frequency: 2600, model: "Intel(R) Xeon(R) CPU E5-2630 v2 @ 2.60GHz" }],
      },
      memory: { total: compute ? 274877906944 : 137438953472, slots: 16 },
      disks: [
        { name: "sda", model: "INTEL SSDSC2BB48", size: 480103981056, removable: "0" },
        { name: "sdb", model: "ST2000NM0033-9ZM", size: 2000398934016, removable: "0" },
      ],
      interfaces: [
        { name: "eth0", driver: "igb", current_speed: 1000, max_speed: 1000, pxe: true, state: "up" },
        { name: "eth1", driver: "ixgbe", current_speed: 10000, max_speed: 10000, pxe: false, state: "up" },
      ],
      system: { manufacturer: "Supermicro", product: "X9DRW" },
    },
  };
}

/** 33 settings, flat, as fuel-stats' sender whitelists them from Nailgun's attributes. */
const ATTRIBUTES = {
  libvirt_type: "kvm",
  debug_mode: false,
  puppet_debug: true,
  use_cow_images: true,
  auto_assign_floating_ip: false,
  assign_public_to_all_nodes: false,
  heat: true,
  sahara: false,
  murano: false,
  "murano-cfapi": false,
  ceilometer: false,
  mongo: false,
  ironic: false,
  volumes_lvm: false,
  volumes_ceph: true,
  images_ceph: true,
  ephemeral_ceph: false,
  objects_ceph: true,
  osd_pool_size: "3",
  iser: false,
  volumes_block_device: false,
  provision_method: "image",
  kernel_params: "console=tty0 net.ifnames=0 biosdevname=0 rootdelay=90 nomodeset",
  public_ssl_horizon: true,
  public_ssl_services: true,
  public_ssl_cert_source: "self_signed",
  neutron_l2_pop: false,
  neutron_dvr: false,
  neutron_l3_ha: false,
  neutron_qos: false,
  syslog_transport: "tcp",
  task_deploy: true,
  workloads_collector_enabled: true,
};

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
    node_groups: [{ id, nodes: Array.from({ length: 7 }, (_, i) => id * 100 + i) }],
    installed_plugins: [],
    attributes: ATTRIBUTES,
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

/** The installation_structure request of installation `uid` at its `seq`-th post. */
export function structureRequest(uid, seq) {
  return JSON.stringify({
    installation_structure: {
      master_node_uid: uid,
      clusters_num: 3,
      allocated_nodes_num: 21,
      unallocated_nodes_num: 2,
      clusters: [1, 2, 3].map((id) => cluster(id, seq)),
      fuel_release: {
        release: "9.0",
        api: "1",
        build_id: "495",
        build_number: "495",
        openstack_version: "mitaka-9.0",
        feature_groups: ["mirantis"],
      },
      fuel_packages: ["fuel-nailgun-9.0.0-1.mos8694", "fuel-library9.0-9.0.0-1.mos8464", "fuel-ostf-9.0.0-1.mos942"],
      user_information: { contact_info_provided: false },
    },
  });
}

/** Which fleet installation and which of its batches the `seq`-th fleet action-log batch is. */
export function fleetBatchOf(seq) {
  return { index: seq % FLEET_SIZE, batchNo: Math.floor(seq / FLEET_SIZE) };
}

/** Requests Nailgun logs as http_request actions: [action_group, action_name]. */
const ACTIONS = [
  ["cluster_changes", "deploy"],
  ["cluster_attributes", "attributes"],
  ["cluster_changes", "provision"],
];

/**
 * The action_logs request of installation `uid`'s batch `batchNo`: BATCH_SIZE http_request records
 * with external ids batchNo*BATCH_SIZE+1 … (batchNo+1)*BATCH_SIZE, so no two batches share a key.
 * With `stride` s, the ids are s apart, from batchNo*BATCH_SIZE*s+1: no two consecutive when s > 1.
 */
export function actionLogsRequest(uid, batchNo, stride = 1) {
  const first = batchNo * BATCH_SIZE * stride + 1;
  const records = Array.from({ length: BATCH_SIZE }, (_, i) => {
    const id = first + i * stride;
    const [group, name] = ACTIONS[id % ACTIONS.length];
    const second = String(id % 60).padStart(2, "0");
    return {
      master_node_uid: uid,
      external_id: id,
      body: {
        id,
        actor_id: null,
        action_group: group,
        action_name: name,
        action_type: "http_request",
        start_timestamp: `2016-06-01T10:00:${second}.${String(id % 1e6).padStart(6, "0")}`,
        end_timestamp: `2016-06-01T10:00:${second}.${String((id + 7) % 1e6).padStart(6, "0")}`,
        // Small, as in fuel-stats' own tests (the sender keeps no request body either).
        additional_info: { request_data: {}, response_data: {} },
        is_sent: false,
        cluster_id: 5,
      },
    };
  });
  return JSON.stringify({ action_logs: records });
}
