import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { CSV_REPORT_IDS, type CsvReportId } from "../../../schemas/csv";
import { csvColumns, csvReportChunks } from "../../../worker/csv";
import { listCsvInstallations, listCsvOswls, REMOVE_IN_PLACE_CLUSTERS } from "../../../worker/db/csv";
import { csvObjects, parseCsv } from "../../unit/csv/parse-csv";
import { ADMIN_AUTH, call, callUnder, cluster, envWith, freshUid, oswl, postJson, resetStorage, structure } from "../helpers";

const DAY_MS = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);
const today = () => daysAgo(0);

/** A CSV report as the admin gets it (the row-level exports want the secret unless PUBLIC_ROW_EXPORTS). */
function download(report: string, query = "", headers: Record<string, string> = ADMIN_AUTH) {
  return call(`/api/v1/csv/${report}${query ? `?${query}` : ""}`, { headers });
}

async function csvOf(report: string, query = "", headers: Record<string, string> = ADMIN_AUTH) {
  const response = await download(report, query, headers);
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(parseCsv(text)[0]).toEqual(csvColumns(report as CsvReportId));
  return csvObjects(text);
}

async function postStructure(uid: string, overrides: Record<string, unknown> = {}) {
  const response = await postJson("/api/v1/installation_structure/", { installation_structure: structure(uid, overrides) });
  expect(response.status).toBeLessThan(300);
}

function verifyNetworksLog(uid: string, externalId: number, clusterId: number, status: string, ended: string) {
  return {
    master_node_uid: uid,
    external_id: externalId,
    body: {
      id: externalId,
      action_type: "nailgun_task",
      action_name: "verify_networks",
      action_group: "network_changes",
      start_timestamp: ended,
      end_timestamp: ended,
      cluster_id: clusterId,
      additional_info: { ended_with_status: status, parent_task_id: null, subtasks_ids: [], operation: "verify_networks", nodes_from_resp: [] },
    },
  };
}

async function sql(query: string, ...args: unknown[]) {
  await env.COLLECTOR_DB.prepare(query).bind(...args).run();
}

/** A richer installation: two clusters with nodes and plugins, packages and contacts. */
function richStructure(uid: string) {
  const node = (id: number) => ({
    id,
    roles: ["controller", "cinder"],
    pending_roles: [],
    status: "ready",
    os: "Ubuntu",
    online: true,
    manufacturer: "Dell",
    platform_name: "R630",
    nic_interfaces: [{ id: 1 }, { id: 2 }],
    meta: { cpu: { total: 16, real: 2, spec: [{ model: "Xeon «E5»", frequency: 2400 }] }, disks: [{ name: "sda", size: 500, removable: false }] },
  });
  return {
    clusters_num: 2,
    allocated_nodes_num: 3,
    fuel_release: { release: "9.0", api: "1", feature_groups: ["mirantis"], build_id: "495", openstack_version: "mitaka-9.0" },
    fuel_packages: ["fuel-nailgun-9.0.0", "fuel-library-9.0.0"],
    user_information: { contact_info_provided: true, name: "Анна Łukasz", email: "anna@example.com", company: "Acme, \"Inc\"" },
    clusters: [
      cluster(5, 2, {
        fuel_version: "9.0",
        nodes: [node(51), node(52)],
        attributes: { libvirt_type: "kvm", debug_mode: false, kernel_params: "console=tty0 эюя" },
        installed_plugins: [{ id: 1, name: "contrail", version: "4.0.0", releases: [], fuel_version: ["8.0", "9.0"], package_version: "4.0.0", groups: ["network"] }],
      }),
      cluster(6, 1, { fuel_version: "9.0", status: "new", nodes: [node(61)] }),
    ],
  };
}

beforeEach(resetStorage);

