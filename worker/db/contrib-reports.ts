// Query functions for the `/api/1.0/reports`: a module's open reviews, the company of each person's
// latest totals, core reviewers of some modules, large commits, and merged reviews with a single
// +2. Records are read through the (record_type, module) index under the common filter's WHERE.
import { type TotalsFilter, where } from "./contrib-stats";

/** An open review's columns, with the review fields the report reads out of its JSON. */
export type OpenReviewRow = {
  primary_key: string;
  date: number;
  user_id: string;
  author_name: string;
  company_name: string;
  value: number | null;
  updated_on: number | null;
  url: string | null;
  subject: string | null;
  review_number: number | null;
};

/** The reviews under a filter that are still open (status NEW). */
export async function listOpenReviews(db: D1Database, filter: TotalsFilter): Promise<OpenReviewRow[]> {
  const w = where(["review"], filter);
  const { results } = await db
    .prepare(
      `SELECT primary_key, date, user_id, author_name, company_name, fields ->> '$.value' AS value, fields ->> '$.updated_on' AS updated_on,
              fields ->> '$.url' AS url, fields ->> '$.subject' AS subject, fields ->> '$.review_number' AS review_number
       FROM records WHERE ${w.sql} AND fields ->> '$.status' = 'NEW'`,
    )
    .bind(...w.binds)
    .all<OpenReviewRow>();
  return results;
}

/** Each person's company on the latest day they have totals of some types under a filter. */
export async function listLatestCompanies(db: D1Database, types: readonly string[], filter: TotalsFilter): Promise<Map<string, string>> {
  const w = where(types, filter);
  // SQLite takes the bare company_name from the row that holds max(day).
  const { results } = await db
    .prepare(`SELECT user_id, company_name, max(day) AS day FROM daily_totals WHERE ${w.sql} GROUP BY user_id`)
    .bind(...w.binds)
    .all<{ user_id: string; company_name: string }>();
  return new Map(results.map((r) => [r.user_id, r.company_name]));
}

/** Who gave a ±2 on a branch since `sinceSeconds`, per module (of some modules, or all when null). */
export async function listCoreReviewers(
  db: D1Database,
  modules: readonly string[] | null,
  branch: string,
  sinceSeconds: number,
): Promise<{ profile_seq: number; module: string }[]> {
  const inModules = modules ? " AND module IN (SELECT value FROM json_each(?3))" : "";
  const { results } = await db
    .prepare(`SELECT profile_seq, module FROM core_marks WHERE branch = ?1 AND last_date >= ?2${inModules} ORDER BY module`)
    .bind(branch, sinceSeconds, ...(modules ? [JSON.stringify(modules)] : []))
    .all<{ profile_seq: number; module: string }>();
  return results;
}

export type LargeCommitRow = {
  primary_key: string;
  commit_id: string | null;
  subject: string | null;
  loc: number;
  user_id: string;
  author_name: string;
  company_name: string;
  module: string;
  date: number;
  release: string;
  correction_comment: string | null;
};

/** Counted commits under a filter with more than `threshold` lines, largest first (then by key), at most `limit`. */
export async function listLargeCommits(db: D1Database, filter: TotalsFilter, threshold: number, limit: number): Promise<LargeCommitRow[]> {
  const w = where(["commit"], filter);
  w.binds.push(threshold, limit);
  // Commits of an `ignored` tag range do not count anywhere, so they need no correction either.
  const { results } = await db
    .prepare(
      `SELECT primary_key, fields ->> '$.commit_id' AS commit_id, fields ->> '$.subject' AS subject, loc, user_id, author_name,
              company_name, module, date, release, fields ->> '$.correction_comment' AS correction_comment
       FROM records WHERE ${w.sql} AND release <> 'ignored' AND loc > ?${w.binds.length - 1}
       ORDER BY loc DESC, primary_key LIMIT ?${w.binds.length}`,
    )
    .bind(...w.binds)
    .all<LargeCommitRow>();
  return results;
}

export type SinglePlusTwoRow = {
  primary_key: string;
  url: string | null;
  subject: string | null;
  author_name: string;
  user_id: string;
  company_name: string;
  module: string;
  date: number;
  last_updated: number | null;
  plus_two_by: string;
};

/**
 * Merged reviews on master under a filter that one person alone gave +2 (Code-Review, so not a
 * self vote), newest merge first. Each review's votes are found through its `review:` refs.
 */
export async function listSinglePlusTwoReviews(db: D1Database, filter: TotalsFilter): Promise<SinglePlusTwoRow[]> {
  const w = where(["review"], filter);
  const { results } = await db
    .prepare(
      `WITH r AS (
         SELECT primary_key, user_id, author_name, company_name, module, date, fields FROM records
         WHERE ${w.sql} AND fields ->> '$.status' = 'MERGED' AND fields ->> '$.branch' = 'master')
       SELECT r.primary_key, r.fields ->> '$.url' AS url, r.fields ->> '$.subject' AS subject, r.author_name, r.user_id, r.company_name,
              r.module, r.date, r.fields ->> '$.last_updated' AS last_updated, min(m.user_id) AS plus_two_by
       FROM r JOIN record_refs AS f ON f.ref = 'review:' || r.primary_key JOIN records AS m ON m.primary_key = f.primary_key
       WHERE m.record_type = 'mark' AND m.fields ->> '$.type' = 'Code-Review' AND m.fields ->> '$.value' = 2
       GROUP BY r.primary_key HAVING count(DISTINCT m.user_id) = 1
       ORDER BY coalesce(r.fields ->> '$.last_updated', r.date) DESC, r.primary_key`,
    )
    .bind(...w.binds)
    .all<SinglePlusTwoRow>();
  return results;
}

export type WeekHourCount = { weekday: number; hour: number; records: number };

/**
 * Records of some types under a filter of people or companies, counted per ISO weekday (0 =
 * Monday: day 0 of the epoch was a Thursday) and UTC hour, by the database. The person's or the
 * company's (type, date, company) index holds every column the common WHERE reads without dates,
 * releases or modules, so the records themselves are not read.
 */
export async function countRecordsByWeekHour(
  db: D1Database,
  types: readonly string[],
  filter: TotalsFilter & ({ users: string[] } | { companies: string[] }),
): Promise<WeekHourCount[]> {
  const w = where(types, filter);
  const index = filter.users ? "records_user_type_date_idx" : "records_company_type_date_idx";
  const { results } = await db
    .prepare(
      `SELECT (date / 86400 + 3) % 7 AS weekday, date % 86400 / 3600 AS hour, count(*) AS records
       FROM records INDEXED BY ${index} WHERE ${w.sql} GROUP BY weekday, hour`,
    )
    .bind(...w.binds)
    .all<WeekHourCount>();
  return results;
}

/** The stored fields of the records that mention a blueprint (`bp:` refs), newest first, at most `limit`. */
export async function listBlueprintMentions(db: D1Database, blueprintId: string, limit: number): Promise<{ primary_key: string; fields: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT r.primary_key, r.fields FROM record_refs AS f JOIN records AS r ON r.primary_key = f.primary_key
       WHERE f.ref = 'bp:' || ?1 ORDER BY r.date DESC, r.primary_key DESC LIMIT ?2`,
    )
    .bind(blueprintId, limit)
    .all<{ primary_key: string; fields: string }>();
  return results;
}
