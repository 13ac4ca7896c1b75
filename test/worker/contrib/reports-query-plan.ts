// The plan SQLite picks for the one statement a query function sends, for the report tests that
// check a report reads an index range rather than the records table.
import { env } from "cloudflare:workers";
import { expect } from "vitest";

/** A D1 database that remembers each statement it prepares with the values bound to it. */
function recording(db: D1Database) {
  const sent: { sql: string; binds: unknown[] }[] = [];
  const wrapped = {
    prepare(sql: string) {
      const statement = db.prepare(sql);
      return {
        bind(...binds: unknown[]) {
          sent.push({ sql, binds });
          return statement.bind(...binds);
        },
      };
    },
  };
  return { db: wrapped as unknown as D1Database, sent };
}

/** The steps of the plan (one a line) of the single statement `query` sends to CONTRIB_DB. */
export async function planOf(query: (db: D1Database) => Promise<unknown>): Promise<string> {
  const { db, sent } = recording(env.CONTRIB_DB);
  await query(db);
  expect(sent).toHaveLength(1);
  const { results } = await env.CONTRIB_DB.prepare(`EXPLAIN QUERY PLAN ${sent[0]!.sql}`)
    .bind(...sent[0]!.binds)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join("\n");
}