describe("CSV exports, end to end", () => {
  it("serve each report as a UTF-8 CSV attachment with its header", async () => {
    for (const id of CSV_REPORT_IDS) {
      const response = await download(id);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename=${id}.csv`);
      expect(await response.text()).toBe(`${csvColumns(id).join(",")}\r\n`);
    }
  });

  it("export the clusters, nodes and plugins of a posted installation", async () => {
    const uid = freshUid("csv");
    await postStructure(uid, richStructure(uid));
    const logs = [verifyNetworksLog(uid, 1, 5, "error", `${daysAgo(1)}T10:00:00`), verifyNetworksLog(uid, 2, 5, "ready", `${today()}T08:00:00`)];
    expect((await postJson("/api/v1/action_logs/", { action_logs: logs })).status).toBe(200);

    const clusters = await csvOf("clusters");
    expect(clusters.map((r) => [r.id, r.status, r.verify_networks_status])).toEqual([["5", "operational", "ready"], ["6", "new", ""]]);
    expect(clusters[0]).toMatchObject({
      master_node_uid: uid,
      "attributes.libvirt_type": "kvm",
      "attributes.debug_mode": "False",
      "attributes.kernel_params": "console=tty0 эюя",
      "release.os": "CentOS",
      "structure.fuel_packages.1": "fuel-library-9.0.0",
      "structure.fuel_release.feature_groups.0": "mirantis",
      "structure.user_information.contact_info_provided": "True",
      modification_date: "",
    });
    expect(clusters[0]!.creation_date!.slice(0, 10)).toBe(today());

    const nodes = await csvOf("nodes");
    expect(nodes.map((r) => [r.id, r.cluster_id, r.cluster_fuel_version])).toEqual([["51", "5", "9.0"], ["52", "5", "9.0"], ["61", "6", "9.0"]]);
    expect(nodes[0]).toMatchObject({
      "roles.0": "controller",
      "roles.1": "cinder",
      "pending_roles.0": "",
      online: "True",
      "nic_interfaces.count": "2",
      "meta.cpu.spec.0.model": "Xeon «E5»",
      "meta.disks.0.removable": "False",
      "structure.fuel_packages": "fuel-nailgun-9.0.0 fuel-library-9.0.0",
    });

    const plugins = await csvOf("plugins");
    expect(plugins).toEqual([expect.objectContaining({ name: "contrail", fuel_version: "8.0 9.0", "groups.0": "network", cluster_id: "5", master_node_uid: uid })]);
  });

  it("write the contact details, unicode and quotes intact, only for the admin secret, and refuse a wrong one", async () => {
    const uid = freshUid("contacts");
    await postStructure(uid, richStructure(uid));
    const [row] = await csvOf("clusters");
    expect(row).toMatchObject({
      "structure.user_information.name": "Анна Łukasz",
      "structure.user_information.email": "anna@example.com",
      "structure.user_information.company": 'Acme, "Inc"',
    });
    // Made public (PUBLIC_ROW_EXPORTS), the same report leaves the contact details out.
    const open = await callUnder(envWith({ PUBLIC_ROW_EXPORTS: "true" }), "/api/v1/csv/clusters");
    expect(open.status).toBe(200);
    const [publicRow] = csvObjects(await open.text());
    expect(publicRow).toEqual({
      ...row,
      "structure.user_information.name": "",
      "structure.user_information.email": "",
      "structure.user_information.company": "",
    });
    const wrong = await download("clusters", "", { authorization: "Bearer nope" });
    expect(wrong.status).toBe(403);
  });

  it("export the OSWL time series of each resource type, gaps filled up to to_date", async () => {
    const uid = freshUid("oswl");
    await postStructure(uid, richStructure(uid));
    const resources: Record<string, Record<string, unknown>> = {
      vm: { id: "vm-1", status: "ACTIVE", tenant_id: "t", host_id: "h", created_at: "2016-01-01", power_state: 1, flavor_id: "f", image_id: "i" },
      flavor: { id: "f", ram: 512, vcpus: 1, ephemeral: 0, disk: 1, swap: 0 },
      volume: { id: "v", availability_zone: "nova", encrypted_flag: false, bootable_flag: true, status: "in-use", volume_type: "lvm", size: 1, snapshot_id: null, tenant_id: "t", host: "h", attachments: [{ id: 1 }] },
      image: { id: "i", minDisk: 1, minRam: 64, sizeBytes: 13000, created_at: "c", updated_at: "u" },
      tenant: { id: "t", enabled_flag: true },
      keystone_user: { id: "u", enabled_flag: true, tenant_id: "t" },
    };
    const oswls = Object.entries(resources).map(([type, resource], i) =>
      oswl(uid, i + 1, {
        resource_type: type,
        cluster_id: 5,
        created_date: daysAgo(2),
        resource_data: { current: [resource], added: [{ id: resource.id, time: 1 }], modified: [], removed: [] },
      }),
    );
    expect((await postJson("/api/v1/oswl_stats/", { oswl_stats: oswls })).status).toBe(200);

    for (const type of Object.keys(resources)) {
      const rows = await csvOf(type);
      expect(rows.map((r) => [r.stats_on_date, r[`${type}.id`], r[`${type}.is_added`]])).toEqual([
        [daysAgo(2), resources[type]!.id, "True"],
        [daysAgo(1), resources[type]!.id, "False"],
        [today(), resources[type]!.id, "False"],
      ]);
      // No version_info was sent: it comes from cluster 5 of the structure.
      expect(rows[0]).toMatchObject({ master_node_uid: uid, cluster_id: "5", resource_type: type, "version_info.fuel_version": "9.0", "version_info.release_os": "CentOS" });
    }
    const [volume] = await csvOf("volume");
    expect(volume).toMatchObject({ "volume.attachments.count": "1", "volume.bootable_flag": "True", "volume.snapshot_id": "" });
  });

  it("fill version_info from the OSWL, else its cluster in the structure, else the installation's fuel_release", async () => {
    const uid = freshUid("versions");
    await postStructure(uid, richStructure(uid));
    const own = { fuel_version: "8.0", release_version: "liberty-8.0", release_os: "Ubuntu", release_name: "Liberty", environment_version: "8.0" };
    await postJson("/api/v1/oswl_stats/", {
      oswl_stats: [
        oswl(uid, 1, { cluster_id: 5, created_date: today(), version_info: own }),
        oswl(uid, 2, { cluster_id: 5, created_date: today(), resource_checksum: "b" }),
        oswl(uid, 3, { cluster_id: 99, created_date: today() }),
      ].map((o, i) => ({ ...o, resource_type: ["vm", "image", "tenant"][i] })),
    });
    const version = (r: Record<string, string>) => [r["version_info.fuel_version"], r["version_info.release_version"], r["version_info.release_os"], r["version_info.environment_version"]];
    expect((await csvOf("vm")).map(version)).toEqual([["8.0", "liberty-8.0", "Ubuntu", "8.0"]]);
    expect((await csvOf("image")).map(version)).toEqual([["9.0", "2014.2-6.0", "CentOS", ""]]);
    expect((await csvOf("tenant")).map(version)).toEqual([["9.0", "mitaka-9.0", "", ""]]);
  });

  it("stop showing an installation's resources after its last sync", async () => {
    const uid = freshUid("stopped");
    await postStructure(uid, { clusters: [cluster(1, 0)] });
    await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1, { created_date: daysAgo(4) })] });
    await sql("UPDATE installation_structures SET creation_date = ?, modification_date = ? WHERE master_node_uid = ?", `${daysAgo(9)}T10:00:00.000Z`, `${daysAgo(3)}T23:00:00.000Z`, uid);
    expect((await csvOf("vm")).map((r) => r.stats_on_date)).toEqual([daysAgo(4), daysAgo(3)]);
  });

  it("answer 400 for security_group and cluster_stats, 404 for unknown reports", async () => {
    for (const type of ["security_group", "cluster_stats"]) {
      const response = await download(type);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ status: "error", message: expect.stringContaining(`"${type}" has no CSV report`) });
    }
    for (const id of ["nope", "all", "CLUSTERS"]) expect((await download(id)).status).toBe(404);
  });

  it("answer 400 naming the parameter and YYYY-MM-DD for bad dates, and for an inverted range", async () => {
    for (const [query, field] of [
      ["from_date=2016-13-01", "from_date"],
      ["to_date=yesterday", "to_date"],
      ["from_date=2016-02-30", "from_date"],
      ["to_date=2016-01-01T00:00:00", "to_date"],
      ["from_date=", "from_date"],
    ] as const) {
      const response = await download("clusters", query);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { message: string };
      expect(body.message).toContain(field);
      expect(body.message).toContain("YYYY-MM-DD");
    }
    const inverted = await download("vm", "from_date=2016-03-10&to_date=2016-03-01");
    expect(inverted.status).toBe(400);
    expect(((await inverted.json()) as { message: string }).message).toBe("invalid request: from_date (2016-03-10) is after to_date (2016-03-01)");
    const unknown = await download("nodes", "from=2016-01-01");
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toBe(
      'invalid request: unknown query parameter "from"; expected from_date and to_date as YYYY-MM-DD',
    );
  });

  it("answer dates in the future with what exists up to them, never an error", async () => {
    const uid = freshUid("future");
    await postStructure(uid, richStructure(uid));
    await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1, { created_date: today() })] });
    expect(await csvOf("clusters", `from_date=${daysAgo(5)}&to_date=9999-12-31`)).toHaveLength(2);
    expect(await csvOf("clusters", "from_date=2999-01-01&to_date=2999-12-31")).toEqual([]);
    // The installation's last sync is today: the series stops there, however far to_date is.
    expect((await csvOf("vm", `from_date=${daysAgo(5)}&to_date=9999-12-31`)).map((r) => r.stats_on_date)).toEqual([today()]);
    expect(await csvOf("vm", "from_date=2999-01-01&to_date=9999-12-31")).toEqual([]);
  });
});

describe("CSV installation selection", () => {
  it("leaves out filtered and quarantined installations, keeps NULL is_filtered", async () => {
    const [kept, unknown, filtered, quarantined] = ["kept", "null", "filtered", "quarantined"].map((l) => freshUid(l));
    for (const uid of [kept, unknown, filtered, quarantined]) await postStructure(uid!, { clusters: [cluster(1, 1)] });
    await sql("UPDATE installation_structures SET is_filtered = NULL WHERE master_node_uid = ?", unknown);
    await sql("UPDATE installation_structures SET is_filtered = 1 WHERE master_node_uid = ?", filtered);
    await sql("UPDATE installation_structures SET trust = 'quarantined' WHERE master_node_uid = ?", quarantined);
    for (const uid of [kept, filtered, quarantined]) await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid!, 1, { created_date: today() })] });
    expect((await csvOf("clusters")).map((r) => r.master_node_uid).sort()).toEqual([kept, unknown].sort());
    expect((await csvOf("vm")).map((r) => r.master_node_uid)).toEqual([kept]);
  });

  it("takes installations created or modified on or after from, and created or modified by the end of to", async () => {
    const cases: [string, string, string | null, boolean][] = [
      ["created-in", "2016-03-05T10:00:00.000Z", null, true],
      ["created-before-modified-in", "2016-01-01T10:00:00.000Z", "2016-03-02T10:00:00.000Z", true],
      ["created-before", "2016-01-01T10:00:00.000Z", null, false],
      ["created-after", "2016-04-01T10:00:00.000Z", null, false],
      ["created-last-day", "2016-03-10T23:59:59.999Z", null, true],
      ["created-first-day", "2016-03-01T00:00:00.000Z", null, true],
      ["created-in-modified-after", "2016-03-05T10:00:00.000Z", "2016-05-01T10:00:00.000Z", true],
      // Created before and modified after the range: it existed all along, so it counts.
      ["created-before-modified-after", "2016-01-01T10:00:00.000Z", "2016-05-01T10:00:00.000Z", true],
      ["created-and-modified-after", "2016-04-01T10:00:00.000Z", "2016-05-01T10:00:00.000Z", false],
      ["modified-at-midnight-after", "2016-01-01T10:00:00.000Z", "2016-03-11T00:00:00.000Z", true],
    ];
    for (const [label, created, modified] of cases) {
      await postStructure(label, { clusters: [cluster(1, 0)] });
      await sql("UPDATE installation_structures SET creation_date = ?, modification_date = ? WHERE master_node_uid = ?", created, modified, label);
    }
    const rows = await csvOf("clusters", "from_date=2016-03-01&to_date=2016-03-10");
    expect(rows.map((r) => r.master_node_uid).sort()).toEqual(cases.filter((c) => c[3]).map((c) => c[0]).sort());
  });

  it("take the verify_networks status of the highest external_id that ended within the range", async () => {
    const uid = freshUid("verify");
    await postStructure(uid, { clusters: [cluster(1, 0), cluster(2, 0), cluster(3, 0)] });
    const logs = [
      verifyNetworksLog(uid, 10, 1, "error", `${daysAgo(3)}T10:00:00`),
      verifyNetworksLog(uid, 11, 1, "ready", `${daysAgo(2)}T10:00:00`),
      // The highest id of cluster 2 ended before the range: the older one inside it counts.
      verifyNetworksLog(uid, 20, 2, "ready", `${daysAgo(3)}T10:00:00`),
      verifyNetworksLog(uid, 21, 2, "error", `${daysAgo(30)}T10:00:00`),
      verifyNetworksLog(uid, 30, 3, "error", `${daysAgo(30)}T10:00:00`),
      { ...verifyNetworksLog(uid, 40, 3, "ready", `${today()}T10:00:00`), body: { ...verifyNetworksLog(uid, 40, 3, "ready", "").body, action_name: "deployment", end_timestamp: `${today()}T10:00:00` } },
    ];
    expect((await postJson("/api/v1/action_logs/", { action_logs: logs })).status).toBe(200);
    const rows = await csvOf("clusters", `from_date=${daysAgo(5)}`);
    expect(rows.map((r) => [r.id, r.verify_networks_status])).toEqual([["1", "ready"], ["2", "ready"], ["3", ""]]);
  });
});

describe("CSV robustness", () => {
  it("drops only the rows of a record that cannot be read", async () => {
    const good = freshUid("good");
    const bad = freshUid("bad");
    const also = freshUid("also");
    for (const uid of [good, bad, also]) await postStructure(uid, { clusters: [cluster(1, 2)] });
    await sql("UPDATE installation_structures SET structure = '{not json' WHERE master_node_uid = ?", bad);
    for (const report of ["clusters", "nodes", "plugins"]) {
      const rows = await csvOf(report);
      expect(new Set(rows.map((r) => r.master_node_uid))).toEqual(new Set(report === "plugins" ? [] : [good, also]));
    }

    for (const uid of [good, also]) await postJson("/api/v1/oswl_stats/", { oswl_stats: [oswl(uid, 1, { created_date: today() })] });
    await sql("UPDATE oswl_stats SET resource_data = 'broken' WHERE master_node_uid = ?", also);
    expect((await csvOf("vm")).map((r) => r.master_node_uid)).toEqual([good]);
  });

  it("takes the day of a created_date that carries more, and drops an OSWL whose created_date is not a date", async () => {
    const uid = freshUid("date");
    await postStructure(uid, { clusters: [cluster(1, 0)] });
    await postJson("/api/v1/oswl_stats/", {
      oswl_stats: [oswl(uid, 1, { created_date: `${today()}T01:02:03` }), oswl(uid, 2, { created_date: `${today().slice(0, 8)}00`, cluster_id: 2 })],
    });
    expect((await csvOf("vm")).map((r) => [r.cluster_id, r.stats_on_date])).toEqual([["1", today()]]);
  });
});

describe("CSV paging", () => {
  it("reads every installation once, in keyset pages bounded by rows and bytes", async () => {
    const uids = Array.from({ length: 7 }, (_, i) => `page-${i}`);
    for (const uid of uids) await postStructure(uid, { clusters: [cluster(1, 1)] });
    const range = { from: daysAgo(1), to: today() };
    const seen: string[] = [];
    let after = 0;
    for (let pages = 0; ; pages++) {
      const page = await listCsvInstallations(env.COLLECTOR_DB, "clusters", range, after, { rows: 3, bytes: 1 });
      if (page.length === 0) {
        expect(pages).toBe(7);
        break;
      }
      expect(page).toHaveLength(1);
      // The clusters projection leaves the nodes behind.
      expect(JSON.parse(page[0]!.structure).clusters[0]).not.toHaveProperty("nodes");
      seen.push(...page.map((r) => r.master_node_uid));
      after = page.at(-1)!.id;
    }
    expect(seen).toEqual(uids);
    const big = await listCsvInstallations(env.COLLECTOR_DB, "nodes", range, 0, { rows: 3, bytes: 1e9 });
    expect(big.map((r) => r.master_node_uid)).toEqual(uids.slice(0, 3));
    expect(JSON.parse(big[0]!.structure).clusters[0].nodes).toHaveLength(1);
  });

  it("leaves behind what a report does not read, whatever the number of clusters, and keeps the rest", async () => {
    const stored = (n: number) => ({
      fuel_release: { release: "9.0" },
      clusters: [
        "not an object",
        ...Array.from({ length: n - 1 }, (_, i) => ({ id: i, status: "operational", nodes: [{ id: i }], installed_plugins: [{ name: "p" }], attributes: { a: [1, { b: 2 }] } })),
      ],
    });
    const without = (structure: ReturnType<typeof stored>, fields: string[]) => ({
      ...structure,
      clusters: structure.clusters.map((c) => (typeof c === "string" ? c : Object.fromEntries(Object.entries(c).filter(([k]) => !fields.includes(k))))),
    });
    const range = { from: daysAgo(1), to: today() };
    for (const n of [3, REMOVE_IN_PLACE_CLUSTERS, REMOVE_IN_PLACE_CLUSTERS + 1, REMOVE_IN_PLACE_CLUSTERS + 5]) {
      await resetStorage();
      const uid = freshUid(`clusters-${n}`);
      await postStructure(uid, { clusters: [cluster(1, 1)] });
      await sql("UPDATE installation_structures SET structure = ? WHERE master_node_uid = ?", JSON.stringify(stored(n)), uid);
      const read = async (kind: "clusters" | "plugins" | "nodes") => JSON.parse((await listCsvInstallations(env.COLLECTOR_DB, kind, range, 0))[0]!.structure);
      expect(await read("clusters")).toEqual(without(stored(n), ["nodes", "installed_plugins"]));
      expect(await read("plugins")).toEqual(without(stored(n), ["nodes"]));
      expect(await read("nodes")).toEqual(stored(n));
    }
  });

  it("pages OSWLs by (created_date, id)", async () => {
    const uid = freshUid("oswl-pages");
    await postStructure(uid, { clusters: [cluster(1, 0)] });
    await postJson("/api/v1/oswl_stats/", { oswl_stats: [3, 1, 2, 0].map((d, i) => oswl(uid, i + 1, { created_date: daysAgo(d), cluster_id: i })) });
    const range = { from: daysAgo(10), to: today() };
    const seen: string[] = [];
    let after = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof listCsvOswls>> = await listCsvOswls(env.COLLECTOR_DB, "vm", range, after, { rows: 2, bytes: 1e9 });
      if (page.length === 0) break;
      seen.push(...page.map((r) => r.created_date));
      after = page.at(-1)!;
    }
    expect(seen).toEqual([daysAgo(3), daysAgo(2), daysAgo(1), today()]);
  });

  it("streams a large report in several chunks", async () => {
    const uid = freshUid("big");
    await postStructure(uid, { clusters: [cluster(1, 300)] });
    const response = await download("nodes");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let reads = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      reads++;
      text += decoder.decode(r.value, { stream: true });
    }
    expect(reads).toBeGreaterThan(2);
    expect(csvObjects(text)).toHaveLength(300);
  });

  it("gives the bundle the header first, then the rows, and the header alone for an inverted range", async () => {
    const uid = freshUid("chunks");
    await postStructure(uid, richStructure(uid));
    const chunks: string[] = [];
    for await (const chunk of csvReportChunks(env, "nodes", { from: daysAgo(1), to: today() })) chunks.push(chunk);
    expect(chunks[0]).toBe(`${csvColumns("nodes").join(",")}\r\n`);
    expect(csvObjects(chunks.join(""))).toHaveLength(3);
    const inverted: string[] = [];
    for await (const chunk of csvReportChunks(env, "nodes", { from: today(), to: daysAgo(1) })) inverted.push(chunk);
    expect(inverted).toEqual([chunks[0]]);
  });
});
