// Restoring a backup into an empty database, as pure decisions: whether a target can take it, and
// the SQL that loads it. `npm run restore` writes these statements into files for
// `wrangler d1 execute --file`; the worker tests run the same statements through D1.
import type { BackupDatabase, BackupTable, BackupValue } from "../../schemas/backup";
import { quoteIdent, sqlLiteral, textLiteral, utf8Length } from "./backup-values";

export type BackupRow = Record<string, BackupValue>;

/** What a restore needs to know of its target database. */
export interface RestoreTarget {
  /** d1_migrations' names, in order. */
  migrations: string[];
  /** Every table but D1's and SQLite's own: its columns and whether it holds a row. */
  tables: Record<string, { columns: string[]; hasRows: boolean }>;
}

/**
 * Why a database cannot be restored into `target`, in words for the operator; empty when it can.
 * The target must be migrated exactly as far as the backup was, and hold no row in any table.
 */
export function restoreProblems(backup: BackupDatabase, target: RestoreTarget, apply: string): string[] {
  const problems: string[] = [];
  const want = backup.migrations;
  const have = target.migrations;
  const same = want.length === have.length && want.every((m, i) => m === have[i]);
  if (!same) {
    const wanted = backup.migration ?? "none";
    const got = have.at(-1) ?? "none";
    if (have.length < want.length && have.every((m, i) => m === want[i])) {
      problems.push(`its migrations stop at ${got}, the backup's at ${wanted}: apply them first (${apply}) to exactly ${wanted}`);
    } else if (have.length > want.length && want.every((m, i) => m === have[i])) {
      problems.push(
        `it is migrated past the backup (${got}, the backup ${wanted}): restore into a database migrated to ${wanted}, then apply the later migrations`,
      );
    } else {
      problems.push(`its migrations (${have.join(", ") || "none"}) are not the backup's (${want.join(", ") || "none"})`);
    }
  }
  for (const table of backup.tables) {
    const there = target.tables[table.name];
    if (!there) {
      if (same) problems.push(`it has no table ${table.name}`);
      continue;
    }
    const missing = table.columns.filter((c) => !there.columns.includes(c));
    if (missing.length > 0) problems.push(`its table ${table.name} lacks the columns ${missing.join(", ")}`);
  }
  const holding = Object.entries(target.tables)
    .filter(([, t]) => t.hasRows)
    .map(([name]) => name);
  if (holding.length > 0) {
    problems.push(`it is not empty (rows in ${holding.join(", ")}): a restore only loads an empty database; create a new one or delete this one's data`);
  }
  return problems;
}

/** The columns an INSERT names: a hidden rowid travels as "rowid", so the restored rows keep theirs. */
export const insertColumns = (table: BackupTable) => (table.key.kind === "rowid" && table.key.column === null ? ["rowid", ...table.columns] : table.columns);

/** One line of a table file, checked to hold every column. */
export function parseRow(line: string, table: BackupTable): BackupRow {
  const row = JSON.parse(line) as unknown;
  if (row === null || typeof row !== "object" || Array.isArray(row)) throw new Error(`${table.name}: a line that is no JSON object`);
  for (const column of insertColumns(table)) {
    if (!(column in row)) throw new Error(`${table.name}: a row without its column ${column}`);
  }
  return row as BackupRow;
}

export interface StatementLimits {
  /** D1 refuses a statement longer than 100,000 bytes; a row longer than this is loaded in pieces. */
  statementBytes: number;
  rowsPerInsert: number;
}

export const STATEMENT_LIMITS: StatementLimits = { statementBytes: 90_000, rowsPerInsert: 100 };

/**
 * The INSERT statements of one table's rows, several rows each. A row too long for one statement
 * is inserted with its longest texts and blobs empty, which UPDATEs then append piece by piece.
 */
