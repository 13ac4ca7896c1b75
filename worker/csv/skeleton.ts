// The shapes the CSV reports flatten, as data: every column of every report comes from here (see
// layout.ts for how they are put together). A skeleton is a nested object whose leaves are
// `leaf` (one column: the value there, a list at a leaf is written space-joined), `count` (one
// column: the number of items there), or `listOf(item, n)` (n numbered copies of the item's
// columns). Object keys are written in sorted order, whatever their order here.

/** An aggregate over the value at its path; it becomes the last part of the column name. */
export class Aggregate {
  constructor(
    readonly name: string,
    readonly apply: (value: unknown) => unknown,
  ) {}
}

/** A list shown as `repeat` numbered copies (`roles.0` … `roles.4`). */
export class ListOf {
  constructor(
    readonly item: Skeleton,
    readonly repeat: number,
  ) {}
}

export type Skeleton = null | Aggregate | ListOf | { readonly [key: string]: Skeleton };

/** fuel-stats' CSV_DEFAULT_LIST_ITEMS_NUM. */
export const DEFAULT_LIST_ITEMS = 5;

export const leaf = null;

/** Items of a list, keys of an object or characters of a string; empty for anything else. */
export const count = new Aggregate("count", (value) => {
  if (Array.isArray(value) || typeof value === "string") return value.length;
  if (value !== null && typeof value === "object") return Object.keys(value).length;
  return null;
});

export const listOf = (item: Skeleton, repeat = DEFAULT_LIST_ITEMS) => new ListOf(item, repeat);

export const NODE_SKELETON = {
  bond_interfaces: count,
  nic_interfaces: count,
  group_id: leaf,
  id: leaf,
  online: leaf,
  os: leaf,
  pending_addition: leaf,
  pending_deletion: leaf,
  roles: listOf(leaf),
  pending_roles: listOf(leaf),
  status: leaf,
  // `manufacturer` and `platform_name` were dropped from this report on purpose (fuel-stats bugs
  // 1575666 and 1575669); meta.system.manufacturer stays.
  meta: {
    cpu: { real: leaf, total: leaf, spec: listOf({ frequency: leaf, model: leaf }, 10) },
    memory: {
      slots: leaf,
      total: leaf,
      maximum_capacity: leaf,
      devices: listOf({ frequency: leaf, type: leaf, size: leaf }, 10),
    },
    disks: listOf({ name: leaf, removable: leaf, model: leaf, size: leaf }, 10),
    system: { product: leaf, family: leaf, version: leaf, manufacturer: leaf },
    interfaces: listOf({
      pxe: leaf,
      name: leaf,
      driver: leaf,
      state: leaf,
      max_speed: leaf,
      current_speed: leaf,
      offloading_modes: listOf({ state: leaf, name: leaf, sub: listOf({ state: leaf, name: leaf }) }),
      interface_properties: {
        mtu: leaf,
        numa_node: leaf,
        disable_offloading: leaf,
        sriov: { available: leaf, enabled: leaf, physnet: leaf, sriov_numvfs: leaf, sriov_totalvfs: leaf },
        dpdk: { enabled: leaf },
      },
    }),
    numa_topology: {
      numa_nodes: listOf({ memory: leaf, id: leaf, cpus: count }),
      supported_hugepages: listOf(leaf),
      distances: listOf(leaf),
    },
  },
} as const satisfies Skeleton;

/** `releases` is part of the data but not of the plugins report. */
export const PLUGIN_SKELETON = {
  name: leaf,
  version: leaf,
  fuel_version: leaf,
  package_version: leaf,
  is_hotpluggable: leaf,
  groups: listOf(leaf),
  licenses: listOf(leaf),
} as const satisfies Skeleton;

