// Raw JSON exports (fuel-stats /api/v1/json/...). They carry whole structures, which may hold an
// operator's contact details, so unlike fuel-stats (meant for an internal network) they require
// the admin secret.
import { Hono } from "hono";
import { ResourceTypeSchema } from "../../schemas/collector";
import { type PagingParams, PagingParamsSchema } from "../../schemas/exports";
import { findInstallationInfo, listActionLogRows, listFilteredInstallations, listOswlRows, summarizeCollector } from "../db/exports";
import { requireAdmin } from "../http/admin-auth";
import type { AppContext, AppEnv } from "../http/app-env";
import { apiError, describeZodError } from "../http/errors";

// The guard is on each route, not on the whole prefix, which public reports share.
export const exportsApi = new Hono<AppEnv>();

function pagingOf(c: AppContext): PagingParams {
  const raw = c.req.query("paging_params");
  let value: unknown = {};
  if (raw !== undefined) {
    try {
      value = JSON.parse(raw);
    } catch {
      throw apiError(400, 'invalid request: paging_params: expected a JSON object such as {"limit":10,"offset":20}');
    }
  }
  const parsed = PagingParamsSchema.safeParse(value ?? {}, { reportInput: true });
  if (!parsed.success) throw apiError(400, describeZodError(parsed.error, ["paging_params"]));
  return parsed.data;
}

const paged = <T>(c: AppContext, paging: PagingParams, result: { total: number; rows: T[] }) =>
  c.json({ paging_params: { ...paging, total: result.total }, objs: result.rows });

exportsApi.get("/installation_info/:uid", requireAdmin, async (c) => {
  const info = await findInstallationInfo(c.env.COLLECTOR_DB, c.req.param("uid"));
  if (!info) throw apiError(404, `no installation with master_node_uid "${c.req.param("uid")}"`);
  return c.json(info);
});

exportsApi.get("/installation_infos/filtered", requireAdmin, async (c) => {
  const paging = pagingOf(c);
  return paged(c, paging, await listFilteredInstallations(c.env.COLLECTOR_DB, paging));
});

exportsApi.get("/oswls/:uid/:resourceType?", requireAdmin, async (c) => {
  const paging = pagingOf(c);
  const type = c.req.param("resourceType");
  if (type !== undefined && !ResourceTypeSchema.safeParse(type).success) {
    throw apiError(400, `invalid request: resource_type: "${type}" is not one of ${ResourceTypeSchema.options.join(", ")}`);
  }
  return paged(c, paging, await listOswlRows(c.env.COLLECTOR_DB, c.req.param("uid"), type ?? null, paging));
});

exportsApi.get("/action_logs/:uid", requireAdmin, async (c) => {
  const paging = pagingOf(c);
  return paged(c, paging, await listActionLogRows(c.env.COLLECTOR_DB, c.req.param("uid"), paging));
});

exportsApi.get("/summary", requireAdmin, async (c) => c.json(await summarizeCollector(c.env.COLLECTOR_DB)));
