// The parts of Launchpad's web service (lazr.restful, `https://api.launchpad.net/devel/`) the
// processor reads: collection pages of `<project>?ws.op=searchTasks` and
// `<project>/all_specifications`, and a person (`~<name>`, `people?ws.op=getByEmail`).
// Objects are loose because entries carry many more fields; what we use is typed.
import { z } from "zod";

/** Launchpad's timestamps: ISO 8601 with an offset, `2015-06-02T13:35:54.367337+00:00`. */
export const LaunchpadTimestampSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, {
  error: "expected an ISO 8601 time with an offset (2015-06-02T13:35:54.367337+00:00)",
});

/** A link to a person (`https://api.launchpad.net/devel/~samueldmq`); null when nobody is set. */
const PersonLinkSchema = z.string().nullish();
const OptionalTimestampSchema = LaunchpadTimestampSchema.nullish();

/** One page of a collection; `next_collection_link` is absent on the last page. */
export const LaunchpadCollectionSchema = z.looseObject({
  entries: z.array(z.unknown()),
  /** Launchpad sends `total_size_link` instead for collections that are costly to count. */
  total_size: z.int().min(0).optional(),
  start: z.int().min(0).optional(),
  next_collection_link: z.string().nullish(),
});
export type LaunchpadCollection = z.infer<typeof LaunchpadCollectionSchema>;

/** A bug's task on one target (`sahara`, or a series such as `sahara/kilo`). */
export const LaunchpadBugTaskSchema = z.looseObject({
  bug_target_name: z.string().min(1).max(256),
  status: z.string().max(64),
  importance: z.string().max(64).nullish(),
  title: z.string(),
  web_link: z.string().max(2048),
  bug_link: z.string().nullish(),
  owner_link: PersonLinkSchema,
  assignee_link: PersonLinkSchema,
  date_created: LaunchpadTimestampSchema,
  date_fix_committed: OptionalTimestampSchema,
  date_fix_released: OptionalTimestampSchema,
});
export type LaunchpadBugTask = z.infer<typeof LaunchpadBugTaskSchema>;

/** A blueprint. */
export const LaunchpadSpecificationSchema = z.looseObject({
  name: z.string().min(1).max(200),
  title: z.string(),
  summary: z.string().nullish(),
  owner_link: PersonLinkSchema,
  drafter_link: PersonLinkSchema,
  assignee_link: PersonLinkSchema,
  date_created: LaunchpadTimestampSchema,
  date_completed: OptionalTimestampSchema,
  implementation_status: z.string().max(64),
  lifecycle_status: z.string().max(64).nullish(),
  web_link: z.string().max(2048),
});
export type LaunchpadSpecification = z.infer<typeof LaunchpadSpecificationSchema>;

export const LaunchpadPersonSchema = z.looseObject({
  name: z.string().trim().min(1).max(256),
  display_name: z.string(),
});
export type LaunchpadPerson = z.infer<typeof LaunchpadPersonSchema>;
