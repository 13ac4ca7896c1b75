// A D1 database that counts what is asked of it: statements run and the rows D1 says they read and
// wrote (each result's `meta`). The processor's steps run on one, to report what a step cost.
// `first()` is answered from `all()` here, since only `all`, `run` and `batch` give the counts.

export interface D1Meter {
  queries: number;
  rowsRead: number;
  rowsWritten: number;
}

const inner = Symbol("inner");
type Wrapped = D1PreparedStatement & { [inner]: D1PreparedStatement };

export function meteredD1(db: D1Database): { db: D1Database; meter: D1Meter } {
  const meter: D1Meter = { queries: 0, rowsRead: 0, rowsWritten: 0 };
  const count = (meta: { rows_read?: number; rows_written?: number } | undefined) => {
    meter.queries++;
    meter.rowsRead += meta?.rows_read ?? 0;
    meter.rowsWritten += meta?.rows_written ?? 0;
  };
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
      raw: statement.raw.bind(statement),
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
  return { db: metered as unknown as D1Database, meter };
}
