// The parts of Gerrit's REST answers the processor reads: `GET /changes/?q=…&o=ALL_REVISIONS
// &o=DETAILED_LABELS&o=DETAILED_ACCOUNTS&o=MESSAGES&o=ALL_COMMITS` and `GET /projects/?p=…`.
// Objects are loose because Gerrit adds fields from release to release; what we use is required.
import { z } from "zod";

/** Gerrit's timestamp: UTC, `2024-03-01 12:00:00.000000000`. */
export const GerritTimestampSchema = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/, {
  error: "expected a Gerrit timestamp (yyyy-mm-dd hh:mm:ss.fffffffff)",
});

export const GerritAccountSchema = z.looseObject({
  _account_id: z.int(),
  name: z.string().optional(),
  email: z.string().optional(),
  username: z.string().optional(),
});
export type GerritAccount = z.infer<typeof GerritAccountSchema>;

/** A reviewer's current vote on the current patch set; `value` 0 or absent means no vote. */
export const GerritApprovalSchema = GerritAccountSchema.extend({
  value: z.int().optional(),
  date: GerritTimestampSchema.optional(),
  tag: z.string().optional(),
});
export type GerritApproval = z.infer<typeof GerritApprovalSchema>;

export const GerritLabelSchema = z.looseObject({ all: z.array(GerritApprovalSchema).optional() });

export const GerritCommitSchema = z.looseObject({ subject: z.string().optional(), message: z.string().optional() });

export const GerritRevisionSchema = z.looseObject({
  _number: z.int().min(0),
  created: GerritTimestampSchema,
  uploader: GerritAccountSchema,
  commit: GerritCommitSchema.optional(),
});
export type GerritRevision = z.infer<typeof GerritRevisionSchema>;

export const GerritMessageSchema = z.looseObject({
  id: z.string(),
  /** Absent on messages Gerrit writes itself. */
  author: GerritAccountSchema.optional(),
  /** Set when the message was posted on behalf of `author`. */
  real_author: GerritAccountSchema.optional(),
  date: GerritTimestampSchema,
  message: z.string(),
  _revision_number: z.int().min(0).optional(),
  tag: z.string().optional(),
});
export type GerritMessage = z.infer<typeof GerritMessageSchema>;

export const GerritChangeSchema = z.looseObject({
  id: z.string(),
  project: z.string().min(1).max(512),
  branch: z.string().min(1).max(256),
  topic: z.string().optional(),
  // A Change-Id is `I` + 40 hex digits; records keep at most 64 characters of one.
  change_id: z.string().min(1).max(64),
  subject: z.string(),
  status: z.enum(["NEW", "MERGED", "ABANDONED"]),
  created: GerritTimestampSchema,
  updated: GerritTimestampSchema,
  submitted: GerritTimestampSchema.optional(),
  _number: z.int().min(0),
  owner: GerritAccountSchema,
  labels: z.record(z.string(), GerritLabelSchema).default({}),
  revisions: z.record(z.string(), GerritRevisionSchema),
  current_revision: z.string(),
  messages: z.array(GerritMessageSchema).default([]),
  /** Set on the last change of a page when the query has more results. */
  _more_changes: z.boolean().optional(),
});
export type GerritChange = z.infer<typeof GerritChangeSchema>;

export const GerritChangesPageSchema = z.array(GerritChangeSchema);

/** One project of `GET /projects/`; the map's key is its name. */
export const GerritProjectSchema = z.looseObject({
  id: z.string().optional(),
  /** ACTIVE, READ_ONLY or HIDDEN; absent means ACTIVE. */
  state: z.string().optional(),
});

export const GerritProjectsSchema = z.record(z.string(), GerritProjectSchema);
