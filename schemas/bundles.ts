// The all-reports bundle (/api/v1/exports): one .tar.gz with one CSV per report for a date range,
// built by a background job.
import { z } from "zod";
import { IsoDateSchema } from "./health";

export const BundleRequestSchema = z.strictObject({
  from_date: IsoDateSchema.optional(),
  to_date: IsoDateSchema.optional(),
});
export type BundleRequest = z.infer<typeof BundleRequestSchema>;

export const BUNDLE_STATUSES = ["queued", "running", "done", "failed", "expired"] as const;
export type BundleStatus = (typeof BUNDLE_STATUSES)[number];

export const BundleViewSchema = z.object({
  id: z.string(),
  status: z.enum(BUNDLE_STATUSES),
  from_date: z.string(),
  to_date: z.string(),
  /** Reports written so far, of all; `current` is the one being written. */
  progress: z.object({ done: z.int(), total: z.int(), current: z.string().nullable() }),
  /** Each report's CSV size in bytes, once written. */
  reports: z.array(z.object({ report: z.string(), bytes: z.int().nullable() })),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  expires_at: z.string(),
  /** The .tar.gz, once done. */
  file_name: z.string(),
  size: z.int().nullable(),
  download: z.string().nullable(),
  error: z.string().nullable(),
});
export type BundleView = z.infer<typeof BundleViewSchema>;
