import { useMemo } from "preact/hooks";
import { BarChart } from "../components/charts";
import { LineChart } from "../components/line-chart";
import { ChartCard } from "../components/chart-card";
import { DateRangePicker } from "../components/date-range-picker";
import { AsOf, Fetching } from "../components/status";
import { DASHBOARD_PAGES } from "../../../schemas/pages";
import { type AdoptionReport, apiUrl } from "../lib/api";
import { adoptionSeries, multiSeriesTable, transitionBars } from "../lib/chart-data";
import { MAX_RANGE_DAYS, lastDays } from "../lib/date-range";
import { emptyMessage } from "../lib/freshness";
import { countText, withheldLegend } from "../lib/withheld";
import { useFetch } from "../lib/use-fetch";
import { useTitle } from "../lib/use-title";
import { useRange } from "../lib/use-range";

function AdoptionCharts({ report, jsonUrl, asOf }: { report: AdoptionReport; jsonUrl: string; asOf: Date | null }) {
  const series = useMemo(() => adoptionSeries(report), [report]);
  const transitions = useMemo(() => transitionBars(report), [report]);
  const last = report.days[report.days.length - 1];
  const noReleases = emptyMessage(asOf, "No installation had a release in this range: choose an earlier start date.");
  const noUpgrades = emptyMessage(asOf, "No installation moved to another release in this range: choose a longer range.");
  const card = { jsonUrl, asOf };
  const note = report.suppressed;
  const legend = withheldLegend(note);
  const lastIndex = report.days.length - 1;
  return (
    <div class="grid wide">
      {legend && (
        <p class="hint" data-testid="withheld-legend">
          {legend}
        </p>
      )}
      <ChartCard id="adoption" title="Installations per release" {...card} empty={noReleases}
        table={report.releases.length === 0 ? { columns: ["date"], rows: [] } : multiSeriesTable(series, "date")}
        caption={last && <>On {last.date}: {report.releases.map((r) => `${r}: ${countText(last.installations[r] ?? 0, note, "days", lastIndex, "installations", r)}`).join(", ") || "none"}</>}>
        <LineChart data={series} label="Installations per release over time" />
      </ChartCard>
      <ChartCard id="transitions" title="Upgrades" {...card} empty={noUpgrades}
        table={{ columns: ["from_release", "to_release", "installations"], rows: report.transitions.map((t, i) => [t.from_release, t.to_release, countText(t.installations, note, "transitions", i, "installations")]) }}
        caption="Installations that moved from one release to another in the range.">
        <BarChart bars={transitions} horizontal label="Upgrades" />
      </ChartCard>
      <ChartCard id="transitions-by-day" title="Upgrades by day" {...card} empty={noUpgrades}
        table={{ columns: ["date", "from_release", "to_release", "installations"], rows: report.transitions_by_day.map((t, i) => [t.date, t.from_release, t.to_release, countText(t.installations, note, "transitions_by_day", i, "installations")]) }}>
        <p class="caption">Use the table view for the day-by-day list.</p>
      </ChartCard>
    </div>
  );
}

export default function Adoption() {
  useTitle(DASHBOARD_PAGES["/adoption"]);
  const { range, setRange, today, valid } = useRange((t) => lastDays(t, 90), MAX_RANGE_DAYS);
  const url = valid ? apiUrl.adoption(valid) : null;
  const report = useFetch<AdoptionReport>(url);
  return (
    <>
      <div class="page-head">
        <h1>Release adoption</h1>
        <DateRangePicker range={range} today={today} maxDays={MAX_RANGE_DAYS} onChange={setRange} />
      </div>
      {url && (
        <Fetching result={report}>
          {(data, asOf) => (
            <>
              <AsOf asOf={asOf} />
              <AdoptionCharts report={data} jsonUrl={url} asOf={asOf} />
            </>
          )}
        </Fetching>
      )}
    </>
  );
}
