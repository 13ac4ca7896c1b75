// Activity records as a source hands them over (a git commit, a review, a mark, an email, …),
// before identity and affiliation are resolved. The processor's parsers produce them; operators
// can post them through the admin API (an import of an old dump, `npm run contrib:import-git`).
import { z } from "zod";

export const RECORD_TYPES = ["commit", "review", "patch", "mark", "email", "bpd", "bpc", "bugf", "bugr", "member", "tr"] as const;
export const RecordTypeSchema = z.enum(RECORD_TYPES);
export type RecordType = z.infer<typeof RecordTypeSchema>;

const id = z.string().trim().min(1).max(256);
const text = (max: number) => z.string().max(max);
/** Seconds since the epoch, UTC (up to 2100). */
const seconds = z.int().min(0).max(4_102_444_800);

/** A co-author of a commit, from its trailers (`Co-Authored-By: Name <email>`). */
export const CoauthorSchema = z.strictObject({ author_name: text(256), author_email: text(320) });
export type Coauthor = z.infer<typeof CoauthorSchema>;

/** Limits the parsers truncate to, so that every record they make passes the schema. */
export const RECORD_TEXT_LIMITS = { subject: 4096, message: 16_384, body: 4000, title: 1024, summary: 4000 } as const;

export const RawRecordSchema = z
  .strictObject({
    primary_key: z.string().min(1).max(512),
    record_type: RecordTypeSchema,
    date: seconds,
    author_email: z.string().trim().max(320).optional(),
    author_name: text(256).optional(),
    launchpad_id: id.optional(),
    gerrit_id: id.optional(),
    github_id: id.optional(),
    zanata_id: id.optional(),
    module: z.string().trim().min(1).max(256),
    branch: text(256).optional(),
    /** A release known for this record by other means (a commit in a tag range, a bug's series) wins over the date. */
    release: z.string().min(1).max(64).optional(),
    loc: z.int().min(0).optional(),
    value: z.int().optional(),
    type: text(64).optional(),
    status: text(64).optional(),
    subject: text(RECORD_TEXT_LIMITS.subject).optional(),
    change_id: z.array(text(64)).max(16).optional(),

    // commit
    commit_id: text(64).optional(),
    lines_added: z.int().min(0).optional(),
    lines_deleted: z.int().min(0).optional(),
    files_changed: z.int().min(0).optional(),
    message: text(RECORD_TEXT_LIMITS.message).optional(),
    bug_id: z.array(text(64)).max(64).optional(),
    /** `<module>:<name>` */
    blueprint_id: z.array(text(256)).max(64).optional(),
    /** Everyone credited with the commit, its author included; each gets a record of their own. */
    coauthor: z.array(CoauthorSchema).max(32).optional(),
    /** Branches the commit was seen on; storing it again from another branch adds to them. */
    branches: z.array(text(256)).max(64).optional(),

    // review, patch, mark (Gerrit)
    project: text(512).optional(),
    topic: text(512).optional(),
    url: text(2048).optional(),
    /** The change's number on its Gerrit. */
    review_number: z.int().min(0).optional(),
    open: z.boolean().optional(),
    /** When the change was last updated, and (reviews) when its current patch set was last voted on. */
    last_updated: seconds.optional(),
    updated_on: seconds.optional(),
    /** The primary key of the review a patch or a mark belongs to. */
    review_id: text(512).optional(),
    /** The patch set number of a patch or a mark. */
    patch: z.int().min(0).optional(),

    // bugs and blueprints (Launchpad)
    /** `<module>/<bug number>`, `<module>/<series>/<bug number>` (bugs) or `<module>:<name>` (blueprints). */
    id: text(512).optional(),
    name: text(256).optional(),
    title: text(RECORD_TEXT_LIMITS.title).optional(),
    summary: text(RECORD_TEXT_LIMITS.summary).optional(),
    web_link: text(2048).optional(),
    importance: text(64).optional(),
    lifecycle_status: text(64).optional(),
    /** The bug's number on Launchpad. */
    number: z.int().min(0).optional(),
    date_created: seconds.optional(),
    date_fix_committed: seconds.optional(),
    date_fix_released: seconds.optional(),
    date_completed: seconds.optional(),

    // email
    message_id: text(998).optional(),
    /** Kept only when the email mentions a blueprint. */
    body: text(RECORD_TEXT_LIMITS.body).optional(),
    mailing_list: text(256).optional(),

    // translations and members (loaded through the admin API; their services are retired)
    language: text(128).optional(),
    language_code: text(32).optional(),
    member_uri: text(2048).optional(),
    company_draft: text(256).optional(),
  })
  .refine((r) => [r.author_email, r.launchpad_id, r.gerrit_id, r.github_id, r.zanata_id].some((v) => v), {
    error: "a record needs an author: author_email, launchpad_id, gerrit_id, github_id or zanata_id",
    path: ["author_email"],
  });
export type RawRecord = z.infer<typeof RawRecordSchema>;

export const MAX_RECORDS_PER_REQUEST = 1000;
export const RecordsRequestSchema = z.strictObject({
  records: z.array(RawRecordSchema).min(1).max(MAX_RECORDS_PER_REQUEST),
});
