// Sanitising by whitelist. Every payload is built from fields named here and nothing else: a field
// the host adds later (a password, a key, a Ceph fsid, a MAC, a host name, an address) is dropped
// because nobody listed it, not because somebody remembered to block it. fuel-stats' sender did
// the opposite for cluster settings and shipped Ceph keys for a release (fuel-stats.md §4.4).
import { createHash } from "node:crypto";
import type { ResourceType } from "../../schemas/collector";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = Record<string, unknown>;

/** Free text is never copied; the strings that are (names of roles, statuses, versions) are short. */
const MAX_STRING = 256;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length <= MAX_STRING ? v : undefined);
const int = (v: unknown): number | undefined => (Number.isSafeInteger(v) ? (v as number) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);
/** A primitive setting value (an enumerated choice, a number, a flag). */
const scalar = (v: unknown): string | number | boolean | undefined => bool(v) ?? num(v) ?? str(v);
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => str(s) !== undefined) : undefined;
const ints = (v: unknown): number[] | undefined =>
  Array.isArray(v) ? v.filter((n): n is number => int(n) !== undefined) : undefined;

/** Drops undefined fields so that the JSON shows only what was kept. */
function compact<T extends Obj>(o: T): T {
  for (const key of Object.keys(o)) if (o[key] === undefined) delete o[key];
  return o;
}

function at(root: unknown, dotted: string): unknown {
  let v: unknown = root;
  for (const key of dotted.split(".")) v = obj(v)[key];
  return v;
}

// Cluster settings ("editable attributes"): [path, name sent, how]. "value" copies a scalar;
// "present" sends only whether the setting holds something, never its content.
type AttributeRule = [path: string, name: string, how: "value" | "present"];
export const ATTRIBUTE_RULES: readonly AttributeRule[] = [
  ["common.libvirt_type.value", "libvirt_type", "value"],
  ["common.debug.value", "debug_mode", "value"],
  ["common.use_cow_images.value", "use_cow_images", "value"],
  ["common.auto_assign_floating_ip.value", "auto_assign_floating_ip", "value"],
  ["common.nova_quota.value", "nova_quota", "value"],
  ["common.puppet_debug.value", "puppet_debug", "value"],
  ["common.resume_guests_state_on_host_boot.value", "resume_guests_state_on_host_boot", "value"],
  ["additional_components.sahara.value", "sahara", "value"],
  ["additional_components.murano.value", "murano", "value"],
  ["additional_components.murano-cfapi.value", "murano-cfapi", "value"],
  ["additional_components.heat.value", "heat", "value"],
  ["additional_components.ceilometer.value", "ceilometer", "value"],
  ["additional_components.mongo.value", "mongo", "value"],
  ["additional_components.ironic.value", "ironic", "value"],
  ["storage.volumes_lvm.value", "volumes_lvm", "value"],
  ["storage.volumes_ceph.value", "volumes_ceph", "value"],
  ["storage.images_ceph.value", "images_ceph", "value"],
  ["storage.ephemeral_ceph.value", "ephemeral_ceph", "value"],
  ["storage.objects_ceph.value", "objects_ceph", "value"],
  ["storage.osd_pool_size.value", "osd_pool_size", "value"],
  ["storage.iser.value", "iser", "value"],
  ["storage.volumes_block_device.value", "volumes_block_device", "value"],
  ["public_ssl.horizon.value", "public_ssl_horizon", "value"],
  ["public_ssl.services.value", "public_ssl_services", "value"],
  ["public_ssl.cert_source.value", "public_ssl_cert_source", "value"],
  ["neutron_advanced_configuration.neutron_l2_pop.value", "neutron_l2_pop", "value"],
  ["neutron_advanced_configuration.neutron_dvr.value", "neutron_dvr", "value"],
  ["neutron_advanced_configuration.neutron_l3_ha.value", "neutron_l3_ha", "value"],
  ["neutron_advanced_configuration.neutron_qos.value", "neutron_qos", "value"],
  ["provision.method.value", "provision_method", "value"],
  ["workloads_collector.enabled.value", "workloads_collector_enabled", "value"],
  ["ssh.security_enabled.value", "ssh_security_enabled", "value"],
  ["external_mongo.mongo_replset.value", "external_mongo_replset", "present"],
  ["external_ntp.ntp_list.value", "external_ntp", "present"],
  ["external_dns.dns_list.value", "external_dns", "present"],
  ["atop.service_enabled.value", "atop_enabled", "present"],
  ["kernel_params.kernel.value", "kernel_params", "present"],
  ["repo_setup.repos.value", "custom_repos", "present"],
];

