// Seeds the e2e worker through its public API, as Fuel masters and an operator would: structures
// through the collector, one rejected request, then the roll-up with the admin token.
import { E2E_ADMIN_TOKEN, type RunningWorker } from "./worker";

const release = (name: string) => ({ fuel_release: { release: name, build_id: "ga", api: "1", feature_groups: [] } });

function cluster(id: number, nodes: number, overrides: Record<string, unknown> = {}) {
  return {
    id,
    mode: "ha_full",
    release: { version: "2015.1-9.0", name: "Liberty on Ubuntu 14.04", os: "Ubuntu" },
    nodes_num: nodes,
    nodes: Array.from({ length: Math.min(nodes, 3) }, (_, i) => ({ id: id * 1000 + i, roles: ["compute"], status: "ready" })),
    status: "operational",
    attributes: { libvirt_type: "kvm" },
    network_configuration: { segmentation_type: "vlan", net_l23_provider: "ovs" },
    ...overrides,
  };
}

const centos = { version: "2014.2-6.0", name: "Juno on CentOS 6.5", os: "CentOS" };

function structure(uid: string, releaseName: string, clusters: ReturnType<typeof cluster>[], clustersNum = clusters.length) {
  return {
    master_node_uid: uid,
    clusters_num: clustersNum,
    allocated_nodes_num: clusters.reduce((n, c) => n + c.nodes_num, 0),
    unallocated_nodes_num: 1,
    clusters,
    ...release(releaseName),
  };
}

/** Installations on 9.0, 8.0 and 7.0 with every status, size bucket and an unreported hypervisor. */
export const STRUCTURES = [
  structure("e2e-a", "9.0", [
    cluster(1, 3),
    cluster(2, 12, { status: "error", attributes: { libvirt_type: "qemu" }, release: centos }),
    cluster(3, 0, { status: "new" }),
  ]),
  structure("e2e-b", "9.0", [cluster(4, 120, { attributes: {} })]),
  structure("e2e-c", "8.0", [cluster(5, 2, { status: "deployment" }), cluster(6, 7, { attributes: { libvirt_type: "vcenter" } })]),
  structure("e2e-d", "8.0", []),
  structure("e2e-e", "7.0", [
    cluster(7, 25, { status: "stopped", release: centos }),
    cluster(8, 60, { status: "update_error" }),
    cluster(9, 1, { attributes: { libvirt_type: "Kvm" }, release: centos }),
  ]),
];
/** Reported 8.0 five days ago, 9.0 today: an upgrade in the adoption report. */
export const UPGRADED = { uid: "e2e-f", before: "8.0", after: "9.0", daysAgo: 5 };

async function post(origin: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${origin}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function postStructure(origin: string, s: unknown) {
  const response = await post(origin, "/api/v1/installation_structure/", { installation_structure: s });
  if (response.status !== 200 && response.status !== 201) throw new Error(`structure: ${response.status} ${await response.text()}`);
}

export async function seed(worker: RunningWorker): Promise<void> {
  const { origin } = worker;
  for (const s of STRUCTURES) await postStructure(origin, s);

  await postStructure(origin, structure(UPGRADED.uid, UPGRADED.before, [cluster(10, 4)]));
  const day = new Date(Date.now() - UPGRADED.daysAgo * 86_400_000).toISOString().slice(0, 10);
  worker.d1("COLLECTOR_DB", `UPDATE installation_release_days SET day = '${day}' WHERE master_node_uid = '${UPGRADED.uid}'`);
  await postStructure(origin, structure(UPGRADED.uid, UPGRADED.after, [cluster(10, 4)]));

  // A request the collector turns away, for the health page.
  const rejected = await post(origin, "/api/v1/installation_structure/", { installation_structure: { clusters_num: "x" } });
  if (rejected.status !== 400) throw new Error(`a bad structure answered ${rejected.status}`);

  const rollup = await fetch(`${origin}/api/v1/json/report/installations?refresh=1`, { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } });
  if (rollup.status !== 200) throw new Error(`roll-up: ${rollup.status} ${await rollup.text()}`);
  // The outcome counters are written at most every COUNTER_FLUSH_MS (50 ms in these tests).
  await new Promise((resolve) => setTimeout(resolve, 300));
}
