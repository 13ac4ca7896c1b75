// Which backups to keep: the newest of each of the last N days that have one and the newest of
// each of the last M months, as ids (which sort by the time they started). Pure.

export interface RetentionPolicy {
  /** Days whose newest complete backup is kept (at least 1, so the newest backup always stays). */
  daily: number;
  /** Months whose newest complete backup is kept. */
  monthly: number;
}

/** What the bucket shows of one backup. */
export interface StoredBackup {
  id: string;
  /** Has its manifest. */
  complete: boolean;
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
 * Backups to delete: complete ones the policy does not keep, and incomplete ones that are not being
 * written (failed, half deleted, or without a write for `staleMs`). A backup being written stays.
 */
export function backupsToDelete(stored: readonly StoredBackup[], policy: RetentionPolicy, now: number, staleMs: number): string[] {
  const keep = backupsToKeep(
    stored.filter((b) => b.complete).map((b) => b.id),
    policy,
  );
  return stored
    .filter((b) => {
      if (b.complete) return !keep.has(b.id);
      return b.status !== "running" || b.updatedAt === null || b.updatedAt < now - staleMs;
    })
    .map((b) => b.id)
    .sort();
}
