// Stackalytics' JSON reports (reference §4.2) as `/api/1.0/reports/...`: their parameters (the
// common query of schemas/contrib/stats.ts plus each report's own) and the shapes they answer.
import { z } from "zod";
import { StatsQuerySchema } from "./stats";

const moduleId = z.string().trim().min(1).max(256);

/** `/reviews/<module>/open?limit=5`: how many of the oldest reviews each group lists; −1 lists them all. */
export const OpenReviewsParamsSchema = z.object({ module: moduleId });
export const OpenReviewsQuerySchema = StatsQuerySchema.extend({
  limit: z.coerce.number().int().min(-1).max(10_000).default(5),
});
export type OpenReviewsQuery = z.infer<typeof OpenReviewsQuerySchema>;

/** `/contribution/<module>/<days>`: the last 1 to 365 days. */
export const ContributionReportParamsSchema = z.object({
  module: moduleId,
  days: z.coerce.number().int().min(1).max(365),
});

/** `/large_commits?loc_threshold=1000`: commits with more lines added and deleted than the threshold. */
export const LargeCommitsQuerySchema = StatsQuerySchema.extend({
  loc_threshold: z.coerce.number().int().min(0).max(1_000_000_000).default(1000),
});
export type LargeCommitsQuery = z.infer<typeof LargeCommitsQuerySchema>;

export const OpenReviewSchema = z.object({
  primary_key: z.string(),
  url: z.string().nullable(),
  subject: z.string().nullable(),
  author_name: z.string(),
  user_id: z.string(),
  company_name: z.string(),
  /** Created, and last voted on (its latest patch set), in seconds. */
  date: z.int(),
  updated_on: z.int(),
  review_number: z.int().nullable(),
});
export type OpenReview = z.infer<typeof OpenReviewSchema>;

/** One waiting group of open reviews; waits are seconds before the answer's time, null when the group is empty. */
export const WaitingGroupSchema = z.object({
  count: z.int(),
  average_wait_since_vote: z.int().nullable(),
  max_wait_since_vote: z.int().nullable(),
  average_wait_since_created: z.int().nullable(),
  max_wait_since_created: z.int().nullable(),
  /** [whole days since the last vote, reviews], days ascending, only days that have some. */
  ages: z.array(z.tuple([z.int(), z.int()])),
  /** Oldest last vote first. */
  oldest: z.array(OpenReviewSchema),
});
export type WaitingGroup = z.infer<typeof WaitingGroupSchema>;

export const OpenReviewsReportSchema = z.object({
  module: z.string(),
  total_open: z.int(),
  /** Lowest vote on the latest patch set +1 or +2. */
  waiting_on_reviewer: WaitingGroupSchema,
  /** −1 or −2. */
  waiting_on_submitter: WaitingGroupSchema,
  /** No vote yet. */
  waiting_on_ci: WaitingGroupSchema,
});
export type OpenReviewsReport = z.infer<typeof OpenReviewsReportSchema>;

const ratio = z.string();

export const ReviewEngineerSchema = z.object({
  user_id: z.string(),
  name: z.string(),
  /** The company of the person's latest record in the window. */
  company: z.string(),
  /** Reviews as the marks metric counts them (Code-Review votes and others' abandons). */
  review: z.int(),
  "-2": z.int(),
  "-1": z.int(),
  /** Self votes and others, only when not zero. */
  "0": z.int().optional(),
  "1": z.int(),
  "2": z.int(),
  A: z.int(),
  x: z.int(),
  positive_ratio: ratio,
  mark_ratio: ratio,
  disagreements: z.int(),
  disagreement_ratio: ratio,
  patch: z.int(),
  commit: z.int(),
  email: z.int(),
  /** Reviews over the person's patch sets, as a percentage (`"&#x221E;"` without patch sets). */
  reviews_per_patch: ratio,
  /** `"master"`, a stable branch, or null (as stats/engineers). */
  core: z.string().nullable(),
});
export type ReviewEngineer = z.infer<typeof ReviewEngineerSchema>;

export const ContributionReportSchema = z.object({
  /** Most reviews first. */
  engineers: z.array(ReviewEngineerSchema),
  summary: z.object({
    total_reviews: z.int(),
    /** Rounded to one decimal, as the dashboard shows them. */
    reviews_per_day: z.number(),
    /** People with at least one review. */
    reviewers: z.int(),
    /** Reviews by the module's core reviewers on master, and how many of them reviewed. */
    core_reviews: z.int(),
    core_team_size: z.int(),
    /** Reviews (changes) created. */
    change_requests: z.int(),
    patch_sets: z.int(),
    commits: z.int(),
    emails_per_day: z.number(),
  }),
});
export type ContributionReport = z.infer<typeof ContributionReportSchema>;

