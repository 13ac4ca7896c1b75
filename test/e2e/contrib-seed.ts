// Contribution data for the browser tests, loaded as an operator would: a small default_data.json
// of our own through the admin API (PUT /api/1.0/admin/default-data), then records through
// POST /api/1.0/admin/records. Dates are relative to today so that the current release, the
// periods (7 … 180 days) and the core reviewers (a ±2 within 90 days) all have something to show.
import type { DefaultData } from "../../schemas/contrib/default-data";
import type { RawRecord } from "../../schemas/contrib/records";
import { E2E_ADMIN_TOKEN } from "./worker";

const DAY = 86_400;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const nowSeconds = Math.floor(Date.now() / 1000);
const daysAgo = (days: number, hour = 12) => Math.floor(nowSeconds / DAY - days) * DAY + hour * 3600;
/** `2026-Mar-05`, the config's date format, `days` from today. */
const configDate = (days: number) => {
  const d = new Date((nowSeconds + days * DAY) * 1000);
  return `${d.getUTCFullYear()}-${MONTHS[d.getUTCMonth()]}-${String(d.getUTCDate()).padStart(2, "0")}`;
};

/** Nine companies known only by their email domain: with the three of the config, more than a donut's top 9. */
export const SMALL_COMPANIES = ["Acme", "Borealis", "Cobalt", "Dunmore", "Elmwood", "Fairhaven", "Glenrock", "Harbor Labs", "Ironbridge"];
const domainOf = (company: string) => `${company.toLowerCase().replace(/\W+/g, "")}.example`;

export function contribConfig(): DefaultData {
  return {
    users: [
      {
        user_name: "Ada Marsh",
        emails: ["ada@northwind.example"],
        launchpad_id: "ada-marsh",
        gerrit_id: "ada",
        github_id: "ada-m",
        companies: [{ company_name: "Northwind", end_date: null }],
      },
      { user_name: "Kai Brandt", emails: ["kai@southgate.example"], launchpad_id: "kai-b", gerrit_id: "kai", companies: [{ company_name: "Southgate", end_date: null }] },
      { user_name: "Lee Park", emails: ["lee@eastbrook.example"], gerrit_id: "lee", companies: [{ company_name: "Eastbrook", end_date: null }] },
      // Moved from Southgate to Eastbrook 60 days ago: the affiliation changes report has one move.
      {
        user_name: "Mia Stone",
        emails: ["mia@eastbrook.example"],
        launchpad_id: "mia-stone",
        companies: [
          { company_name: "Southgate", end_date: configDate(-60) },
          { company_name: "Eastbrook", end_date: null },
        ],
      },
    ],
    companies: [
      { company_name: "Northwind", domains: ["northwind.example"] },
      { company_name: "Southgate", domains: ["southgate.example"], aliases: ["Southgate, Inc."] },
      { company_name: "Eastbrook", domains: ["eastbrook.example"] },
      ...SMALL_COMPANIES.map((company_name) => ({ company_name, domains: [domainOf(company_name)] })),
    ],
    releases: [
      { release_name: "prehistory", end_date: "2011-Jan-01" },
      { release_name: "Alder", end_date: configDate(-400) },
      { release_name: "Birch", end_date: configDate(-200) },
      { release_name: "Cedar", end_date: configDate(300) },
    ],
    repos: ["core", "docs", "tools"].map((module) => ({
      uri: `https://git.example/demo/${module}.git`,
      module,
      organization: "demo",
    })),
    module_groups: [{ module_group_name: "code-group", modules: ["core", "tools"] }],
    project_types: [
      { id: "all", title: "All", modules: ["core", "docs", "tools"] },
      { id: "code", title: "Code", modules: ["code-group"], child: true },
      { id: "docs", title: "Docs", modules: ["docs"] },
    ],
  };
}

const ADA = { author_email: "ada@northwind.example", author_name: "Ada Marsh", gerrit_id: "ada" };
const KAI = { author_email: "kai@southgate.example", author_name: "Kai Brandt", gerrit_id: "kai" };
const LEE = { author_email: "lee@eastbrook.example", author_name: "Lee Park", gerrit_id: "lee" };
const LOU = { author_email: "lou@gmail.example", author_name: "Lou Vance", gerrit_id: "lou" };
const MIA = { author_email: "mia@eastbrook.example", author_name: "Mia Stone", launchpad_id: "mia-stone" };

let commitNumber = 0;
const commit = (who: object, days: number, module: string, loc: number, subject: string, extra: Partial<RawRecord> = {}): RawRecord => ({
  primary_key: `commit-${++commitNumber}`,
  record_type: "commit",
  date: daysAgo(days),
  ...who,
  module,
  branch: "master",
  loc,
  lines_added: loc,
  lines_deleted: 0,
  subject,
  message: subject,
  ...extra,
});
const review = (key: string, who: object, days: number, module: string, subject: string, extra: Partial<RawRecord> = {}): RawRecord[] => [
  { primary_key: key, record_type: "review", date: daysAgo(days), ...who, module, branch: "master", status: "NEW", subject, url: `https://review.example/${key}`, ...extra },
  { primary_key: `${key}:1`, record_type: "patch", date: daysAgo(days), ...who, module, branch: "master", review_id: key, patch: 1 },
];
let markNumber = 0;
const mark = (who: object, days: number, reviewKey: string, module: string, type: string, value: number): RawRecord => ({
  primary_key: `mark-${++markNumber}`,
  record_type: "mark",
  date: daysAgo(days, 14),
  ...who,
  module,
  branch: "master",
  type,
  value,
  review_id: reviewKey,
  patch: 1,
});

