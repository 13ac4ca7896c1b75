// default_data.json: the curated configuration of contribution statistics (users and their dated
// affiliations, companies, releases, repos, module groups, project types, lists). The rules are
// Stackalytics' JSON Schema plus the checks its CI ran on the file; a file that breaks any of them
// is refused as a whole, with the path and the rule of each failure.
import { z } from "zod";
import { INDEPENDENT, ROBOTS, normalizeCompanyName } from "./company-name";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const CONFIG_DATE = /^(20\d{2})-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-([0-3]\d)$/;

/** Seconds since the epoch of midnight UTC starting a `2017-Nov-03` date, or null if it is not one. */
export function parseConfigDate(text: string): number | null {
  const m = CONFIG_DATE.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2] as (typeof MONTHS)[number]);
  const ms = Date.UTC(Number(m[1]), month, Number(m[3]));
  return new Date(ms).getUTCDate() === Number(m[3]) ? ms / 1000 : null;
}

/** The `YYYY-Mon-DD` form of a time in seconds (UTC). */
export function formatConfigDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}-${MONTHS[d.getUTCMonth()]}-${String(d.getUTCDate()).padStart(2, "0")}`;
}

export const ConfigDateSchema = z
  .string()
  .refine((s) => parseConfigDate(s) !== null, { error: "expected a date such as 2017-Nov-03 (YYYY-Mon-DD, 20xx, a real day)" });

export const CONFIG_EMAIL = /^[a-zA-Z0-9_.+-]+@(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|\(none\))$/;
const EmailSchema = z.string().regex(CONFIG_EMAIL, { error: "expected an email with a lower-case domain (or the domain (none))" });
const LaunchpadIdSchema = z.string().regex(/^[a-z\d.+-]+$/, { error: "expected a Launchpad id: lower-case letters, digits, . + -" });
const AccountIdSchema = z.string().regex(/^[\w.@+-]+$/, { error: "expected an account name: letters, digits, _ . @ + -" });
const NameSchema = z.string().trim().min(1, { error: "must not be empty" }).max(256);

export const AffiliationSchema = z.strictObject({
  company_name: NameSchema,
  end_date: ConfigDateSchema.nullable(),
});

export const UserSchema = z.strictObject({
  user_name: NameSchema,
  emails: z.array(EmailSchema).min(1, { error: "a user needs at least one email" }),
  launchpad_id: LaunchpadIdSchema.optional(),
  gerrit_id: AccountIdSchema.optional(),
  github_id: AccountIdSchema.optional(),
  zanata_id: AccountIdSchema.optional(),
  companies: z.array(AffiliationSchema).min(1, { error: "a user needs at least one company" }),
});

export const CompanySchema = z.strictObject({
  company_name: NameSchema,
  domains: z.array(z.string().regex(/^[a-z\d.-]*$/, { error: "expected a lower-case domain" })),
  aliases: z.array(NameSchema).optional(),
});

export const ReleaseSchema = z.strictObject({
  release_name: NameSchema,
  end_date: ConfigDateSchema,
  project: z.string().optional(),
  refs: z
    .strictObject({
      governance: z.strictObject({ type: z.enum(["legacy", "early_big_tent", "big_tent"]), source: z.url() }),
    })
    .optional(),
});

export const RepoReleaseSchema = z.strictObject({
  release_name: NameSchema,
  tag_from: z.string().min(1),
  tag_to: z.string().min(1),
  branch: z.string().min(1).optional(),
});

export const RepoSchema = z.strictObject({
  uri: z.string().min(1),
  module: NameSchema,
  organization: NameSchema,
  launchpad_name: z.string().nullable().optional(),
  gerrit_uri: z.string().optional(),
  releases: z.array(RepoReleaseSchema).optional(),
  aliases: z.array(NameSchema).optional(),
  default_branch: z.string().min(1).optional(),
});

export const ProjectSourceSchema = z.strictObject({
  organization: NameSchema,
  uri: z.string().regex(/^(?:gerrit:\/\/[^/\s]+|github:\/\/)$/, { error: "expected gerrit://host[:port] or github://" }).optional(),
  git_base_uri: z.string().optional(),
  ssh_key_filename: z.string().optional(),
  ssh_username: z.string().optional(),
  exclude: z.array(z.string()).optional(),
  default_branch: z.string().min(1).optional(),
  module_group_id: z.string().regex(/^[\w-]+$/).optional(),
  module_group_name: z.string().optional(),
  launchpad_metrics: z.boolean().optional(),
  pattern: z
    .string()
    .refine(isRegExp, { error: "expected a regular expression" })
    .optional(),
});

function isRegExp(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

export const ModuleGroupSchema = z.strictObject({
  module_group_name: z.string().regex(/^[\w-]+$/, { error: "expected letters, digits, _ and -" }),
  modules: z.array(NameSchema),
});

export const ProjectTypeSchema = z.strictObject({
  id: z.string().regex(/^[\w:-]+$/, { error: "expected letters, digits, _ : and -" }),
  title: NameSchema,
  modules: z.array(NameSchema),
  child: z.boolean().optional(),
});

const DefaultDataShape = z.strictObject({
  users: z.array(UserSchema),
  companies: z.array(CompanySchema),
  releases: z.array(ReleaseSchema).min(1, { error: "at least one release is needed" }),
  repos: z.array(RepoSchema),
  project_types: z.array(ProjectTypeSchema),
  project_sources: z.array(ProjectSourceSchema).optional(),
  module_groups: z.array(ModuleGroupSchema).optional(),
  mail_lists: z.array(z.url()).optional(),
  member_lists: z.array(z.url()).optional(),
});
type DefaultDataShape = z.infer<typeof DefaultDataShape>;

type Issue = { path: (string | number)[]; message: string };

/** Reports values that occur twice: `what` of the second names the first one's path. */
function findDuplicates(entries: { key: string; path: (string | number)[] }[], what: string): Issue[] {
  const seen = new Map<string, (string | number)[]>();
  const issues: Issue[] = [];
  for (const { key, path } of entries) {
    const first = seen.get(key);
    if (first) issues.push({ path, message: `duplicate ${what} "${key}" (also at ${pathText(first)})` });
    else seen.set(key, path);
  }
  return issues;
}

const pathText = (path: (string | number)[]) =>
  path.reduce<string>((out, k) => (typeof k === "number" ? `${out}[${k}]` : out ? `${out}.${k}` : k), "");

/** The checks across items that one item's schema cannot make. */
export function crossCheckDefaultData(data: DefaultDataShape): Issue[] {
  const issues: Issue[] = [];
  const userKeys = (field: "launchpad_id" | "gerrit_id" | "github_id" | "zanata_id") =>
    data.users.flatMap((u, i) => (u[field] === undefined ? [] : [{ key: u[field]!, path: ["users", i, field] }]));
  issues.push(
    ...findDuplicates(
      data.users.flatMap((u, i) => u.emails.map((e, j) => ({ key: e.toLowerCase(), path: ["users", i, "emails", j] }))),
      "email",
    ),
    ...findDuplicates(userKeys("launchpad_id"), "launchpad_id"),
    ...findDuplicates(userKeys("gerrit_id"), "gerrit_id"),
    ...findDuplicates(userKeys("github_id"), "github_id"),
    ...findDuplicates(userKeys("zanata_id"), "zanata_id"),
    ...findDuplicates(data.releases.map((r, i) => ({ key: r.release_name.toLowerCase(), path: ["releases", i, "release_name"] })), "release"),
    ...findDuplicates(data.project_types.map((p, i) => ({ key: p.id, path: ["project_types", i, "id"] })), "project type id"),
    ...findDuplicates(
      (data.module_groups ?? []).map((g, i) => ({ key: g.module_group_name, path: ["module_groups", i, "module_group_name"] })),
      "module group",
    ),
  );

  const known = new Set([normalizeCompanyName(INDEPENDENT), normalizeCompanyName(ROBOTS)]);
  for (const company of data.companies) {
    for (const name of [company.company_name, ...(company.aliases ?? [])]) known.add(normalizeCompanyName(name));
  }
  data.users.forEach((user, i) => {
    const open = user.companies.flatMap((c, j) => (c.end_date === null ? [j] : []));
    if (open.length > 1) {
      issues.push({ path: ["users", i, "companies", open[1]!, "end_date"], message: "at most one company may be open (end_date null) per user" });
    }
    user.companies.forEach((c, j) => {
      if (!known.has(normalizeCompanyName(c.company_name))) {
        issues.push({
          path: ["users", i, "companies", j, "company_name"],
          message: `company "${c.company_name}" is not in companies (neither a name nor an alias)`,
        });
      }
    });
  });
  return issues;
}

export const DefaultDataSchema = DefaultDataShape.superRefine((data, ctx) => {
  for (const issue of crossCheckDefaultData(data)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, input: data });
});
export type DefaultData = z.infer<typeof DefaultDataSchema>;
export type ConfigUser = z.infer<typeof UserSchema>;
export type ConfigCompany = z.infer<typeof CompanySchema>;
export type ConfigRelease = z.infer<typeof ReleaseSchema>;
export type ConfigRepo = z.infer<typeof RepoSchema>;
export type ConfigModuleGroup = z.infer<typeof ModuleGroupSchema>;
export type ConfigProjectType = z.infer<typeof ProjectTypeSchema>;
export type ConfigProjectSource = z.infer<typeof ProjectSourceSchema>;
