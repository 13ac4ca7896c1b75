// Query functions over ANALYTIC_DB.
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { filteringRules, jobRuns } from "./analytic-schema";

export async function startJobRun(
  db: D1Database,
  run: { job: string; cron: string; scheduledTime: number; startedAt: number },
): Promise<number> {
  const [row] = await drizzle(db)
    .insert(jobRuns)
    .values({ ...run, status: "running" })
    .returning({ id: jobRuns.id });
  return row!.id;
}

export async function finishJobRun(
  db: D1Database,
  id: number,
  result: { status: "ok" | "failed"; detail: unknown; finishedAt: number },
): Promise<void> {
  await drizzle(db)
    .update(jobRuns)
    .set({ status: result.status, detail: JSON.stringify(result.detail), finishedAt: result.finishedAt })
    .where(eq(jobRuns.id, id));
}

/**
 * Marks as `abandoned` the runs of `job` still `running` that started before `before`: their
 * invocation was cut off (a deploy, a crash) without recording an end. Returns how many.
 */
export async function abandonStaleJobRuns(db: D1Database, job: string, before: number, now: number): Promise<number> {
  const result = await db
    .prepare(
      `UPDATE job_runs SET status = 'abandoned', finished_at = ?, detail = ?
       WHERE job = ? AND status = 'running' AND started_at < ?`,
    )
    .bind(now, JSON.stringify({ error: "no end was recorded: the invocation was cut off" }), job, before)
    .run();
  return result.meta.changes;
}

export async function listJobRuns(db: D1Database, limit = 50) {
  return drizzle(db).select().from(jobRuns).orderBy(desc(jobRuns.id)).limit(limit);
}

/** The stored filtering rules, or null when none were ever set (nothing is filtered). */
export async function findFilteringRules(db: D1Database): Promise<{ rules: unknown; updatedAt: number } | null> {
  const [row] = await drizzle(db).select().from(filteringRules).where(eq(filteringRules.id, 1)).limit(1);
  return row ? { rules: JSON.parse(row.rules), updatedAt: row.updatedAt } : null;
}

export async function saveFilteringRules(db: D1Database, rules: unknown, now: number): Promise<void> {
  await drizzle(db)
    .insert(filteringRules)
    .values({ id: 1, rules: JSON.stringify(rules), updatedAt: now })
    .onConflictDoUpdate({ target: filteringRules.id, set: { rules: JSON.stringify(rules), updatedAt: now } });
}
