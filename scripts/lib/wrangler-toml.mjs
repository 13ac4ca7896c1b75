// The one edit the deploy script makes to wrangler.toml: database ids written into the
// [[d1_databases]] tables of one environment, every other byte kept (comments, order, spacing).
// A small scanner finds the tables; it knows just enough TOML to tell a table header from a line
// of a multi-line array or string. deploy.mjs parses the result again before it replaces the file.

const BARE_KEY = /[A-Za-z0-9_-]/;

/** Reads a basic ("…", with escapes) or literal ('…') string starting at `at`; returns its value and end. */
function readQuoted(line, at) {
  const quote = line[at];
  let value = "";
  for (let i = at + 1; i < line.length; i++) {
    const ch = line[i];
    if (ch === quote) return { value, end: i + 1 };
    if (quote === '"' && ch === "\\") {
      const next = line[++i];
      const simple = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\" }[next];
      if (simple !== undefined) value += simple;
      else if (next === "u" || next === "U") {
        const digits = next === "u" ? 4 : 8;
        value += String.fromCodePoint(Number.parseInt(line.slice(i + 1, i + 1 + digits), 16));
        i += digits;
      } else return null;
    } else value += ch;
  }
  return null;
}

/** A dotted key (`env."staging".d1_databases`) from `at`: its parts and where it ends. */
function readKey(line, at) {
  const parts = [];
  let i = at;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i++;
    if (line[i] === '"' || line[i] === "'") {
      const quoted = readQuoted(line, i);
      if (!quoted) return null;
      parts.push(quoted.value);
      i = quoted.end;
    } else {
      const start = i;
      while (i < line.length && BARE_KEY.test(line[i])) i++;
      if (i === start) return null;
      parts.push(line.slice(start, i));
    }
    while (line[i] === " " || line[i] === "\t") i++;
    if (line[i] !== ".") return { parts, end: i };
    i++;
  }
}

/**
 * Carries the scanner across one line of a value: whether a multi-line string is still open
 * (its delimiter) and how many [ and { are still open. Comments and strings are skipped.
 */
function scanValueLine(line, state) {
  let { multiline, depth } = state;
  let i = 0;
  while (i < line.length) {
    if (multiline) {
      const close = line.indexOf(multiline, i);
      if (close < 0) return { multiline, depth };
      i = close + 3;
      // A closing delimiter may be followed by one or two more quotes that belong to the string.
      while (line[i] === multiline[0]) i++;
      multiline = null;
      continue;
    }
    const ch = line[i];
    if (ch === "#") break;
    if ((ch === '"' || ch === "'") && line.startsWith(ch.repeat(3), i)) {
      multiline = ch.repeat(3);
      i += 3;
    } else if (ch === '"' || ch === "'") {
      const quoted = readQuoted(line, i);
      i = quoted ? quoted.end : line.length;
    } else {
      if (ch === "[" || ch === "{") depth++;
      else if (ch === "]" || ch === "}") depth--;
      i++;
    }
  }
  return { multiline, depth };
}

/**
 * The tables of a TOML text in order. Each has its key (`["env", "staging", "d1_databases"]`),
 * whether it is an array table (`[[…]]`), the line of its header (-1 for the root table), and
 * the lines of its body that start a key: `{ line, key, value, valueStart, valueEnd }`, where
 * `value` is set when the value is a one-line string and valueStart/valueEnd are its columns.
 */
/**
 * @typedef {{ line: number, key: string[], value?: string, valueStart?: number, valueEnd?: number }} TomlEntry
 * @typedef {{ key: string[], array: boolean, header: number, entries: TomlEntry[] }} TomlTable
 * @param {string[]} lines
 * @returns {TomlTable[]}
 */
export function tomlTables(lines) {
  /** @type {TomlTable} */
  const root = { key: [], array: false, header: -1, entries: [] };
  const tables = [root];
  let state = { multiline: null, depth: 0 };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const clean = !state.multiline && state.depth === 0;
    const first = line.search(/\S/);
    if (clean && first >= 0 && line[first] === "[") {
      const array = line[first + 1] === "[";
      const key = readKey(line, first + (array ? 2 : 1));
      const close = array ? "]]" : "]";
      if (!key || !line.startsWith(close, key.end)) throw new Error(`line ${n + 1}: a table header this script cannot read: ${line.trim()}`);
      tables.push({ key: key.parts, array, header: n, entries: [] });
      continue;
    }
    if (clean && first >= 0 && line[first] !== "#") {
      const key = readKey(line, first);
      if (!key || line[key.end] !== "=") throw new Error(`line ${n + 1}: a key/value line this script cannot read: ${line.trim()}`);
      let at = key.end + 1;
      while (line[at] === " " || line[at] === "\t") at++;
      const entry = { line: n, key: key.parts };
      const single = (line[at] === '"' || line[at] === "'") && !line.startsWith(line[at].repeat(3), at);
      const quoted = single ? readQuoted(line, at) : null;
      if (quoted) Object.assign(entry, { value: quoted.value, valueStart: at, valueEnd: quoted.end });
      tables[tables.length - 1].entries.push(entry);
      state = scanValueLine(line.slice(at), state);
      continue;
    }
    if (!clean) state = scanValueLine(line, state);
  }
  return tables;
}

const sameKey = (a, b) => a.length === b.length && a.every((part, i) => part === b[i]);
const entryOf = (table, name) => table.entries.find((e) => sameKey(e.key, [name]));

/** How the D1 tables of an environment are written in the file: `[[env.staging.d1_databases]]`. */
export function d1TableName(envName) {
  return envName ? `[[env.${envName}.d1_databases]]` : "[[d1_databases]]";
}

/**
 * Writes `ids` (binding → database id) into the [[d1_databases]] tables of `envName` (the top
 * level when empty) and returns the new text and the bindings whose id changed. A table without
 * a database_id gets one on the line after its database_name. Throws when a binding has no such
 * table (an environment that lists its databases as an inline array is not edited).
 */
export function setDatabaseIds(text, envName, ids) {
  const lines = text.split("\n");
  const tableKey = [...(envName ? ["env", envName] : []), "d1_databases"];
  const tables = tomlTables(lines).filter((t) => t.array && sameKey(t.key, tableKey));
  const changed = [];
  const insertions = [];
  for (const [binding, id] of ids) {
    const table = tables.find((t) => entryOf(t, "binding")?.value === binding);
    if (!table) throw new Error(`no ${d1TableName(envName)} table with binding = "${binding}" (the deploy writes ids only into such tables)`);
    const current = entryOf(table, "database_id");
    if (current && current.value === id) continue;
    changed.push(binding);
    if (current && current.value !== undefined) {
      const line = lines[current.line];
      lines[current.line] = line.slice(0, current.valueStart) + JSON.stringify(id) + line.slice(current.valueEnd);
    } else if (current) {
      throw new Error(`the database_id of ${binding} in ${d1TableName(envName)} is not a one-line string`);
    } else {
      const after = entryOf(table, "database_name") ?? entryOf(table, "binding");
      const indent = lines[after.line].match(/^\s*/)[0];
      const eol = lines[after.line].endsWith("\r") ? "\r" : "";
      insertions.push({ after: after.line, text: `${indent}database_id = ${JSON.stringify(id)}${eol}` });
    }
  }
  for (const { after, text: added } of insertions.sort((a, b) => b.after - a.after)) lines.splice(after + 1, 0, added);
  return { text: lines.join("\n"), changed };
}
