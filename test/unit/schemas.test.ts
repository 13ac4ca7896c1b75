import { describe, expect, it } from "vitest";
import {
  ActionLogsRequestSchema,
  InstallationStructureRequestSchema,
  OswlStatsRequestSchema,
} from "../../schemas/collector";

const structure = (fuel_release?: unknown, extra: Record<string, unknown> = {}) => ({
  installation_structure: {
    master_node_uid: "x",
    clusters_num: 0,
    allocated_nodes_num: 0,
    unallocated_nodes_num: 0,
    clusters: [],
    ...(fuel_release === undefined ? {} : { fuel_release }),
    ...extra,
  },
});

describe("installation structure schema", () => {
  it.each([
    ["6.0 with shas", { release: "6.0", api: "1.0", feature_groups: ["mirantis"], build_id: "2014-12-26_14-25-46", ostf_sha: "a", astute_sha: "b", nailgun_sha: "c", fuellib_sha: "d" }],
    ["7.0 with renamed shas", { release: "7.0", api: "1.0", feature_groups: [], "fuel-ostf_sha": "a", "fuel-library_sha": "b", "python-fuelclient_sha": "c", fuelmain_sha: "d" }],
    ["8.0 with fuel-nailgun_sha", { release: "8.0", api: "1", feature_groups: ["experimental"], "fuel-nailgun_sha": "e" }],
    ["9.0 without shas", { release: "9.0", api: "1", feature_groups: [], build_id: "495", openstack_version: "mitaka-9.0" }],
  ])("accepts fuel_release of %s", (_, fuelRelease) => {
    expect(InstallationStructureRequestSchema.safeParse(structure(fuelRelease)).success).toBe(true);
  });

  it("accepts 8.0 fuel_packages", () => {
    const body = structure({ release: "8.0", api: "1", feature_groups: [] }, { fuel_packages: ["fuel-nailgun-8.0.0-1.mos8212.noarch"] });
    expect(InstallationStructureRequestSchema.safeParse(body).success).toBe(true);
  });

  it("keeps unknown keys inside the structure", () => {
    const parsed = InstallationStructureRequestSchema.parse(structure(undefined, { user_information: { contact_info_provided: false } }));
    expect(parsed.installation_structure).toHaveProperty("user_information");
  });

  it.each([
    ["fuel_release without api", { release: "8.0", feature_groups: [] }],
    ["fuel_release without feature_groups", { release: "8.0", api: "1" }],
    ["fuel_release with a numeric sha", { release: "6.0", api: "1", feature_groups: [], nailgun_sha: 5 }],
  ])("rejects %s", (_, fuelRelease) => {
    expect(InstallationStructureRequestSchema.safeParse(structure(fuelRelease)).success).toBe(false);
  });

  it("rejects an unknown key at the top level", () => {
    expect(InstallationStructureRequestSchema.safeParse({ ...structure(), extra: 1 }).success).toBe(false);
  });

  it("requires the cluster and node fields of fuel-stats", () => {
    const cluster = { id: 1, nodes_num: 1, nodes: [{ id: 1, roles: [] }], mode: "ha_full", release: { version: "v", os: "o", name: "n" }, status: "new", attributes: {} };
    for (const key of Object.keys(cluster)) {
      const partial = Object.fromEntries(Object.entries(cluster).filter(([k]) => k !== key));
      expect(InstallationStructureRequestSchema.safeParse(structure(undefined, { clusters: [partial] })).success, key).toBe(false);
    }
    expect(InstallationStructureRequestSchema.safeParse(structure(undefined, { clusters: [cluster] })).success).toBe(true);
    const nodeWithoutRoles = { ...cluster, nodes: [{ id: 1 }] };
    expect(InstallationStructureRequestSchema.safeParse(structure(undefined, { clusters: [nodeWithoutRoles] })).success).toBe(false);
  });
});

describe("action logs schema", () => {
  const item = (body: Record<string, unknown>) => ({ action_logs: [{ master_node_uid: "x", external_id: 1, body }] });

  it("accepts both body shapes", () => {
    expect(ActionLogsRequestSchema.safeParse(item({ action_type: "http_request", end_timestamp: "2" })).success).toBe(true);
    expect(ActionLogsRequestSchema.safeParse(item({ action_type: "nailgun_task", end_timestamp: null })).success).toBe(true);
  });
  it("rejects a body without action_type, like the original oneOf", () => {
    expect(ActionLogsRequestSchema.safeParse(item({ action_name: "x" })).success).toBe(false);
  });
  it("rejects a null end_timestamp on an http request", () => {
    expect(ActionLogsRequestSchema.safeParse(item({ action_type: "http_request", end_timestamp: null })).success).toBe(false);
  });
  it("rejects a non-integer or null external_id", () => {
    for (const external_id of [1.5, null, "1"]) {
      const body = { action_logs: [{ master_node_uid: "x", external_id, body: { action_type: "http_request" } }] };
      expect(ActionLogsRequestSchema.safeParse(body).success).toBe(false);
    }
  });
});

describe("oswl schema", () => {
  const item = {
    master_node_uid: "x", id: 2, cluster_id: 1, resource_type: "vm", resource_checksum: "xx",
    created_date: "2015-02-24", updated_time: "15:51:11.690102",
    resource_data: { added: [], current: [], removed: [], modified: [] },
  };
  it("accepts every resource type and version_info with nulls", () => {
    for (const resource_type of ["vm", "tenant", "volume", "security_group", "keystone_user", "flavor", "cluster_stats", "image"]) {
      expect(OswlStatsRequestSchema.safeParse({ oswl_stats: [{ ...item, resource_type }] }).success).toBe(true);
    }
    const version_info = { fuel_version: "7.0", release_version: null, release_name: null, release_os: null, environment_version: null };
    expect(OswlStatsRequestSchema.safeParse({ oswl_stats: [{ ...item, version_info }] }).success).toBe(true);
  });
  it("rejects an unknown or missing resource type, an unknown item key, and incomplete resource_data", () => {
    const { resource_type: _, ...withoutType } = item;
    for (const bad of [
      { ...item, resource_type: "network" },
      withoutType,
      { ...item, extra: 1 },
      { ...item, resource_data: { added: [], current: [], removed: [] } },
      { ...item, cluster_id: null },
      { ...item, id: null },
    ]) {
      expect(OswlStatsRequestSchema.safeParse({ oswl_stats: [bad] }).success).toBe(false);
    }
  });
});
