// The all-reports bundle: POST /api/v1/exports asks for one, GET /api/v1/exports/<id> follows it,
// GET /api/v1/exports/<id>/download fetches the .tar.gz. See docs/bundles.md. A bundle of the
// row-level CSV reports is row-level too: each route wants what a CSV report wants.
import { Hono } from "hono";
import { type BundleView, BundleRequestSchema } from "../../schemas/bundles";
import { DEFAULT_RANGE_DAYS, MAX_ADOPTION_DAYS } from "../../schemas/reports";
import { bundleArchiveKey, bundleFileName, type BundleMessage } from "../bundles/job";
import { bundleSource } from "../bundles/source";
import { bundleConfig } from "../config";
import { type BundleRow, countActiveBundles, findBundle, findReusableBundle, insertBundle, queuedBundle } from "../db/bundles";
import { daysBetween } from "../domain/days";
import { requireRowExportAccess } from "../http/admin-auth";
import type { AppContext, AppEnv } from "../http/app-env";
import { ApiError, apiError, describeZodError, methodNotAllowed } from "../http/errors";
import { dayRangeOf } from "../http/query";

export const bundlesApi = new Hono<AppEnv>();

const REQUEST_BYTES = 4096;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function viewOf(c: AppContext, bundle: BundleRow): BundleView {
  const done = bundle.reports.filter((r) => r.bytes !== null).length;
  return {
    id: bundle.id,
    status: bundle.status,
    from_date: bundle.fromDate,
    to_date: bundle.toDate,
    progress: {
      done,
      total: bundle.reports.length,
      current: bundle.status === "running" || bundle.status === "queued" ? (bundle.reports[bundle.step]?.report ?? "archive") : null,
    },
    reports: bundle.reports.map((r) => ({ report: r.report, bytes: r.bytes })),
    created_at: iso(bundle.createdAt)!,
    finished_at: iso(bundle.finishedAt),
    expires_at: iso(bundle.expiresAt)!,
    file_name: bundleFileName(bundle),
    size: bundle.size,
    download: bundle.status === "done" ? new URL(`/api/v1/exports/${bundle.id}/download`, c.req.url).pathname : null,
    error: bundle.error,
  };
}

async function readRequest(c: AppContext) {
  const text = await c.req.text();
  if (text.length > REQUEST_BYTES) throw apiError(413, `request body is larger than the limit of ${REQUEST_BYTES} bytes`);
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw apiError(400, `request body is not valid JSON: ${(error as Error).message}`);
    }
  }
  const parsed = BundleRequestSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw apiError(400, describeZodError(parsed.error));
  const { from, to } = dayRangeOf(parsed.data, DEFAULT_RANGE_DAYS - 1);
  if (daysBetween(from, to) >= MAX_ADOPTION_DAYS) throw apiError(400, `invalid request: from_date to to_date spans more than ${MAX_ADOPTION_DAYS} days`);
  return { from, to };
}

bundlesApi.post("/", requireRowExportAccess, async (c) => {
  const { from, to } = await readRequest(c);
  const config = bundleConfig(c.env);
  const now = Date.now();
  // The same range asked again within the hour gets the bundle already made or being made.
  const existing = await findReusableBundle(c.env.ANALYTIC_DB, from, to, now - 60 * 60 * 1000);
  if (existing) return c.json(viewOf(c, existing), 200, { Location: `/api/v1/exports/${existing.id}` });
  if ((await countActiveBundles(c.env.ANALYTIC_DB)) >= config.maxActive) {
    throw new ApiError(429, `${config.maxActive} bundles are being made already: try again in a minute`, {}, { "Retry-After": "60" });
  }
  const bundle = queuedBundle({ fromDate: from, toDate: to }, bundleSource.ids, now, config.ttlMs);
  await insertBundle(c.env.ANALYTIC_DB, bundle);
  await c.env.BUNDLE_QUEUE.send({ id: bundle.id, step: 0 } satisfies BundleMessage);
  return c.json(viewOf(c, bundle), 202, { Location: `/api/v1/exports/${bundle.id}` });
});

async function bundleOf(c: AppContext): Promise<BundleRow> {
  const id = c.req.param("id") ?? "";
  const bundle = /^[0-9a-f-]{36}$/.test(id) ? await findBundle(c.env.ANALYTIC_DB, id) : null;
  if (!bundle) throw apiError(404, `no bundle with id "${id}"`);
  return bundle;
}

bundlesApi.get("/:id", requireRowExportAccess, async (c) => {
  const bundle = await bundleOf(c);
  c.header("Cache-Control", "no-store");
  return c.json(viewOf(c, bundle));
});

bundlesApi.get("/:id/download", requireRowExportAccess, async (c) => {
  const bundle = await bundleOf(c);
  if (bundle.status === "expired") throw apiError(410, `bundle ${bundle.id} expired at ${iso(bundle.expiresAt)}: ask for a new one`);
  if (bundle.status !== "done") throw apiError(409, `bundle ${bundle.id} is ${bundle.status}, not done`);
  const object = await c.env.BUNDLES.get(bundleArchiveKey(bundle));
  if (!object) throw apiError(410, `bundle ${bundle.id} is no longer stored: ask for a new one`);
  return new Response(object.body, {
    headers: {
      "Content-Type": "application/gzip",
      "Content-Length": String(object.size),
      "Content-Disposition": `attachment; filename="${bundleFileName(bundle)}"`,
      "Cache-Control": "private, max-age=3600",
    },
  });
});

const allowed: Record<string, string> = { "/": "POST", "/:id": "GET", "/:id/download": "GET" };
for (const [path, method] of Object.entries(allowed)) {
  bundlesApi.all(path, (c) => {
    throw methodNotAllowed(c.req.method, c.req.path, method);
  });
}
