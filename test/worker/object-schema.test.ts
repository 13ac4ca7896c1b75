// A new Installation object makes its schema at once (INSTALLATION_SCHEMA, one version row); an
// object made before a migration gets there step by step (INSTALLATION_MIGRATIONS). Both must end
// with the same tables, and an object made at once must take later migrations like the others.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyNewMigrations, INSTALLATION_MIGRATIONS, migrateObjectStorage } from "../../worker/db/installation-state";
import type { Installation } from "../../worker/durable/installation";
import { freshUid, postJson, structure } from "./helpers";

const stub = (uid: string) => env.INSTALLATION.get(env.INSTALLATION.idFromName(uid));

const schemaOf = (sql: SqlStorage) =>
  sql
    .exec<{ type: string; name: string; sql: string | null }>(
      `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    )
    .toArray();

const versionsOf = (sql: SqlStorage) => sql.exec<{ v: number }>(`SELECT max(version) AS v FROM schema_migrations`).one().v;

describe("an Installation object's schema", () => {
  it("is the same made at once by a new object as made by every migration in turn", async () => {
    const made = freshUid("schema-new");
    const res = await postJson("/api/v1/installation_structure/", { installation_structure: structure(made) });
    expect(res.status).toBe(201);
    const atOnce = await runInDurableObject(stub(made), (_: Installation, state) => ({ schema: schemaOf(state.storage.sql), version: versionsOf(state.storage.sql) }));

    // Another object that never wrote, migrated by hand from nothing, step by step.
    const stepped = await runInDurableObject(stub(freshUid("schema-stepped")), (_: Installation, state) => {
      migrateObjectStorage(state.storage.sql, INSTALLATION_MIGRATIONS);
      return { schema: schemaOf(state.storage.sql), version: versionsOf(state.storage.sql) };
    });

    expect(atOnce.schema.map((t) => t.name)).toEqual(expect.arrayContaining(["identity", "token_key", "quota_windows", "action_log_ranges", "action_log_keys"]));
    expect(atOnce.schema).toEqual(stepped.schema);
    expect(atOnce.version).toBe(INSTALLATION_MIGRATIONS.length);
    expect(stepped.version).toBe(INSTALLATION_MIGRATIONS.length);
  });

  it("made at once, takes a later migration as a stepped one does", async () => {
    const made = freshUid("schema-later");
    expect((await postJson("/api/v1/installation_structure/", { installation_structure: structure(made) })).status).toBe(201);
    const later = [...INSTALLATION_MIGRATIONS, `CREATE TABLE later_table (id INTEGER PRIMARY KEY)`];
    const after = await runInDurableObject(stub(made), (_: Installation, state) => {
      applyNewMigrations(state.storage.sql, later);
      return { schema: schemaOf(state.storage.sql).map((t) => t.name), version: versionsOf(state.storage.sql) };
    });
    expect(after.schema).toContain("later_table");
    expect(after.version).toBe(later.length);
  });
});
