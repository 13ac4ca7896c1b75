// The processor's admin API: what it follows and how each source is doing, and a run on request.
import { z } from "zod";

export const SOURCE_KINDS = ["gerrit", "git", "git-tags", "launchpad-bugs", "launchpad-blueprints", "pipermail", "hyperkitty", "projects"] as const;
export const SOURCE_STATUSES = ["idle", "queued", "running", "failed", "retired"] as const;

/** `GET /api/1.0/admin/processor?kind=&status=&module=` */
export const ProcessorStatusQuerySchema = z.strictObject({
  kind: z.enum(SOURCE_KINDS).optional(),
  status: z.enum(SOURCE_STATUSES).optional(),
  module: z.string().min(1).max(256).optional(),
});

/** `POST /api/1.0/admin/processor/run`: one source (its id), every source of a module (or Launchpad project) or kind, or all. */
export const ProcessorRunRequestSchema = z.strictObject({
  source: z.string().min(1).max(2048).optional(),
  module: z.string().min(1).max(256).optional(),
  kind: z.enum(SOURCE_KINDS).optional(),
});
export type ProcessorRunRequest = z.infer<typeof ProcessorRunRequestSchema>;

const time = z.string().nullable();

export const ProcessorSourceSchema = z.object({
  id: z.string(),
  kind: z.enum(SOURCE_KINDS),
  target: z.record(z.string(), z.unknown()),
  status: z.enum(SOURCE_STATUSES),
  cursor: z.unknown(),
  steps: z.int(),
  records_stored: z.int(),
  last_run_at: time,
  last_success_at: time,
  next_run_at: z.string(),
  failures: z.int(),
  last_error: z.string().nullable(),
  /** What the source's newest step did and cost (kept a week). */
  last_step: z
    .object({
      started_at: z.string(),
      ms: z.int(),
      requests: z.int(),
      queries: z.int(),
      fetched: z.int(),
      stored: z.int(),
      rows_read: z.int(),
      rows_written: z.int(),
    })
    .nullable(),
});

export const ProcessorStatusSchema = z.object({
  status: z.literal("ok"),
  /** Sources per status. */
  summary: z.record(z.string(), z.int()),
  sources: z.array(ProcessorSourceSchema),
});
export type ProcessorStatus = z.infer<typeof ProcessorStatusSchema>;

export const ProcessorRunResultSchema = z.object({
  status: z.literal("ok"),
  sources: z.int(),
  added: z.int(),
  retired: z.int(),
  queued: z.int(),
  selected: z.array(z.string()),
  note: z.string().optional(),
});
