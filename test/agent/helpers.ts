// Factories for the agent's tests: outboxes in a temp folder, configs, rows full of secrets, and a
// fake collector (a fetch function) that answers like the real one and records every request.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AgentConfig, parseConfig } from "../../agent/src/config";
import { Outbox } from "../../agent/src/outbox";

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "edgestats-agent-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(dir: string, overrides: Partial<AgentConfig> = {}): AgentConfig {
  return { ...parseConfig({ collector: "http://collector.test", outbox: path.join(dir, "outbox.sqlite"), sendStatistics: true }), ...overrides };
}

export function openOutbox(config: AgentConfig): Outbox {
  return Outbox.open(config.outbox);
}

export const SECRETS = {
  password: "hunter2-Sup3rSecret",
  ceph_fsid: "a7f64266-0894-4f1e-a635-d0aeaca0e993",
  mon_key: "AQAd8bBVmK3sFhAAz9nEWaQl3Cy1uOfp2cBw9Q==",
  admin_key: "AQBE9bBVaDJ2NhAAH0Hnbmr3eHvDkRZ0RwXxyg==",
  mac: "52:54:00:12:34:56",
  hostname: "controller-01.corp.example.com",
  ip: "10.20.30.40",
  public_ip: "203.0.113.17",
  cert: "-----BEGIN CERTIFICATE-----MIIBszCCAVmgAwIBAgIU",
  private_key: "-----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEA",
  auth_token: "gAAAAABk-keystone-token-9f8e7d6c5b4a",
  serial: "SN-XR7-0042-SECRET",
  db_password: "mongo-p4ss-Zebra",
  user_name: "alice.admin",
  email: "ops-lead@corp.example.com",
  company: "Secret Corp Holdings",
  ssh_key: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7",
  url_query: "token=abcdef0123456789",
  task_message: "Failed to connect to 10.20.30.40 with password hunter2",
} as const;

const S = SECRETS;

/** A Fuel-like installation structure with a secret in every place one has ever leaked from. */
export function structureFullOfSecrets(): Record<string, unknown> {
  return {
    master_node_uid: "should-be-replaced",
    fuel_release: { release: "9.0", api: "1", feature_groups: ["mirantis"], build_id: "2016-06-23", auth_key: S.password },
    fuel_packages: ["fuel-nailgun-9.0.0-1.mos8212.noarch"],
    unallocated_nodes_num: 2,
    user_information: { contact_info_provided: true, name: S.user_name, email: S.email, company: S.company },
    access: { user: S.user_name, password: S.password, email: S.email },
    clusters: [
      {
        id: 1,
        mode: "ha_compact",
        status: "operational",
        name: S.hostname,
        release: { version: "mitaka-9.0", os: "Ubuntu", name: "Mitaka on Ubuntu 14.04" },
        net_provider: "neutron",
        fuel_version: "9.0",
        is_customized: false,
        network_configuration: { segmentation_type: "vlan", net_l23_provider: "ovs", public_vip: S.public_ip, management_cidr: `${S.ip}/24` },
        attributes: {
          common: { libvirt_type: { value: "kvm" }, debug: { value: false }, auth_key: { value: S.password } },
          access: { user: { value: S.user_name }, password: { value: S.password }, email: { value: S.email }, tenant: { value: "admin" } },
          storage: {
            volumes_ceph: { value: true },
            images_ceph: { value: true },
            osd_pool_size: { value: "3" },
            fsid: { value: S.ceph_fsid },
            mon_key: { value: S.mon_key },
            admin_key: { value: S.admin_key },
            bootstrap_osd_key: { value: S.admin_key },
            radosgw_key: { value: S.mon_key },
          },
          public_ssl: { horizon: { value: true }, services: { value: true }, cert_source: { value: "user_uploaded" }, cert_data: { value: { content: S.cert + S.private_key } }, hostname: { value: S.hostname } },
          external_mongo: { hosts_ip: { value: S.ip }, mongo_password: { value: S.db_password }, mongo_user: { value: S.user_name }, mongo_replset: { value: "rs0" } },
          external_ntp: { ntp_list: { value: [S.ip, S.hostname] } },
          external_dns: { dns_list: { value: [S.public_ip] } },
          syslog: { syslog_server: { value: S.ip }, syslog_port: { value: "514" } },
          workloads_collector: { enabled: { value: true }, password: { value: S.password }, user: { value: S.user_name }, tenant: { value: "services" } },
          operator_user: { name: { value: S.user_name }, password: { value: S.password }, authkeys: { value: S.ssh_key } },
          service_user: { password: { value: S.password } },
          repo_setup: { repos: { value: [{ uri: `http://${S.hostname}/ubuntu` }] } },
          kernel_params: { kernel: { value: `console=tty0 ip=${S.ip}` } },
        },
        nodes: [
          {
            id: 5,
            roles: ["controller", "ceph-osd"],
            status: "ready",
            online: true,
            os_platform: "ubuntu",
            manufacturer: "Supermicro",
            hostname: S.hostname,
            fqdn: S.hostname,
            name: S.hostname,
            ip: S.ip,
            mac: S.mac,
            uuid: S.ceph_fsid,
            error_msg: S.task_message,
            meta: {
              system: { fqdn: S.hostname, serial: S.serial, uuid: S.ceph_fsid },
              cpu: { total: 16, real: 2, spec: [{ model: "Xeon E5-2680", frequency: 2800 }] },
              memory: { total: 68719476736 },
              disks: [{ size: 480103981056, model: "INTEL SSDSC2BB48", serial: S.serial, name: "sda", disk: `/dev/disk/by-id/${S.serial}` }],
              interfaces: [{ name: "eth0", mac: S.mac, ip: S.ip, driver: "ixgbe", max_speed: 10000, current_speed: 10000 }],
            },
            nic_interfaces: [{ id: 7, mac: S.mac, name: "eth0", ip_addr: S.ip }],
            bond_interfaces: [{ id: 9, slaves: [7], mac: S.mac }],
          },
        ],
        installed_plugins: [{ id: 3, name: "lma_collector", version: "0.10.0", package_version: "4.0.0", fuel_version: ["9.0"], repository_path: `http://${S.hostname}/repo`, password: S.password }],
      },
    ],
  };
}

