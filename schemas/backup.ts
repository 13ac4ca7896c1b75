// Backups of the three D1 databases in R2 (docs/operations-backups.md): the manifest the backup job
// writes last and `npm run restore` reads first, the value encoding of the NDJSON table files,
// and the admin API's view of a backup.
import { z } from "zod";

export const BACKUP_DATABASES = ["collector", "analytic", "contrib"] as const;
export type BackupDatabaseName = (typeof BACKUP_DATABASES)[number];

/** The D1 binding of each database, as wrangler.toml names it. */
export const BACKUP_BINDINGS = { collector: "COLLECTOR_DB", analytic: "ANALYTIC_DB", contrib: "CONTRIB_DB" } as const satisfies Record<
  BackupDatabaseName,
  string
>;

/** A backup's id: the UTC time it started, `YYYYMMDDTHHMMSSZ` (sorts by time, safe in a key). */
export const BackupIdSchema = z.string().regex(/^\d{8}T\d{6}Z$/, "a backup id looks like 20260501T030000Z");

/**
 * One value of a row in a table file. JSON carries text, NULL and the integers and reals it can
 * hold exactly as themselves; the rest are tagged: an integer beyond ±2^53 as its decimal text, a
 * real that JSON would print as an integer (3.0) or not at all (±Infinity), a blob as hex.
 */
export const BackupValueSchema = z.union([
  z.null(),
  z.string(),
  z.number(),
  z.strictObject({ $int: z.string().regex(/^-?\d+$/) }),
  z.strictObject({ $real: z.union([z.number(), z.enum(["Infinity", "-Infinity"])]) }),
  z.strictObject({ $blob: z.string().regex(/^(?:[0-9A-Fa-f]{2})*$/) }),
]);
export type BackupValue = z.infer<typeof BackupValueSchema>;

/**
 * How a table's rows are identified, ordered and paged: by rowid (`column` is the INTEGER PRIMARY
 * KEY that aliases it, or null when the rowid is hidden and the files carry it as "rowid"), or,
 * for a WITHOUT ROWID table, by its primary key's columns.
 */
export const BackupTableKeySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("rowid"), column: z.string().nullable() }),
  z.object({ kind: z.literal("primary-key"), columns: z.array(z.string()).min(1) }),
]);
export type BackupTableKey = z.infer<typeof BackupTableKeySchema>;

export const BackupFileSchema = z.object({
  /** The R2 key (in the BUNDLES bucket) of a gzip-compressed NDJSON file: one JSON object per row. */
  key: z.string(),
  rows: z.int().nonnegative(),
  /** Compressed size, and the SHA-256 (hex) of the compressed bytes as stored. */
  bytes: z.int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BackupFile = z.infer<typeof BackupFileSchema>;

export const BackupTableSchema = z.object({
  name: z.string(),
  columns: z.array(z.string()).min(1),
  key: BackupTableKeySchema,
  rows: z.int().nonnegative(),
  /** In key order; none for an empty table. */
  files: z.array(BackupFileSchema),
});
export type BackupTable = z.infer<typeof BackupTableSchema>;

export const BackupDatabaseSchema = z.object({
  name: z.enum(BACKUP_DATABASES),
  binding: z.string(),
  /** The migrations applied (d1_migrations, in order) when the backup started and when it ended. */
  migrations: z.array(z.string()),
  /** The last of them: a restore needs a target migrated to exactly this one. */
  migration: z.string().nullable(),
  tables: z.array(BackupTableSchema),
  /** sqlite_sequence after the tables were read: each AUTOINCREMENT table's counter (decimal). */
  sequences: z.record(z.string(), z.string().regex(/^-?\d+$/)),
});
export type BackupDatabase = z.infer<typeof BackupDatabaseSchema>;

export const BACKUP_FORMAT = 1;

export const BackupManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  id: BackupIdSchema,
  trigger: z.enum(["schedule", "admin"]),
  started_at: z.iso.datetime(),
  finished_at: z.iso.datetime(),
  databases: z.array(BackupDatabaseSchema),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

/** complete: has its manifest, restorable. running: being written. failed, incomplete: never restorable. */
export const BACKUP_STATUSES = ["complete", "running", "failed", "incomplete"] as const;

export const BackupViewSchema = z.object({
  id: z.string(),
  status: z.enum(BACKUP_STATUSES),
  trigger: z.enum(["schedule", "admin"]).nullable(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  /** Per database: rows and compressed bytes written so far (all of them once complete). */
  databases: z.array(z.object({ name: z.enum(BACKUP_DATABASES), migration: z.string().nullable(), tables: z.int(), rows: z.int(), bytes: z.int() })),
  error: z.string().nullable(),
});
export type BackupView = z.infer<typeof BackupViewSchema>;
