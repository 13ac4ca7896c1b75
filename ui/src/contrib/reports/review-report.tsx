// `/contrib/reports/contribution/<module>/<days>`: the review report of the last N days (§4.2):
// each engineer's reviews, votes and ratios, patch sets, commits and emails, and the summary.
import type { ComponentChildren } from "preact";
import { useLocation, useRoute } from "preact-iso/router";
import { Fetching } from "../../components/status";
import { useApi } from "../lib/use-api";
import { type ContributionReport, type ReviewEngineer, filtersOf, reportApi } from "./api";
import { CompanyLink, Figures, PersonLink, ReportHead, TableCard } from "./components";
import { ratioText, ratioValue } from "./format";
import { queryString, reportPaths } from "./paths";

export const PERIODS = [7, 30, 60, 90, 180, 365];
/** Below this share of positive votes a ratio is shown as a warning (Stackalytics' red). */
export const LOW_POSITIVE_RATIO = 60;

/** ✻ core on master, ✬ core on a stable branch (named), as text too. */
export function coreMark(core: string | null): string {
  if (!core) return "";
  return core === "master" ? "✻ core" : `✬ core on ${core}`;
}

function Ratio({ ratio }: { ratio: string }) {
  const value = ratioValue(ratio);
  const low = value !== null && value < LOW_POSITIVE_RATIO;
  return low ? (
    <span class="low-ratio" title="under 60% positive">
      {ratio}
    </span>
  ) : (
    <>{ratioText(ratio)}</>
  );
}

const COLUMNS = ["#", "engineer", "company", "reviews", "−2", "−1", "+1", "+2", "A", "x", "+/− %", "disagreements", "disagreement %", "reviews per patch set", "commits", "emails", "core"];

function plainRow(e: ReviewEngineer, i: number): (string | number)[] {
  return [i + 1, e.name, e.company, e.review, e["-2"], e["-1"], e["1"], e["2"], e.A, e.x, ratioText(e.positive_ratio), e.disagreements, ratioText(e.disagreement_ratio), ratioText(e.reviews_per_patch), e.commit, e.email, e.core ?? ""];
}

export function ReviewReport({ report, jsonUrl, days }: { report: ContributionReport; jsonUrl: string; days: number }) {
  const s = report.summary;
  return (
    <>
      <Figures
        label="Summary"
        items={[
          ["Reviews", s.total_reviews],
          ["Reviews per day", s.reviews_per_day],
          ["Reviewers", s.reviewers],
          ["Reviews by core reviewers", s.core_reviews],
          ["Core reviewers", s.core_team_size],
          ["Change requests", s.change_requests],
          ["Patch sets", s.patch_sets],
          ["Commits", s.commits],
          ["Emails per day", s.emails_per_day],
        ]}
      />
      <TableCard
        id="engineers"
        title={`Engineers in the last ${days} days`}
        jsonUrl={jsonUrl}
        caption="Reviews count −2, −1, +1, +2 and abandons of others' changes (x); A is an approval (Workflow +1). ✻ marks a core reviewer on master, ✬ on a stable branch."
        empty="Nobody reviewed, committed or mailed in this module in the period: choose a longer period."
        table={{ columns: COLUMNS, rows: report.engineers.map(plainRow) }}
        cells={report.engineers.map((e, i) => {
          const row: ComponentChildren[] = plainRow(e, i);
          row[1] = <PersonLink userId={e.user_id} name={e.name} />;
          row[2] = <CompanyLink name={e.company} />;
          row[10] = <Ratio ratio={e.positive_ratio} />;
          row[16] = coreMark(e.core);
          return row;
        })}
      />
    </>
  );
}

export default function ReviewReportPage() {
  const { params } = useRoute();
  const { query, route } = useLocation();
  const module = params.module ?? "";
  // A malformed number goes to the API as it is, which answers a 400 naming `days`.
  const days = Number(params.days);
  const jsonUrl = reportApi.reviewReport(module, params.days ?? "", filtersOf(query, { module: undefined, start_date: undefined, end_date: undefined }));
  const report = useApi<ContributionReport>(jsonUrl);
  return (
    <>
      <ReportHead title={`Review report of ${module}, last ${params.days} days`}>
        <label>
          Period{" "}
          <select value={String(days)} onChange={(e) => route(`${reportPaths.reviewReport(module, Number((e.target as HTMLSelectElement).value))}${queryString(query)}`)}>
            {(PERIODS.includes(days) || !Number.isInteger(days) ? PERIODS : [...PERIODS, days].sort((a, b) => a - b)).map((d) => (
              <option key={d} value={String(d)}>
                {d} days
              </option>
            ))}
          </select>
        </label>
      </ReportHead>
      <Fetching result={report}>{(data) => <ReviewReport report={data} jsonUrl={jsonUrl} days={days} />}</Fetching>
    </>
  );
}
