import { DurableObject } from "cloudflare:workers";
import { migrateObjectStorage } from "../db/installation-state";
import { loadQuotaWindow, QUOTA_MIGRATION, saveQuotaWindow } from "../db/quota-state";
import { consumeQuota, HOUR_MS, type QuotaDecision } from "../domain/rate";

/**
 * One object per client address (named by a hash of it; the address itself is never stored).
 * It counts the new installations an address creates per hour: a flood of fresh
 * master_node_uids from one place is the cheap way to poison the statistics.
 */
export class AddressQuota extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => migrateObjectStorage(ctx.storage.sql, [QUOTA_MIGRATION]));
  }

  async admitNewInstallation(limitPerHour: number, now: number): Promise<QuotaDecision> {
    const sql = this.ctx.storage.sql;
    const decision = consumeQuota(loadQuotaWindow(sql, "new_installations"), now, HOUR_MS, limitPerHour);
    if (decision.allowed) saveQuotaWindow(sql, "new_installations", decision.window);
    return decision;
  }
}
