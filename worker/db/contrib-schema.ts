// CONTRIB_DB: contribution statistics. The loaded configuration, the people (profiles and the keys
// that lead to them), activity records with their attribution, and daily totals kept in step with
// the records. Generate migrations with `npm run db:generate`.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
    /**
     * JSON: what post-processing learned about the record from others (a commit's merge date from
     * its review, a mark's disagreement, a blueprint's mentions); applied on every processing.
     */
    derived: text("derived").notNull().default("{}"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("records_profile_seq_idx").on(t.profileSeq),
    // A company's records in a release, newest first (the activity log of a company).
    index("records_release_company_date_idx").on(t.release, t.companyName, t.date),
    // A person's votes in a module, read again when they become one of its core reviewers.
    index("records_profile_type_module_idx").on(t.profileSeq, t.recordType, t.module),
    // The activity log: newest first, overall, in a release, of a person, of a company.
    index("records_date_idx").on(t.date),
    index("records_release_date_idx").on(t.release, t.date),
    index("records_user_date_idx").on(t.userId, t.date),
    index("records_company_date_idx").on(t.companyName, t.date),
    // A person's or a company's records of some types with their times and (for the robots rule)
    // companies, from the index alone: the punch card. The person's also answers what
    // records_user_id_idx did (dropped in migration 0013), as records_user_date_idx does.
    index("records_user_type_date_idx").on(t.userId, t.recordType, t.date, t.companyName),
    index("records_company_type_date_idx").on(t.companyName, t.recordType, t.date),
    // The reports: a module's open reviews, large commits, blueprints and translations.
    index("records_type_module_idx").on(t.recordType, t.module),
  ],
);

/** The measures beside records and lines of code (MEASURES in worker/domain/contrib/metrics.ts), fresh columns for each table. */
const markMeasures = () => ({
  /** Marks by where they are tallied (worker/domain/contrib/metrics.ts): −2, −1, 0, +1, +2, A, WIP, x, self. */
  markN2: integer("mark_n2").notNull().default(0),
  markN1: integer("mark_n1").notNull().default(0),
  mark0: integer("mark_0").notNull().default(0),
  markP1: integer("mark_p1").notNull().default(0),
  markP2: integer("mark_p2").notNull().default(0),
  markA: integer("mark_a").notNull().default(0),
  markWip: integer("mark_wip").notNull().default(0),
  markX: integer("mark_x").notNull().default(0),
  markS: integer("mark_s").notNull().default(0),
  /** Marks a core reviewer contradicted later. */
  disagreements: integer("disagreements").notNull().default(0),
  /** Reviews whose change was abandoned. */
  abandoned: integer("abandoned").notNull().default(0),
});

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
    ...markMeasures(),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.release, t.module, t.companyName, t.userId, t.recordType] }),
    index("daily_totals_release_company_idx").on(t.release, t.companyName),
    // A person's days in a release, per company and module (release_totals' person-days).
    index("daily_totals_release_company_user_idx").on(t.release, t.companyName, t.userId, t.module, t.day),
    // A company's weeks of a record type (the timeline of one company), the module told apart in
    // the index (a project type's modules) before a row is read.
    index("daily_totals_company_type_day_idx").on(t.companyName, t.recordType, t.day, t.module),
  ],
);

/**
 * The daily totals of everyone, per day and record type: what a timeline without a module,
 * company or person filter sums (a few rows a day, not one per module and person). Robots count
 * only with their patch sets and reviews, as the statistics count them. Rows of record type `pd`
 * hold `people`: the distinct people (robots not) with a person-day record (mark, patch, email,
 * bpd, bugf) that day.
 */
export const dayTotals = sqliteTable(
  "day_totals",
  {
    day: integer("day").notNull(),
    recordType: text("record_type").notNull(),
    records: integer("records").notNull().default(0),
    loc: integer("loc").notNull().default(0),
    ...markMeasures(),
    people: integer("people").notNull().default(0),
  },
  // WITHOUT ROWID (migration 0011; drizzle cannot say it): a type's days are one range.
  (t) => [primaryKey({ columns: [t.recordType, t.day] })],
);

/**
 * The daily totals without the day, for the questions that name no dates (most of them), at five
 * levels: per (release, module, company, person, record type) (level 0), across modules (1: module
 * `*`), per company (2: module and person `*`), per module (3: company and person `*`) and per
 * release (4); levels 1 to 4 also over every release (release `*`), which a question of all
 * releases reads. A question reads the coarsest level that has what it groups and filters by. Rows of
 * record type `pd` hold `days`: a person's distinct days with a person-day record (mark, patch,
 * email, bpd, bugf) in a module (0) or in any (1), and their sums per company (2) and module (3).
 */
