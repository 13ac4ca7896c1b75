// The shapes of the /api/1.0 answers the contribution pages read: types only, from the zod
// schemas of schemas/ (zod itself never reaches the browser bundle).
import type { z } from "zod";
import type { UserResponseSchema } from "../../../../schemas/contrib/api";
import type {
  ActivityResponseSchema,
  BlueprintStatsResponseSchema,
  CompaniesResponseSchema,
  ContributionResponseSchema,
  EngineersResponseSchema,
  MetricsResponseSchema,
  ModuleResponseSchema,
  ModulesResponseSchema,
  ProjectTypesResponseSchema,
  ReleasesResponseSchema,
  StatsResponseSchema,
  TimelineResponseSchema,
  UsersResponseSchema,
} from "../../../../schemas/contrib/stats";

export type ReleasesList = z.infer<typeof ReleasesResponseSchema>;
export type ProjectTypesList = z.infer<typeof ProjectTypesResponseSchema>;
export type MetricsList = z.infer<typeof MetricsResponseSchema>;
export type CompaniesList = z.infer<typeof CompaniesResponseSchema>;
export type ModulesList = z.infer<typeof ModulesResponseSchema>;
export type UsersList = z.infer<typeof UsersResponseSchema>;
export type StatsAnswer = z.infer<typeof StatsResponseSchema>;
export type StatsRow = StatsAnswer["stats"][number];
export type EngineersAnswer = z.infer<typeof EngineersResponseSchema>;
export type EngineerRow = EngineersAnswer["stats"][number];
export type BlueprintsAnswer = z.infer<typeof BlueprintStatsResponseSchema>;
export type BlueprintRow = BlueprintsAnswer["stats"][number];
export type TimelineAnswer = z.infer<typeof TimelineResponseSchema>;
export type ContributionAnswer = z.infer<typeof ContributionResponseSchema>;
export type Contribution = ContributionAnswer["contribution"];
export type ActivityAnswer = z.infer<typeof ActivityResponseSchema>;
export type ActivityRecord = ActivityAnswer["activity"][number];
export type ModuleAnswer = z.infer<typeof ModuleResponseSchema>;
export type UserAnswer = z.infer<typeof UserResponseSchema>;
export type UserProfile = UserAnswer["user"];

/** The module tags the module selector lists (§4.1: `/api/1.0/modules?tags=module,program,group`). */
export const MODULE_TAGS = "module,program,group";
