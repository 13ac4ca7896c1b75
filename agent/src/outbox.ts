// The local SQLite outbox (better-sqlite3). The host product appends sanitised rows; the agent
// sends pending rows and marks them sent only on the collector's per-record status. Every row has
// a version that each change bumps, so a row the host changed while its old content was in flight
// stays pending. Pages are keyset (id > last id), so rows that flip to sent never shift a page.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ActionLogBodySchema, type ResourceType, ResourceTypeSchema } from "../../schemas/collector";
import { sanitizeActionLogBody, sanitizeResourceData, sanitizeStructure, sanitizeVersionInfo } from "./sanitize";

const MIGRATIONS = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE action_logs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     body TEXT NOT NULL,
     version INTEGER NOT NULL DEFAULT 1,
     created_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE INDEX action_logs_pending ON action_logs (id) WHERE sent_at IS NULL;
   CREATE TABLE oswl (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     cluster_id INTEGER NOT NULL,
     resource_type TEXT NOT NULL,
     created_date TEXT NOT NULL,
     updated_time TEXT NOT NULL,
     resource_checksum TEXT NOT NULL,
     resource_data TEXT NOT NULL,
     version_info TEXT,
     version INTEGER NOT NULL DEFAULT 1,
     sent_at TEXT,
     UNIQUE (cluster_id, resource_type, created_date)
   );
   CREATE INDEX oswl_pending ON oswl (id) WHERE sent_at IS NULL;
   CREATE TABLE structure (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     body TEXT NOT NULL,
     version INTEGER NOT NULL,
     updated_at TEXT NOT NULL,
     sent_at TEXT
   );`,
];

/** What the host passes for an action log: any object; only whitelisted fields are kept. */
export type ActionLogInput = Record<string, unknown> & { action_type: "http_request" | "nailgun_task" };

export interface OswlInput {
  cluster_id: number;
  resource_type: ResourceType;
  /** The UTC day the row describes, YYYY-MM-DD. */
  created_date: string;
  /** When it was last collected, HH:MM:SS(.ffffff). */
  updated_time: string;
  resource_data: { added?: unknown[]; current?: unknown[]; removed?: unknown[]; modified?: unknown[] };
  /** Defaults to a SHA-1 of the sanitised `current` list, as fuel-stats computed it. */
  resource_checksum?: string;
  version_info?: Record<string, unknown>;
}

export interface PendingRow<T> {
  id: number;
  version: number;
  data: T;
}

export interface StoredOswl {
  cluster_id: number;
  resource_type: ResourceType;
  created_date: string;
  updated_time: string;
  resource_checksum: string;
  resource_data: { added: unknown[]; current: unknown[]; removed: unknown[]; modified: unknown[] };
  version_info?: Record<string, string | null>;
}

export interface StoredToken {
  value: string;
  /** True once a write that presented it was accepted: the installation is bound to it. */
  bound: boolean;
}

export interface OutboxCounts {
  actionLogs: { pending: number; sent: number };
  oswl: { pending: number; sent: number };
  structure: "none" | "pending" | "sent";
}

const nowIso = () => new Date().toISOString();

export class Outbox {
  readonly file: string;
  private readonly db: Database.Database;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.db = db;
  }

  /** Opens (and creates or migrates) an outbox. The host and the agent may open the same file. */
  static open(file: string): Outbox {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(file, { timeout: 2000 });
    } catch (error) {
      const message = (error as Error).message;
      if (/bindings file|better_sqlite3\.node|NODE_MODULE_VERSION/.test(message)) {
        throw new Error(
          `better-sqlite3 is not built for this Node (${process.version}): run \`npm rebuild better-sqlite3\` at the repository root ` +
            `(it needs g++, make, python3 and Node's headers; see docs/agent.md#install). ${message.split("\n")[0]}`,
        );
      }
      throw error;
    }
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    // The write lock first, then the version: a host and an agent opening a new file together
    // must not both create the tables.
    db.transaction(() => {
      for (let v = db.pragma("user_version", { simple: true }) as number; v < MIGRATIONS.length; v++) {
        db.exec(MIGRATIONS[v]!);
        db.pragma(`user_version = ${v + 1}`);
      }
    }).immediate();
    return new Outbox(file, db);
  }

  close(): void {
    this.db.close();
  }

  // ── the host's side ─────────────────────────────────────────────────────────────────────────

  /** Appends an action log; returns its id, which is the external_id the collector will see. */
  appendActionLog(input: ActionLogInput): number {
    const body = sanitizeActionLogBody(input);
    ActionLogBodySchema.parse(body);
    const result = this.db.prepare("INSERT INTO action_logs (body, created_at) VALUES (?, ?)").run(JSON.stringify(body), nowIso());
    return Number(result.lastInsertRowid);
  }

  /** Replaces an action log, e.g. a task that has finished since; it is sent again. */
  updateActionLog(id: number, input: ActionLogInput): void {
    const body = sanitizeActionLogBody(input);
    ActionLogBodySchema.parse(body);
    const result = this.db
      .prepare("UPDATE action_logs SET body = ?, version = version + 1, sent_at = NULL WHERE id = ?")
      .run(JSON.stringify(body), id);
    if (result.changes === 0) throw new RangeError(`no action log ${id} in the outbox`);
  }

  /** Stores the current installation structure (sent in full every cycle; the collector upserts). */
  putStructure(structure: unknown): void {
    const body = JSON.stringify(sanitizeStructure(structure));
    this.db
      .prepare(
        `INSERT INTO structure (id, body, version, updated_at) VALUES (1, ?, 1, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, version = structure.version + 1, updated_at = excluded.updated_at, sent_at = NULL`,
      )
      .run(body, nowIso());
  }

  /**
   * Stores a workload row: one per cluster, resource type and day. Storing the same day again
   * replaces it and makes it pending again, as fuel-stats' saver did. Returns the row id (the
   * `id` the collector upserts by).
   */
  putOswl(input: OswlInput): number {
    const type = ResourceTypeSchema.parse(input.resource_type);
    if (!Number.isSafeInteger(input.cluster_id)) throw new TypeError("cluster_id must be an integer");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.created_date)) throw new TypeError("created_date must be YYYY-MM-DD");
    const data = sanitizeResourceData(type, input.resource_data);
    const checksum = input.resource_checksum ?? createHash("sha1").update(JSON.stringify(data.current)).digest("hex");
    const versionInfo = sanitizeVersionInfo(input.version_info);
    const row = this.db
      .prepare(
        `INSERT INTO oswl (cluster_id, resource_type, created_date, updated_time, resource_checksum, resource_data, version_info)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (cluster_id, resource_type, created_date) DO UPDATE SET
           updated_time = excluded.updated_time, resource_checksum = excluded.resource_checksum,
           resource_data = excluded.resource_data, version_info = excluded.version_info,
           version = oswl.version + 1, sent_at = NULL
         RETURNING id`,
      )
      .get(
        input.cluster_id,
        type,
        input.created_date,
        String(input.updated_time).slice(0, 64),
        String(checksum).slice(0, 256),
        JSON.stringify(data),
        versionInfo ? JSON.stringify(versionInfo) : null,
      ) as { id: number };
    return row.id;
  }

  // ── the agent's side ────────────────────────────────────────────────────────────────────────

  /** The highest row ids now: a cycle sends what was there when it started, and ends. */
  lastIds(): { actionLogs: number; oswl: number } {
    const max = (table: string) => (this.db.prepare(`SELECT coalesce(max(id), 0) AS id FROM ${table}`).get() as { id: number }).id;
    return { actionLogs: max("action_logs"), oswl: max("oswl") };
  }

  pendingActionLogs(afterId: number, limit: number, upToId = Number.MAX_SAFE_INTEGER): PendingRow<Record<string, unknown>>[] {
    const rows = this.db
      .prepare("SELECT id, version, body FROM action_logs WHERE sent_at IS NULL AND id > ? AND id <= ? ORDER BY id LIMIT ?")
      .all(afterId, upToId, limit) as { id: number; version: number; body: string }[];
    return rows.map((r) => ({ id: r.id, version: r.version, data: JSON.parse(r.body) }));
  }

  /** Pending workload rows of finished days: created_date on or before `lastDay`. */
  pendingOswl(afterId: number, limit: number, lastDay: string, upToId = Number.MAX_SAFE_INTEGER): PendingRow<StoredOswl>[] {
    const rows = this.db
      .prepare(
        `SELECT id, version, cluster_id, resource_type, created_date, updated_time, resource_checksum, resource_data, version_info
         FROM oswl WHERE sent_at IS NULL AND id > ? AND id <= ? AND created_date <= ? ORDER BY id LIMIT ?`,
      )
      .all(afterId, upToId, lastDay, limit) as {
      id: number;
      version: number;
      cluster_id: number;
      resource_type: ResourceType;
      created_date: string;
      updated_time: string;
      resource_checksum: string;
      resource_data: string;
      version_info: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      version: r.version,
      data: {
        cluster_id: r.cluster_id,
        resource_type: r.resource_type,
        created_date: r.created_date,
        updated_time: r.updated_time,
        resource_checksum: r.resource_checksum,
        resource_data: JSON.parse(r.resource_data),
        ...(r.version_info ? { version_info: JSON.parse(r.version_info) } : {}),
      },
    }));
  }

  structure(): { version: number; data: Record<string, unknown> } | null {
    const row = this.db.prepare("SELECT version, body FROM structure WHERE id = 1").get() as { version: number; body: string } | undefined;
    return row ? { version: row.version, data: JSON.parse(row.body) } : null;
  }

  /** Marks rows sent, each only if it has not changed since it was read. Returns how many. */
  markActionLogsSent(rows: readonly { id: number; version: number }[]): number {
    return this.markSent("action_logs", rows);
  }

  markOswlSent(rows: readonly { id: number; version: number }[]): number {
    return this.markSent("oswl", rows);
  }

  markStructureSent(version: number): void {
    this.db.prepare("UPDATE structure SET sent_at = ? WHERE id = 1 AND version = ?").run(nowIso(), version);
  }

  private markSent(table: "action_logs" | "oswl", rows: readonly { id: number; version: number }[]): number {
    const statement = this.db.prepare(`UPDATE ${table} SET sent_at = ? WHERE id = ? AND version = ? AND sent_at IS NULL`);
    const at = nowIso();
    return this.db.transaction(() => rows.reduce((n, r) => n + statement.run(at, r.id, r.version).changes, 0))();
  }

  counts(): OutboxCounts {
    const count = (table: string) =>
      this.db.prepare(`SELECT count(*) FILTER (WHERE sent_at IS NULL) AS pending, count(sent_at) AS sent FROM ${table}`).get() as {
        pending: number;
        sent: number;
      };
    const structure = this.db.prepare("SELECT sent_at FROM structure WHERE id = 1").get() as { sent_at: string | null } | undefined;
    return {
      actionLogs: count("action_logs"),
      oswl: count("oswl"),
      structure: structure === undefined ? "none" : structure.sent_at === null ? "pending" : "sent",
    };
  }

  // ── identity ────────────────────────────────────────────────────────────────────────────────

  private getMeta(key: string): string | null {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  private setMeta(key: string, value: string | null): void {
    if (value === null) this.db.prepare("DELETE FROM meta WHERE key = ?").run(key);
    else this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  /** This installation's master_node_uid: the configured one, else a random one made once and kept. */
  masterNodeUid(configured?: string): string {
    if (configured) return configured;
    const stored = this.getMeta("master_node_uid");
    if (stored) return stored;
    const uid = randomUUID();
    this.db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('master_node_uid', ?)").run(uid);
    return this.getMeta("master_node_uid")!;
  }

  token(): StoredToken | null {
    const value = this.getMeta("installation_token");
    return value === null ? null : { value, bound: this.getMeta("installation_token_bound") === "1" };
  }

  setToken(token: StoredToken | null): void {
    this.db.transaction(() => {
      this.setMeta("installation_token", token?.value ?? null);
      this.setMeta("installation_token_bound", token ? (token.bound ? "1" : "0") : null);
    })();
  }
}