function present(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "string") return v.trim() !== "";
  if (isObj(v)) return Object.keys(v).length > 0;
  return v === true || (typeof v === "number" && v !== 0);
}

/**
 * A cluster's settings, given in either of two forms:
 * - Nailgun's editable attributes, nested by group, each setting's choice under `value`
 *   (`{common: {libvirt_type: {value: "kvm"}}}`), optionally still wrapped in the `editable` key
 *   that Nailgun's `GET /api/clusters/<id>/attributes` answers with;
 * - the flat form the collector stores and the reports read (`{libvirt_type: "kvm"}`), keyed by
 *   the names sent.
 * Where a key could be either (`external_ntp` is a group and a flat name), the nested path wins and
 * a flat value must be a scalar or a list: an object there is a nested group, never a setting.
 */
export function sanitizeAttributes(attributes: unknown, field = "attributes"): Record<string, string | number | boolean> {
  if (attributes === undefined || attributes === null) return {};
  if (!isObj(attributes)) {
    throw new TypeError(
      `${field} must be an object (Nailgun's {"common": {"libvirt_type": {"value": "kvm"}}} or the flat {"libvirt_type": "kvm"}), not ${Array.isArray(attributes) ? "an array" : typeof attributes}`,
    );
  }
  const editable = isObj(attributes.editable) ? attributes.editable : attributes;
  const out: Record<string, string | number | boolean> = {};
  for (const [dotted, name, how] of ATTRIBUTE_RULES) {
    let v = at(editable, dotted);
    if (v === undefined && !isObj(editable[name])) v = editable[name];
    if (v === undefined) continue;
    const kept = how === "present" ? present(v) : scalar(v);
    if (kept !== undefined) out[name] = kept;
  }
  return out;
}

// Hardware facts of a node: counts and models only. Never its host name, serial, MACs or addresses.
function sanitizeNodeMeta(meta: unknown): Obj {
  const m = obj(meta);
  const cpu = obj(m.cpu);
  const memory = obj(m.memory);
  const disks = Array.isArray(m.disks) ? m.disks : [];
  const interfaces = Array.isArray(m.interfaces) ? m.interfaces : [];
  return compact({
    cpu: isObj(m.cpu)
      ? compact({
          total: int(cpu.total),
          real: int(cpu.real),
          spec: Array.isArray(cpu.spec) ? cpu.spec.map((s) => compact({ model: str(obj(s).model), frequency: num(obj(s).frequency) })) : undefined,
        })
      : undefined,
    memory: isObj(m.memory) ? compact({ total: num(memory.total) }) : undefined,
    disks: Array.isArray(m.disks) ? disks.map((d) => compact({ size: num(obj(d).size), model: str(obj(d).model) })) : undefined,
    interfaces: Array.isArray(m.interfaces)
      ? interfaces.map((i) => compact({ driver: str(obj(i).driver), max_speed: num(obj(i).max_speed), current_speed: num(obj(i).current_speed) }))
      : undefined,
  });
}

export function sanitizeNode(node: unknown): Obj {
  const n = obj(node);
  const nics = Array.isArray(n.nic_interfaces) ? n.nic_interfaces : undefined;
  const bonds = Array.isArray(n.bond_interfaces) ? n.bond_interfaces : undefined;
  return compact({
    id: int(n.id) ?? 0,
    roles: strings(n.roles) ?? [],
    pending_roles: strings(n.pending_roles),
    primary_tags: strings(n.primary_tags),
    status: str(n.status),
    online: bool(n.online),
    error_type: str(n.error_type),
    progress: num(n.progress),
    pending_addition: bool(n.pending_addition),
    pending_deletion: bool(n.pending_deletion),
    group_id: int(n.group_id),
    cluster_id: int(n.cluster_id),
    os: str(n.os) ?? str(n.os_platform),
    manufacturer: str(n.manufacturer),
    platform_name: str(n.platform_name),
    meta: n.meta === undefined ? undefined : sanitizeNodeMeta(n.meta),
    nic_interfaces: nics?.map((i) => compact({ id: int(obj(i).id) })),
    bond_interfaces: bonds?.map((b) => compact({ id: int(obj(b).id), slaves: ints(obj(b).slaves) })),
  });
}

function sanitizeNetworkConfiguration(nc: unknown): Obj | undefined {
  if (!isObj(nc)) return undefined;
  return compact({
    segmentation_type: str(nc.segmentation_type),
    net_l23_provider: str(nc.net_l23_provider),
    net_manager: str(nc.net_manager),
    fixed_networks_vlan_start: nc.fixed_networks_vlan_start === null ? null : int(nc.fixed_networks_vlan_start),
    fixed_network_size: int(nc.fixed_network_size),
    fixed_networks_amount: int(nc.fixed_networks_amount),
  });
}

