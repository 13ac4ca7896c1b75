import { describe, expect, it } from "vitest";
import { type InstallationRecord, installationRows, type RowOutcome } from "../../../worker/csv/installation-rows";
import { layoutOf } from "../../../worker/csv/layout";

const installation = (structure: unknown, overrides: Partial<InstallationRecord> = {}): InstallationRecord => ({
  id: 1,
  master_node_uid: "mn-1",
  creation_date: "2016-05-01T10:00:00.000Z",
  modification_date: null,
  structure,
  ...overrides,
});

const structure = (clusters: unknown[]) => ({
  master_node_uid: "mn-1",
  clusters_num: clusters.length,
  allocated_nodes_num: 2,
  unallocated_nodes_num: 0,
  fuel_release: { release: "9.0", api: "1", feature_groups: ["mirantis", "experimental"], build_id: "495" },
  fuel_packages: ["fuel-nailgun-9.0.0", "fuel-library-9.0.0"],
  user_information: { contact_info_provided: true, name: "Ann", email: "ann@example.com", company: "Acme" },
  clusters,
});

const cluster = (id: number, overrides: Record<string, unknown> = {}) => ({
  id,
  fuel_version: "9.0",
  mode: "ha_compact",
  status: "operational",
  nodes_num: 2,
  release: { name: "Mitaka on Ubuntu 14.04", os: "Ubuntu", version: "mitaka-9.0" },
  attributes: { libvirt_type: "kvm", debug_mode: false, repos: [{ name: "ubuntu" }] },
  network_configuration: { segmentation_type: "vlan" },
  nodes: [
    { id: 10, roles: ["controller", "mongo"], status: "ready", nic_interfaces: [{}, {}], meta: { cpu: { total: 8 }, disks: [{ name: "sda", size: 100 }] } },
    { id: 11, roles: ["compute"], manufacturer: "Dell", platform_name: "R630" },
  ],
  installed_plugins: [{ name: "contrail", version: "4.0.0", fuel_version: ["8.0", "9.0"], groups: ["network"], licenses: [], releases: [{ os: "ubuntu" }] }],
  ...overrides,
});

function run(report: "clusters" | "nodes" | "plugins", inst: InstallationRecord, options = {}) {
  const layout = layoutOf(report);
  const outcomes = [...installationRows(report, layout, inst, { contacts: false, ...options })];
  const rows = outcomes.flatMap((o) => ("row" in o ? [Object.fromEntries(layout.columns.map((c, i) => [c, o.row[i]]))] : []));
  const bad = outcomes.filter((o): o is Extract<RowOutcome, { bad: string }> => "bad" in o).map((o) => o.bad);
  return { rows, bad, outcomes, layout };
}

describe("clusters rows", () => {
  it("gives one row per cluster, with the installation's columns and the verify_networks status", () => {
    const statuses = new Map<unknown, string>([[5, "error"]]);
    const { rows, layout, outcomes } = run("clusters", installation(structure([cluster(5), cluster(6)])), { verifyStatus: (id: unknown) => statuses.get(id) });
    expect(rows).toHaveLength(2);
    for (const o of outcomes) expect("row" in o && o.row.length).toBe(layout.columns.length);
    expect(rows[0]).toMatchObject({
      id: "5",
      "attributes.libvirt_type": "kvm",
      "attributes.debug_mode": "False",
      "attributes.repos": '{"name":"ubuntu"}',
      "release.os": "Ubuntu",
      "network_configuration.segmentation_type": "vlan",
      master_node_uid: "mn-1",
      creation_date: "2016-05-01T10:00:00.000Z",
      modification_date: "",
      "structure.fuel_packages.0": "fuel-nailgun-9.0.0",
      "structure.fuel_packages.2": "",
      "structure.fuel_release.feature_groups.1": "experimental",
      "structure.user_information.contact_info_provided": "True",
      verify_networks_status: "error",
    });
    expect(rows[1]!.verify_networks_status).toBe("");
  });

  it("leaves the contact columns empty unless asked for them", () => {
    const inst = installation(structure([cluster(5)]));
    expect(run("clusters", inst).rows[0]).toMatchObject({
      "structure.user_information.name": "",
      "structure.user_information.email": "",
      "structure.user_information.company": "",
    });
    expect(run("clusters", inst, { contacts: true }).rows[0]).toMatchObject({
      "structure.user_information.name": "Ann",
      "structure.user_information.email": "ann@example.com",
      "structure.user_information.company": "Acme",
    });
  });

  it("gives no rows for an installation without clusters", () => {
    expect(run("clusters", installation(structure([]))).outcomes).toEqual([]);
    expect(run("clusters", installation({ master_node_uid: "x" })).outcomes).toEqual([]);
  });

  it("drops only the bad cluster's row and says why", () => {
    const { rows, bad } = run("clusters", installation(structure([cluster(5), "garbage", cluster(7)])));
    expect(rows.map((r) => r.id)).toEqual(["5", "7"]);
    expect(bad).toEqual(["clusters[1] is not an object"]);
  });

  it("drops an installation whose structure or cluster list is not what it should be", () => {
    expect(run("clusters", installation("text")).bad).toEqual(["structure is not an object"]);
    expect(run("clusters", installation({ clusters: { a: 1 } })).bad).toEqual(["structure.clusters is not a list"]);
  });
});

describe("nodes rows", () => {
  it("gives one row per node with its cluster's id and fuel_version and the space-joined packages", () => {
    const { rows } = run("nodes", installation(structure([cluster(5), cluster(6, { nodes: [{ id: 60, roles: [] }], fuel_version: null })])));
    expect(rows.map((r) => r.id)).toEqual(["10", "11", "60"]);
    expect(rows[0]).toMatchObject({
      "roles.0": "controller",
      "roles.1": "mongo",
      "roles.2": "",
      "nic_interfaces.count": "2",
      "bond_interfaces.count": "",
      "meta.cpu.total": "8",
      "meta.disks.0.name": "sda",
      "meta.disks.1.name": "",
      cluster_id: "5",
      cluster_fuel_version: "9.0",
      master_node_uid: "mn-1",
      "structure.fuel_packages": "fuel-nailgun-9.0.0 fuel-library-9.0.0",
    });
    expect(rows[2]).toMatchObject({ cluster_id: "6", cluster_fuel_version: "" });
    expect(Object.keys(rows[1]!)).not.toContain("manufacturer");
  });

  it("drops only a node that is not an object, and a cluster whose nodes are not a list", () => {
    const { rows, bad } = run("nodes", installation(structure([cluster(5, { nodes: [{ id: 1 }, 42, { id: 3 }] }), cluster(6, { nodes: "x" }), cluster(7)])));
    expect(rows.map((r) => r.id)).toEqual(["1", "3", "10", "11"]);
    expect(bad).toEqual(["clusters[0].nodes[1] is not an object", "clusters[1].nodes is not a list"]);
  });
});

describe("plugins rows", () => {
  it("gives one row per installed plugin, releases left out, fuel_version list space-joined", () => {
    const { rows } = run("plugins", installation(structure([cluster(5), cluster(6, { installed_plugins: undefined })])));
    expect(rows).toEqual([
      expect.objectContaining({
        name: "contrail",
        version: "4.0.0",
        fuel_version: "8.0 9.0",
        "groups.0": "network",
        "licenses.0": "",
        cluster_id: "5",
        cluster_fuel_version: "9.0",
        master_node_uid: "mn-1",
        "structure.fuel_packages": "fuel-nailgun-9.0.0 fuel-library-9.0.0",
      }),
    ]);
  });
});
