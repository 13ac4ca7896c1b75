import { DurableObject } from "cloudflare:workers";
import type { ActionLog, ActionLogStatus, Oswl, OswlStatus } from "../../schemas/collector";
import { insertActionLogs, upsertInstallationStructure, upsertOswlStats } from "../db/collector";
import {
  findStoredActionLogIds,
  migrateInstallationState,
  rememberActionLogIds,
} from "../db/installation-state";
import { planActionLogs, settleActionLogs } from "../domain/action-logs";
import { settleOswlStats } from "../domain/oswl";

/**
 * One object per installation (`idFromName(master_node_uid)`). Every write for the installation
 * passes through it, one at a time, so concurrent identical posts cannot race, and it remembers
 * which action-log keys are stored so that re-sent logs are answered without touching D1.
 * A status it returns is final: `added` means the row is committed in D1.
 */
export class Installation extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => migrateInstallationState(ctx.storage.sql));
  }

  async storeStructure(
    masterNodeUid: string,
    structure: string,
    release: string | null,
    country: string | null,
  ): Promise<{ created: boolean }> {
    return this.exclusive(() =>
      upsertInstallationStructure(this.env.COLLECTOR_DB, { masterNodeUid, structure, release, country, now: Date.now() }),
    );
  }

  /** `logs` are unique by external_id and all belong to `masterNodeUid`. */
  async storeActionLogs(masterNodeUid: string, logs: ActionLog[]): Promise<{ external_id: number; status: ActionLogStatus }[]> {
    return this.exclusive(async () => {
      const sql = this.ctx.storage.sql;
      const plan = planActionLogs(logs, findStoredActionLogIds(sql, logs.map((l) => l.external_id)));
      let inserted: Set<number> | "failed";
      try {
        inserted = await insertActionLogs(this.env.COLLECTOR_DB, masterNodeUid, plan.toStore, Date.now());
      } catch (error) {
        console.error("action_logs insert failed", masterNodeUid, error);
        inserted = "failed";
      }
      if (inserted !== "failed") rememberActionLogIds(sql, plan.toStore.map((l) => l.external_id));
      return [...settleActionLogs(plan, inserted)].map(([external_id, status]) => ({ external_id, status }));
    });
  }

  /** `items` are unique by (id, resource_type) and all belong to `masterNodeUid`. */
  async storeOswlStats(masterNodeUid: string, items: Oswl[]): Promise<OswlStatus[]> {
    return this.exclusive(async () => {
      try {
        return settleOswlStats(items, await upsertOswlStats(this.env.COLLECTOR_DB, masterNodeUid, items, Date.now()));
      } catch (error) {
        console.error("oswl_stats upsert failed", masterNodeUid, error);
        return settleOswlStats(items, "failed");
      }
    });
  }

  /** Runs writes one after another: input gates alone do not hold other calls while D1 is awaited. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
