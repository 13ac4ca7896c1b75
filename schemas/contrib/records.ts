// Activity records as a source hands them over (a git commit, a review, a mark, an email, …),
// before identity and affiliation are resolved. The processor produces them; operators can post
// them through the admin API (an import of an old dump, a test).
import { z } from "zod";

export const RECORD_TYPES = ["commit", "review", "patch", "mark", "email", "bpd", "bpc", "bugf", "bugr", "member", "tr"] as const;
export const RecordTypeSchema = z.enum(RECORD_TYPES);
export type RecordType = z.infer<typeof RecordTypeSchema>;

const id = z.string().trim().min(1).max(256);

export const RawRecordSchema = z
  .strictObject({
    primary_key: z.string().min(1).max(512),
    record_type: RecordTypeSchema,
    /** Seconds since the epoch, UTC. */
    date: z.int().min(0).max(4_102_444_800),
    author_email: z.string().trim().max(320).optional(),
    author_name: z.string().max(256).optional(),
    launchpad_id: id.optional(),
    gerrit_id: id.optional(),
    github_id: id.optional(),
    zanata_id: id.optional(),
    module: z.string().trim().min(1).max(256),
    branch: z.string().max(256).optional(),
    /** A release known for this record by other means (a commit in a tag range) wins over the date. */
    release: z.string().min(1).max(64).optional(),
    loc: z.int().min(0).optional(),
    value: z.int().optional(),
    type: z.string().max(64).optional(),
    status: z.string().max(64).optional(),
    subject: z.string().max(4096).optional(),
    change_id: z.array(z.string().max(64)).max(16).optional(),
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