export const releaseTotals = sqliteTable(
  "release_totals",
  {
    release: text("release").notNull(),
    module: text("module").notNull(),
    companyName: text("company_name").notNull(),
    userId: text("user_id").notNull(),
    recordType: text("record_type").notNull(),
    records: integer("records").notNull().default(0),
    loc: integer("loc").notNull().default(0),
    ...markMeasures(),
    days: integer("days").notNull().default(0),
    level: integer("level").notNull().default(0),
  },
  (t) => [
    // Stored in this order, WITHOUT ROWID (migration 0010; drizzle cannot say it): a question's rows
    // (a level, record types, releases, a company) are one range, read without a lookup per row.
    primaryKey({ columns: [t.level, t.recordType, t.release, t.companyName, t.userId, t.module] }),
    // What the writes upsert on (the level follows from which of module, company and person are `*`).
    uniqueIndex("release_totals_key_idx").on(t.release, t.module, t.companyName, t.userId, t.recordType),
    // The modules with records, without reading the per-module rows.
    index("release_totals_modules_idx").on(t.module).where(sql`level = 3`),
  ],
);

/**
 * Links between records that post-processing follows: `change:<Change-Id>:<branch>` from a review
 * and from the commits that carry its Change-Id; `review:<review primary key>` from its marks;
 * `bp:<blueprint id>` from a record that mentions a blueprint.
 */
export const recordRefs = sqliteTable(
  "record_refs",
  {
    ref: text("ref").notNull(),
    primaryKey: text("primary_key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ref, t.primaryKey] }), index("record_refs_primary_key_idx").on(t.primaryKey)],
);

/** The newest ±2 Code-Review vote of a person per (module, branch): core reviewers are those within 90 days. */
export const coreMarks = sqliteTable(
  "core_marks",
  {
    profileSeq: integer("profile_seq").notNull(),
    module: text("module").notNull(),
    branch: text("branch").notNull(),
    /** Seconds since the epoch of the newest ±2 vote. */
    lastDate: integer("last_date").notNull(),
  },
  (t) => [primaryKey({ columns: [t.profileSeq, t.module, t.branch] }), index("core_marks_module_branch_idx").on(t.module, t.branch)],
);

/**
 * Everything the processor follows (a Gerrit project's branch, a repository's branch, a Launchpad
 * project's bugs or blueprints, a mailing list, an organization to discover repositories in), with
 * where it stopped and how its last runs went.
 */
export const processorSources = sqliteTable(
  "processor_sources",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    /** JSON: what to fetch (the kind's target). */
    target: text("target").notNull(),
    /** JSON: where the source stopped (the kind's cursor); null before its first step. */
    cursor: text("cursor"),
    /** Steps committed; a step commits only if the version is still the one it started from. */
    version: integer("version").notNull(),
    /** idle | queued | running | failed | retired */
    status: text("status").notNull(),
    /** Failed runs in a row (0 after a success). */
    failures: integer("failures").notNull(),
    lastError: text("last_error"),
    /** Epoch milliseconds. */
    queuedAt: integer("queued_at"),
    lastRunAt: integer("last_run_at"),
    lastSuccessAt: integer("last_success_at"),
    nextRunAt: integer("next_run_at").notNull(),
    recordsStored: integer("records_stored").notNull(),
    steps: integer("steps").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("processor_sources_status_next_idx").on(t.status, t.nextRunAt)],
);

/** One row per committed step: a second delivery of the same step conflicts here and stores nothing. */
export const processorClaims = sqliteTable(
  "processor_claims",
  {
    sourceId: text("source_id").notNull(),
    version: integer("version").notNull(),
    claimedAt: integer("claimed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.version] })],
);

/** Launchpad's answers about people (by email or by id), so that each is asked once. */
export const launchpadPeople = sqliteTable("launchpad_people", {
  /** `email:<email>` or `id:<launchpad id>` */
  key: text("key").primaryKey(),
  /** null: Launchpad knows no such person. */
  launchpadId: text("launchpad_id"),
  displayName: text("display_name"),
  /** Epoch milliseconds. */
  fetchedAt: integer("fetched_at").notNull(),
});

/** What each committed step of the processor did and cost (kept a week): for operators and the benchmark. */
export const processorSteps = sqliteTable(
  "processor_steps",
  {
    sourceId: text("source_id").notNull(),
    /** The version the step committed. */
    version: integer("version").notNull(),
    /** Epoch milliseconds. */
    startedAt: integer("started_at").notNull(),
    /** Wall time of the step, fetching and storing. */
    ms: integer("ms").notNull(),
    /** HTTP requests sent (each a subrequest), and D1 statements run. */
    requests: integer("requests").notNull(),
    queries: integer("queries").notNull(),
    /** Records the source gave, and those stored new or changed. */
    fetched: integer("fetched").notNull(),
    stored: integer("stored").notNull(),
    rowsRead: integer("rows_read").notNull(),
    rowsWritten: integer("rows_written").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.version] }), index("processor_steps_started_idx").on(t.startedAt)],
);

/** The release of a commit by its repo's tag ranges (`releases` of a repo in the config), as a forge's API listed them. */
export const commitReleases = sqliteTable("commit_releases", {
  commitId: text("commit_id").primaryKey(),
  release: text("release").notNull(),
  /** The tag-range source that listed it. */
  sourceId: text("source_id").notNull(),
});
