// Synthetic installations for `npm run bench:rollup`: Fuel masters with a realistic mix of
// releases, cluster statuses, hypervisors, OSes and 1–50 nodes per cluster, plus a release
// history. Everything is a pure function of (seed, index), so a run is reproducible and the
// expected report can be computed here, independently of the worker's roll-up.

const DAY_MS = 24 * 60 * 60 * 1000;

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, weighted) => {
  const total = weighted.reduce((n, [, w]) => n + w, 0);
  let x = rand() * total;
  for (const [value, w] of weighted) if ((x -= w) < 0) return value;
  return weighted.at(-1)[0];
};

/** Releases oldest first, with the share of installations currently on each (weights). */
export const RELEASES = [
  { release: "5.1.1", weight: 2, version: "2014.1.1-5.1.1", name: "Icehouse", centos: 0.6, build: "5.1.1-26" },
  { release: "6.0", weight: 5, version: "2014.2-6.0", name: "Juno", centos: 0.5, build: "58" },
  { release: "6.1", weight: 12, version: "2014.2.2-6.1", name: "Juno", centos: 0.4, build: "525" },
  { release: "7.0", weight: 16, version: "2015.1.0-7.0", name: "Kilo", centos: 0.2, build: "301" },
  { release: "7.0.1", weight: 0.05, version: "2015.1.0-7.0", name: "Kilo", centos: 0.2, build: "305" },
  { release: "8.0", weight: 20, version: "liberty-8.0", name: "Liberty", centos: 0, build: "570" },
  { release: "9.0", weight: 28, version: "mitaka-9.0", name: "Mitaka", centos: 0, build: "495" },
  { release: "9.1", weight: 3, version: "mitaka-9.0", name: "Mitaka", centos: 0, build: "9.1-3" },
  { release: "9.2", weight: 9, version: "mitaka-9.0", name: "Mitaka", centos: 0, build: "9.2-14" },
  { release: "10.0", weight: 4, version: "newton-10.0", name: "Newton", centos: 0, build: "1564" },
  { release: "11.0", weight: 0.7, version: "ocata-11.0", name: "Ocata", centos: 0, build: "11.0-7" },
];
const RELEASE_INDEX = new Map(RELEASES.map((r, i) => [r.release, i]));
/** A release no installation reports: the report must answer zeros. */
export const UNKNOWN_RELEASE = "0.0-bench-unknown";

// Fuel cluster statuses, roughly as fuel-stats saw them.
const STATUSES = [
  ["operational", 45],
  ["new", 24],
  ["error", 12],
  ["deployment", 5],
  ["stopped", 5],
  ["update", 3],
  ["update_error", 2],
  ["remove", 4],
];
// libvirt_type; null: the attribute is missing. "KVM" checks that the report lower-cases.
const HYPERVISORS = [
  ["kvm", 68],
  ["qemu", 20],
  ["vcenter", 8],
  ["KVM", 2],
  [null, 2],
];
const CLUSTER_COUNTS = [
  [0, 28],
  [1, 44],
  [2, 15],
  [3, 7],
  [4, 4],
  [5, 2],
];
const ROLE_SETS = [["controller"], ["controller", "mongo"], ["compute"], ["compute", "cinder"], ["ceph-osd"], ["cinder"]];
const VENDORS = [
  ["Supermicro", "X9DRW"],
  ["Dell Inc.", "PowerEdge R630"],
  ["HP", "ProLiant DL360 Gen9"],
  ["Cisco Systems Inc", "UCSB-B200-M4"],
  ["QEMU", "Standard PC (i440FX + PIIX, 1996)"],
];
const COUNTRIES = [
  [null, 40],
  ["US", 20],
  ["RU", 12],
  ["CN", 8],
  ["DE", 6],
  ["IN", 5],
  ["JP", 4],
  ["BR", 5],
];

export const uidOf = (index) => `rollup-${String(index).padStart(6, "0")}-2b7e1516-28ae-4d2a-a6f7-15887e09cf4f`;
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * The facts of installation `index`: its release, clusters and history. `now` anchors the days.
 * `history` lists the releases before the current one with the day each began, oldest first;
 * the current release began on `currentSince` (or on the creation day without history).
 */
