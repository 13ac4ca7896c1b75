// Sanitising by whitelist: structures, action logs and workload rows full of secrets go in, and
// not one secret comes out in what would be sent; contact details leave only with their own flag.
import { describe, expect, it } from "vitest";
import { ActionLogBodySchema, InstallationStructureRequestSchema, OswlSchema } from "../../schemas/collector";
import { sanitizeActionLogBody, sanitizeResourceData, sanitizeStructure, sanitizeVersionInfo, userInformation } from "../../agent/src/sanitize";
import { SECRETS, httpRequestLog, nailgunTask, openOutbox, structureFullOfSecrets, tempDir, testConfig, vmRow } from "./helpers";

function expectNoSecrets(payload: unknown) {
  const text = JSON.stringify(payload);
  for (const [name, secret] of Object.entries(SECRETS)) {
    expect(text, `${name} leaked`).not.toContain(secret);
  }
  // No address or MAC of any shape, not only the planted ones.
  expect(text).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b/);
  expect(text).not.toMatch(/\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b/i);
}

describe("sanitising the installation structure", () => {
  it("keeps no password, key, fsid, certificate, MAC, host name or address", () => {
    const clean = sanitizeStructure(structureFullOfSecrets());
    expectNoSecrets(clean);
  });

  it("still reports what the statistics are for, and passes the collector's schema", () => {
    const clean = sanitizeStructure(structureFullOfSecrets()) as Record<string, any>;
    expect(clean.clusters_num).toBe(1);
    expect(clean.allocated_nodes_num).toBe(1);
    expect(clean.unallocated_nodes_num).toBe(2);
    const cluster = clean.clusters[0];
    expect(cluster.attributes).toMatchObject({ libvirt_type: "kvm", debug_mode: false, volumes_ceph: true, images_ceph: true, public_ssl_horizon: true });
    // Settings whose content is private are reduced to whether they are set.
    expect(cluster.attributes).toMatchObject({ external_ntp: true, external_dns: true, external_mongo_replset: true, kernel_params: true, custom_repos: true });
    expect(cluster.nodes[0]).toMatchObject({ id: 5, roles: ["controller", "ceph-osd"], os: "ubuntu", manufacturer: "Supermicro" });
    expect(cluster.nodes[0].meta.cpu.total).toBe(16);
    expect(cluster.installed_plugins[0]).toEqual({ id: 3, name: "lma_collector", version: "0.10.0", package_version: "4.0.0", fuel_version: ["9.0"] });
    const request = { installation_structure: { master_node_uid: "uid", ...clean, user_information: userInformation(false, {}) } };
    expect(InstallationStructureRequestSchema.safeParse(request).success).toBe(true);
  });

  it("drops fields nobody listed, however they are named", () => {
    const s = structureFullOfSecrets();
    (s.clusters as any[])[0].attributes.storage.brand_new_secret = { value: "zz-never-listed-zz" };
    (s.clusters as any[])[0].nodes[0].brand_new_field = "zz-never-listed-zz";
    (s as any).brand_new_top = "zz-never-listed-zz";
    expect(JSON.stringify(sanitizeStructure(s))).not.toContain("zz-never-listed-zz");
  });
});

