import { describe, expect, it } from "vitest";
import { CSV_REPORT_IDS } from "../../../schemas/csv";
import { csvColumns } from "../../../worker/csv/layout";

const ATTRIBUTES = [
  "assign_public_to_all_nodes", "auto_assign_floating_ip", "ceilometer", "corosync_verified", "debug_mode", "ephemeral_ceph",
  "external_mongo_replset", "external_ntp_list", "heat", "images_ceph", "images_vcenter", "ironic", "iser", "kernel_params",
  "libvirt_type", "mellanox", "mellanox_vf_num", "mongo", "murano", "murano-cfapi", "murano_glance_artifacts_plugin",
  "neutron_dvr", "neutron_l2_pop", "neutron_l3_ha", "neutron_qos", "nova_quota", "nsx", "nsx_replication", "nsx_transport",
  "objects_ceph", "osd_pool_size", "provision_method", "public_ssl_cert_source", "public_ssl_horizon", "public_ssl_services",
  "puppet_debug", "repos", "resume_guests_state_on_host_boot", "sahara", "syslog_transport", "task_deploy", "use_cow_images",
  "vcenter", "vlan_splinters", "vlan_splinters_ovs", "volumes_block_device", "volumes_ceph", "volumes_lvm", "volumes_vmdk",
  "workloads_collector_enabled",
];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const numbered = (prefix: string, n: number, suffixes: string[] = [""]) =>
  range(n).flatMap((i) => suffixes.map((s) => `${prefix}.${i}${s ? `.${s}` : ""}`));

// Written out from the reference (§3.4), not derived from the skeleton.
const CLUSTERS = [
  ...ATTRIBUTES.map((a) => `attributes.${a}`),
  "fuel_version", "id", "is_customized", "mode", "net_provider",
  ...["fixed_network_size", "fixed_networks_amount", "fixed_networks_vlan_start", "net_l23_provider", "net_manager", "segmentation_type"].map(
    (k) => `network_configuration.${k}`,
  ),
  ...numbered("node_groups", 5, ["id"]),
  "nodes_num", "release.name", "release.os", "status",
  "vmware_attributes.vmware_az_cinder_enable", "vmware_attributes.vmware_az_nova_computes_num",
  "creation_date", "master_node_uid", "modification_date",
  "structure.allocated_nodes_num", "structure.clusters_num", ...numbered("structure.fuel_packages", 5),
  "structure.fuel_release.api", "structure.fuel_release.build_id", "structure.fuel_release.build_number",
  ...numbered("structure.fuel_release.feature_groups", 5), "structure.fuel_release.release",
  "structure.unallocated_nodes_num",
  "structure.user_information.company", "structure.user_information.contact_info_provided",
  "structure.user_information.email", "structure.user_information.name",
  "verify_networks_status",
];

const PLUGINS = [
  "fuel_version", ...numbered("groups", 5), "is_hotpluggable", ...numbered("licenses", 5), "name", "package_version", "version",
  "cluster_id", "cluster_fuel_version", "master_node_uid", "structure.fuel_packages",
];

const OSWL_COMMON = [
  "cluster_id", "master_node_uid", "resource_type", "stats_on_date",
  ...["environment_version", "fuel_version", "release_name", "release_os", "release_version"].map((k) => `version_info.${k}`),
];
const OSWL_RESOURCES: Record<string, string[]> = {
  vm: ["created_at", "flavor_id", "host_id", "id", "image_id", "power_state", "status", "tenant_id"],
  flavor: ["disk", "ephemeral", "id", "ram", "swap", "vcpus"],
  volume: ["attachments.count", "availability_zone", "bootable_flag", "encrypted_flag", "id", "size", "snapshot_id", "status", "tenant_id", "volume_type"],
  image: ["created_at", "id", "minDisk", "minRam", "sizeBytes", "updated_at"],
  tenant: ["enabled_flag", "id"],
  keystone_user: ["enabled_flag", "id", "tenant_id"],
};

