import { DurableObject } from "cloudflare:workers";
import { migrateObjectStorage } from "../db/installation-state";
import { loadQuotaWindow, QUOTA_MIGRATION, saveQuotaWindow } from "../db/quota-state";
import { consumeQuota, HOUR_MS, type QuotaDecision, type QuotaWindow, quotaNeedsSaving } from "../domain/rate";

/**
 * One object per client address (named by a hash of it; the address itself is never stored).
 * It counts the new installations an address creates per hour: a flood of fresh
 * master_node_uids from one place is the cheap way to poison the statistics.
 */
export class AddressQuota extends DurableObject<Env> {
  /**
   * The window, read from storage once and then kept here. It is written back only when
   * quotaNeedsSaving says so (at every admission under a limit of 100 or less, every hundredth of
   * the limit above it), as an installation's own windows are: each write is a commit the answer
   * waits for, and every first contact from one address passes through this one object.
   */
  private window: QuotaWindow | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => migrateObjectStorage(ctx.storage.sql, [QUOTA_MIGRATION]));
  }

  async admitNewInstallation(limitPerHour: number, now: number): Promise<QuotaDecision> {
    const sql = this.ctx.storage.sql;
    const before = this.window === undefined ? loadQuotaWindow(sql, "new_installations") : this.window;
    const decision = consumeQuota(before, now, HOUR_MS, limitPerHour);
    if (decision.allowed) {
      this.window = decision.window;
      if (quotaNeedsSaving(before, decision.window, limitPerHour)) saveQuotaWindow(sql, "new_installations", decision.window);
    } else this.window = before;
    return decision;
  }
}
