// The read API of contribution statistics (Stackalytics' /api/1.0 shapes) and the admin answers.
import { z } from "zod";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Seconds of midnight UTC starting a `YYYY-MM-DD` day, or null if it is not a real day. */
export function parseIsoDay(text: string): number | null {
  const m = DAY.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? ms / 1000 : null;
}

export const AUTHOR_KEYS = ["email", "launchpad_id", "gerrit_id", "github_id", "zanata_id"] as const;

/** `?email=…&date=YYYY-MM-DD`, or one of the account ids instead of email. */
export const AffiliationQuerySchema = z
  .strictObject({
    email: z.string().trim().min(3).max(320).optional(),
    launchpad_id: z.string().trim().min(1).max(256).optional(),
    gerrit_id: z.string().trim().min(1).max(256).optional(),
    github_id: z.string().trim().min(1).max(256).optional(),
    zanata_id: z.string().trim().min(1).max(256).optional(),
    date: z.string().refine((s) => parseIsoDay(s) !== null, { error: "expected a day such as 2024-03-15 (YYYY-MM-DD, UTC)" }),
  })
  .superRefine((q, ctx) => {
    const given = AUTHOR_KEYS.filter((k) => q[k] !== undefined);
    if (given.length !== 1) {
      const message = given.length === 0 ? `one of ${AUTHOR_KEYS.join(", ")} is required` : `give only one of ${AUTHOR_KEYS.join(", ")}`;
      ctx.addIssue({ code: "custom", path: [given[1] ?? "email"], input: q, message });
    }
  });
export type AffiliationQuery = z.infer<typeof AffiliationQuerySchema>;

export const AffiliationSchema = z.object({ user_id: z.string(), user_name: z.string(), company_name: z.string() });
export type Affiliation = z.infer<typeof AffiliationSchema>;

/** A profile as Stackalytics' /api/1.0/users/<user_id> shows it. */
export const UserProfileSchema = z.object({
  seq: z.int(),
  user_id: z.string(),
  user_name: z.string(),
  emails: z.array(z.string()),
  /** end_date in seconds since the epoch (UTC), 0 for the current company. */
  companies: z.array(z.object({ company_name: z.string(), end_date: z.int() })),
  launchpad_id: z.string().optional(),
  gerrit_id: z.string().optional(),
  github_id: z.string().optional(),
  zanata_id: z.string().optional(),
  core: z.array(z.tuple([z.string(), z.string()])),
  static: z.boolean(),
  id: z.string(),
  text: z.string(),
  company_link: z.object({ uri: z.string(), title: z.string() }),
});
export const UserResponseSchema = z.object({ user: UserProfileSchema });
export type UserProfile = z.infer<typeof UserProfileSchema>;

/** What loading a configuration document did. */
export const ConfigLoadResultSchema = z.object({
  status: z.literal("ok"),
  digest: z.string(),
  changed: z.boolean(),
  loaded_at: z.string(),
  profiles_updated: z.int(),
  profiles_merged: z.int(),
  records_reattributed: z.int(),
});
export type ConfigLoadResult = z.infer<typeof ConfigLoadResultSchema>;
