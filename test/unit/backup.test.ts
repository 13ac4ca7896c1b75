import { describe, expect, it } from "vitest";
import { type BackupDatabase, type BackupTable, BackupValueSchema } from "../../schemas/backup";
import { finishStatements, parseRow, restoreProblems, type RestoreTarget, TableInserts, textPieces } from "../../worker/domain/backup-restore";
import { backupsToDelete, backupsToKeep } from "../../worker/domain/backup-retention";
import { backupIdOf, backupTimeOf, encodeCell, sqlLiteral, utf8Length } from "../../worker/domain/backup-values";

describe("backup ids", () => {
  it("name the UTC second a backup started, and read back as it", () => {
    const ms = Date.UTC(2026, 4, 1, 3, 0, 7);
    expect(backupIdOf(ms + 999)).toBe("20260501T030007Z");
    expect(backupTimeOf("20260501T030007Z")).toBe(ms);
  });

  it("are not anything else", () => {
    for (const id of ["20260532T030007Z", "2026-05-01", "20260501T030007", "../x", ""]) expect(backupTimeOf(id)).toBeNull();
  });
});

describe("backup values", () => {
  it("carry what JSON holds exactly as themselves, and tag the rest", () => {
    expect(encodeCell(null, "null", null)).toBeNull();
    expect(encodeCell("ünï 'x'", "text", null)).toBe("ünï 'x'");
    expect(encodeCell(42, "integer", null)).toBe(42);
    expect(encodeCell(9223372036854775807, "integer", "9223372036854775807")).toEqual({ $int: "9223372036854775807" });
    expect(encodeCell(0.1, "real", null)).toBe(0.1);
    expect(encodeCell(3, "real", null)).toEqual({ $real: 3 });
    expect(encodeCell(null, "real", "-Infinity")).toEqual({ $real: "-Infinity" });
    expect(encodeCell(null, "blob", "00ff")).toEqual({ $blob: "00FF" });
    for (const v of [null, "a", 1, { $int: "-9223372036854775808" }, { $real: 3 }, { $blob: "00" }]) expect(BackupValueSchema.parse(v)).toEqual(v);
  });

  it("become SQL literals SQLite reads as the same value and type", () => {
    expect(sqlLiteral(null)).toBe("NULL");
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral("a\0b")).toBe("CAST(X'610062' AS TEXT)");
    expect(sqlLiteral(-7)).toBe("-7");
    expect(sqlLiteral(0.1)).toBe("0.1");
    expect(sqlLiteral(1e-7)).toBe("1e-7");
    expect(sqlLiteral({ $int: "-9223372036854775808" })).toBe("-9223372036854775808");
    expect(sqlLiteral({ $real: 3 })).toBe("3.0");
    expect(sqlLiteral({ $real: 1e300 })).toBe("1e+300");
    expect(sqlLiteral({ $real: "Infinity" })).toBe("9e999");
    expect(sqlLiteral({ $blob: "00FF" })).toBe("X'00FF'");
  });

  it("measure UTF-8 without encoding", () => {
    for (const s of ["", "abc", "ünïcødé", "日本語", "😀x", "\ud800"]) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });
});

const logs: BackupTable = { name: "logs", columns: ["id", "body"], key: { kind: "rowid", column: "id" }, rows: 0, files: [] };
const outcomes: BackupTable = { name: "outcomes", columns: ["day", "n"], key: { kind: "rowid", column: null }, rows: 0, files: [] };
const totals: BackupTable = { name: "totals", columns: ["type", "day", "n"], key: { kind: "primary-key", columns: ["type", "day"] }, rows: 0, files: [] };

function statementsOf(table: BackupTable, rows: Record<string, unknown>[], limits = { statementBytes: 400, rowsPerInsert: 3 }) {
  const inserts = new TableInserts(table, limits);
  const out = rows.flatMap((r) => inserts.add(r as never));
  return [...out, ...inserts.flush()];
}