/** A finished nailgun task whose message, output and actor leak secrets. */
export function nailgunTask(overrides: Record<string, unknown> = {}): Record<string, unknown> & { action_type: "nailgun_task" } {
  return {
    action_type: "nailgun_task",
    action_group: "cluster_changes",
    action_name: "deployment",
    actor_id: S.auth_token,
    start_timestamp: "2026-11-26T10:00:00",
    end_timestamp: "2026-11-26T10:30:00",
    cluster_id: 1,
    task_uuid: S.ceph_fsid,
    additional_info: {
      parent_task_id: null,
      subtasks_ids: [2, 3],
      operation: "deployment",
      nodes_from_resp: [5, "6", S.hostname],
      ended_with_status: "ready",
      message: S.task_message,
      output: { password: S.password, ip: S.ip },
    },
    ...overrides,
  };
}

export function httpRequestLog(overrides: Record<string, unknown> = {}): Record<string, unknown> & { action_type: "http_request" } {
  return {
    action_type: "http_request",
    action_group: "cluster_changes",
    action_name: "deploy",
    actor_id: S.user_name,
    start_timestamp: "2026-11-26T09:00:00",
    end_timestamp: "2026-11-26T09:00:01",
    cluster_id: 1,
    additional_info: {
      request_data: { http_method: "PUT", url: `https://${S.hostname}:8443/api/clusters/1/changes?${S.url_query}`, data: { password: S.password } },
      response_data: { status: 202, data: { message: S.task_message } },
    },
    ...overrides,
  };
}