function sanitizePlugin(plugin: unknown): Obj {
  const p = obj(plugin);
  return compact({
    id: int(p.id),
    name: str(p.name),
    version: str(p.version),
    package_version: str(p.package_version),
    fuel_version: strings(p.fuel_version),
    is_hotpluggable: bool(p.is_hotpluggable),
  });
}

export function sanitizeCluster(cluster: unknown, index = 0): Obj {
  const c = obj(cluster);
  const release = obj(c.release);
  const nodes = Array.isArray(c.nodes) ? c.nodes.map(sanitizeNode) : [];
  return compact({
    id: int(c.id) ?? 0,
    nodes_num: int(c.nodes_num) ?? nodes.length,
    nodes,
    mode: str(c.mode) ?? "",
    status: str(c.status) ?? "",
    release: { version: str(release.version) ?? "", os: str(release.os) ?? "", name: str(release.name) ?? "" },
    attributes: sanitizeAttributes(c.attributes, `clusters[${index}].attributes`),
    network_configuration: sanitizeNetworkConfiguration(c.network_configuration),
    net_provider: str(c.net_provider),
    fuel_version: str(c.fuel_version),
    is_customized: bool(c.is_customized),
    node_groups: Array.isArray(c.node_groups)
      ? c.node_groups.map((g) => compact({ id: int(obj(g).id), nodes: ints(obj(g).nodes) }))
      : undefined,
    extensions: strings(c.extensions),
    components: strings(c.components),
    cluster_plugins: ints(c.cluster_plugins),
    installed_plugins: Array.isArray(c.installed_plugins) ? c.installed_plugins.map(sanitizePlugin) : undefined,
  });
}

const FUEL_RELEASE_STRINGS = [
  "release",
  "api",
  "build_id",
  "build_number",
  "openstack_version",
  "ostf_sha",
  "fuel-ostf_sha",
  "astute_sha",
  "nailgun_sha",
  "fuel-nailgun_sha",
  "fuellib_sha",
  "fuel-library_sha",
  "python-fuelclient_sha",
  "fuelmain_sha",
] as const;

function sanitizeFuelRelease(fr: unknown): Obj | undefined {
  if (!isObj(fr) || str(fr.release) === undefined) return undefined;
  const out: Obj = { feature_groups: strings(fr.feature_groups) ?? [], api: str(fr.api) ?? "" };
  for (const key of FUEL_RELEASE_STRINGS) if (str(fr[key]) !== undefined) out[key] = fr[key];
  return out;
}

/**
 * The installation structure without its identity and contact fields: the outbox stores this, and
 * the payload adds master_node_uid and user_information when it is sent (payloads.ts).
 */
export function sanitizeStructure(structure: unknown): Obj {
  const s = obj(structure);
  const clusters = Array.isArray(s.clusters) ? s.clusters.map((c, i) => sanitizeCluster(c, i)) : [];
  const allocated = clusters.reduce((sum, c) => sum + (c.nodes_num as number), 0);
  return compact({
    clusters_num: clusters.length,
    allocated_nodes_num: allocated,
    unallocated_nodes_num: int(s.unallocated_nodes_num) ?? 0,
    clusters,
    fuel_release: sanitizeFuelRelease(s.fuel_release),
    fuel_packages: strings(s.fuel_packages),
  });
}

