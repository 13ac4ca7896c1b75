// Wire formats of the collector protocol (fuel-stats compatible). These zod schemas are the only
// definition: the worker validates with them, JSON Schema documents are generated from them, and
// the UI and the agent import them.
import { z } from "zod";
import { LIMITS } from "./limits";

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

const MasterNodeUidSchema = z
  .string()
  .min(1, { error: "must not be empty" })
  .max(LIMITS.uidLength, { error: `longer than the limit of ${LIMITS.uidLength} characters` });

const records = <T extends z.ZodType>(item: T) =>
  z.array(item).max(LIMITS.recordsPerRequest, {
    error: (issue) => `${(issue.input as unknown[]).length} records exceed the limit of ${LIMITS.recordsPerRequest} per request`,
  });

// Fuel's VERSION settings as sent by every release: 6.x shas, 7.0 renames (fuel-ostf_sha,
// fuel-library_sha), 8.0 fuel-nailgun_sha, and 8.0+/9.0 without shas. Unknown keys are kept.
export const FuelReleaseSchema = z.looseObject({
  release: z.string(),
  api: z.string(),
  feature_groups: z.array(z.string()),
  build_id: z.string().optional(),
  ostf_sha: z.string().optional(),
  "fuel-ostf_sha": z.string().optional(),
  astute_sha: z.string().optional(),
  nailgun_sha: z.string().optional(),
  fuellib_sha: z.string().optional(),
  "fuel-library_sha": z.string().optional(),
  "python-fuelclient_sha": z.string().optional(),
  fuelmain_sha: z.string().optional(),
});

export const NodeSchema = z.looseObject({
  id: z.int(),
  roles: z.array(z.string()),
  status: z.string().optional(),
  os: z.string().optional(),
  manufacturer: z.string().optional(),
});

export const NetworkConfigurationSchema = z.looseObject({
  segmentation_type: z.string().optional(),
  net_l23_provider: z.string().optional(),
  net_manager: z.string().optional(),
  fixed_networks_vlan_start: nullable(z.int()).optional(),
  fixed_network_size: z.int().optional(),
  fixed_networks_amount: z.int().optional(),
});

export const ClusterSchema = z.looseObject({
  id: z.int(),
  nodes_num: z.int(),
  nodes: z.array(NodeSchema),
  mode: z.string(),
  release: z.looseObject({ version: z.string(), os: z.string(), name: z.string() }),
  status: z.string(),
  attributes: z.looseObject({}),
  network_configuration: NetworkConfigurationSchema.optional(),
});

export const InstallationStructureSchema = z.looseObject({
  master_node_uid: MasterNodeUidSchema,
  clusters_num: z.int(),
  allocated_nodes_num: z.int(),
  unallocated_nodes_num: z.int(),
  clusters: z.array(ClusterSchema),
  fuel_release: FuelReleaseSchema.optional(),
  fuel_packages: z.array(z.string()).optional(),
});
export type InstallationStructure = z.infer<typeof InstallationStructureSchema>;

export const InstallationStructureRequestSchema = z.strictObject({
  installation_structure: InstallationStructureSchema,
});

const actionLogBodyFields = {
  id: z.number().optional(),
  actor_id: nullable(z.string()).optional(),
  action_group: z.string().optional(),
  action_name: z.string().optional(),
  start_timestamp: z.string().optional(),
  is_sent: z.boolean().optional(),
  cluster_id: nullable(z.number()).optional(),
  task_uuid: nullable(z.string()).optional(),
};

export const HttpRequestBodySchema = z.looseObject({
  ...actionLogBodyFields,
  action_type: z.literal("http_request"),
  end_timestamp: z.string().optional(),
  additional_info: z
    .looseObject({ request_data: z.looseObject({}).optional(), response_data: z.looseObject({}).optional() })
    .optional(),
});

export const NailgunTaskBodySchema = z.looseObject({
  ...actionLogBodyFields,
  action_type: z.literal("nailgun_task"),
  // null while the task runs: such a record is answered `skipped` and sent again when it ends.
  end_timestamp: nullable(z.string()).optional(),
  additional_info: z
    .looseObject({
      parent_task_id: nullable(z.number()).optional(),
      subtasks_ids: z.array(z.unknown()).optional(),
      operation: z.string().optional(),
      nodes_from_resp: z.array(z.unknown()).optional(),
      ended_with_status: z.string().optional(),
      message: nullable(z.string()).optional(),
      output: nullable(z.looseObject({})).optional(),
    })
    .optional(),
});

export const ActionLogBodySchema = z.discriminatedUnion("action_type", [HttpRequestBodySchema, NailgunTaskBodySchema]);

export const ActionLogSchema = z.looseObject({
  master_node_uid: MasterNodeUidSchema,
  external_id: z.int(),
  body: ActionLogBodySchema,
});
export type ActionLog = z.infer<typeof ActionLogSchema>;

export const ActionLogsRequestSchema = z.strictObject({ action_logs: records(ActionLogSchema) });

