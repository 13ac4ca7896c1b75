// Query functions over ANALYTIC_DB.
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { jobRuns } from "./analytic-schema";

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

export async function listJobRuns(db: D1Database, limit = 50) {
  return drizzle(db).select().from(jobRuns).orderBy(desc(jobRuns.id)).limit(limit);
}