export const CoreReviewerSchema = z.object({ user_id: z.string(), name: z.string(), company_name: z.string() });
export const CoresReportSchema = z.object({
  /** Modules by name that have a core reviewer on master, each with its reviewers by name. */
  cores: z.array(z.object({ module: z.string(), reviewers: z.array(CoreReviewerSchema) })),
  /** Distinct people. */
  total: z.int(),
});
export type CoresReport = z.infer<typeof CoresReportSchema>;

export const LargeCommitSchema = z.object({
  primary_key: z.string(),
  commit_id: z.string().nullable(),
  subject: z.string().nullable(),
  loc: z.int(),
  user_id: z.string(),
  author_name: z.string(),
  company_name: z.string(),
  module: z.string(),
  date: z.int(),
  release: z.string(),
  /** Present when corrections.json already corrects the record. */
  correction_comment: z.string().optional(),
});
export type LargeCommit = z.infer<typeof LargeCommitSchema>;
/** Largest first, at most LARGE_COMMITS_MAX. */
export const LargeCommitsReportSchema = z.object({ commits: z.array(LargeCommitSchema) });
export const LARGE_COMMITS_MAX = 500;

export const SinglePlusTwoReviewSchema = z.object({
  primary_key: z.string(),
  url: z.string().nullable(),
  subject: z.string().nullable(),
  author_name: z.string(),
  user_id: z.string(),
  company_name: z.string(),
  module: z.string(),
  date: z.int(),
  /** When the change was last updated (merged), null if the source did not say. */
  last_updated: z.int().nullable(),
  /** The user_id of the one reviewer who gave +2. */
  plus_two_by: z.string(),
});
export type SinglePlusTwoReview = z.infer<typeof SinglePlusTwoReviewSchema>;
/** Newest merge first. */
export const SinglePlusTwoReportSchema = z.object({ reviews: z.array(SinglePlusTwoReviewSchema) });

/** `/punch_card?user_id=…|company=…`: the common query, of a person or a company (or both). */
export const PunchCardQuerySchema = StatsQuerySchema.refine((q) => (q.user_id?.length ?? 0) > 0 || (q.company?.length ?? 0) > 0, {
  error: "a punch card is of a person or a company: give user_id or company",
  path: ["user_id"],
});

/** The punch card's rows, in the order of `punch_card` (ISO weekdays). */
export const PUNCH_CARD_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

export const PunchCardSchema = z.object({
  /** Records per weekday (Monday first) and UTC hour (0–23): seven rows of 24 counts. */
  punch_card: z.array(z.array(z.int().min(0)).length(24)).length(7),
  total: z.int().min(0),
});
export type PunchCard = z.infer<typeof PunchCardSchema>;

/** `/blueprint/<module>/<name>`: a blueprint of Launchpad, by its module and name. */
export const BlueprintParamsSchema = z.object({ module: moduleId, name: z.string().trim().min(1).max(256) });

const person = z.object({ user_id: z.string(), author_name: z.string(), company_name: z.string() });
/** An `/activity` record: its stored fields with the dashboard's (schemas/contrib/stats.ts has the checked part). */
const activityRecord = z.looseObject({ primary_key: z.string(), record_type: z.string(), date: z.int(), date_str: z.string() });
export type ActivityRecord = z.infer<typeof activityRecord>;

export const BlueprintReportSchema = z.object({
  blueprint: z.object({
    /** `<module>:<name>` */
    id: z.string(),
    module: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    summary: z.string().nullable(),
    /** Launchpad's implementation status (`Implemented`, `Started`, …) and lifecycle (`Complete`, …). */
    status: z.string().nullable(),
    lifecycle_status: z.string().nullable(),
    web_link: z.string().nullable(),
    date_created: z.int().nullable(),
    date_completed: z.int().nullable(),
    /** Who drafted it (its `bpd` record) and who completed it (`bpc`), when known. */
    drafted_by: person.nullable(),
    completed_by: person.nullable(),
    /** Records that mention it, and the newest one's date (null: never mentioned). */
    mention_count: z.int(),
    mention_date: z.int().nullable(),
  }),
  /** The records that mention it (commits, emails), newest first, at most BLUEPRINT_MENTIONS_MAX. */
  mentions: z.array(activityRecord),
});
export type BlueprintReport = z.infer<typeof BlueprintReportSchema>;
export const BLUEPRINT_MENTIONS_MAX = 1000;

/** `/record/<primary_key>`: one record, as `/activity` shows it. */
export const RecordParamsSchema = z.object({ primary_key: z.string().min(1).max(512) });
export const RecordReportSchema = z.object({ record: activityRecord });
export type RecordReport = z.infer<typeof RecordReportSchema>;