/** One cluster (environment) of an installation, without its nodes and plugins. */
export const CLUSTER_SKELETON = {
  attributes: {
    assign_public_to_all_nodes: leaf,
    auto_assign_floating_ip: leaf,
    ceilometer: leaf,
    corosync_verified: leaf,
    debug_mode: leaf,
    ephemeral_ceph: leaf,
    external_mongo_replset: leaf,
    external_ntp_list: leaf,
    heat: leaf,
    images_ceph: leaf,
    images_vcenter: leaf,
    ironic: leaf,
    iser: leaf,
    kernel_params: leaf,
    libvirt_type: leaf,
    mellanox: leaf,
    mellanox_vf_num: leaf,
    mongo: leaf,
    murano: leaf,
    "murano-cfapi": leaf,
    murano_glance_artifacts_plugin: leaf,
    neutron_dvr: leaf,
    neutron_l2_pop: leaf,
    neutron_l3_ha: leaf,
    neutron_qos: leaf,
    nova_quota: leaf,
    nsx: leaf,
    nsx_replication: leaf,
    nsx_transport: leaf,
    objects_ceph: leaf,
    osd_pool_size: leaf,
    provision_method: leaf,
    public_ssl_cert_source: leaf,
    public_ssl_horizon: leaf,
    public_ssl_services: leaf,
    puppet_debug: leaf,
    repos: leaf,
    resume_guests_state_on_host_boot: leaf,
    sahara: leaf,
    syslog_transport: leaf,
    task_deploy: leaf,
    use_cow_images: leaf,
    vcenter: leaf,
    vlan_splinters: leaf,
    vlan_splinters_ovs: leaf,
    volumes_block_device: leaf,
    volumes_ceph: leaf,
    volumes_lvm: leaf,
    volumes_vmdk: leaf,
    workloads_collector_enabled: leaf,
  },
  vmware_attributes: { vmware_az_cinder_enable: leaf, vmware_az_nova_computes_num: leaf },
  fuel_version: leaf,
  id: leaf,
  is_customized: leaf,
  mode: leaf,
  net_provider: leaf,
  node_groups: listOf({ id: leaf }),
  nodes_num: leaf,
  network_configuration: {
    segmentation_type: leaf,
    net_l23_provider: leaf,
    net_manager: leaf,
    fixed_networks_vlan_start: leaf,
    fixed_network_size: leaf,
    fixed_networks_amount: leaf,
  },
  release: { name: leaf, os: leaf },
  status: leaf,
} as const satisfies Skeleton;

/** An installation_structures row, without its clusters. */
export const INSTALLATION_SKELETON = {
  master_node_uid: leaf,
  creation_date: leaf,
  modification_date: leaf,
  structure: {
    allocated_nodes_num: leaf,
    clusters_num: leaf,
    unallocated_nodes_num: leaf,
    fuel_release: { api: leaf, build_id: leaf, build_number: leaf, feature_groups: listOf(leaf), release: leaf },
    fuel_packages: listOf(leaf),
    user_information: { company: leaf, contact_info_provided: leaf, email: leaf, name: leaf },
  },
} as const satisfies Skeleton;

/** The columns every OSWL report starts with. */
export const OSWL_COMMON_SKELETON = {
  master_node_uid: leaf,
  cluster_id: leaf,
  stats_on_date: leaf,
  resource_type: leaf,
  version_info: {
    fuel_version: leaf,
    release_version: leaf,
    release_os: leaf,
    release_name: leaf,
    environment_version: leaf,
  },
} as const satisfies Skeleton;

/** One resource of each exportable OSWL type. */
export const OSWL_RESOURCE_SKELETONS = {
  vm: {
    id: leaf,
    status: leaf,
    tenant_id: leaf,
    host_id: leaf,
    created_at: leaf,
    power_state: leaf,
    flavor_id: leaf,
    image_id: leaf,
  },
  flavor: { id: leaf, ram: leaf, vcpus: leaf, ephemeral: leaf, disk: leaf, swap: leaf },
  // `host` was dropped from this report on purpose.
  volume: {
    id: leaf,
    availability_zone: leaf,
    encrypted_flag: leaf,
    bootable_flag: leaf,
    status: leaf,
    volume_type: leaf,
    size: leaf,
    snapshot_id: leaf,
    tenant_id: leaf,
    attachments: count,
  },
  image: { id: leaf, minDisk: leaf, minRam: leaf, sizeBytes: leaf, created_at: leaf, updated_at: leaf },
  tenant: { id: leaf, enabled_flag: leaf },
  keystone_user: { id: leaf, enabled_flag: leaf, tenant_id: leaf },
} as const satisfies Record<string, Skeleton>;
