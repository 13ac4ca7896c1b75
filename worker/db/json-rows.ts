// Large query results as one JSON text made by the database: the rows as an array of arrays in
// one value. D1 hands results over value by value (the database's cursor makes a JavaScript value
// of each, the answer carries it as JSON, the Worker parses it back): for thousands of rows of a
// dozen columns that cost more than the query itself, and made most of an answer's garbage. One
// value each way is parsed by one JSON.parse.

/** A result column: its name, and whether it holds JSON text to be parsed with the rest. */
export type JsonRowsColumn = string | { json: string };

const nameOf = (c: JsonRowsColumn) => (typeof c === "string" ? c : c.json);

/**
 * The rows of `sql` as arrays of the values of `columns` (names of its result columns), in the
 * order the query gives them; a `{ json }` column comes parsed. Values come back as D1 gives them
 * (integers and reals as numbers, text as strings, NULL as null); not for BLOBs. A text over D1's
 * 2 MB limit on one value (SQLITE_TOOBIG: tens of thousands of rows) makes it ask for the rows
 * as they are instead.
 */
export async function listJsonRows(db: D1Database, sql: string, binds: readonly unknown[], columns: readonly JsonRowsColumn[]): Promise<unknown[][]> {
  const values = columns.map((c) => (typeof c === "string" ? c : `json(${c.json})`)).join(", ");
  try {
    const [row] = await db.prepare(`SELECT json_group_array(json_array(${values})) FROM (${sql})`).bind(...binds).raw<[string]>();
    return JSON.parse(row![0]) as unknown[][];
  } catch (error) {
    if (!String(error).includes("SQLITE_TOOBIG")) throw error;
    const rows = await db.prepare(`SELECT ${columns.map(nameOf).join(", ")} FROM (${sql})`).bind(...binds).raw<unknown[]>();
    const parsed = columns.flatMap((c, i) => (typeof c === "string" ? [] : [i]));
    for (const row of rows) for (const i of parsed) row[i] = row[i] === null ? null : JSON.parse(row[i] as string);
    return rows;
  }
}
