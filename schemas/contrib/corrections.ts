// corrections.json: hand fixes of single records, by primary_key (a huge generated commit's loc set
// to 0, a commit credited to the right company). Applied whenever the record is (re)processed.
import { z } from "zod";

export const CorrectionSchema = z
  .strictObject({
    primary_key: z.string().min(1).max(512),
    correction_comment: z.string().trim().min(1, { error: "say why the record is corrected" }),
    loc: z.int().min(0).optional(),
    module: z.string().min(1).optional(),
    release: z.string().min(1).optional(),
    subject: z.string().optional(),
    change_id: z.array(z.string()).optional(),
    company_name: z.string().min(1).optional(),
    author_email: z.string().optional(),
    author_name: z.string().optional(),
    user_id: z.string().min(1).optional(),
    user_name: z.string().optional(),
    coauthor: z.array(z.unknown()).optional(),
  })
  .refine((c) => Object.keys(c).some((k) => k !== "primary_key" && k !== "correction_comment"), {
    error: "a correction must override at least one field",
  });
export type Correction = z.infer<typeof CorrectionSchema>;

export const CorrectionsSchema = z
  .strictObject({ corrections: z.array(CorrectionSchema) })
  .superRefine((data, ctx) => {
    const seen = new Map<string, number>();
    data.corrections.forEach((c, i) => {
      const first = seen.get(c.primary_key);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["corrections", i, "primary_key"], message: `duplicate primary_key "${c.primary_key}" (also at corrections[${first}])`, input: c.primary_key });
      } else seen.set(c.primary_key, i);
    });
  });
export type Corrections = z.infer<typeof CorrectionsSchema>;

/** Fields a correction may override, in the order they are applied. */
export const CORRECTABLE_FIELDS = [
  "loc", "module", "release", "subject", "change_id", "company_name", "author_email", "author_name", "user_id", "user_name", "coauthor",
] as const satisfies readonly (keyof Correction)[];