export function installationFacts(seed, index, now) {
  const rand = prng(seed * 1_000_003 + index * 7919 + 1);
  const current = pick(rand, RELEASES.map((r, i) => [i, r.weight]));
  const clusterCount = pick(rand, CLUSTER_COUNTS);
  const release = RELEASES[current];
  const clusters = [];
  for (let c = 0; c < clusterCount; c++) {
    const u = rand();
    clusters.push({
      id: c + 1,
      status: pick(rand, STATUSES),
      // 1–50, skewed to small clusters (median about 7).
      nodes: 1 + Math.floor(49 * u * u * u + 0.5 * rand()),
      hypervisor: pick(rand, HYPERVISORS),
      os: rand() < release.centos ? "CentOS" : "Ubuntu",
      vendor: Math.floor(rand() * VENDORS.length),
    });
  }
  // Days: created up to ~3 years ago, last report within the 60 days before today (UTC), so that
  // a report posted during the bench is on a later day than every seeded one.
  const createdDaysAgo = 1 + Math.floor(rand() * 1000);
  const lastBeforeToday = Math.floor(now / DAY_MS) * DAY_MS - 60_000;
  const updatedAt = lastBeforeToday - Math.floor(rand() * Math.min(60, createdDaysAgo - 1) * DAY_MS);
  const createdAt = Math.min(updatedAt, now - createdDaysAgo * DAY_MS);
  // Earlier releases: about 35% upgraded once, 10% twice, when there was an older release and time.
  const r = rand();
  const upgrades = Math.min(current, r < 0.1 ? 2 : r < 0.45 ? 1 : 0);
  const history = [];
  const spanDays = Math.floor((updatedAt - createdAt) / DAY_MS);
  if (upgrades > 0 && spanDays > upgrades + 1) {
    // Releases before the current one, oldest first, each on a day strictly between creation and
    // the last report (so that the trigger's row for the last report is the current release).
    const picked = new Set();
    while (picked.size < upgrades) picked.add(Math.floor(rand() * current));
    const older = [...picked].sort((a, b) => a - b);
    const cuts = new Set();
    while (cuts.size < upgrades) cuts.add(1 + Math.floor(rand() * (spanDays - 1)));
    const days = [...cuts].sort((a, b) => a - b).map((d) => dayOf(createdAt + d * DAY_MS));
    // older[0] from creation, older[1] from days[0], …, current from days.at(-1).
    history.push({ day: dayOf(createdAt), release: RELEASES[older[0]].release });
    for (let k = 1; k < older.length; k++) history.push({ day: days[k - 1], release: RELEASES[older[k]].release });
    history.push({ day: days.at(-1), release: release.release });
  } else {
    history.push({ day: dayOf(createdAt), release: release.release });
  }
  return {
    index,
    uid: uidOf(index),
    release: release.release,
    clusters,
    unallocated: Math.floor(rand() * 4),
    country: pick(rand, COUNTRIES),
    createdAt,
    updatedAt,
    history,
  };
}

function node(clusterId, i, vendor) {
  const [manufacturer, platform] = VENDORS[vendor];
  return {
    id: clusterId * 1000 + i,
    roles: ROLE_SETS[i % ROLE_SETS.length],
    status: "ready",
    online: true,
    os: "ubuntu",
    manufacturer,
    platform_name: platform,
    meta: { cpu: { real: 2, total: 24 }, memory: { total: 137438953472 }, disks: [{ size: 480103981056 }, { size: 2000398934016 }] },
  };
}

