// The contribution summary (/api/1.0/contribution) and the weekly timeline (stats/timeline).
import { useMemo } from "preact/hooks";
import { ChartCard } from "../../components/chart-card";
import { LineChart } from "../../components/line-chart";
import { Fetching } from "../../components/status";
import type { Table } from "../../lib/csv";
import type { Contribution, ContributionAnswer, TimelineAnswer } from "../lib/contrib-api";
import { useApi } from "../lib/use-api";

/** The summary's numbers, in the order the page lists them. */
export function contributionItems(c: Contribution): { id: string; label: string; value: number }[] {
  const m = c.marks;
  return [
    { id: "commits", label: "Commits", value: c.commit_count },
    { id: "loc", label: "Lines of code", value: c.loc },
    { id: "reviews", label: "Reviews (−2, −1, +1, +2, x)", value: m["-2"] + m["-1"] + m["1"] + m["2"] + m.x },
    { id: "marks-2", label: "−2 votes", value: m["-2"] },
    { id: "marks-1", label: "−1 votes", value: m["-1"] },
    { id: "marks1", label: "+1 votes", value: m["1"] },
    { id: "marks2", label: "+2 votes", value: m["2"] },
    { id: "marksA", label: "Approvals (A)", value: m.A },
    { id: "marksWIP", label: "Work in progress (WIP)", value: m.WIP },
    { id: "marksx", label: "Abandons by others (x)", value: m.x },
    { id: "marks0", label: "Other votes", value: m["0"] },
    { id: "markss", label: "Self votes", value: m.s },
    { id: "change-requests", label: "Change requests", value: c.change_request_count },
    { id: "abandoned", label: "Abandoned change requests", value: c.abandoned_change_requests_count },
    { id: "patch-sets", label: "Patch sets", value: c.patch_set_count },
    { id: "emails", label: "Emails", value: c.email_count },
    { id: "drafted-blueprints", label: "Drafted blueprints", value: c.drafted_blueprint_count },
    { id: "completed-blueprints", label: "Completed blueprints", value: c.completed_blueprint_count },
    { id: "filed-bugs", label: "Filed bugs", value: c.filed_bug_count },
    { id: "resolved-bugs", label: "Resolved bugs", value: c.resolved_bug_count },
    { id: "translations", label: "Translated words", value: c.translations },
  ];
}

export const isEmptyContribution = (c: Contribution) => contributionItems(c).every((i) => i.value === 0);

export function ContributionSummary({ url }: { url: string }) {
  const answer = useApi<ContributionAnswer>(url);
  return (
    <Fetching result={answer}>
      {({ contribution }) => {
        const items = contributionItems(contribution);
        const table: Table = { columns: ["measure", "value"], rows: items.map((i) => [i.label, i.value]) };
        return (
          <ChartCard id="contribution" title="Contribution summary" table={table} jsonUrl={url} empty="Nothing in this view.">
            <dl class="stats summary">
              {items
                .filter((i) => i.value > 0 || ["commits", "reviews"].includes(i.id))
                .map((i) => (
                  <div key={i.id}>
                    <dt>{i.label}</dt>
                    <dd data-testid={`summary-${i.id}`}>{i.value}</dd>
                  </div>
                ))}
            </dl>
          </ChartCard>
        );
      }}
    </Fetching>
  );
}

/** Weeks as the API labels them ("2026-03-01 00:00:00" → "2026-03-01"), with the three series. */
export function timelineTable(answer: TimelineAnswer, metricLabel: string): Table {
  const [all, highlighted, loc] = answer.timeline;
  return {
    columns: ["week", metricLabel, `${metricLabel} in the selection`, "lines of code"],
    rows: all.map(([week, value], i) => [week.slice(0, 10), value, highlighted[i]?.[1] ?? 0, loc[i]?.[1] ?? 0]),
  };
}

export function Timeline({ url, metricLabel }: { url: string; metricLabel: string }) {
  const answer = useApi<TimelineAnswer>(url);
  return (
    <Fetching result={answer}>
      {(data) => <TimelineCard data={data} url={url} metricLabel={metricLabel} />}
    </Fetching>
  );
}

function TimelineCard({ data, url, metricLabel }: { data: TimelineAnswer; url: string; metricLabel: string }) {
  const table = useMemo(() => timelineTable(data, metricLabel), [data, metricLabel]);
  const series = useMemo(
    () => ({
      labels: table.rows.map((r) => String(r[0])),
      series: [
        { name: metricLabel, values: table.rows.map((r) => Number(r[1])) },
        { name: "in the selection", values: table.rows.map((r) => Number(r[2])) },
      ],
    }),
    [table, metricLabel],
  );
  const nothing = table.rows.every((r) => r[1] === 0);
  return (
    <ChartCard
      id="timeline"
      title={`${metricLabel} per week`}
      table={nothing ? { ...table, rows: [] } : table}
      jsonUrl={url}
      empty={`No ${metricLabel.toLowerCase()} in these weeks.`}
      caption="Weeks start on Sunday (UTC); the second line is the selected release or period, the table also has lines of code."
    >
      <LineChart data={series} label={`${metricLabel} per week`} />
    </ChartCard>
  );
}
