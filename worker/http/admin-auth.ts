import type { MiddlewareHandler } from "hono";
import { rowExportsConfig } from "../config";
import { secretsEqual } from "../crypto";
import type { AppEnv } from "./app-env";
import { ApiError, apiError } from "./errors";

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>` (wrangler secret put ADMIN_TOKEN; locally
 * .dev.vars), compared in constant time: 401 without it, 403 with a wrong one or none configured.
 */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = c.env.ADMIN_TOKEN;
  if (typeof secret !== "string" || secret.length === 0) {
    throw apiError(403, "the admin API is disabled: set the ADMIN_TOKEN secret to enable it");
  }
  const presented = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  if (presented === undefined) {
    throw new ApiError(401, "this route requires Authorization: Bearer <ADMIN_TOKEN>", {}, { "WWW-Authenticate": "Bearer" });
  }
  if (!(await secretsEqual(presented, secret))) throw apiError(403, "the admin token is wrong");
  await next();
};

/**
 * The row-level exports (one row per installation, cluster, node, plugin or OSWL entry: anyone
 * could recount what small-cell suppression withholds from them) require the admin secret unless
 * PUBLIC_ROW_EXPORTS is "true" (docs/privacy.md). A secret presented is checked either way: a wrong
 * one is refused rather than ignored. Without one: 403, naming both ways in.
 */
export const requireRowExportAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.header("authorization") !== undefined) return requireAdmin(c, next);
  if (rowExportsConfig(c.env).public) return next();
  throw apiError(
    403,
    'row-level exports require the admin secret: send Authorization: Bearer <ADMIN_TOKEN>, or the operator sets PUBLIC_ROW_EXPORTS = "true" to make them public',
  );
};