export function vmRow(day: string, clusterId = 1): { cluster_id: number; resource_type: "vm"; created_date: string; updated_time: string; resource_data: { added: unknown[]; current: unknown[]; removed: unknown[]; modified: unknown[] }; version_info: Record<string, unknown> } {
  return {
    cluster_id: clusterId,
    resource_type: "vm",
    created_date: day,
    updated_time: "15:51:11.690102",
    resource_data: {
      added: [{ id: "vm-1", time: 1764150000 }],
      current: [
        { id: "vm-1", status: "ACTIVE", tenant_id: "t1", host_id: "h1", created_at: "2026-11-26T09:00:00Z", power_state: 1, flavor_id: "f1", image_id: "i1", name: S.hostname, addresses: { private: [{ addr: S.ip, "OS-EXT-IPS-MAC:mac_addr": S.mac }] }, adminPass: S.password, key_name: S.ssh_key },
      ],
      removed: [{ id: "vm-0", status: "DELETED", time: 1764140000, name: S.hostname, accessIPv4: S.public_ip }],
      modified: [{ id: "vm-2", status: "SHUTOFF", time: 1764145000, metadata: { password: S.password } }],
    },
    version_info: { fuel_version: "9.0", release_version: "mitaka-9.0", release_name: "Mitaka", release_os: "Ubuntu", environment_version: "9.0", secret: S.password },
  };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export type ActionLogStatusFn = (record: { external_id: number; body: Record<string, unknown> }) => "added" | "existed" | "skipped" | "failed";

/**
 * A collector in memory, answering like edgestats: statuses per record, an issued token that
 * binds on its first presentation, and switches to go down or misbehave.
 */
export function fakeCollector(options: { actionLogStatus?: ActionLogStatusFn; oswlStatus?: (id: number) => "added" | "updated" | "failed" } = {}) {
  const requests: RecordedRequest[] = [];
  const storedLogs = new Map<number, unknown>();
  const storedOswl = new Map<number, unknown>();
  const state = { down: false, boundToken: null as string | null, issued: "I".repeat(72), structure: null as unknown, onRequest: null as null | ((r: RecordedRequest) => void | Promise<void>) };
  const reply = (status: number, body: Record<string, unknown>) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    if (state.down) throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const request = { method: init?.method ?? "GET", path: url.pathname, headers, body };
    requests.push(request);
    // Like a real fetch, give up when the request's signal aborts (the client's timeout).
    const signal = init?.signal;
    const aborted = new Promise<never>((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
    aborted.catch(() => {});
    await Promise.race([state.onRequest?.(request), aborted]);
    if (url.pathname === "/api/v1/ping/") return reply(200, { status: "ok", exec_time: 0 });
    const presented = headers["x-installation-token"] ?? null;
    if (url.pathname === "/api/v1/installation" && request.method === "DELETE") {
      const refuse = (reason: string, message: string) => reply(403, { status: "error", reason, message });
      if (presented === null) return refuse("token_required", "deleting an installation needs its token");
      if (state.boundToken === null) return refuse("not_bound", "this installation is not bound to a token");
      if (presented !== state.boundToken) return refuse("token_wrong", "X-Installation-Token does not match");
      const receipt = {
        status: "ok",
        master_node_uid: (body as { master_node_uid: string }).master_node_uid,
        requested_by: "installation",
        deleted_at: new Date(0).toISOString(),
        deleted: {
          installation_structures: state.structure === null ? 0 : 1,
          action_logs: storedLogs.size,
          oswl_stats: storedOswl.size,
          installation_release_days: state.structure === null ? 0 : 1,
          installation_object: { identity: true, token_binding: true, token_key: false, action_log_ids: storedLogs.size, quota_windows: 2 },
        },
        reports: state.structure === null ? "not_in_reports" : "next_rollup",
      };
      state.boundToken = null;
      state.structure = null;
      storedLogs.clear();
      storedOswl.clear();
      return reply(200, receipt);
    }
    let tokenField: Record<string, string> = {};
    if (state.boundToken !== null) {
      if (presented !== state.boundToken) return reply(403, { status: "error", message: "X-Installation-Token does not match the token this installation is bound to" });
    } else if (presented === state.issued) {
      state.boundToken = presented;
    } else if (presented !== null) {
      return reply(403, { status: "error", message: "X-Installation-Token was not issued for this installation or has expired" });
    } else {
      tokenField = { installation_token: state.issued };
    }
    if (url.pathname === "/api/v1/action_logs/") {
      const logs = (body as { action_logs: { master_node_uid: string; external_id: number; body: Record<string, unknown> }[] }).action_logs;
      const statuses = logs.map((l) => {
        let status = options.actionLogStatus?.(l) ?? "added";
        if (status === "added" && storedLogs.has(l.external_id)) status = "existed";
        if (status === "added" && l.body.action_type === "nailgun_task" && !l.body.end_timestamp) status = "skipped";
        if (status === "added") storedLogs.set(l.external_id, l.body);
        return { master_node_uid: l.master_node_uid, external_id: l.external_id, status };
      });
      return reply(200, { status: "ok", exec_time: 0, action_logs: statuses, ...tokenField });
    }
    if (url.pathname === "/api/v1/oswl_stats/") {
      const rows = (body as { oswl_stats: { master_node_uid: string; id: number }[] }).oswl_stats;
      const statuses = rows.map((r) => {
        let status = options.oswlStatus?.(r.id) ?? (storedOswl.has(r.id) ? "updated" : "added");
        if (status !== "failed") storedOswl.set(r.id, r);
        return { master_node_uid: r.master_node_uid, id: r.id, status };
      });
      return reply(200, { status: "ok", exec_time: 0, oswl_stats: statuses, ...tokenField });
    }
    if (url.pathname === "/api/v1/installation_structure/") {
      const created = state.structure === null;
      state.structure = (body as { installation_structure: unknown }).installation_structure;
      return reply(created ? 201 : 200, { status: "ok", exec_time: 0, ...tokenField });
    }
    return reply(404, { status: "error", message: "not found" });
  }) as typeof fetch;

  return { fetch: fetchImpl, requests, storedLogs, storedOswl, state, writes: () => requests.filter((r) => r.method === "POST") };
}