/** The installation_structure object the facts describe, shaped as Fuel sends it. */
export function structureOf(facts) {
  const release = RELEASES[RELEASE_INDEX.get(facts.release)];
  const clusters = facts.clusters.map((c) => {
    const attributes = {
      debug_mode: false,
      use_cow_images: true,
      heat: true,
      sahara: c.id % 3 === 0,
      murano: false,
      ceilometer: c.id % 2 === 0,
      volumes_lvm: c.vendor % 2 === 0,
      volumes_ceph: c.vendor % 2 === 1,
      images_ceph: c.vendor % 2 === 1,
      ephemeral_ceph: false,
      objects_ceph: false,
      osd_pool_size: "3",
      provision_method: "image",
    };
    if (c.hypervisor !== null) attributes.libvirt_type = c.hypervisor;
    return {
      id: c.id,
      mode: "ha_compact",
      status: c.status,
      release: { version: release.version, os: c.os, name: `${release.name} on ${c.os === "CentOS" ? "CentOS 6.5" : "Ubuntu 14.04"}` },
      fuel_version: facts.release,
      net_provider: "neutron",
      is_customized: false,
      nodes_num: c.nodes,
      nodes: Array.from({ length: c.nodes }, (_, i) => node(c.id, i, c.vendor)),
      installed_plugins: [],
      attributes,
      network_configuration: { segmentation_type: "vlan", net_l23_provider: "ovs" },
    };
  });
  const modern = RELEASE_INDEX.get(facts.release) >= RELEASE_INDEX.get("8.0");
  const structure = {
    master_node_uid: facts.uid,
    clusters_num: clusters.length,
    allocated_nodes_num: facts.clusters.reduce((n, c) => n + c.nodes, 0),
    unallocated_nodes_num: facts.unallocated,
    clusters,
    fuel_release: { release: facts.release, api: "1", build_id: release.build, feature_groups: ["mirantis"] },
    user_information: { contact_info_provided: false },
  };
  if (modern) {
    structure.fuel_packages = [`fuel-nailgun-${facts.release}.0-1.mos8694`, `fuel-library${facts.release}-${facts.release}.0-1.mos8464`];
  }
  return structure;
}

const NEXT_STATUS = { new: "deployment", deployment: "operational", error: "operational", update: "operational", update_error: "error" };

/**
 * The same installation reporting again later: clusters move on (new → deployment →
 * operational, errors fixed), one cluster grows by a node (up to 50), and, when `upgrade` and a
 * newer release exists, it moves to the next release. `updatedAt` is not known here (the
 * collector takes it).
 */
export function changedFacts(facts, upgrade) {
  const clusters = facts.clusters.map((c, i) => ({
    ...c,
    status: NEXT_STATUS[c.status] ?? c.status,
    nodes: i === 0 ? Math.min(50, c.nodes + 1) : c.nodes,
  }));
  const at = RELEASE_INDEX.get(facts.release);
  // The next release, skipping the very rare 7.0.1 so that it stays rare.
  let next = at + 1;
  if (RELEASES[next]?.release === "7.0.1") next++;
  const release = upgrade && next < RELEASES.length ? RELEASES[next].release : facts.release;
  return { ...facts, clusters, release, upgraded: release !== facts.release };
}

/** The installation_structures row of the facts, as bench/lib/rollup-db.mjs inserts it. */
export function seedRow(facts) {
  const created = new Date(facts.createdAt).toISOString();
  const modified = facts.updatedAt > facts.createdAt ? new Date(facts.updatedAt).toISOString() : null;
  return [facts.uid, JSON.stringify(structureOf(facts)), created, modified, facts.release, facts.country, facts.updatedAt];
}

/**
 * The installations report fuel-stats would give for these installations (docs/analytics.md
 * "What counts"), computed here from the facts, independently of the worker.
 */
export function expectedReport(factsList) {
  const report = {
    installations: { count: 0, environments_num: {} },
    environments: { count: 0, operable_envs_count: 0, statuses: {}, nodes_num: {}, hypervisors_num: {}, oses_num: {} },
  };
  const inc = (map, key) => (map[key] = (map[key] ?? 0) + 1);
  for (const f of factsList) {
    report.installations.count++;
    inc(report.installations.environments_num, String(f.clusters.length));
    for (const c of f.clusters) {
      report.environments.count++;
      inc(report.environments.statuses, c.status);
      if (c.status === "operational" || c.status === "error") {
        report.environments.operable_envs_count++;
        inc(report.environments.nodes_num, String(c.nodes));
        if (c.hypervisor !== null) inc(report.environments.hypervisors_num, c.hypervisor.toLowerCase());
        inc(report.environments.oses_num, c.os.toLowerCase());
      }
    }
  }
  return report;
}

/** Canonical JSON (sorted keys) to compare two reports. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
