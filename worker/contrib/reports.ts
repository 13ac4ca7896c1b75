// The answers of Stackalytics' JSON reports (reference §4.2): a module's open reviews by whom they
// wait on, the review report of the last N days (from the daily totals), the matrix of core
// reviewers, large commits, merged changes that only one reviewer approved, and for the report
// pages a person's or company's punch card, a blueprint with its mentions and one record.
import type {
  BlueprintReport,
  ContributionReport,
  CoresReport,
  LargeCommit,
  OpenReview,
  OpenReviewsReport,
  PunchCard,
  RecordReport,
  ReviewEngineer,
  SinglePlusTwoReview,
  WaitingGroup,
} from "../../schemas/contrib/reports";
import { BLUEPRINT_MENTIONS_MAX, LARGE_COMMITS_MAX, PUNCH_CARD_WEEKDAYS } from "../../schemas/contrib/reports";
import { type RecordRow, listCoresOf, listProfilesBySeqs, listProfilesByUserIds, listRecordsByKeys } from "../db/contrib";
import {
  type OpenReviewRow,
  countRecordsByWeekHour,
  listBlueprintMentions,
  listCoreReviewers,
  listLargeCommits,
  listLatestCompanies,
  listOpenReviews,
  listSinglePlusTwoReviews,
} from "../db/contrib-reports";
import { type TotalsRow, sumTotalsBy } from "../db/contrib-stats";
import { companyAt } from "../domain/contrib/affiliation";
import type { Engine } from "../domain/contrib/engine";
import type { StatsFilter } from "../domain/contrib/filters";
import { countedMarks, marksColumns, percent, zeroMeasures } from "../domain/contrib/metrics";
import { CORE_WINDOW_SECONDS } from "../domain/contrib/post-process";
import { DAY_SECONDS } from "../domain/contrib/time";
import { describeRecords } from "./activity";
import { coreBranch } from "./stats";

/** An open review as the report reads it: `updated_on` falls back to its creation when it has no vote time. */
export function toOpenReview(r: OpenReviewRow): OpenReview & { value: number } {
  return {
    primary_key: r.primary_key,
    url: r.url,
    subject: r.subject,
    author_name: r.author_name,
    user_id: r.user_id,
    company_name: r.company_name,
    date: r.date,
    updated_on: r.updated_on ?? r.date,
    review_number: r.review_number,
    value: r.value ?? 0,
  };
}

/** The lowest vote on a review's latest patch set says whom it waits on: +1/+2 a reviewer, −1/−2 its submitter, none CI. */
export const waitingOn = (value: number): "reviewer" | "submitter" | "ci" => (value >= 1 ? "reviewer" : value <= -1 ? "submitter" : "ci");

/**
 * One waiting group: its waits in seconds before `now` (a time in the future counts as no wait),
 * how many reviews have waited each whole number of days since their last vote, and the `limit`
 * oldest by last vote (all with −1).
 */
export function waitingGroup(reviews: readonly OpenReview[], now: number, limit: number): WaitingGroup {
  const wait = (t: number) => Math.max(0, now - t);
  const sinceVote = reviews.map((r) => wait(r.updated_on));
  const sinceCreated = reviews.map((r) => wait(r.date));
  const average = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : null);
  const ages = new Map<number, number>();
  for (const days of sinceVote.map((w) => Math.floor(w / DAY_SECONDS))) ages.set(days, (ages.get(days) ?? 0) + 1);
  const oldest = [...reviews].sort((a, b) => a.updated_on - b.updated_on || a.primary_key.localeCompare(b.primary_key));
  return {
    count: reviews.length,
    average_wait_since_vote: average(sinceVote),
    max_wait_since_vote: max(sinceVote),
    average_wait_since_created: average(sinceCreated),
    max_wait_since_created: max(sinceCreated),
    ages: [...ages].sort(([a], [b]) => a - b),
    oldest: limit < 0 ? oldest : oldest.slice(0, limit),
  };
}

/** `/reports/reviews/<module>/open`: the module's (or group's) open reviews by whom they wait on. */
export async function openReviewsReport(db: D1Database, module: string, filter: StatsFilter, now: number, limit: number): Promise<OpenReviewsReport> {
  const open = (await listOpenReviews(db, filter)).map(toOpenReview);
  const group = (on: ReturnType<typeof waitingOn>) =>
    waitingGroup(
      open.filter((r) => waitingOn(r.value) === on).map(({ value: _, ...review }) => review),
      now,
      limit,
    );
  return {
    module,
    total_open: open.length,
    waiting_on_reviewer: group("reviewer"),
    waiting_on_submitter: group("submitter"),
    waiting_on_ci: group("ci"),
  };
}