export class TableInserts {
  private readonly columns: string[];
  private readonly prefix: string;
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly table: BackupTable,
    private readonly limits: StatementLimits = STATEMENT_LIMITS,
  ) {
    this.columns = insertColumns(table);
    this.prefix = `INSERT INTO ${quoteIdent(table.name)} (${this.columns.map(quoteIdent).join(", ")}) VALUES `;
  }

  /** The statements this row completes (none while it waits for more rows). */
  add(row: BackupRow): string[] {
    const literals = this.columns.map((c) => sqlLiteral(row[c] ?? null));
    const tuple = `(${literals.join(", ")})`;
    const bytes = utf8Length(tuple) + 2;
    const out: string[] = [];
    if (utf8Length(this.prefix) + bytes > this.limits.statementBytes) {
      out.push(...this.flush(), ...this.longRow(row, literals));
      return out;
    }
    if (this.pending.length >= this.limits.rowsPerInsert || utf8Length(this.prefix) + this.pendingBytes + bytes > this.limits.statementBytes) {
      out.push(...this.flush());
    }
    this.pending.push(tuple);
    this.pendingBytes += bytes;
    return out;
  }

  /** The statement of the rows still waiting, if any. */
  flush(): string[] {
    if (this.pending.length === 0) return [];
    const statement = this.prefix + this.pending.join(", ");
    this.pending = [];
    this.pendingBytes = 0;
    return [statement];
  }

  private longRow(row: BackupRow, literals: string[]): string[] {
    const where = this.whereKey(row);
    const room = this.limits.statementBytes - utf8Length(this.prefix) - 2 - this.columns.length * 2;
    const order = literals.map((l, i) => i).sort((a, b) => literals[b]!.length - literals[a]!.length);
    const shortened = [...literals];
    const appended: number[] = [];
    let total = literals.reduce((t, l) => t + utf8Length(l), 0);
    for (const i of order) {
      if (total <= room) break;
      const value = row[this.columns[i]!] ?? null;
      const empty = typeof value === "string" ? "''" : value !== null && typeof value === "object" && "$blob" in value ? "X''" : null;
      if (empty === null) throw new Error(`${this.table.name}: a row too long for one statement, and not for its texts or blobs`);
      total -= utf8Length(literals[i]!) - empty.length;
      shortened[i] = empty;
      appended.push(i);
    }
    const statements = [`${this.prefix}(${shortened.join(", ")})`];
    for (const i of appended) {
      const column = quoteIdent(this.columns[i]!);
      const value = row[this.columns[i]!]!;
      const budget = this.limits.statementBytes - utf8Length(`UPDATE ${quoteIdent(this.table.name)} SET ${column} = CAST(${column} ||  AS BLOB) WHERE ${where}`);
      if (budget < 64) throw new Error(`${this.table.name}: a row whose key is too long to load it in pieces`);
      if (typeof value === "string") {
        for (const piece of textPieces(value, budget)) {
          statements.push(`UPDATE ${quoteIdent(this.table.name)} SET ${column} = ${column} || ${textLiteral(piece)} WHERE ${where}`);
        }
      } else {
        // || makes text of blobs; cast back, byte for byte.
        const hex = (value as { $blob: string }).$blob;
        const step = (budget - 3) & ~1;
        for (let at = 0; at < hex.length; at += step) {
          statements.push(`UPDATE ${quoteIdent(this.table.name)} SET ${column} = CAST(${column} || X'${hex.slice(at, at + step)}' AS BLOB) WHERE ${where}`);
        }
      }
    }
    return statements;
  }

  private whereKey(row: BackupRow): string {
    const key = this.table.key;
    if (key.kind === "rowid") return `rowid = ${sqlLiteral(row[key.column ?? "rowid"] ?? null)}`;
    return key.columns.map((c) => `${quoteIdent(c)} = ${sqlLiteral(row[c] ?? null)}`).join(" AND ");
  }
}

/** Pieces of `text` whose literals fit in `budget` bytes, never splitting a surrogate pair. */
export function* textPieces(text: string, budget: number): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let span = Math.max(1, Math.floor(budget / 3));
    for (;;) {
      let end = Math.min(text.length, start + span);
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += end - start > 1 ? -1 : 1;
      const piece = text.slice(start, end);
      if (utf8Length(textLiteral(piece)) <= budget || span === 1) {
        yield piece;
        start = end;
        break;
      }
      span = Math.max(1, Math.floor(span / 2));
    }
  }
}

/** A trigger of the target, as sqlite_master holds it. */
export interface TriggerDefinition {
  name: string;
  sql: string;
}

/**
 * Before the rows: the target's triggers are dropped, so that loading a table does not write rows
 * of another (installation_structures' triggers append to installation_release_days, which the
 * backup holds already). They are created again, from their own SQL, after the rows.
 */
export const dropTriggerStatements = (triggers: readonly TriggerDefinition[]) => triggers.map((t) => `DROP TRIGGER IF EXISTS ${quoteIdent(t.name)}`);

/**
 * After the rows: each AUTOINCREMENT counter as the backup found it (inserting explicit ids moved
 * it only to the largest id; the source's may be higher, after deletes), then the triggers.
 */
export function finishStatements(backup: BackupDatabase, triggers: readonly TriggerDefinition[]): string[] {
  const statements: string[] = [];
  for (const [table, seq] of Object.entries(backup.sequences)) {
    const name = textLiteral(table);
    statements.push(`UPDATE sqlite_sequence SET seq = ${seq} WHERE name = ${name}`);
    statements.push(`INSERT INTO sqlite_sequence (name, seq) SELECT ${name}, ${seq} WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${name})`);
  }
  return [...statements, ...triggers.map((t) => t.sql)];
}
