// The parts of forges' REST answers the git source reads: Gitea's (and Forgejo's)
// `GET /api/v1/repos/{owner}/{repo}/commits?stat=true&files=true`, GitHub's
// `GET /repos/{owner}/{repo}/commits`, `GET /repos/{owner}/{repo}/commits/{ref}` and
// `GET /orgs/{org}/repos`. Objects are loose because forges add fields; what we read is required.
import { z } from "zod";

/** A commit id: SHA-1, or SHA-256 for repositories in that object format. */
export const CommitShaSchema = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, { error: "expected a commit sha (40 or 64 hex digits)" });

/** The git identity of a commit's author (not a forge account); the date has a UTC offset. */
export const GitSignatureSchema = z.looseObject({
  name: z.string(),
  email: z.string(),
  date: z.iso.datetime({ offset: true, error: "expected an ISO 8601 time" }),
});

/** The `commit` object both forges nest in their commit answers. */
export const ForgeGitCommitSchema = z.looseObject({ author: GitSignatureSchema, message: z.string() });

const ParentSchema = z.looseObject({ sha: CommitShaSchema });
const StatsSchema = z.looseObject({ additions: z.int().min(0), deletions: z.int().min(0), total: z.int().min(0).optional() });

/** One entry of Gitea's commit list; `stats` and `files` are there because we ask with stat and files. */
export const GiteaCommitSchema = z.looseObject({
  sha: CommitShaSchema,
  commit: ForgeGitCommitSchema,
  parents: z.array(ParentSchema),
  stats: StatsSchema,
  files: z.array(z.looseObject({ filename: z.string() })),
});
export type GiteaCommit = z.infer<typeof GiteaCommitSchema>;
export const GiteaCommitListSchema = z.array(GiteaCommitSchema);

/** One entry of GitHub's commit list: no stats, so each commit we keep is fetched on its own. */
export const GithubCommitListEntrySchema = z.looseObject({ sha: CommitShaSchema, parents: z.array(ParentSchema) });
export const GithubCommitListSchema = z.array(GithubCommitListEntrySchema);

/** The GitHub account linked to a commit's author email; null when the email is nobody's. */
const GithubAccountSchema = z.looseObject({ login: z.string().optional() }).nullable().optional();

/**
 * GitHub's answer for one commit. `files` holds at most 300 entries a page (`stats` counts them all).
 */
export const GithubCommitSchema = z.looseObject({
  sha: CommitShaSchema,
  commit: ForgeGitCommitSchema,
  author: GithubAccountSchema,
  parents: z.array(ParentSchema),
  stats: StatsSchema,
  files: z.array(z.looseObject({ filename: z.string() })),
});
export type GithubCommit = z.infer<typeof GithubCommitSchema>;

/** One entry of GitHub's organization repository list. */
export const GithubRepoSchema = z.looseObject({
  name: z.string().min(1),
  clone_url: z.string().min(1),
  default_branch: z.string().min(1),
  archived: z.boolean(),
  fork: z.boolean(),
});
export type GithubRepo = z.infer<typeof GithubRepoSchema>;
export const GithubRepoListSchema = z.array(GithubRepoSchema);