describe("CSV column sets", () => {
  it("clusters: the 97 columns of fuel-stats, in order, verify_networks_status last", () => {
    expect(CLUSTERS).toHaveLength(97);
    expect(csvColumns("clusters")).toEqual(CLUSTERS);
  });

  it("clusters: no nodes, plugins or clusters columns", () => {
    const columns = csvColumns("clusters");
    expect(columns.filter((c) => /(^|\.)(nodes|installed_plugins|clusters)(\.|$)/.test(c))).toEqual([]);
  });

  it("plugins: the 19 columns, releases left out", () => {
    expect(csvColumns("plugins")).toEqual(PLUGINS);
  });

  it("nodes: 522 columns, the node's own first and the cluster and installation ones last", () => {
    const columns = csvColumns("nodes");
    expect(columns).toHaveLength(522);
    expect(new Set(columns).size).toBe(522);
    expect(columns.slice(0, 7)).toEqual(["bond_interfaces.count", "group_id", "id", "meta.cpu.real", "meta.cpu.spec.0.frequency", "meta.cpu.spec.0.model", "meta.cpu.spec.1.frequency"]);
    expect(columns.slice(-20)).toEqual([
      "nic_interfaces.count", "online", "os", "pending_addition", "pending_deletion",
      ...numbered("pending_roles", 5), ...numbered("roles", 5), "status",
      "cluster_id", "cluster_fuel_version", "master_node_uid", "structure.fuel_packages",
    ]);
  });

  it("nodes: ten cpu specs, memory devices and disks, five of everything else", () => {
    const columns = csvColumns("nodes");
    const countOf = (re: RegExp) => columns.filter((c) => re.test(c)).length;
    expect(countOf(/^meta\.cpu\.spec\.\d+\./)).toBe(20);
    expect(countOf(/^meta\.memory\.devices\.\d+\./)).toBe(30);
    expect(countOf(/^meta\.disks\.\d+\./)).toBe(40);
    expect(countOf(/^meta\.interfaces\.\d+\./)).toBe(5 * (6 + 4 + 5 + 5 * (2 + 5 * 2)));
    expect(countOf(/^meta\.numa_topology\./)).toBe(5 + 5 * 3 + 5);
    expect(columns).toContain("meta.interfaces.4.offloading_modes.4.sub.4.state");
    expect(columns).toContain("meta.interfaces.0.interface_properties.sriov.sriov_totalvfs");
    expect(columns).toContain("meta.interfaces.0.interface_properties.dpdk.enabled");
    expect(columns).toContain("meta.numa_topology.numa_nodes.0.cpus.count");
    expect(columns).toContain("meta.system.manufacturer");
    expect(columns).not.toContain("meta.cpu.spec.10.model");
  });

  it("nodes: manufacturer and platform_name are absent on purpose", () => {
    expect(csvColumns("nodes")).not.toContain("manufacturer");
    expect(csvColumns("nodes")).not.toContain("platform_name");
    expect(csvColumns("nodes").filter((c) => c.startsWith("manufacturer") || c.startsWith("platform_name"))).toEqual([]);
  });

  for (const [type, resource] of Object.entries(OSWL_RESOURCES)) {
    it(`${type}: the common OSWL block, the ${type} columns, then the three flags`, () => {
      expect(csvColumns(type as "vm")).toEqual([
        ...OSWL_COMMON,
        ...resource.map((k) => `${type}.${k}`),
        `${type}.is_added`, `${type}.is_modified`, `${type}.is_removed`,
      ]);
    });
  }

  it("volume: host is absent on purpose", () => {
    expect(csvColumns("volume")).not.toContain("volume.host");
  });

  it("OSWL reports carry no external_id, updated_time or release column", () => {
    for (const type of Object.keys(OSWL_RESOURCES)) {
      for (const name of ["external_id", "updated_time", "release", "id"]) expect(csvColumns(type as "vm")).not.toContain(name);
    }
  });

  it("every report has columns, and names are unique", () => {
    for (const id of CSV_REPORT_IDS) expect(new Set(csvColumns(id)).size).toBe(csvColumns(id).length);
  });
});
