// The queries of the backup job (worker/backups/job.ts): what tables a database has, how far it is
// migrated, its AUTOINCREMENT counters, and one page of a table in key order.
import type { BackupTableKey, BackupValue } from "../../schemas/backup";
import { encodeCell, quoteIdent, sqlLiteral } from "../domain/backup-values";

/** A table as the backup reads it. */
export interface TablePlan {
  name: string;
  columns: string[];
  key: BackupTableKey;
}

/** D1's and SQLite's own tables, and wrangler's record of applied migrations, are not backed up. */
const internal = (name: string) => name.startsWith("sqlite_") || name.startsWith("_cf_") || name === "d1_migrations";

const WITHOUT_ROWID = /\)\s*WITHOUT\s+ROWID\s*(?:,\s*STRICT\s*)?;?\s*$/i;

/** Every table to back up, by name, with its columns in order and the key it is paged by. */
export async function listBackupTables(db: D1Database): Promise<TablePlan[]> {
  const { results } = await db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all<{ name: string; sql: string | null }>();
  const tables = results.filter((t) => !internal(t.name));
  if (tables.length === 0) return [];
  const infos = await db.batch<{ name: string; type: string; pk: number }>(tables.map((t) => db.prepare(`PRAGMA table_info(${quoteIdent(t.name)})`)));
  return tables.map((t, i) => {
    const columns = infos[i]!.results;
    const names = columns.map((c) => c.name);
    const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    let key: BackupTableKey;
    if (WITHOUT_ROWID.test(t.sql ?? "")) {
      key = { kind: "primary-key", columns: pk.map((c) => c.name) };
    } else if (pk.length === 1 && pk[0]!.type.toUpperCase() === "INTEGER") {
      key = { kind: "rowid", column: pk[0]!.name };
    } else {
      // The files carry the hidden rowid under this name, which no column may have.
      if (names.some((n) => ["rowid", "_rowid_", "oid"].includes(n.toLowerCase()))) {
        throw new Error(`table ${t.name} has a column named like its rowid, which the backup cannot carry`);
      }
      key = { kind: "rowid", column: null };
    }
    return { name: t.name, columns: names, key };
  });
}

/** The migrations wrangler applied, in order (none when it never applied one). */
export async function findAppliedMigrations(db: D1Database): Promise<string[]> {
  const exists = await db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'").first();
  if (!exists) return [];
  const { results } = await db.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
  return results.map((r) => r.name);
}

/** sqlite_sequence: each AUTOINCREMENT table's counter, as decimal text (they are 64-bit). */
export async function findSequences(db: D1Database): Promise<Record<string, string>> {
  const exists = await db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").first();
  if (!exists) return {};
  const { results } = await db
    .prepare("SELECT name, CAST(seq AS TEXT) AS seq FROM sqlite_sequence WHERE name <> 'd1_migrations' ORDER BY name")
    .all<{ name: string; seq: string }>();
  return Object.fromEntries(results.map((r) => [r.name, r.seq]));
}

/** Where a page starts: after this rowid (decimal text) or these primary key values; null for the first page. */
export type PageCursor = string | BackupValue[] | null;

export interface TablePage {
  /** Each row as the table file holds it: the hidden rowid first, when there is one, then the columns. */
  rows: Record<string, BackupValue>[];
  /** The cursor after the last row (the given one when the page is empty). */
  last: PageCursor;
}

/** Each cell is read as its value, its SQLite type, and its exact text where JSON cannot carry it. */
function cellColumns(column: string, i: number): string {
  const c = quoteIdent(column);
  return [
    `CASE WHEN typeof(${c}) = 'blob' THEN NULL ELSE ${c} END AS v${i}`,
    `typeof(${c}) AS t${i}`,
    `CASE typeof(${c})` +
      ` WHEN 'blob' THEN hex(${c})` +
      ` WHEN 'integer' THEN CASE WHEN ${c} BETWEEN -9007199254740991 AND 9007199254740991 THEN NULL ELSE CAST(${c} AS TEXT) END` +
      ` WHEN 'real' THEN CASE WHEN ${c} > 1.7976931348623157e308 THEN 'Infinity' WHEN ${c} < -1.7976931348623157e308 THEN '-Infinity' END` +
      ` END AS x${i}`,
  ].join(", ");
}

/**
 * Up to `limit` rows after `after`, in key order: by rowid, or by the primary key of a WITHOUT
 * ROWID table (a row-value comparison, so each page is one range of the table's b-tree, never an
 * OFFSET). Every value comes back exactly (see encodeCell).
 */
export async function readTablePage(db: D1Database, table: TablePlan, after: PageCursor, limit: number): Promise<TablePage> {
  const cells = table.columns.map(cellColumns).join(", ");
  const name = quoteIdent(table.name);
  let statement: D1PreparedStatement;
  if (table.key.kind === "rowid") {
    const where = after === null ? "" : "WHERE rowid > CAST(?2 AS INTEGER) ";
    const sql = `SELECT CAST(rowid AS TEXT) AS k, ${cells} FROM ${name} ${where}ORDER BY rowid LIMIT ?1`;
    statement = after === null ? db.prepare(sql).bind(limit) : db.prepare(sql).bind(limit, after as string);
  } else {
    const keys = table.key.columns.map(quoteIdent).join(", ");
    // Literals rather than parameters: a key may hold a 64-bit integer or a blob, which they cannot.
    const where = after === null ? "" : `WHERE (${keys}) > (${(after as BackupValue[]).map(sqlLiteral).join(", ")}) `;
    statement = db.prepare(`SELECT NULL AS k, ${cells} FROM ${name} ${where}ORDER BY ${keys} LIMIT ?1`).bind(limit);
  }
  const raw = await statement.raw();
  const rows = raw.map((cells) => {
    const row: Record<string, BackupValue> = {};
    if (table.key.kind === "rowid" && table.key.column === null) {
      const rowid = cells[0] as string;
      row.rowid = Number.isSafeInteger(Number(rowid)) ? Number(rowid) : { $int: rowid };
    }
    table.columns.forEach((column, i) => {
      row[column] = encodeCell(cells[1 + i * 3], cells[2 + i * 3] as string, cells[3 + i * 3] as string | null);
    });
    return row;
  });
  const lastRaw = raw.at(-1);
  if (!lastRaw) return { rows, last: after };
  const lastRow = rows.at(-1)!;
  const last: PageCursor = table.key.kind === "rowid" ? (lastRaw[0] as string) : table.key.columns.map((c) => lastRow[c]!);
  return { rows, last };
}
