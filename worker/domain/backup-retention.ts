// Which backups to keep: of the scheduled ones, the newest of each of the last N days that have one
// and the newest of each of the last M months; an admin's backup for N days. Ids sort by the time
// the backup started. Pure.

import { backupIdOf } from "./backup-values";

export interface RetentionPolicy {
  /** Days whose newest scheduled backup is kept (at least 1, so the newest always stays), and days an admin's is kept. */
  daily: number;
  /** Months whose newest scheduled backup is kept. */
  monthly: number;
}

/** What the bucket shows of one backup. */
export interface StoredBackup {
  id: string;
  /** Has its manifest. */
  complete: boolean;
  /** Who started it (null when unknown: counted as scheduled). */
  trigger: "schedule" | "admin" | null;
  /** Its progress record's status and last write, when it has one. */
  status: "running" | "done" | "failed" | null;
  updatedAt: number | null;
}

/** Complete backups to keep. Ids are `YYYYMMDDTHHMMSSZ`: the day is the first 8 characters, the month the first 6. */
export function backupsToKeep(completeIds: readonly string[], policy: RetentionPolicy): Set<string> {
  const newestFirst = [...completeIds].sort().reverse();
  const keep = new Set<string>();
  for (const [width, count] of [[8, Math.max(1, policy.daily)], [6, policy.monthly]] as const) {
    const periods = new Set<string>();
    for (const id of newestFirst) {
      const period = id.slice(0, width);
      if (periods.has(period)) continue;
      if (periods.size >= count) break;
      periods.add(period);
      keep.add(id);
    }
  }
  return keep;
}

/**
 * Backups to delete: scheduled ones the policy does not keep, an admin's older than `daily` days
 * (so a backup taken by hand, say before a risky change, neither replaces nor is replaced by the
 * day's scheduled one), and incomplete ones that are not being written (failed, half deleted, or
 * without a write for `staleMs`). A backup being written stays.
 */
export function backupsToDelete(stored: readonly StoredBackup[], policy: RetentionPolicy, now: number, staleMs: number): string[] {
  const scheduled = stored.filter((b) => b.complete && b.trigger !== "admin");
  const keep = backupsToKeep(
    scheduled.map((b) => b.id),
    policy,
  );
  const adminSince = backupIdOf(now - Math.max(1, policy.daily) * 86_400_000);
  return stored
    .filter((b) => {
      if (b.complete && b.trigger === "admin") return b.id < adminSince;
      if (b.complete) return !keep.has(b.id);
      return b.status !== "running" || b.updatedAt === null || b.updatedAt < now - staleMs;
    })
    .map((b) => b.id)
    .sort();
}
