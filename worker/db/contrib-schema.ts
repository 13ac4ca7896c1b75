// CONTRIB_DB: contribution statistics. The loaded configuration, the people (profiles and the keys
// that lead to them), activity records with their attribution, and daily totals kept in step with
// the records. Generate migrations with `npm run db:generate`.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Every configuration document ever loaded; the newest of a kind is in force. */
export const configVersions = sqliteTable(
  "config_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** default_data | corrections */
    kind: text("kind").notNull(),
    /** SHA-256 (hex) of the validated document; loading the same document again does nothing. */
    digest: text("digest").notNull(),
    /** Epoch milliseconds. */
    loadedAt: integer("loaded_at").notNull(),
    /** Characters of the stored JSON. */
    size: integer("size").notNull(),
    /** JSON: what loading it did (profiles updated, records re-attributed). */
    summary: text("summary").notNull(),
  },
  (t) => [index("config_versions_kind_id_idx").on(t.kind, t.id)],
);

/** The JSON of the document in force of each kind, in parts that keep rows under D1's size limit. */
export const configParts = sqliteTable(
  "config_parts",
  {
    versionId: integer("version_id").notNull(),
    part: integer("part").notNull(),
    text: text("text").notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.part] })],
);

/** One person, as Stackalytics' user profile. */
export const profiles = sqliteTable(
  "profiles",
  {
    seq: integer("seq").primaryKey(),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    /** JSON array of lower-case emails. */
    emails: text("emails").notNull(),
    launchpadId: text("launchpad_id"),
    gerritId: text("gerrit_id"),
    githubId: text("github_id"),
    zanataId: text("zanata_id"),
    /** JSON array of {company_name, end_date (seconds, 0 = open)} in normal form. */
    companies: text("companies").notNull(),
    /** From the config (never overridden by a record's email domain). */
    isStatic: integer("static", { mode: "boolean" }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("profiles_user_id_idx").on(t.userId), index("profiles_static_idx").on(t.isStatic)],
);

/** `email:<email>`, `launchpad:<id>`, `gerrit:<id>`, `github:<id>`, `zanata:<id>` → profile. */
export const profileKeys = sqliteTable(
  "profile_keys",
  {
    key: text("key").primaryKey(),
    seq: integer("seq").notNull(),
  },
  (t) => [index("profile_keys_seq_idx").on(t.seq)],
);

/** Named counters (the next profile seq), reserved in ranges by one atomic statement. */
export const counters = sqliteTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});

/** An activity record with its attribution; `raw` is kept so that it can be processed again. */
export const records = sqliteTable(
  "records",
  {
    primaryKey: text("primary_key").primaryKey(),
    recordType: text("record_type").notNull(),
    /** Seconds since the epoch (UTC), and the day and Sunday-based week derived from it. */
    date: integer("date").notNull(),
    day: integer("day").notNull(),
    week: integer("week").notNull(),
    profileSeq: integer("profile_seq").notNull(),
    userId: text("user_id").notNull(),
    authorName: text("author_name").notNull(),
    authorEmail: text("author_email"),
    companyName: text("company_name").notNull(),
    release: text("release").notNull(),
    module: text("module").notNull(),
    loc: integer("loc").notNull(),
    /** JSON: the record as the source gave it. */
    raw: text("raw").notNull(),
    /** JSON: the record after attribution and corrections. */
    fields: text("fields").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("records_profile_seq_idx").on(t.profileSeq),
    index("records_release_company_idx").on(t.release, t.companyName),
    index("records_user_id_idx").on(t.userId),
  ],
);

/** Records and lines of code per day and attribution, changed with every record written. */
export const dailyTotals = sqliteTable(
  "daily_totals",
  {
    day: integer("day").notNull(),
    release: text("release").notNull(),
    module: text("module").notNull(),
    companyName: text("company_name").notNull(),
    userId: text("user_id").notNull(),
    recordType: text("record_type").notNull(),
    records: integer("records").notNull(),
    loc: integer("loc").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.release, t.module, t.companyName, t.userId, t.recordType] }),
    index("daily_totals_release_company_idx").on(t.release, t.companyName),
  ],
);
