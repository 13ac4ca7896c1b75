// The deploy script's one edit of wrangler.toml: the database ids of one environment, every
// other byte as it was.
import { describe, expect, it } from "vitest";
import { setDatabaseIds, tomlTables } from "../../../scripts/lib/wrangler-toml.mjs";

const CONFIG = `name = "edgestats" # the Worker
# A comment that mentions [[env.staging.d1_databases]] is no table.
notes = """
[[env.staging.d1_databases]]
binding = "COLLECTOR_DB"
"""
crons = [
  "0 * * * *",
  ["[[env.staging.d1_databases]]"],
]

[[d1_databases]]
binding = "COLLECTOR_DB"
database_name = "edgestats-collector"
database_id = "00000000-0000-0000-0000-000000000001"

[[ env.staging.d1_databases ]]   # spaces inside the brackets are allowed
binding = "COLLECTOR_DB"
database_name = "edgestats-collector-staging"
database_id   =   'old-id'   # keep this comment

[[env."staging".d1_databases]]
  binding = "ANALYTIC_DB"
  database_name = "edgestats-analytic-staging"
  migrations_dir = "migrations/analytic"

[env.staging.vars]
A = "1"
`;

const ids = new Map([
  ["COLLECTOR_DB", "aaaaaaaa-0000-4000-8000-000000000001"],
  ["ANALYTIC_DB", "aaaaaaaa-0000-4000-8000-000000000002"],
]);

describe("wrangler.toml edits", () => {
  it("finds the tables, not header-like lines inside strings and arrays", () => {
    const tables = tomlTables(CONFIG.split("\n"));
    expect(tables.map((t) => `${t.array ? "[[" : "["}${t.key.join(".")}`)).toEqual([
      "[",
      "[[d1_databases",
      "[[env.staging.d1_databases",
      "[[env.staging.d1_databases",
      "[env.staging.vars",
    ]);
    expect(tables[0].entries.map((e) => e.key.join("."))).toEqual(["name", "notes", "crons"]);
  });

  it("writes the ids into the named environment only, keeping comments, quotes elsewhere and spacing", () => {
    const { text, changed } = setDatabaseIds(CONFIG, "staging", ids);
    expect(changed).toEqual(["COLLECTOR_DB", "ANALYTIC_DB"]);
    // The one value changes in place (its comment and spacing stay); the table without a
    // database_id gets one after its database_name, indented as it is. Nothing else changes.
    const expected = CONFIG.replace(
      "database_id   =   'old-id'   # keep this comment",
      'database_id   =   "aaaaaaaa-0000-4000-8000-000000000001"   # keep this comment',
    ).replace(
      '  database_name = "edgestats-analytic-staging"\n',
      '  database_name = "edgestats-analytic-staging"\n  database_id = "aaaaaaaa-0000-4000-8000-000000000002"\n',
    );
    expect(text).toBe(expected);
  });

  it("changes nothing when the ids are there already", () => {
    const once = setDatabaseIds(CONFIG, "staging", ids).text;
    expect(setDatabaseIds(once, "staging", ids)).toEqual({ text: once, changed: [] });
  });

  it("writes the top level's ids without --env", () => {
    const { text, changed } = setDatabaseIds(CONFIG, "", new Map([["COLLECTOR_DB", "bbbbbbbb-0000-4000-8000-000000000001"]]));
    expect(changed).toEqual(["COLLECTOR_DB"]);
    expect(text).toBe(CONFIG.replace('"00000000-0000-0000-0000-000000000001"', '"bbbbbbbb-0000-4000-8000-000000000001"'));
  });

  it("keeps Windows line ends", () => {
    const crlf = CONFIG.replace(/\n/g, "\r\n");
    const { text } = setDatabaseIds(crlf, "staging", ids);
    expect(text.split("\r\n")).toHaveLength(crlf.split("\r\n").length + 1);
    expect(text).toContain('  database_id = "aaaaaaaa-0000-4000-8000-000000000002"\r\n');
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("refuses a binding without a table of its own, such as an inline array of databases", () => {
    const inline = '[env.production]\nd1_databases = [{ binding = "COLLECTOR_DB", database_name = "x", database_id = "y" }]\n';
    expect(() => setDatabaseIds(inline, "production", ids)).toThrow('no [[env.production.d1_databases]] table with binding = "COLLECTOR_DB"');
  });
});
