// Operator API of contribution statistics (admin secret): the configuration documents, kept
// outside the code and loaded at run time, and records posted by hand (an import, a check).
import { Hono } from "hono";
import { CorrectionsSchema } from "../../schemas/contrib/corrections";
import { DefaultDataSchema } from "../../schemas/contrib/default-data";
import { RecordsRequestSchema } from "../../schemas/contrib/records";
import { type ConfigKind, findConfigVersion } from "../db/contrib";
import { ingestRecords } from "../contrib/ingest";
import { type LoadResult, currentEngine, loadCorrections, loadDefaultData } from "../contrib/sync";
import { requireAdmin } from "../http/admin-auth";
import type { AppContext, AppEnv } from "../http/app-env";
import { parseJsonBody } from "../http/body";
import { apiError } from "../http/errors";

/** A production default_data.json is about 1 MB; room for growth, still a bound. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
const MAX_RECORDS_BYTES = 4 * 1024 * 1024;

export const contribAdmin = new Hono<AppEnv>();

contribAdmin.use("*", requireAdmin);

const loaded = (r: LoadResult) => ({
  status: "ok" as const,
  digest: r.digest,
  changed: r.changed,
  loaded_at: new Date(r.loadedAt).toISOString(),
  profiles_updated: r.profilesUpdated,
  profiles_merged: r.profilesMerged,
  records_reattributed: r.recordsReattributed,
});

async function describeVersion(c: AppContext, kind: ConfigKind) {
  const version = await findConfigVersion(c.env.CONTRIB_DB, kind);
  if (!version) throw apiError(404, `no ${kind} has been loaded yet`);
  return c.json({ status: "ok", digest: version.digest, loaded_at: new Date(version.loadedAt).toISOString(), size: version.size, ...version.summary });
}

contribAdmin.put("/default-data", async (c) => {
  const data = await parseJsonBody(c.req.raw, DefaultDataSchema, MAX_DOCUMENT_BYTES);
  return c.json(loaded(await loadDefaultData(c.env.CONTRIB_DB, data, Date.now())));
});

contribAdmin.get("/default-data", (c) => describeVersion(c, "default_data"));

contribAdmin.put("/corrections", async (c) => {
  const corrections = await parseJsonBody(c.req.raw, CorrectionsSchema, MAX_DOCUMENT_BYTES);
  const engine = await currentEngine(c.env.CONTRIB_DB);
  return c.json(loaded(await loadCorrections(c.env.CONTRIB_DB, engine, corrections, Date.now())));
});

contribAdmin.get("/corrections", (c) => describeVersion(c, "corrections"));

contribAdmin.post("/records", async (c) => {
  const { records } = await parseJsonBody(c.req.raw, RecordsRequestSchema, MAX_RECORDS_BYTES);
  const engine = await currentEngine(c.env.CONTRIB_DB);
  if (!engine) throw apiError(409, "no default data is loaded: PUT /api/1.0/admin/default-data first");
  const r = await ingestRecords(c.env.CONTRIB_DB, engine, records, Date.now());
  return c.json({
    status: "ok",
    added: r.added,
    updated: r.updated,
    unchanged: r.unchanged,
    profiles_created: r.profilesCreated,
    profiles_merged: r.profilesMerged,
    records_reattributed: r.recordsReattributed,
    records_post_processed: r.recordsPostProcessed,
  });
});