export const REVIEW_REPORT_TYPES = ["mark", "patch", "commit", "email", "review"] as const;

/** Per day, to one decimal (as the dashboard prints it). */
const perDay = (n: number, days: number) => Math.round((n / days) * 10) / 10;

/**
 * `/reports/contribution/<module>/<days>`: per person in the window, reviews with their
 * distribution and ratios, patch sets, commits and emails; and the summary under the table. The
 * core team is the people of the table who are core reviewers of the module on master.
 */
export async function contributionReport(db: D1Database, filter: StatsFilter, days: number, now: number): Promise<ContributionReport> {
  const totals = await sumTotalsBy(db, "user_id", REVIEW_REPORT_TYPES, filter, { byType: true });
  const byPerson = new Map<string, Map<string, TotalsRow>>();
  for (const t of totals) {
    const types = byPerson.get(t.id!) ?? new Map();
    byPerson.set(t.id!, types.set(t.record_type!, t));
  }
  const ids = [...byPerson.keys()];
  const companies = await listLatestCompanies(db, REVIEW_REPORT_TYPES, filter);
  const profiles = await listProfilesByUserIds(db, ids);
  const cores = await listCoresOf(db, [...profiles.values()].map((p) => p.seq), now - CORE_WINDOW_SECONDS);

  const engineers: ReviewEngineer[] = ids.map((id) => {
    const types = byPerson.get(id)!;
    const records = (type: string) => types.get(type)?.records ?? 0;
    const marks = types.get("mark") ?? { ...zeroMeasures(), person_days: 0 };
    const profile = profiles.get(id);
    const review = countedMarks(marks);
    return {
      user_id: id,
      name: profile?.user_name ?? id,
      company: companies.get(id) ?? "",
      review,
      ...marksColumns(marks),
      patch: records("patch"),
      commit: records("commit"),
      email: records("email"),
      reviews_per_patch: percent(review, records("patch")),
      core: profile ? coreBranch(cores.get(profile.seq) ?? [], filter.modules) : null,
    };
  });
  engineers.sort((a, b) => b.review - a.review || a.name.localeCompare(b.name) || a.user_id.localeCompare(b.user_id));

  const sum = (f: (e: ReviewEngineer) => number, of = engineers) => of.reduce((n, e) => n + f(e), 0);
  const core = engineers.filter((e) => e.core === "master");
  const totalReviews = sum((e) => e.review);
  return {
    engineers,
    summary: {
      total_reviews: totalReviews,
      reviews_per_day: perDay(totalReviews, days),
      reviewers: engineers.filter((e) => e.review > 0).length,
      core_reviews: sum((e) => e.review, core),
      core_team_size: core.length,
      change_requests: sum((e) => byPerson.get(e.user_id)!.get("review")?.records ?? 0),
      patch_sets: sum((e) => e.patch),
      commits: sum((e) => e.commit),
      emails_per_day: perDay(sum((e) => e.email), days),
    },
  };
}

/** `/reports/cores`: the core reviewers on master of each module the filter selects, with their current companies. */
export async function coresReport(db: D1Database, filter: StatsFilter, now: number): Promise<CoresReport> {
  const rows = await listCoreReviewers(db, filter.modules ? [...filter.modules.keys()] : null, "master", now - CORE_WINDOW_SECONDS);
  const profiles = new Map((await listProfilesBySeqs(db, rows.map((r) => r.profile_seq))).map((p) => [p.seq, p]));
  const byModule = new Map<string, CoresReport["cores"][number]["reviewers"]>();
  for (const { profile_seq, module } of rows) {
    const p = profiles.get(profile_seq);
    // A seq that a merge retired has no profile left: its survivor has (or will have) a row of its own.
    if (!p) continue;
    const reviewers = byModule.get(module) ?? [];
    if (!reviewers.some((r) => r.user_id === p.user_id)) reviewers.push({ user_id: p.user_id, name: p.user_name, company_name: companyAt(p.companies, now).company_name });
    byModule.set(module, reviewers);
  }
  const cores = [...byModule]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([module, reviewers]) => ({ module, reviewers: reviewers.sort((a, b) => a.name.localeCompare(b.name) || a.user_id.localeCompare(b.user_id)) }));
  return { cores, total: new Set(cores.flatMap((c) => c.reviewers.map((r) => r.user_id))).size };
}