describe("restore statements", () => {
  it("insert several rows per statement, a hidden rowid as rowid", () => {
    expect(statementsOf(outcomes, [1, 2, 3, 4].map((i) => ({ rowid: i * 10, day: `d${i}`, n: i })))).toEqual([
      `INSERT INTO "outcomes" ("rowid", "day", "n") VALUES (10, 'd1', 1), (20, 'd2', 2), (30, 'd3', 3)`,
      `INSERT INTO "outcomes" ("rowid", "day", "n") VALUES (40, 'd4', 4)`,
    ]);
  });

  it("stay under the statement limit, loading a long text or blob in pieces appended to its row", () => {
    const long = `${"é".repeat(300)}'${"x".repeat(200)}😀`;
    const statements = statementsOf(totals, [
      { type: "a", day: 1, n: 1 },
      { type: "b", day: 2, n: { $blob: "AB".repeat(500) } },
    ]);
    const withText = statementsOf(logs, [{ id: { $int: "9007199254740993" }, body: long }]);
    for (const s of [...statements, ...withText]) expect(utf8Length(s)).toBeLessThanOrEqual(400);
    expect(statements[0]).toBe(`INSERT INTO "totals" ("type", "day", "n") VALUES ('a', 1, 1)`);
    expect(statements[1]).toBe(`INSERT INTO "totals" ("type", "day", "n") VALUES ('b', 2, X'')`);
    expect(statements.slice(2).every((s) => s.startsWith(`UPDATE "totals" SET "n" = CAST("n" || X'`) && s.endsWith(`' AS BLOB) WHERE "type" = 'b' AND "day" = 2`))).toBe(true);
    expect(statements.slice(2).map((s) => /X'([0-9A-F]*)'/.exec(s)![1]).join("")).toBe("AB".repeat(500));
    expect(withText[0]).toBe(`INSERT INTO "logs" ("id", "body") VALUES (9007199254740993, '')`);
    const pieces = withText.slice(1).map((s) => {
      expect(s).toMatch(/^UPDATE "logs" SET "body" = "body" \|\| '.*' WHERE rowid = 9007199254740993$/s);
      return s.slice(s.indexOf("|| '") + 4, s.lastIndexOf("' WHERE")).replaceAll("''", "'");
    });
    expect(pieces.join("")).toBe(long);
  });

  it("split text into pieces without breaking a surrogate pair", () => {
    const text = `a${"😀".repeat(50)}`;
    for (const budget of [8, 20, 23, 31]) {
      const pieces = [...textPieces(text, budget)];
      expect(pieces.join("")).toBe(text);
      expect(pieces.every((p) => !/[\ud800-\udbff]$/.test(p) && !/^[\udc00-\udfff]/.test(p)), `budget ${budget}`).toBe(true);
    }
  });

  it("read a file's line only when it holds every column", () => {
    expect(parseRow(`{"rowid":1,"day":"d","n":null}`, outcomes)).toEqual({ rowid: 1, day: "d", n: null });
    expect(() => parseRow(`{"day":"d","n":1}`, outcomes)).toThrow(/without its column rowid/);
  });

  it("set each AUTOINCREMENT counter, then create the triggers again", () => {
    const db = { sequences: { logs: "9223372036854775807" } } as unknown as BackupDatabase;
    expect(finishStatements(db, [{ name: "t", sql: "CREATE TRIGGER t AFTER INSERT ON logs BEGIN SELECT 1; END" }])).toEqual([
      "UPDATE sqlite_sequence SET seq = 9223372036854775807 WHERE name = 'logs'",
      "INSERT INTO sqlite_sequence (name, seq) SELECT 'logs', 9223372036854775807 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'logs')",
      "CREATE TRIGGER t AFTER INSERT ON logs BEGIN SELECT 1; END",
    ]);
  });
});

