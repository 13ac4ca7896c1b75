// bench:ingest's floor (BENCH_FLOOR): the collector's write path with nothing of its own left,
// started with the project's wrangler.toml, to tell what the local runtime costs from what
// edgestats' code does on top. Never deployed.
//
// It answers the bench's requests as the collector would (statuses, 201 for a first contact with
// a token, 200 after), with the same D1 statements, and skips everything else the collector does:
// no body validation, no identity (every token is taken, none is checked or signed), no quotas, no
// per-address charge, no outcome counters, no filtering rules.
//
// FLOOR=object (the design's hops): Worker → the installation's Durable Object → D1, the object
// writing one row of its own storage per action-log batch (where the collector remembers the
// stored ids) and one at a first contact (where it keeps the identity).
// FLOOR=direct: Worker → D1, no object at all.
import { DurableObject } from "cloudflare:workers";


const INSERT_ACTION_LOGS = `
INSERT INTO action_logs (master_node_uid, external_id, action_type, action_name, body, received_at, trust)
SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value -> 3, ?3, ?4
FROM json_each(?2) AS j WHERE true
ON CONFLICT (master_node_uid, external_id) DO NOTHING
RETURNING external_id`;
const UPDATE_STRUCTURE = `
UPDATE installation_structures SET structure = ?2, modification_date = ?3, trust = ?4, updated_at = ?5
WHERE master_node_uid = ?1`;
const UPSERT_STRUCTURE = `
INSERT INTO installation_structures (master_node_uid, structure, creation_date, trust, is_filtered, updated_at)
VALUES (?1, ?2, ?3, ?4, 0, ?5)
ON CONFLICT (master_node_uid) DO UPDATE SET
  structure = excluded.structure, modification_date = ?3, trust = excluded.trust, updated_at = ?5
RETURNING modification_date`;

interface LogsRequest {
  action_logs: { master_node_uid: string; external_id: number; body: { action_type: string; action_name: string } }[];
}

/** A log as the collector's insert row (worker/domain/action-logs.ts, actionLogRow). */
const row = (l: LogsRequest["action_logs"][number]) => JSON.stringify([l.external_id, l.body.action_type, l.body.action_name, l.body]);

/** The new ids of one installation's batch, inserted in one D1 batch as the collector does. */
async function insertLogs(db: D1Database, uid: string, rows: readonly string[]): Promise<Set<number>> {
  const results = await db.batch<{ external_id: number }>([db.prepare(INSERT_ACTION_LOGS).bind(uid, `[${rows.join(",")}]`, Date.now(), "verified")]);
  return new Set(results.flatMap((r) => r.results.map((row) => row.external_id)));
}

/** Whether the structure's row was created; a known installation's post tries the update first. */
async function writeStructure(db: D1Database, uid: string, structure: string, known: boolean): Promise<boolean> {
  const now = Date.now();
  const at = new Date(now).toISOString();
  if (known) {
    const updated = await db.prepare(UPDATE_STRUCTURE).bind(uid, structure, at, "verified", now).run();
    if (updated.meta.changes > 0) return false;
  }
  const rows = await db.prepare(UPSERT_STRUCTURE).bind(uid, structure, at, "verified", now).all<{ modification_date: string | null }>();
  return rows.results[0]?.modification_date == null;
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
      const { action_logs: logs } = await request.json<LogsRequest>();
      const uid = logs[0]?.master_node_uid ?? "";
      const ids = logs.map((l) => l.external_id);
      const rows = logs.map(row);
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