/** `/reports/large_commits`: commits above the threshold, largest first, for spotting what corrections.json should fix. */
export async function largeCommitsReport(db: D1Database, filter: StatsFilter, threshold: number): Promise<{ commits: LargeCommit[] }> {
  const rows = await listLargeCommits(db, filter, threshold, LARGE_COMMITS_MAX);
  return { commits: rows.map(({ correction_comment, ...c }) => ({ ...c, ...(correction_comment !== null ? { correction_comment } : {}) })) };
}

/** `/reports/single_plus_two_reviews`: merged changes on master that one reviewer alone approved with +2. */
export async function singlePlusTwoReport(db: D1Database, filter: StatsFilter): Promise<{ reviews: SinglePlusTwoReview[] }> {
  return { reviews: await listSinglePlusTwoReviews(db, filter) };
}

/** The records a punch card counts (Stackalytics' user and company reports): votes, patch sets, emails, blueprints. */
export const PUNCH_CARD_TYPES = ["mark", "patch", "email", "bpd", "bpc"] as const;

/** `/reports/punch_card`: the filtered records of some people or companies per weekday and UTC hour. */
export async function punchCardReport(db: D1Database, filter: StatsFilter): Promise<PunchCard> {
  const of = filter.users ? { ...filter, users: filter.users } : filter.companies ? { ...filter, companies: filter.companies } : null;
  if (!of) throw new Error("a punch card needs people or companies");
  const grid = PUNCH_CARD_WEEKDAYS.map(() => Array.from({ length: 24 }, () => 0));
  let total = 0;
  for (const { weekday, hour, records } of await countRecordsByWeekHour(db, PUNCH_CARD_TYPES, of)) {
    grid[weekday]![hour] = records;
    total += records;
  }
  return { punch_card: grid, total };
}

const text = (v: unknown) => (typeof v === "string" ? v : null);
const seconds = (v: unknown) => (typeof v === "number" && v > 0 ? v : null);
const personOf = (r: RecordRow | undefined) => (r ? { user_id: r.user_id, author_name: r.author_name, company_name: r.company_name } : null);

/**
 * `/reports/blueprint/<module>/<name>`: the blueprint as its drafted (or completed) record has it,
 * who drafted and who completed it, and the records that mention it; null when neither record is stored.
 */
export async function blueprintReport(db: D1Database, engine: Engine, module: string, name: string): Promise<BlueprintReport | null> {
  const id = `${module}:${name}`;
  const rows = new Map((await listRecordsByKeys(db, [`bpd:${id}`, `bpc:${id}`])).map((r) => [r.record_type, r]));
  const drafted = rows.get("bpd");
  const completed = rows.get("bpc");
  const main = drafted ?? completed;
  if (!main) return null;
  const f = JSON.parse(main.fields) as Record<string, unknown>;
  const mentions = await listBlueprintMentions(db, id, BLUEPRINT_MENTIONS_MAX);
  return {
    blueprint: {
      id,
      module,
      name,
      title: text(f.title),
      summary: text(f.summary),
      status: text(f.status),
      lifecycle_status: text(f.lifecycle_status),
      web_link: text(f.web_link),
      date_created: seconds(f.date_created),
      date_completed: seconds(f.date_completed),
      drafted_by: personOf(drafted),
      completed_by: personOf(completed),
      mention_count: typeof f.mention_count === "number" ? f.mention_count : mentions.length,
      mention_date: seconds(f.mention_date),
    },
    mentions: (await describeRecords(db, engine, mentions.map((m) => JSON.parse(m.fields) as Record<string, unknown>), true)) as BlueprintReport["mentions"],
  };
}

/** `/reports/record/<primary_key>`: one record as the activity log shows it (a mark without its stored review too); null when there is none. */
export async function recordReport(db: D1Database, engine: Engine, primaryKey: string): Promise<RecordReport | null> {
  const [row] = await listRecordsByKeys(db, [primaryKey]);
  if (!row) return null;
  const [record] = await describeRecords(db, engine, [JSON.parse(row.fields) as Record<string, unknown>], true);
  return record ? { record: record as RecordReport["record"] } : null;
}
