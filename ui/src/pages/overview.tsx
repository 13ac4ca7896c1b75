import { useLocation } from "preact-iso/router";
import { useMemo } from "preact/hooks";
import { BarChart, DonutChart } from "../components/charts";
import { ChartCard } from "../components/chart-card";
import { FilteredNotice } from "../components/filtered-notice";
import { AsOf, Fetching } from "../components/status";
import { DASHBOARD_PAGES } from "../../../schemas/pages";
import { type InstallationsReport, type ReleasesReport, apiUrl } from "../lib/api";
import { barsTable, overviewCharts, slicesTable } from "../lib/chart-data";
import { emptyMessage } from "../lib/freshness";
import { countText, withheldLegend } from "../lib/withheld";
import { useFetch } from "../lib/use-fetch";
import { useTitle } from "../lib/use-title";

function ReleaseMenu({ release, onChange }: { release: string; onChange: (release: string) => void }) {
  const releases = useFetch<ReleasesReport>(apiUrl.releases());
  const known = releases.state === "ok" ? releases.data.releases : [];
  const note = releases.state === "ok" ? releases.data.suppressed : undefined;
  const listed: { release: string; installations: number | null; text?: string }[] = known.map((r, i) => ({
    ...r,
    text: countText(r.installations, note, "releases", i, "installations"),
  }));
  if (release && !known.some((r) => r.release === release)) listed.unshift({ release, installations: null });
  return (
    <label class="release-menu">
      Release{" "}
      <select name="release" value={release} onChange={(e) => onChange(e.currentTarget.value)} data-testid="release-menu">
        <option value="">All</option>
        {listed.map((r) => (
          <option key={r.release} value={r.release}>
            {r.release}
            {r.text === undefined ? "" : ` (${r.text})`}
          </option>
        ))}
      </select>
      {releases.state === "error" && <span class="hint"> (the release list is unavailable)</span>}
    </label>
  );
}

function OverviewCharts({ report, jsonUrl, asOf, release }: { report: InstallationsReport; jsonUrl: string; asOf: Date | null; release: string }) {
  const c = useMemo(() => overviewCharts(report), [report]);
  const note = report.suppressed;
  const legend = withheldLegend(note);
  const none = emptyMessage(
    asOf,
    release
      ? `No installation of ${release} is counted. Choose another release, or "All".`
      : "No installation is counted yet: point a Fuel master (COLLECTOR_SERVER) or the agent at this service, then wait for the next roll-up.",
  );
  const noOperable =
    c.installations === 0 ? none : emptyMessage(asOf, "No operational or error environment in this view: only those report their hypervisor, OS and size.");
  const card = { jsonUrl, asOf };
  const operable = (
    <>
      Number of environments: <strong>{countText(c.operable, note, "environments", "operable_envs_count")}</strong>
    </>
  );
  return (
    <>
      <dl class="stats">
        <div>
          <dt>Installations</dt>
          <dd data-testid="installations-count">{countText(c.installations, note, "installations", "count")}</dd>
        </div>
        <div>
          <dt>Environments</dt>
          <dd data-testid="environments-count">{countText(c.environments, note, "environments", "count")}</dd>
        </div>
        <div>
          <dt>Operable environments</dt>
          <dd data-testid="operable-count">{countText(c.operable, note, "environments", "operable_envs_count")}</dd>
        </div>
      </dl>
      {legend && (
        <p class="hint" data-testid="withheld-legend">
          {legend}
        </p>
      )}
      <div class="grid">
        <ChartCard id="environments-num" title="Installations by number of environments" {...card} empty={none}
          caption="Across: environments per installation; up: installations."
          table={barsTable(c.environmentsNum, "environments", "installations")}>
          <BarChart bars={c.environmentsNum} label="Installations by number of environments" />
        </ChartCard>
        <ChartCard id="statuses" title="Environment statuses" {...card} empty={c.installations === 0 ? none : emptyMessage(asOf, "No environment in this view: its installations have none yet.")} table={barsTable(c.statuses, "status", "environments")}>
          <BarChart bars={c.statuses} horizontal label="Environments by status" />
        </ChartCard>
        <ChartCard id="sizes" title="Environment size (nodes)" {...card} empty={noOperable} table={barsTable(c.sizes.bars, "nodes", "environments")}
          caption={
            <>
              {operable}
              {c.sizes.withoutNodes === null ? <>; some of them without nodes (withheld)</> : c.sizes.withoutNodes > 0 && <>; {c.sizes.withoutNodes} of them without nodes</>}
            </>
          }>
          <BarChart bars={c.sizes.bars} label="Operable environments by number of nodes" />
        </ChartCard>
        <ChartCard id="hypervisors" title="Distribution of deployed hypervisor" {...card} empty={noOperable} table={slicesTable(c.hypervisors, "hypervisor", c.hypervisorsWithheld)} caption={operable}>
          <DonutChart slices={c.hypervisors} label="Hypervisors" />
        </ChartCard>
        <ChartCard id="oses" title="Distribution of deployed operating system" {...card} empty={noOperable} table={slicesTable(c.oses, "operating system", c.osesWithheld)} caption={operable}>
          <DonutChart slices={c.oses} label="Operating systems" />
        </ChartCard>
      </div>
    </>
  );
}

export function Overview() {
  useTitle(DASHBOARD_PAGES["/"]);
  const { query, route } = useLocation();
  const release = query.release ?? "";
  const url = apiUrl.installations(release || undefined);
  const report = useFetch<InstallationsReport>(url);
  return (
    <>
      <div class="page-head">
        <h1>Usage overview</h1>
        <ReleaseMenu release={release} onChange={(r) => route(r ? `/?release=${encodeURIComponent(r)}` : "/")} />
      </div>
      <Fetching result={report}>
        {(data, asOf) => (
          <>
            <AsOf asOf={asOf} />
            <FilteredNotice release={release || undefined} />
            <OverviewCharts report={data} jsonUrl={url} asOf={asOf} release={release} />
          </>
        )}
      </Fetching>
    </>
  );
}
