import { DurableObject } from "cloudflare:workers";
import type { ActionLogStatus, Oswl, OswlStatus } from "../../schemas/collector";
import type { CollectorConfig } from "../config";
import { generateTokenKey, importTokenKey, issuedAtOf, issueInstallationToken, sha256Hex } from "../crypto";
import {
  type DeletedRows,
  deleteInstallationRows,
  insertActionLogs,
  lastWriteAt,
  releaseQuarantinedRows,
  upsertInstallationStructure,
  upsertOswlStats,
} from "../db/collector";
import {
  acceptInstallation,
  applyNewMigrations,
  bindToken,
  clearBinding,
  countObjectState,
  createObjectSchema,
  findStoredActionLogIds,
  hasObjectSchema,
  INSTALLATION_MIGRATIONS,
  INSTALLATION_SCHEMA,
  loadIdentity,
  loadTokenKey,
  markSeen,
  type ObjectStateCounts,
  type StoredIdentity,
  rememberActionLogIds,
  saveTokenKey,
} from "../db/installation-state";
import { loadQuotaWindows, saveQuotaWindows } from "../db/quota-state";
import { type ActionLogBatch, planActionLogs, settleActionLogs } from "../domain/action-logs";
import { decideDeletion, decideIdentity, type DeletionRefusal, type Trust } from "../domain/identity";
import { settleOswlStats } from "../domain/oswl";
import { consumeQuota, DAY_MS, MINUTE_MS, type QuotaWindow, quotaNeedsSaving } from "../domain/rate";

/** What the worker knows about a write besides its records. */
export interface WriteContext {
  uid: string;
  /** The X-Installation-Token header, or null without one. */
  presentedToken: string | null;
  /** The client address; used, hashed, only to charge a new installation to it, never stored. */
  address: string | null;
  config: CollectorConfig;
}

export type Guarded<T> =
  | { ok: true; value: T; token: string | null; bound: boolean }
  | { ok: false; status: 403 | 429; reason: "rejected_identity" | "rate_limited"; message: string; token: string | null; retryAfterSeconds?: number };

export interface IdentityView {
  known: boolean;
  bound: boolean;
  boundAt: number | null;
  acceptedAt: number | null;
  firstSeen: number | null;
  lastSeen: number | null;
  /** While unbound: when the key that signs this installation's tokens was made. A token issued
   * since then, and less than 7 days ago, binds the installation. */
  issuingSince: number | null;
}

/** Who asks to delete an installation: the installation with its token, or an operator. */
export type DeletionProof = { by: "installation"; token: string | null } | { by: "operator" };

export type Deletion =
  | { ok: true; deletedAt: number; rows: DeletedRows; object: ObjectStateCounts }
  | { ok: false; status: 403; reason: DeletionRefusal; message: string };

/**
 * One object per installation (`idFromName(master_node_uid)`). Every write for the installation
 * passes through it, one at a time: it checks who is writing (identity) and how much (quotas),
 * remembers which action-log keys are stored so that re-sent logs never reach D1, and answers
 * with statuses that are final: `added` means the row is committed in D1.
 */
