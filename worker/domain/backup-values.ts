// The values of a backup's table files, both ways: from what D1 answers (a value, its SQLite type,
// and its exact text when JSON cannot carry it) to a BackupValue, and from a BackupValue to an SQL
// literal that SQLite reads back as the same value of the same type. Pure: the backup job, the
// restore script and the tests share it.
import type { BackupValue } from "../../schemas/backup";

/** The largest integer a JS number (and so JSON) holds exactly. */
export const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** A backup's id for the instant it started: `YYYYMMDDTHHMMSSZ`, UTC. */
export const backupIdOf = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");

/** The instant a backup id names, or null for something that is no backup id. */
export function backupTimeOf(id: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(id);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(ms) || backupIdOf(ms) !== id ? null : ms;
}

/**
 * One cell as the backup query reads it: `value` (null for a blob), `type` = typeof() in SQLite,
 * and `exact` = the text of an integer beyond ±2^53, the hex of a blob, or "Infinity"/"-Infinity"
 * for an infinite real (D1 answers those as null).
 */
export function encodeCell(value: unknown, type: string, exact: string | null): BackupValue {
  switch (type) {
    case "null":
      return null;
    case "text":
      return String(value);
    case "integer":
      if (exact !== null) return { $int: exact };
      return Number(value);
    case "real": {
      if (exact === "Infinity" || exact === "-Infinity") return { $real: exact };
      const n = Number(value);
      return Number.isInteger(n) ? { $real: n } : n;
    }
    case "blob":
      return { $blob: (exact ?? "").toUpperCase() };
    default:
      throw new Error(`a value of SQLite type "${type}"`);
  }
}

/** "name" with its double quotes doubled. */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

const hexOfUtf8 = (text: string) => Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();

/** A text literal; a NUL cannot stand in SQL text, so a text holding one is written as cast hex. */
export const textLiteral = (text: string) => (text.includes("\0") ? `CAST(X'${hexOfUtf8(text)}' AS TEXT)` : `'${text.replaceAll("'", "''")}'`);

/** The SQL literal of a value, read back by SQLite as the same value and type. */
export function sqlLiteral(value: BackupValue): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return textLiteral(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`a number that is not finite: ${value}`);
    return String(value);
  }
  if ("$int" in value) return value.$int;
  if ("$blob" in value) return `X'${value.$blob}'`;
  const real = value.$real;
  if (real === "Infinity") return "9e999";
  if (real === "-Infinity") return "-9e999";
  // A whole number printed with a point (or an exponent, which SQLite also reads as real).
  const text = String(real);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** Bytes of a string in UTF-8, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