export const RESOURCE_TYPES = [
  "vm",
  "tenant",
  "volume",
  "security_group",
  "keystone_user",
  "flavor",
  "cluster_stats",
  "image",
] as const;
export const ResourceTypeSchema = z.enum(RESOURCE_TYPES);
export type ResourceType = z.infer<typeof ResourceTypeSchema>;

export const VersionInfoSchema = z.looseObject({
  fuel_version: nullable(z.string()).optional(),
  release_version: nullable(z.string()).optional(),
  release_name: nullable(z.string()).optional(),
  release_os: nullable(z.string()).optional(),
  environment_version: nullable(z.string()).optional(),
});

export const OswlSchema = z.strictObject({
  master_node_uid: MasterNodeUidSchema,
  id: z.int(),
  cluster_id: z.int(),
  // Formats are not enforced, as in the original: old senders put full datetimes here.
  created_date: z.string(),
  updated_time: z.string(),
  // The original left this out of its schema and failed at the database; here it is required.
  resource_type: ResourceTypeSchema,
  resource_checksum: z.string(),
  resource_data: z.strictObject({
    added: z.array(z.unknown()),
    current: z.array(z.unknown()),
    removed: z.array(z.unknown()),
    modified: z.array(z.unknown()),
  }),
  version_info: VersionInfoSchema.optional(),
});
export type Oswl = z.infer<typeof OswlSchema>;

export const OswlStatsRequestSchema = z.strictObject({ oswl_stats: records(OswlSchema) });

export const ActionLogStatusSchema = z.enum(["added", "existed", "skipped", "failed"]);
export type ActionLogStatus = z.infer<typeof ActionLogStatusSchema>;
export const OswlStatusSchema = z.enum(["added", "updated", "failed"]);
export type OswlStatus = z.infer<typeof OswlStatusSchema>;

/** The header a sender presents its installation token in, and in which new tokens are returned. */
export const INSTALLATION_TOKEN_HEADER = "X-Installation-Token";
/** 256 random bits, the time of issue and a MAC (worker/crypto.ts), base64url without padding. */
export const InstallationTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{72}$/);

export const OkResponseSchema = z.object({
  status: z.literal("ok"),
  exec_time: z.number(),
  /** Present while the installation is unbound: presenting it back binds the installation. */
  installation_token: InstallationTokenSchema.optional(),
});

export const ActionLogsResponseSchema = OkResponseSchema.extend({
  action_logs: z.array(z.object({ master_node_uid: z.string(), external_id: z.int(), status: ActionLogStatusSchema })),
});
export type ActionLogsResponse = z.infer<typeof ActionLogsResponseSchema>;

export const OswlStatsResponseSchema = OkResponseSchema.extend({
  oswl_stats: z.array(z.object({ master_node_uid: z.string(), id: z.int(), status: OswlStatusSchema })),
});
export type OswlStatsResponse = z.infer<typeof OswlStatsResponseSchema>;

export const ErrorResponseSchema = z.object({
  status: z.literal("error"),
  message: z.string(),
  installation_token: InstallationTokenSchema.optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** DELETE /api/v1/installation: which installation; its token goes in the X-Installation-Token header. */
export const InstallationDeletionRequestSchema = z.strictObject({ master_node_uid: MasterNodeUidSchema });

/** What a deletion removed: rows per table, the installation's object, and when. */
export const DeletionReceiptSchema = z.object({
  status: z.literal("ok"),
  master_node_uid: z.string(),
  /** The installation with its token, or an operator through the admin API. */
  requested_by: z.enum(["installation", "operator"]),
  /** ISO 8601, UTC. */
  deleted_at: z.string(),
  deleted: z.object({
    installation_structures: z.int(),
    action_logs: z.int(),
    oswl_stats: z.int(),
    /** Its release history (the adoption report's source). */
    installation_release_days: z.int(),
    /** The installation's Durable Object: all of its storage is gone. */
    installation_object: z.object({
      identity: z.boolean(),
      token_binding: z.boolean(),
      token_key: z.boolean(),
      action_log_ids: z.int(),
      quota_windows: z.int(),
    }),
  }),
  /** `next_rollup`: the next roll-up takes it out of the reports; `not_in_reports`: it had no structure to count. */
  reports: z.enum(["next_rollup", "not_in_reports"]),
});
export type DeletionReceipt = z.infer<typeof DeletionReceiptSchema>;

/** Schemas published as JSON Schema documents at /api/v1/schemas/<name>.json. */
export const PUBLISHED_SCHEMAS = {
  installation_structure: InstallationStructureRequestSchema,
  action_logs: ActionLogsRequestSchema,
  oswl_stats: OswlStatsRequestSchema,
  action_logs_response: ActionLogsResponseSchema,
  oswl_stats_response: OswlStatsResponseSchema,
  ok_response: OkResponseSchema,
  error_response: ErrorResponseSchema,
  installation_deletion: InstallationDeletionRequestSchema,
  deletion_receipt: DeletionReceiptSchema,
} as const;
