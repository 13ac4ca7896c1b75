import { useMemo } from "preact/hooks";
import { LineChart } from "../components/line-chart";
import { ChartCard } from "../components/chart-card";
import { DateRangePicker } from "../components/date-range-picker";
import { AsOf, Fetching } from "../components/status";
import { DASHBOARD_PAGES } from "../../../schemas/pages";
import { type HealthResponse, apiUrl } from "../lib/api";
import { TURNED_AWAY, healthSeries, multiSeriesTable } from "../lib/chart-data";
import { MAX_HEALTH_DAYS, lastDays } from "../lib/date-range";
import { useFetch } from "../lib/use-fetch";
import { useRange } from "../lib/use-range";
import { useTitle } from "../lib/use-title";

const NOTHING_SENT = "Nothing reached the collector in this range: choose another range, or point a Fuel master (COLLECTOR_SERVER) or the agent at this service.";

function Totals({ report, totals, outcomes, label }: { report: HealthResponse; totals: Record<string, number>; outcomes: string[]; label: string }) {
  return (
    <dl class="stats" aria-label={label}>
      {outcomes.map((o) => (
        <div key={o}>
          <dt>
            {o.replaceAll("_", " ")} <span class="unit">({report.units[o as keyof typeof report.units]})</span>
          </dt>
          <dd data-testid={`total-${o}`}>{totals[o] ?? 0}</dd>
        </div>
      ))}
    </dl>
  );
}

function HealthCharts({ report, jsonUrl, asOf }: { report: HealthResponse; jsonUrl: string; asOf: Date | null }) {
  const h = useMemo(() => healthSeries(report), [report]);
  const outcomes = Object.keys(report.units);
  const turnedAway = (o: string) => (TURNED_AWAY as readonly string[]).includes(o);
  const card = { jsonUrl, asOf };
  return (
    <>
      <h2 class="stats-head">Records</h2>
      <Totals report={report} totals={h.totals} outcomes={outcomes.filter((o) => report.units[o as keyof typeof report.units] === "records")} label="Records" />
      <h2 class="stats-head">Requests accepted that bound an installation to its token</h2>
      <Totals report={report} totals={h.totals} outcomes={outcomes.filter((o) => o === "bound")} label="Requests that bound a token" />
      <h2 class="stats-head">Requests turned away</h2>
      <Totals report={report} totals={h.totals} outcomes={outcomes.filter(turnedAway)} label="Requests turned away" />
      <div class="grid wide">
        <ChartCard id="health-records" title="Records per day" {...card} empty={NOTHING_SENT} table={multiSeriesTable(h.records, "date")}
          caption="What happened to the records sent: accepted, replaced, already stored, skipped, failed.">
          <LineChart data={h.records} label="Records per day by outcome" />
        </ChartCard>
        <ChartCard id="health-requests" title="Requests turned away per day" {...card} table={multiSeriesTable(h.requests, "date")}
          empty="No request was turned away in this range."
          caption="Rejected by reason (schema, identity, size) and rate-limited. Requests that bound a token are successes, counted apart.">
          <LineChart data={h.requests} label="Rejected requests per day by reason" />
        </ChartCard>
        <ChartCard id="health-bound" title="Installations bound to a token per day" {...card} table={multiSeriesTable(h.bound, "date")}
          empty="No installation was bound to a token in this range."
          caption="First writes that bound an installation to its X-Installation-Token (accepted requests).">
          <LineChart data={h.bound} label="Requests that bound a token per day" />
        </ChartCard>
      </div>
    </>
  );
}

export default function Health() {
  useTitle(DASHBOARD_PAGES["/health"]);
  const { range, setRange, today, valid } = useRange((t) => lastDays(t, 30), MAX_HEALTH_DAYS);
  const url = valid ? apiUrl.health(valid) : null;
  const report = useFetch<HealthResponse>(url);
  return (
    <>
      <div class="page-head">
        <h1>Collector health</h1>
        <DateRangePicker range={range} today={today} maxDays={MAX_HEALTH_DAYS} onChange={setRange} />
      </div>
      {url && (
        <Fetching result={report}>
          {(data, asOf) => (
            <>
              <AsOf asOf={asOf} />
              <HealthCharts report={data} jsonUrl={url} asOf={asOf} />
            </>
          )}
        </Fetching>
      )}
    </>
  );
}
