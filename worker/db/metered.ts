// A D1 database that counts what is asked of it: statements run and the rows D1 says they read and
// wrote (each result's `meta`). The processor's steps run on one, to report what a step cost; the
// ingest bench counts the collector's writes through one (bench/lib/metered-worker.ts).
// `first()` is answered from `all()` here, since only `all`, `run` and `batch` give the counts.

export interface D1Meter {
  queries: number;
  rowsRead: number;
  rowsWritten: number;
}

export type D1Meta = { rows_read?: number; rows_written?: number } | undefined;

const inner = Symbol("inner");
type Wrapped = D1PreparedStatement & { [inner]: D1PreparedStatement };

/**
 * `db` with `count` called with the meta of every statement it runs. `raw()` gives no meta: it is
 * passed through uncounted, or, with `rawFromAll`, answered from `all()` and counted: each row's
 * values in its keys' order, which is the columns' unless a column is named like an array index
 * (JavaScript puts those first). drizzle reads RETURNING that way; the processor reads no raw().
 */
export function meterD1(db: D1Database, count: (meta: D1Meta) => void, options: { rawFromAll?: boolean } = {}): D1Database {
  const wrap = (statement: D1PreparedStatement): Wrapped => {
    const wrapped = {
      [inner]: statement,
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      async all<T>() {
        const result = await statement.all<T>();
        count(result.meta);
        return result;
      },
      async run<T>() {
        const result = await statement.run<T>();
        count(result.meta);
        return result;
      },
      async first<T>(column?: string) {
        const result = await statement.all<Record<string, unknown>>();
        count(result.meta);
        const row = result.results[0];
        if (row === undefined) return null;
        return (column === undefined ? row : row[column]) as T;
      },
      raw: options.rawFromAll
        ? async (raw?: { columnNames?: boolean }) => {
            const result = await statement.all<Record<string, unknown>>();
            count(result.meta);
            const rows = result.results.map((row) => Object.values(row));
            return raw?.columnNames ? [Object.keys(result.results[0] ?? {}), ...rows] : rows;
          }
        : statement.raw.bind(statement),
    };
    return wrapped as unknown as Wrapped;
  };
  const metered = {
    prepare: (query: string) => wrap(db.prepare(query)),
    async batch<T>(statements: D1PreparedStatement[]) {
      const results = await db.batch<T>(statements.map((s) => (s as Wrapped)[inner] ?? s));
      for (const r of results) count(r.meta);
      return results;
    },
    exec: (query: string) => db.exec(query),
    withSession: db.withSession.bind(db),
    dump: db.dump.bind(db),
  };
  return metered as unknown as D1Database;
}

/** `db` counting into a meter of its own: statements, rows read and rows written. */
export function meteredD1(db: D1Database): { db: D1Database; meter: D1Meter } {
  const meter: D1Meter = { queries: 0, rowsRead: 0, rowsWritten: 0 };
  const metered = meterD1(db, (meta) => {
    meter.queries++;
    meter.rowsRead += meta?.rows_read ?? 0;
    meter.rowsWritten += meta?.rows_written ?? 0;
  });
  return { db: metered, meter };
}
