// Raw JSON exports of the collector's data (fuel-stats /api/v1/json/...), paged.
import { z } from "zod";

export const DEFAULT_PAGE_LIMIT = 1000;

/** `?paging_params={"limit":10,"offset":20}`; both optional. */
export const PagingParamsSchema = z.strictObject({
  limit: z.int().min(1).max(DEFAULT_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  offset: z.int().min(0).default(0),
});
export type PagingParams = z.infer<typeof PagingParamsSchema>;

export const InstallationInfoSchema = z.object({
  id: z.int(),
  master_node_uid: z.string(),
  structure: z.record(z.string(), z.unknown()),
  creation_date: z.string(),
  modification_date: z.string().nullable(),
  is_filtered: z.boolean().nullable(),
  release: z.string().nullable(),
});
export type InstallationInfo = z.infer<typeof InstallationInfoSchema>;

export const OswlRowSchema = z.object({
  id: z.int(),
  master_node_uid: z.string(),
  external_id: z.int(),
  cluster_id: z.int(),
  created_date: z.string(),
  updated_time: z.string(),
  resource_type: z.string(),
  resource_data: z.record(z.string(), z.unknown()),
  resource_checksum: z.string(),
  version_info: z.record(z.string(), z.unknown()).nullable(),
});
export type OswlRow = z.infer<typeof OswlRowSchema>;

export const ActionLogRowSchema = z.object({
  id: z.int(),
  master_node_uid: z.string(),
  external_id: z.int(),
  body: z.record(z.string(), z.unknown()),
  action_type: z.string().nullable(),
  action_name: z.string().nullable(),
});
export type ActionLogRow = z.infer<typeof ActionLogRowSchema>;

export const pagedSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    paging_params: z.object({ limit: z.int(), offset: z.int(), total: z.int() }),
    objs: z.array(item),
  });

/** Counts of everything stored. Unlike fuel-stats, NULL `is_filtered` counts as not filtered here too. */
export const SummarySchema = z.object({
  installation_structures: z.object({ total: z.int(), filtered: z.int(), not_filtered: z.int() }),
  action_logs: z.object({ total: z.int() }),
  oswl_stats: z.object({ total: z.int() }),
});
export type Summary = z.infer<typeof SummarySchema>;