export function contribRecords(): RawRecord[] {
  return [
    // Birch (200 to 400 days ago)
    commit(ADA, 250, "core", 40, "Lay out the tide tables"),
    commit(LOU, 300, "tools", 12, "Add the chart tool"),
    commit(KAI, 220, "docs", 5, "Describe the tides"),
    // Cedar, the current release: three reviews and their votes
    ...review("rev-core", KAI, 40, "core", "Tide table lookups"),
    ...review("rev-docs", LEE, 20, "docs", "Explain neap tides"),
    ...review("rev-tools", ADA, 10, "tools", "Faster chart tool"),
    mark(ADA, 3, "rev-core", "core", "Code-Review", 2),
    mark(ADA, 3, "rev-core", "core", "Workflow", 1),
    mark(ADA, 15, "rev-docs", "docs", "Code-Review", 2),
    mark(KAI, 8, "rev-tools", "tools", "Code-Review", -1),
    mark(KAI, 12, "rev-docs", "docs", "Code-Review", 1),
    mark(KAI, 9, "rev-tools", "tools", "Code-Review", -2),
    mark(LOU, 30, "rev-core", "core", "Code-Review", -1),
    mark(LOU, 18, "rev-docs", "docs", "Code-Review", -1),
    mark(LOU, 9, "rev-tools", "tools", "Code-Review", 1),
    mark(LEE, 35, "rev-core", "core", "Code-Review", 1),
    mark(KAI, 16, "rev-docs", "docs", "Abandon", 0),
    // Commits: the config's people, and one person of each small company (1 to 9 commits)
    commit(ADA, 2, "core", 30, "Cache the tide tables"),
    commit(ADA, 25, "core", 12, "Round the tide heights"),
    commit(ADA, 60, "tools", 8, "Plot the moon"),
    commit(KAI, 5, "core", 20, "Read the harbour feed"),
    commit(KAI, 100, "docs", 3, "Fix a typo"),
    commit(LEE, 45, "docs", 50, "Write the neap tides guide"),
    ...SMALL_COMPANIES.flatMap((company, i) =>
      Array.from({ length: i + 1 }, (_, n) =>
        commit({ author_email: `dev@${domainOf(company)}`, author_name: `${company} Dev` }, 4 + n * 11 + i, n % 2 ? "tools" : "core", 2 + n, `${company} change ${n + 1}`),
      ),
    ),
    // An email mentioning a drafted blueprint, the blueprint, and bugs
    { primary_key: "bpd:core:tide-tables", record_type: "bpd", date: daysAgo(50), launchpad_id: "ada-marsh", module: "core", id: "core:tide-tables", name: "tide-tables", title: "Tide tables", lifecycle_status: "Started" },
    { primary_key: "email-1", record_type: "email", date: daysAgo(6), ...KAI, module: "core", subject: "[core] tide tables", message_id: "<m1@example>", blueprint_id: ["core:tide-tables"] },
    { primary_key: "bugf:core/1", record_type: "bugf", date: daysAgo(28), launchpad_id: "ada-marsh", module: "core", id: "core/1000001", number: 1000001, title: 'Bug #1000001 in core: "Tides off by one"', status: "New" },
    { primary_key: "bugr:core/1", record_type: "bugr", date: daysAgo(7), launchpad_id: "kai-b", module: "core", id: "core/1000001", number: 1000001, title: 'Bug #1000001 in core: "Tides off by one"', status: "Fix Released" },
    // For the report pages (contrib-reports.test.ts). Open reviews of core waiting on reviewers (the
    // lowest vote of the latest patch set +1 or +2) and on their submitter (−1 or −2); rev-core, without
    // a vote, waits on CI.
    ...review("rev-core-ready", LEE, 14, "core", "Tide table units", { value: 1, updated_on: daysAgo(5, 9) }),
    ...review("rev-core-approved", MIA, 22, "core", "Tide table cache size", { value: 2, updated_on: daysAgo(2, 17) }),
    ...review("rev-core-rework", ADA, 26, "core", "Tide table timezone", { value: -1, updated_on: daysAgo(11, 6) }),
    // Merged changes: one approved by a single +2 (a +1 beside it), one by two +2s.
    ...review("rev-merged-single", LEE, 13, "core", "Moon phase table", { status: "MERGED", last_updated: daysAgo(8, 16) }),
    mark(ADA, 9, "rev-merged-single", "core", "Code-Review", 2),
    mark(LOU, 10, "rev-merged-single", "core", "Code-Review", 1),
    ...review("rev-merged-double", KAI, 19, "core", "Spring tide table", { status: "MERGED", last_updated: daysAgo(15, 10) }),
    mark(ADA, 16, "rev-merged-double", "core", "Code-Review", 2),
    mark(LEE, 17, "rev-merged-double", "core", "Code-Review", 2),
    // Large commits (over the report's default 1000 lines): one in Cedar, one in Birch.
    commit(LEE, 33, "tools", 1500, "Vendor the harbour charts"),
    commit(KAI, 240, "docs", 1200, "Import the old tide atlas"),
    // A commit that mentions the drafted blueprint, as the email does.
    commit(ADA, 13, "core", 18, "Implement the tide tables", { blueprint_id: ["core:tide-tables"] }),
    // Mia's commits before and after her move.
    commit(MIA, 90, "core", 7, "Tidy the tide table tests"),
    commit(MIA, 20, "tools", 9, "Chart tool colours"),
  ];
}

async function admin(origin: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${origin}/api/1.0/admin${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

export async function seedContrib(origin: string): Promise<void> {
  await admin(origin, "PUT", "/default-data", contribConfig());
  await admin(origin, "POST", "/records", { records: contribRecords() });
}
