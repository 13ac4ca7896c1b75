// listJsonRows against D1 itself: the same rows, values and order as raw() gives, and the rows as
// they are when one JSON text would be too big for D1.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listJsonRows } from "../../worker/db/json-rows";

const VALUES = `SELECT column1 AS i, column2 AS t, column3 AS r, column4 AS n, column5 AS j FROM (VALUES
  (1, 'plain', 1.5, NULL, '[{"company_name":"A \\"B\\"","end_date":0}]'),
  (-7, 'Zoë 😀 "quoted" \\ back', 0.1, 9007199254740991, NULL),
  (0, '', -2.25, 3, '[]'),
  (2, 'tab	and
newline', 1e300, 42, '{"a":[1,2,{"b":null}]}')
) ORDER BY i DESC`;

describe("listJsonRows", () => {
  it("gives the rows raw() gives, JSON columns parsed, in the query's order", async () => {
    const raw = await env.CONTRIB_DB.prepare(VALUES).raw<unknown[]>();
    const rows = await listJsonRows(env.CONTRIB_DB, VALUES, [], ["i", "t", "r", "n", { json: "j" }]);
    expect(rows).toEqual(raw.map((r) => [...r.slice(0, 4), r[4] === null ? null : JSON.parse(r[4] as string)]));
    expect(rows.map((r) => r[0])).toEqual([2, 1, 0, -7]);
  });

  it("gives an empty list for no rows, and the rows of a grouped query in its order", async () => {
    expect(await listJsonRows(env.CONTRIB_DB, `${VALUES} LIMIT 0`, [], ["i"])).toEqual([]);
    const grouped = "SELECT i % 2 AS k, sum(i) AS s FROM (SELECT column1 AS i FROM (VALUES (1), (2), (3), (4), (5))) WHERE i > ?1 GROUP BY +k";
    expect(await listJsonRows(env.CONTRIB_DB, grouped, [1], ["k", "s"])).toEqual(await env.CONTRIB_DB.prepare(grouped).bind(1).raw());
  });

  it("asks for the rows as they are when D1 refuses a text that big", async () => {
    const calls: string[] = [];
    const db = {
      prepare: (sql: string) => ({
        bind: () => ({
          raw: async () => {
            calls.push(sql);
            if (sql.startsWith("SELECT json_group_array")) throw new Error("D1_ERROR: string or blob too big: SQLITE_TOOBIG");
            return [[1, '{"a":1}'], [2, null]];
          },
        }),
      }),
    } as unknown as D1Database;
    expect(await listJsonRows(db, "SELECT i, j FROM t", [], ["i", { json: "j" }])).toEqual([[1, { a: 1 }], [2, null]]);
    expect(calls).toEqual(["SELECT json_group_array(json_array(i, json(j))) FROM (SELECT i, j FROM t)", "SELECT i, j FROM (SELECT i, j FROM t)"]);
  });

  it("passes any other error on", async () => {
    const db = { prepare: () => ({ bind: () => ({ raw: async () => Promise.reject(new Error("D1_ERROR: no such table: t")) }) }) } as unknown as D1Database;
    await expect(listJsonRows(db, "SELECT i FROM t", [], ["i"])).rejects.toThrow("no such table");
  });
});
