import { useMemo } from "preact/hooks";
import { LineChart } from "../components/charts";
import { ChartCard } from "../components/chart-card";
import { DateRangePicker } from "../components/date-range-picker";
import { Fetching } from "../components/status";
import { type HealthResponse, apiUrl } from "../lib/api";
import { healthSeries, multiSeriesTable } from "../lib/chart-data";
import { MAX_HEALTH_DAYS, lastDays } from "../lib/date-range";
import { useFetch } from "../lib/use-fetch";
import { useRange } from "../lib/use-range";

function HealthCharts({ report, jsonUrl }: { report: HealthResponse; jsonUrl: string }) {
  const h = useMemo(() => healthSeries(report), [report]);
  const outcomes = Object.keys(report.units);
  return (
    <>
      <dl class="stats">
        {outcomes.map((o) => (
          <div key={o}>
            <dt>
              {o.replaceAll("_", " ")} <span class="unit">({report.units[o as keyof typeof report.units]})</span>
            </dt>
            <dd data-testid={`total-${o}`}>{h.totals[o] ?? 0}</dd>
          </div>
        ))}
      </dl>
      <div class="grid wide">
        <ChartCard id="health-records" title="Records per day" jsonUrl={jsonUrl} table={multiSeriesTable(h.records, "date")}
          caption="What happened to the records sent: accepted, replaced, already stored, skipped, failed.">
          <LineChart data={h.records} label="Records per day by outcome" />
        </ChartCard>
        <ChartCard id="health-requests" title="Requests turned away per day" jsonUrl={jsonUrl} table={multiSeriesTable(h.requests, "date")}
          caption="Rejected by reason (schema, identity, size) and rate-limited.">
          <LineChart data={h.requests} label="Rejected requests per day by reason" />
        </ChartCard>
      </div>
    </>
  );
}

export default function Health() {
  const { range, setRange, today, valid } = useRange((t) => lastDays(t, 30), MAX_HEALTH_DAYS);
  const url = valid ? apiUrl.health(valid) : null;
  const report = useFetch<HealthResponse>(url);
  return (
    <>
      <div class="page-head">
        <h1>Collector health</h1>
        <DateRangePicker range={range} today={today} maxDays={MAX_HEALTH_DAYS} onChange={setRange} />
      </div>
      {url && <Fetching result={report}>{(data) => <HealthCharts report={data} jsonUrl={url} />}</Fetching>}
    </>
  );
}
