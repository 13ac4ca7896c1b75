// `/contrib/reports/open-reviews/<module>?limit=5`: a module's open reviews (§4.2) by whom they wait
// on, with the average and longest waits, the ages as a bar chart and the oldest changes.
import { useLocation, useRoute } from "preact-iso/router";
import { BarChart } from "../../components/charts";
import { ChartCard } from "../../components/chart-card";
import { Fetching } from "../../components/status";
import { useApi } from "../lib/use-api";
import { type OpenReviewsReport, type WaitingGroup, filtersOf, reportApi } from "./api";
import { CompanyLink, Figures, OutLink, PersonLink, ReportHead, TableCard } from "./components";
import { formatDay, formatWait } from "./format";
import { queryString } from "./paths";

const GROUPS = [
  { key: "waiting_on_reviewer", id: "reviewer", title: "Waiting on reviewers", what: "the latest patch set's lowest vote is +1 or +2" },
  { key: "waiting_on_submitter", id: "submitter", title: "Waiting on submitters", what: "the latest patch set has a −1 or −2" },
  { key: "waiting_on_ci", id: "ci", title: "Waiting on CI", what: "the latest patch set has no vote yet" },
] as const;

export const LIMITS = [5, 10, 25, 50, -1];

function Group({ group, meta, jsonUrl, now }: { group: WaitingGroup; meta: (typeof GROUPS)[number]; jsonUrl: string; now: number }) {
  const bars = group.ages.map(([days, count]) => ({ label: days === 1 ? "1 day" : `${days} days`, value: count }));
  return (
    <section class="card" aria-labelledby={`${meta.id}-title`} data-testid={`group-${meta.id}`}>
      <h2 id={`${meta.id}-title`}>
        {meta.title}: {group.count}
      </h2>
      <p class="caption">Open changes where {meta.what}.</p>
      <Figures
        label={`${meta.title}: waits`}
        items={[
          ["Average wait since the last vote", formatWait(group.average_wait_since_vote)],
          ["Longest wait since the last vote", formatWait(group.max_wait_since_vote)],
          ["Average age", formatWait(group.average_wait_since_created)],
          ["Oldest", formatWait(group.max_wait_since_created)],
        ]}
      />
      <ChartCard
        id={`ages-${meta.id}`}
        title="Days since the last vote"
        table={{ columns: ["days since the last vote", "changes"], rows: group.ages.map(([d, n]) => [d, n]) }}
        jsonUrl={jsonUrl}
        empty="No open changes in this group."
      >
        <BarChart bars={bars} label={`${meta.title}: changes by days since the last vote`} />
      </ChartCard>
      <TableCard
        id={`oldest-${meta.id}`}
        title="The oldest changes"
        jsonUrl={jsonUrl}
        empty="No open changes in this group."
        table={{
          columns: ["change", "author", "company", "created", "last vote", "waiting"],
          rows: group.oldest.map((r) => [r.subject ?? r.primary_key, r.author_name, r.company_name, formatDay(r.date), formatDay(r.updated_on), formatWait(now - r.updated_on)]),
        }}
        cells={group.oldest.map((r) => [
          <OutLink href={r.url}>{r.subject ?? r.primary_key}</OutLink>,
          <PersonLink userId={r.user_id} name={r.author_name} />,
          <CompanyLink name={r.company_name} />,
          formatDay(r.date),
          formatDay(r.updated_on),
          formatWait(now - r.updated_on),
        ])}
      />
    </section>
  );
}

export function OpenReviews({ report, jsonUrl, now }: { report: OpenReviewsReport; jsonUrl: string; now: number }) {
  if (report.total_open === 0) {
    return <p class="empty">No open changes in {report.module} under these filters: every change is merged or abandoned, or none was loaded yet.</p>;
  }
  return (
    <>
      <Figures
        label="Open changes"
        items={[
          ["Open changes", report.total_open],
          ["Waiting on reviewers", report.waiting_on_reviewer.count],
          ["Waiting on submitters", report.waiting_on_submitter.count],
          ["Waiting on CI", report.waiting_on_ci.count],
        ]}
      />
      {GROUPS.map((meta) => (
        <Group key={meta.id} group={report[meta.key]} meta={meta} jsonUrl={jsonUrl} now={now} />
      ))}
    </>
  );
}

export default function OpenReviewsPage() {
  const { params } = useRoute();
  const { query, path, route } = useLocation();
  const module = params.module ?? "";
  const limit = LIMITS.includes(Number(query.limit)) ? Number(query.limit) : 5;
  const jsonUrl = reportApi.openReviews(module, { ...filtersOf(query, { module: undefined }), limit });
  const report = useApi<OpenReviewsReport>(jsonUrl);
  return (
    <>
      <ReportHead title={`Open reviews of ${module}`}>
        <label>
          Oldest changes listed{" "}
          <select value={String(limit)} onChange={(e) => route(`${path}${queryString({ ...query, limit: (e.target as HTMLSelectElement).value })}`, true)}>
            {LIMITS.map((n) => (
              <option key={n} value={String(n)}>
                {n < 0 ? "all" : n}
              </option>
            ))}
          </select>
        </label>
      </ReportHead>
      <Fetching result={report}>{(data) => <OpenReviews report={data} jsonUrl={jsonUrl} now={Math.floor(Date.now() / 1000)} />}</Fetching>
    </>
  );
}
