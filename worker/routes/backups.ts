// Operator API for the D1 backups in R2 (docs/operations-backups.md): list them, follow one, start
// one now. Every route requires the admin secret.
import { Hono } from "hono";
import { BackupConflictError, backupDeps, describeBackup, listBackups, startBackupNow } from "../backups/job";
import { requireAdmin } from "../http/admin-auth";
import type { AppEnv } from "../http/app-env";
import { apiError } from "../http/errors";

export const backupsAdmin = new Hono<AppEnv>();

backupsAdmin.use("*", requireAdmin);

backupsAdmin.get("/", async (c) => c.json({ status: "ok", backups: await listBackups(c.env.BUNDLES) }));

/** 202: the backup runs in Queue messages; GET its location to follow it. 409 while another runs. */
backupsAdmin.post("/", async (c) => {
  try {
    const state = await startBackupNow(backupDeps(c.env));
    const backup = await describeBackup(c.env.BUNDLES, state.id);
    return c.json({ status: "ok", backup }, 202, { location: `/api/v1/admin/backups/${state.id}` });
  } catch (error) {
    if (error instanceof BackupConflictError) throw apiError(409, error.message);
    throw error;
  }
});

backupsAdmin.get("/:id", async (c) => {
  const backup = await describeBackup(c.env.BUNDLES, c.req.param("id"));
  if (!backup) throw apiError(404, `no backup ${c.req.param("id")}`);
  return c.json({ status: "ok", backup });
});