describe("cluster settings in either form", () => {
  const cluster = (attributes: unknown) => ({ clusters: [{ id: 1, status: "operational", attributes }] });
  const attributesOf = (structure: unknown) => (sanitizeStructure(structure) as { clusters: { attributes: unknown }[] }).clusters[0]!.attributes;

  it("keeps the flat form the collector stores, so the hypervisor is not lost", () => {
    const flat = { libvirt_type: "kvm", debug_mode: true, volumes_ceph: false, provision_method: "image", external_ntp: true, kernel_params: "console=ttyS0 secret=zz-flat-zz" };
    expect(attributesOf(cluster(flat))).toEqual({ libvirt_type: "kvm", debug_mode: true, volumes_ceph: false, provision_method: "image", external_ntp: true, kernel_params: true });
  });

  it("reads Nailgun's nested form, also inside the editable key of its attributes API", () => {
    const nested = { common: { libvirt_type: { value: "qemu" } }, external_ntp: { ntp_list: { value: "" } } };
    expect(attributesOf(cluster(nested))).toEqual({ libvirt_type: "qemu", external_ntp: false });
    expect(attributesOf(cluster({ editable: nested }))).toEqual({ libvirt_type: "qemu", external_ntp: false });
  });

  it("sends whether a private setting is set, never its content, in the flat form too", () => {
    const flat = { external_dns: ["203.0.113.17"], custom_repos: [{ uri: "http://10.20.30.40/repo" }], external_mongo_replset: "" };
    const text = JSON.stringify(sanitizeStructure(cluster(flat)));
    expect(attributesOf(cluster(flat))).toEqual({ external_dns: true, custom_repos: true, external_mongo_replset: false });
    expect(text).not.toContain("203.0.113.17");
    expect(text).not.toContain("10.20.30.40");
  });

  it("refuses settings that are not an object, naming the cluster", () => {
    expect(() => sanitizeStructure(cluster("kvm"))).toThrow(/clusters\[0\]\.attributes must be an object .*not string/);
    expect(() => sanitizeStructure(cluster([{ libvirt_type: "kvm" }]))).toThrow(/clusters\[0\]\.attributes must be an object .*not an array/);
  });

  it("reach the outbox's stored structure in the flat form", () => {
    const { dir, cleanup } = tempDir();
    const outbox = openOutbox(testConfig(dir));
    try {
      outbox.putStructure(cluster({ libvirt_type: "vcenter" }));
      expect(outbox.structure()?.data).toMatchObject({ clusters: [{ attributes: { libvirt_type: "vcenter" } }] });
    } finally {
      outbox.close();
      cleanup();
    }
  });
});

describe("contact details", () => {
  const contact = { name: SECRETS.user_name, email: SECRETS.email, company: SECRETS.company };

  it("are not sent without their own consent flag, only that none were given", () => {
    expect(userInformation(false, contact)).toEqual({ contact_info_provided: false });
    expectNoSecrets(userInformation(false, contact));
  });

  it("are sent when the operator consented to share them", () => {
    expect(userInformation(true, contact)).toEqual({ contact_info_provided: true, ...contact });
  });

  it("never come from the host's structure", () => {
    expect(JSON.stringify(sanitizeStructure(structureFullOfSecrets()))).not.toContain(SECRETS.email);
  });
});

describe("sanitising action logs", () => {
  it("keeps a finished task's shape and outcome, not its message, output or actor", () => {
    const body = sanitizeActionLogBody(nailgunTask());
    expectNoSecrets(body);
    expect(body).toMatchObject({ action_type: "nailgun_task", action_name: "deployment", end_timestamp: "2026-11-26T10:30:00" });
    expect(body.actor_id).toMatch(/^[0-9a-f]{64}$/);
    expect((body.additional_info as any).nodes_from_resp).toEqual([5, "6"]);
    expect(ActionLogBodySchema.safeParse(body).success).toBe(true);
  });

  it("keeps an HTTP request's method, path and status, never bodies, hosts or queries", () => {
    const body = sanitizeActionLogBody(httpRequestLog());
    expectNoSecrets(body);
    expect(body.additional_info).toEqual({
      request_data: { http_method: "PUT", url: "/api/clusters/1/changes", data: {} },
      response_data: { status: 202, data: {} },
    });
    expect(ActionLogBodySchema.safeParse(body).success).toBe(true);
  });

  it("keeps a running task's end_timestamp null, so the collector answers skipped", () => {
    expect(sanitizeActionLogBody(nailgunTask({ end_timestamp: null })).end_timestamp).toBeNull();
  });

  it("refuses a log without a known action_type", () => {
    expect(() => sanitizeActionLogBody({ action_name: "x" })).toThrow(/action_type/);
  });
});

describe("sanitising workload rows", () => {
  it("keeps only the whitelisted fields of each resource", () => {
    const row = vmRow("2026-11-25");
    const data = sanitizeResourceData("vm", row.resource_data);
    const versionInfo = sanitizeVersionInfo(row.version_info);
    expectNoSecrets({ data, versionInfo });
    expect(data.current[0]).toEqual({ id: "vm-1", status: "ACTIVE", tenant_id: "t1", host_id: "h1", created_at: "2026-11-26T09:00:00Z", power_state: 1, flavor_id: "f1", image_id: "i1" });
    expect(data.removed[0]).toEqual({ id: "vm-0", status: "DELETED", time: 1764140000 });
    const item = { master_node_uid: "u", id: 1, cluster_id: 1, created_date: "2026-11-25", updated_time: "1", resource_type: "vm", resource_checksum: "x", resource_data: data, version_info: versionInfo };
    expect(OswlSchema.safeParse(item).success).toBe(true);
  });
});
