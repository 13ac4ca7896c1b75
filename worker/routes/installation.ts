// DELETE /api/v1/installation: an installation deletes everything stored about it, proving itself
// with its token (docs/privacy.md). Operators use DELETE /api/v1/admin/installations/<uid>.
import { Hono } from "hono";
import { INSTALLATION_TOKEN_HEADER, InstallationDeletionRequestSchema } from "../../schemas/collector";
import { collectorConfig } from "../config";
import { deleteInstallation } from "../durable/client";
import type { AppEnv } from "../http/app-env";
import { parseJsonBody } from "../http/body";
import { ApiError, methodNotAllowed } from "../http/errors";

export const installationApi = new Hono<AppEnv>();

installationApi.delete("/", async (c) => {
  const { master_node_uid } = await parseJsonBody(c.req.raw, InstallationDeletionRequestSchema, collectorConfig(c.env).maxBodyBytes);
  c.set("installation", master_node_uid);
  const token = c.req.header(INSTALLATION_TOKEN_HEADER) ?? null;
  const result = await deleteInstallation(c.env, master_node_uid, { by: "installation", token });
  if (!result.ok) throw new ApiError(result.status, result.message, { reason: result.reason });
  c.header("Cache-Control", "no-store");
  return c.json(result.receipt);
});

installationApi.all("/", (c) => {
  throw methodNotAllowed(c.req.method, c.req.path, "DELETE");
});