describe("a restore's target", () => {
  const backup = { migrations: ["0000_a.sql", "0001_b.sql"], migration: "0001_b.sql", tables: [logs] } as unknown as BackupDatabase;
  const target = (over: Partial<RestoreTarget> = {}): RestoreTarget => ({
    migrations: ["0000_a.sql", "0001_b.sql"],
    tables: { logs: { columns: ["id", "body"], hasRows: false } },
    ...over,
  });
  const apply = "wrangler d1 migrations apply X --local";

  it("takes a backup when it is migrated exactly as far and empty", () => {
    expect(restoreProblems(backup, target(), apply)).toEqual([]);
  });

  it("is refused when it holds a row, naming the tables", () => {
    const problems = restoreProblems(backup, target({ tables: { logs: { columns: ["id", "body"], hasRows: true }, other: { columns: ["x"], hasRows: true } } }), apply);
    expect(problems).toEqual([expect.stringMatching(/^it is not empty \(rows in logs, other\): a restore only loads an empty database/)]);
  });

  it("is refused behind, ahead of or beside the backup's migrations, saying what to do", () => {
    expect(restoreProblems(backup, target({ migrations: ["0000_a.sql"] }), apply)[0]).toBe(
      `its migrations stop at 0000_a.sql, the backup's at 0001_b.sql: apply them first (${apply}) to exactly 0001_b.sql`,
    );
    expect(restoreProblems(backup, target({ migrations: ["0000_a.sql", "0001_b.sql", "0002_c.sql"] }), apply)[0]).toMatch(/migrated past the backup \(0002_c.sql/);
    expect(restoreProblems(backup, target({ migrations: ["0000_z.sql"] }), apply)[0]).toMatch(/are not the backup's/);
  });

  it("is refused when a table lacks a column", () => {
    expect(restoreProblems(backup, target({ tables: { logs: { columns: ["id"], hasRows: false } } }), apply)).toEqual(["its table logs lacks the columns body"]);
  });
});

describe("retention", () => {
  const day = (d: string, time = "030000") => `${d}T${time}Z`;

  it("keeps the newest backup of each of the last N days and of the last M months", () => {
    const ids = [
      day("20260102"),
      day("20260131"),
      day("20260215"),
      day("20260228"),
      day("20260301"),
      day("20260302"),
      day("20260303", "030000"),
      day("20260303", "120000"),
      day("20260304"),
    ];
    expect([...backupsToKeep(ids, { daily: 3, monthly: 3 })].sort()).toEqual([day("20260131"), day("20260228"), day("20260302"), day("20260303", "120000"), day("20260304")]);
    expect([...backupsToKeep(ids, { daily: 1, monthly: 0 })]).toEqual([day("20260304")]);
    // At least the newest one stays, whatever the policy says.
    expect([...backupsToKeep(ids, { daily: 0, monthly: 0 })]).toEqual([day("20260304")]);
  });

  it("deletes incomplete backups unless one is being written", () => {
    const now = Date.UTC(2026, 2, 4, 12);
    const stored = [
      { id: day("20260301"), complete: true, trigger: "schedule" as const, status: "done" as const, updatedAt: now },
      { id: day("20260302"), complete: false, trigger: null, status: "failed" as const, updatedAt: now },
      { id: day("20260303"), complete: false, trigger: null, status: "done" as const, updatedAt: now },
      { id: day("20260303", "050000"), complete: false, trigger: null, status: null, updatedAt: null },
      { id: day("20260303", "060000"), complete: false, trigger: null, status: "running" as const, updatedAt: now - 3 * 86_400_000 },
      { id: day("20260304"), complete: false, trigger: null, status: "running" as const, updatedAt: now - 60_000 },
    ];
    expect(backupsToDelete(stored, { daily: 7, monthly: 12 }, now, 86_400_000)).toEqual([
      day("20260302"),
      day("20260303"),
      day("20260303", "050000"),
      day("20260303", "060000"),
    ]);
  });

  it("keeps an admin's backup for N days, apart from the scheduled ones", () => {
    const now = Date.UTC(2026, 2, 10, 12);
    const stored = [
      { id: day("20260301"), trigger: "admin" as const },
      { id: day("20260308"), trigger: "schedule" as const },
      { id: day("20260308", "150000"), trigger: "admin" as const },
      { id: day("20260309"), trigger: "schedule" as const },
      { id: day("20260310", "110000"), trigger: "admin" as const },
    ].map((b) => ({ ...b, complete: true, status: "done" as const, updatedAt: now }));
    // Two days: the scheduled ones of 03-08 and 03-09 stay beside the admin's of the last two days.
    expect(backupsToDelete(stored, { daily: 2, monthly: 0 }, now, 86_400_000)).toEqual([day("20260301")]);
    expect(backupsToDelete(stored, { daily: 1, monthly: 0 }, now, 86_400_000)).toEqual([day("20260301"), day("20260308"), day("20260308", "150000")]);
  });
});
