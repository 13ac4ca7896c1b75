// bench:ingest's floor (BENCH_FLOOR): the collector's write path with nothing of its own left,
// started with the project's wrangler.toml, to tell what the local runtime costs from what
// edgestats' code does on top. Never deployed.
//
// It answers the bench's requests as the collector would (statuses, 201 for a first contact with
// a token, 200 after), makes the collector's insert rows and writes D1 through the collector's own
// functions, and skips everything else the collector does: no body validation (the body is taken
// as it comes), no identity (every token is taken, none is checked or signed), no quotas, no
// per-address charge, no outcome counters, no filtering rules.
//
// FLOOR=object (the design's hops): Worker → the installation's Durable Object → D1, the object
// writing one row of its own storage per action-log batch (where the collector remembers the
// stored ids) and one at a first contact (where it keeps the identity).
// FLOOR=direct: Worker → D1, no object at all.
import { DurableObject } from "cloudflare:workers";
import type { ActionLog } from "../../schemas/collector";
import { insertActionLogs, upsertInstallationStructure } from "../../worker/db/collector";
import { actionLogRow } from "../../worker/domain/action-logs";

/** The new ids of one installation's batch, through the collector's own insert. */
const insertLogs = (db: D1Database, uid: string, rows: readonly string[]) => insertActionLogs(db, uid, rows, "verified", Date.now());

/** Whether the structure's row was created, through the collector's own update and upsert. */
async function writeStructure(db: D1Database, uid: string, structure: string, known: boolean): Promise<boolean> {
  const write = { masterNodeUid: uid, structure, release: null, country: null, trust: "verified" as const, isFiltered: false, now: Date.now() };
  return (await upsertInstallationStructure(db, write, known)).created;
}

export class Installation extends DurableObject<Env> {
  private seen: boolean | undefined;

  private known(): boolean {
    if (this.seen === undefined) {
      this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS floor_seen (k INTEGER PRIMARY KEY, at INTEGER)");
      this.seen = this.ctx.storage.sql.exec("SELECT 1 FROM floor_seen").toArray().length > 0;
    }
    return this.seen;
  }

  private markSeen(): void {
    if (this.seen) return;
    this.ctx.storage.sql.exec("INSERT OR IGNORE INTO floor_seen VALUES (1, ?)", Date.now());
    this.seen = true;
  }

  async storeActionLogs(uid: string, ids: number[], rows: string[]): Promise<Set<number>> {
    this.known();
    const added = await insertLogs(this.env.COLLECTOR_DB, uid, rows);
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS floor_ranges (lo INTEGER PRIMARY KEY, hi INTEGER)");
    sql.exec("INSERT OR REPLACE INTO floor_ranges VALUES (?, ?)", ids[0] ?? 0, ids.at(-1) ?? 0);
    this.markSeen();
    return added;
  }

  async storeStructure(uid: string, structure: string): Promise<boolean> {
    const created = await writeStructure(this.env.COLLECTOR_DB, uid, structure, this.known());
    this.markSeen();
    return created;
  }
}

/** The project's bindings, its INSTALLATION namespace holding the class above, and which floor. */
type FloorEnv = Omit<Env, "INSTALLATION"> & { INSTALLATION: DurableObjectNamespace<Installation>; FLOOR?: string };

// The config names this class; the floor never calls it.
export class AddressQuota extends DurableObject<Env> {}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const { pathname } = new URL(request.url);
    const token = request.headers.get("x-installation-token");
    const object = (uid: string) => env.INSTALLATION.get(env.INSTALLATION.idFromName(uid));
    const viaObject = env.FLOOR !== "direct";
    if (pathname === "/api/v1/action_logs/") {
      const { action_logs: logs } = await request.json<{ action_logs: ActionLog[] }>();
      const uid = logs[0]?.master_node_uid ?? "";
      const ids = logs.map((l) => l.external_id);
      const rows = logs.map(actionLogRow);
      const added = viaObject ? await object(uid).storeActionLogs(uid, ids, rows) : await insertLogs(env.COLLECTOR_DB, uid, rows);
      const statuses = logs.map((l) => ({ master_node_uid: uid, external_id: l.external_id, status: added.has(l.external_id) ? "added" : "existed" }));
      return json({ status: "ok", action_logs: statuses });
    }
    if (pathname === "/api/v1/installation_structure/") {
      const { installation_structure: posted } = await request.json<{ installation_structure: { master_node_uid: string } }>();
      const uid = posted.master_node_uid;
      const structure = JSON.stringify(posted);
      // Without the object, a token stands for "known" (the bench's fleet sends one, first contacts do not).
      const created = viaObject ? await object(uid).storeStructure(uid, structure) : await writeStructure(env.COLLECTOR_DB, uid, structure, token !== null);
      return json({ status: "ok", ...(token === null ? { installation_token: "floor" } : {}) }, created ? 201 : 200);
    }
    return json({ status: "ok" });
  },
} satisfies ExportedHandler<FloorEnv>;