export class Installation extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve();
  /** The quota windows, read from storage once and then kept here (see quotaNeedsSaving). */
  private windows: Map<string, QuotaWindow> | null = null;
  /** The key tokens are issued under, imported; undefined until read from storage. */
  private tokenKey: CryptoKey | null | undefined;
  /** The identity row as last read; this object is its only writer, and forgets it on each change. */
  private identity: StoredIdentity | undefined;

  /**
   * True while this object's storage has no schema: a new installation's object until its first
   * write. Its reads then answer "nothing stored" without SQL, and the schema is created by the
   * first write, in the same transaction (see `storage`).
   */
  private fresh: boolean;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.fresh = !hasObjectSchema(ctx.storage.sql);
    if (!this.fresh) applyNewMigrations(ctx.storage.sql, INSTALLATION_MIGRATIONS);
  }

  /**
   * The storage, for a write: creates the schema first if this object has none. Durable Objects
   * commit the writes made without an intervening await as one transaction, so the write paths
   * below make all of theirs after their last await: one commit per request, which a new
   * installation's schema joins instead of costing one of its own.
   */
  private storage(): SqlStorage {
    const sql = this.ctx.storage.sql;
    if (this.fresh) {
      createObjectSchema(sql, INSTALLATION_SCHEMA, INSTALLATION_MIGRATIONS);
      this.fresh = false;
    }
    return sql;
  }

  /**
   * The storage, for a read: `load` runs on it, except while this object is fresh, when `empty`
   * (what `load` would find in a new schema) is the answer, without SQL.
   */
  private read<T>(empty: T, load: (sql: SqlStorage) => T): T {
    return this.fresh ? empty : load(this.ctx.storage.sql);
  }

  async storeStructure(
    context: WriteContext,
    structure: string,
    release: string | null,
    country: string | null,
    isFiltered: boolean,
  ): Promise<Guarded<{ created: boolean }>> {
    return this.guarded(context, 1, (trust) =>
      upsertInstallationStructure(
        this.env.COLLECTOR_DB,
        { masterNodeUid: context.uid, structure, release, country, trust, isFiltered, now: Date.now() },
        // A fresh object has stored nothing, so most likely there is no row to keep: straight to the upsert.
        !this.fresh,
      ),
    );
  }

  /** The batch's ids are unique and its logs all belong to the installation. */
  async storeActionLogs(
    context: WriteContext,
    batch: ActionLogBatch,
  ): Promise<Guarded<{ external_id: number; status: ActionLogStatus }[]>> {
    return this.guarded(context, batch.ids.length, async (trust) => {
      const stored = this.read(new Set<number>(), (sql) => findStoredActionLogIds(sql, batch.ids));
      const plan = planActionLogs(batch, stored);
      let inserted: Set<number> | "failed";
      try {
        inserted = await insertActionLogs(this.env.COLLECTOR_DB, context.uid, plan.toStore.rows, trust, Date.now());
      } catch (error) {
        console.error("action_logs insert failed", context.uid, error);
        inserted = "failed";
      }
      if (inserted !== "failed") rememberActionLogIds(this.storage(), plan.toStore.ids);
      return [...settleActionLogs(plan, inserted)].map(([external_id, status]) => ({ external_id, status }));
    });
  }

  /** `items` are unique by (id, resource_type) and all belong to the installation. */
  async storeOswlStats(context: WriteContext, items: Oswl[]): Promise<Guarded<OswlStatus[]>> {
    return this.guarded(context, items.length, async (trust) => {
      try {
        return settleOswlStats(items, await upsertOswlStats(this.env.COLLECTOR_DB, context.uid, items, trust, Date.now()));
      } catch (error) {
        console.error("oswl_stats upsert failed", context.uid, error);
        return settleOswlStats(items, "failed");
      }
    });
  }

  async describeIdentity(uid: string): Promise<IdentityView> {
    const state = this.loadIdentity();
    return {
      known: state.firstSeen !== null,
      bound: state.boundHash !== null,
      boundAt: state.boundAt,
      acceptedAt: state.acceptedAt,
      firstSeen: state.firstSeen,
      lastSeen: await lastWriteAt(this.env.COLLECTOR_DB, uid),
      issuingSince: state.boundHash === null ? (this.read(null, loadTokenKey)?.createdAt ?? null) : null,
    };
  }

  /** Operator: bind to a new token, returned once, voiding the old binding. */
  async rotateToken(): Promise<string> {
    return this.exclusive(async () => {
      // Same form as an issued token, under a throwaway key: only its hash is kept.
      const now = Date.now();
      const token = await issueInstallationToken(await importTokenKey(generateTokenKey()), now);
      const hash = await sha256Hex(token);
      bindToken(this.storage(), hash, now);
      this.forgetIdentity();
      return token;
    });
  }

  /** Operator: forget the binding; the next write is treated as from an unbound installation. */
  async clearToken(): Promise<void> {
    await this.exclusive(async () => {
      if (!this.fresh) clearBinding(this.ctx.storage.sql);
      this.forgetIdentity();
    });
  }

  /** Operator: let a quarantined installation's data into the reports. Returns rows released. */
  async accept(uid: string): Promise<number> {
    return this.exclusive(async () => {
      const now = Date.now();
      acceptInstallation(this.storage(), now);
      this.forgetIdentity();
      return releaseQuarantinedRows(this.env.COLLECTOR_DB, uid, now);
    });
  }

  /**
   * Deletes everything stored about the installation: its collector rows (a chunk at a time; see
   * deleteInstallationRows), then every byte of this object's storage (identity, token binding or
   * key, stored action-log ids, quotas). It runs in turn with the writes, so none lands halfway,
   * and the next write is a first contact again. The object's storage goes last: if the D1 part
   * fails, the token still proves the installation and a second request finishes the job.
   */
  async forget(uid: string, proof: DeletionProof): Promise<Deletion> {
    return this.exclusive(async () => {
      if (proof.by === "installation") {
        const presented = proof.token === null ? null : await sha256Hex(proof.token);
        const decision = decideDeletion(this.loadIdentity().boundHash, presented);
        if (!decision.allowed) return { ok: false, status: 403, reason: decision.reason, message: decision.message };
      }
      const deletedAt = Date.now();
      const rows = await deleteInstallationRows(this.env.COLLECTOR_DB, uid, deletedAt);
      const object = this.read(EMPTY_OBJECT_STATE, countObjectState);
      await this.ctx.storage.deleteAll();
      // No schema, as a new object: the next write finds no identity, no quotas, and makes it.
      this.fresh = true;
      this.windows = null;
      this.forgetIdentity();
      return { ok: true, deletedAt, rows, object };
    });
  }

  /** Identity, then quotas, then the write; identity and quota state change only if all pass. */
  private guarded<T>(context: WriteContext, records: number, write: (trust: Trust) => Promise<T>): Promise<Guarded<T>> {
    return this.exclusive(async () => {
      const now = Date.now();
      const identity = (this.identity ??= this.loadIdentity());
      const token = context.presentedToken;
      const presentedHash = token === null ? null : await sha256Hex(token);
      const key = await this.currentTokenKey();
      const presentedIssuedAt = token !== null && identity.boundHash === null && key !== null ? await issuedAtOf(key, token) : null;
      const decision = decideIdentity({ ...identity, presentedIssuedAt }, presentedHash, context.config.legacyPolicy, now);
      if (decision.kind === "reject" && !decision.issueToken) {
        return { ok: false, status: 403, reason: "rejected_identity", message: decision.message, token: null };
      }
      const { limits } = context.config;
      // The first time this object would store anything, the client address pays for it.
      if (identity.firstSeen === null && key === null) {
        const addressKey = await sha256Hex(`address:${context.address ?? "unknown"}`);
        const quota = this.env.ADDRESS_QUOTA.get(this.env.ADDRESS_QUOTA.idFromName(addressKey));
        const admitted = await quota.admitNewInstallation(limits.newInstallationsPerHour, now);
        if (!admitted.allowed) {
          return limited(
            `more than ${limits.newInstallationsPerHour} new installations per hour from this client address`,
            admitted.retryAfterSeconds,
          );
        }
      }
      if (decision.kind === "reject") {
        const issuing = await this.prepareToken(now);
        issuing.commit();
        return { ok: false, status: 403, reason: "rejected_identity", message: decision.message, token: issuing.token };
      }

      const windows = (this.windows ??= this.read(new Map<string, QuotaWindow>(), (sql) => loadQuotaWindows(sql, ["requests", "records"])));
      const [minuteBefore, dayBefore] = [windows.get("requests") ?? null, windows.get("records") ?? null];
      const minute = consumeQuota(minuteBefore, now, MINUTE_MS, limits.requestsPerMinute);
      if (!minute.allowed) {
        return limited(`more than ${limits.requestsPerMinute} requests per minute for this installation`, minute.retryAfterSeconds);
      }
      const day = consumeQuota(dayBefore, now, DAY_MS, limits.recordsPerDay, records);
      if (!day.allowed) {
        return limited(`more than ${limits.recordsPerDay} records per day for this installation`, day.retryAfterSeconds);
      }
      windows.set("requests", minute.window).set("records", day.window);
      const saveWindows =
        quotaNeedsSaving(minuteBefore, minute.window, limits.requestsPerMinute) ||
        quotaNeedsSaving(dayBefore, day.window, limits.recordsPerDay);
      // The token is made before the write, so that nothing is awaited between the write's own
      // storage (the action-log ids it stored) and the rest of this request's below.
      const issuing = decision.issueToken ? await this.prepareToken(now) : null;

      const value = await write(decision.trust);
      if (saveWindows) saveQuotaWindows(this.storage(), { requests: minute.window, records: day.window });
      if (decision.bindTo) {
        bindToken(this.storage(), decision.bindTo, now);
        this.forgetIdentity();
      }
      // Only the first write is noted here; when the last one was, D1 knows (see lastWriteAt).
      else if (identity.firstSeen === null) {
        markSeen(this.storage(), now);
        this.forgetIdentity();
      }
      issuing?.commit();
      return { ok: true, value, token: issuing?.token ?? null, bound: decision.bindTo !== null };
    });
  }

  /**
   * A fresh token, and `commit`, which stores what it needs: nothing, except the key the first time
   * this installation issues one. The caller commits with its other writes, after its last await.
   */
  private async prepareToken(now: number): Promise<{ token: string; commit: () => void }> {
    const key = await this.currentTokenKey();
    if (key !== null) return { token: await issueInstallationToken(key, now), commit: () => {} };
    const raw = generateTokenKey();
    const made = await importTokenKey(raw);
    const token = await issueInstallationToken(made, now);
    return {
      token,
      commit: () => {
        saveTokenKey(this.storage(), raw, now);
        this.tokenKey = made;
      },
    };
  }

  /** The identity as stored; an object with no schema yet has none. */
  private loadIdentity(): StoredIdentity {
    return this.read(NO_IDENTITY, loadIdentity);
  }

  /** After a change of the identity or the key in storage. */
  private forgetIdentity(): void {
    this.identity = undefined;
    this.tokenKey = undefined;
  }

  private async currentTokenKey(): Promise<CryptoKey | null> {
    if (this.tokenKey === undefined) {
      const stored = this.read(null, loadTokenKey);
      this.tokenKey = stored === null ? null : await importTokenKey(stored.key);
    }
    return this.tokenKey;
  }

  /** Runs calls one after another: input gates alone do not hold other calls while D1 is awaited. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

const NO_IDENTITY: StoredIdentity = { firstSeen: null, lastSeen: null, boundHash: null, boundAt: null, acceptedAt: null };
const EMPTY_OBJECT_STATE: ObjectStateCounts = { identity: false, token_binding: false, token_key: false, action_log_ids: 0, quota_windows: 0 };

function limited(message: string, retryAfterSeconds: number) {
  return { ok: false as const, status: 429 as const, reason: "rate_limited" as const, message, token: null, retryAfterSeconds };
}