/** Contact details leave only with their own opt-in; otherwise only whether they were given. */
export function userInformation(
  shareContactDetails: boolean,
  contact: { name?: string; email?: string; company?: string },
): Obj {
  if (!shareContactDetails) return { contact_info_provided: false };
  const details = compact({ name: str(contact.name), email: str(contact.email), company: str(contact.company) });
  return { contact_info_provided: Object.keys(details).length > 0, ...details };
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** A SHA-256 of who acted: a user name or an auth token the host passes is hashed, never sent. */
export function actorId(v: unknown): string | null {
  if (v === null || v === undefined || v === "") return null;
  const s = String(v);
  return HEX_SHA256.test(s) ? s : createHash("sha256").update(s).digest("hex");
}

/** A request's path only: no scheme, host, port, query or fragment. */
function urlPath(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  let p = v.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
  p = p.split(/[?#]/)[0] ?? "";
  return p.startsWith("/") ? str(p) : undefined;
}

/**
 * An action log body (without its id, which is the outbox row's). http_request logs keep the
 * method, path and status, never request or response bodies; nailgun_task logs keep the task's
 * shape and outcome, never its message or output.
 */
export function sanitizeActionLogBody(body: unknown): Obj {
  const b = obj(body);
  const info = obj(b.additional_info);
  const actionType = b.action_type === "nailgun_task" ? "nailgun_task" : b.action_type === "http_request" ? "http_request" : undefined;
  if (actionType === undefined) throw new TypeError('an action log needs action_type "http_request" or "nailgun_task"');
  const common = {
    action_type: actionType,
    action_group: str(b.action_group),
    action_name: str(b.action_name),
    actor_id: actorId(b.actor_id),
    start_timestamp: str(b.start_timestamp),
    is_sent: false,
    cluster_id: b.cluster_id === null ? null : int(b.cluster_id),
  };
  if (actionType === "http_request") {
    const request = obj(info.request_data);
    const response = obj(info.response_data);
    return compact({
      ...common,
      end_timestamp: str(b.end_timestamp),
      additional_info: {
        request_data: compact({ http_method: str(request.http_method), url: urlPath(request.url), data: {} }),
        response_data: compact({ status: int(response.status), data: {} }),
      },
    });
  }
  const nodes = Array.isArray(info.nodes_from_resp) ? info.nodes_from_resp : [];
  return compact({
    ...common,
    end_timestamp: b.end_timestamp === null || b.end_timestamp === "" ? null : str(b.end_timestamp),
    additional_info: compact({
      parent_task_id: info.parent_task_id === null ? null : int(info.parent_task_id),
      subtasks_ids: ints(info.subtasks_ids) ?? [],
      operation: str(info.operation),
      nodes_from_resp: nodes.filter((n) => int(n) !== undefined || (typeof n === "string" && /^\d{1,20}$/.test(n))),
      ended_with_status: str(info.ended_with_status),
      message: null,
      output: null,
    }),
  });
}

// Workload resources: the fields fuel-stats' collectors kept (fuel-stats.md §4.5), by the names
// they send. Names, addresses and descriptions of resources are never among them.
export const RESOURCE_FIELDS: Readonly<Record<ResourceType, readonly string[]>> = {
  vm: ["id", "status", "tenant_id", "host_id", "created_at", "power_state", "flavor_id", "image_id"],
  flavor: ["id", "ram", "vcpus", "ephemeral", "disk", "swap"],
  image: ["id", "minDisk", "minRam", "sizeBytes", "created_at", "updated_at"],
  volume: ["id", "availability_zone", "encrypted_flag", "bootable_flag", "status", "volume_type", "size", "snapshot_id", "tenant_id", "attachments"],
  tenant: ["id", "enabled_flag"],
  keystone_user: ["id", "enabled_flag", "tenant_id"],
  security_group: ["id", "tenant_id"],
  cluster_stats: ["id", "nodes_num", "vms_num"],
};

function resourceValue(key: string, v: unknown): Json | undefined {
  if (key === "attachments") {
    return Array.isArray(v)
      ? v.map((a) => compact({ device: str(obj(a).device), server_id: str(obj(a).server_id), id: str(obj(a).id) }) as Json)
      : undefined;
  }
  return v === null ? null : scalar(v);
}

function sanitizeResource(type: ResourceType, r: unknown, extra: readonly string[]): Obj {
  const o = obj(r);
  const out: Obj = {};
  for (const key of [...RESOURCE_FIELDS[type], ...extra]) {
    if (!(key in o)) continue;
    const v = key === "time" ? num(o[key]) : resourceValue(key, o[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** resource_data: `current` and `removed` hold whitelisted resources, `added` only {id, time}. */
export function sanitizeResourceData(type: ResourceType, data: unknown): { added: Obj[]; current: Obj[]; removed: Obj[]; modified: Obj[] } {
  const d = obj(data);
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  return {
    added: list(d.added).map((a) => compact({ id: scalar(obj(a).id), time: num(obj(a).time) })),
    current: list(d.current).map((r) => sanitizeResource(type, r, [])),
    removed: list(d.removed).map((r) => sanitizeResource(type, r, ["time"])),
    modified: list(d.modified).map((r) => sanitizeResource(type, r, ["time"])),
  };
}

const VERSION_INFO_KEYS = ["fuel_version", "release_version", "release_name", "release_os", "environment_version"] as const;

export function sanitizeVersionInfo(v: unknown): Record<string, string | null> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string | null> = {};
  for (const key of VERSION_INFO_KEYS) {
    if (v[key] === null) out[key] = null;
    else if (str(v[key]) !== undefined) out[key] = v[key] as string;
  }
  return out;
}
