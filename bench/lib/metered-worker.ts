// The worker as it ships, counting its writes, for the rows-written pass of `npm run bench:ingest`:
// an entry point of the bench's own (wrangler's `entrypoint`, the same wrangler.toml) that hands
// the worker and its two object classes a COLLECTOR_DB that adds up D1's `meta.rows_written`, and
// counts the `rowsWritten` of every statement the objects run on their own SQLite storage.
// `GET /__bench/writes` answers the totals since the last call, and starts again from zero.
// Nothing of worker/ changes; Cloudflare bills both D1 and Durable Object storage by rows written.
import { type D1Meta, meterD1 } from "../../worker/db/metered";
import worker, { AddressQuota as ShippedAddressQuota, Installation as ShippedInstallation } from "../../worker/index";

interface Writes {
  /** COLLECTOR_DB statements run, and the rows D1 says they wrote, by who ran them. */
  d1: Record<"worker" | "installation", { statements: number; rowsWritten: number }>;
  /** Statements run on each object class's own storage, and the rows they wrote. */
  objects: Record<"installation" | "addressQuota", { statements: number; rowsWritten: number }>;
}

const zero = (): Writes => ({
  d1: { worker: { statements: 0, rowsWritten: 0 }, installation: { statements: 0, rowsWritten: 0 } },
  objects: { installation: { statements: 0, rowsWritten: 0 }, addressQuota: { statements: 0, rowsWritten: 0 } },
});
let writes = zero();
/** Object statements whose cursors may not be read to their end yet: counted when the totals are read. */
let cursors: { who: keyof Writes["objects"]; cursor: SqlStorageCursor<Record<string, SqlStorageValue>> }[] = [];

/** COLLECTOR_DB counting for `who`; drizzle reads RETURNING through raw(), which is counted too. */
const meteredD1 = (db: D1Database, who: keyof Writes["d1"]): D1Database =>
  meterD1(
    db,
    (meta: D1Meta) => {
      writes.d1[who].statements += 1;
      writes.d1[who].rowsWritten += meta?.rows_written ?? 0;
    },
    { rawFromAll: true },
  );

/** Counts every statement an object runs on its storage (the storage's `sql` is one object per object). */
function meterObjectStorage(ctx: DurableObjectState, who: keyof Writes["objects"]): void {
  const sql = ctx.storage.sql;
  const exec = sql.exec.bind(sql);
  sql.exec = ((query: string, ...bindings: unknown[]) => {
    const cursor = exec(query, ...bindings);
    cursors.push({ who, cursor });
    return cursor;
  }) as typeof sql.exec;
}

export class Installation extends ShippedInstallation {
  constructor(ctx: DurableObjectState, env: Env) {
    meterObjectStorage(ctx, "installation");
    super(ctx, { ...env, COLLECTOR_DB: meteredD1(env.COLLECTOR_DB, "installation") });
  }
}

export class AddressQuota extends ShippedAddressQuota {
  constructor(ctx: DurableObjectState, env: Env) {
    meterObjectStorage(ctx, "addressQuota");
    super(ctx, env);
  }
}

export default {
  ...worker,
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (new URL(request.url).pathname === "/__bench/writes") {
      for (const { who, cursor } of cursors) {
        writes.objects[who].statements += 1;
        writes.objects[who].rowsWritten += cursor.rowsWritten;
      }
      const answer = writes;
      writes = zero();
      cursors = [];
      return Response.json(answer);
    }
    return worker.fetch(request, { ...env, COLLECTOR_DB: meteredD1(env.COLLECTOR_DB, "worker") }, ctx);
  },
} satisfies ExportedHandler<Env>;
