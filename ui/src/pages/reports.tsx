import { DASHBOARD_PAGES } from "../../../schemas/pages";
import { DateRangePicker } from "../components/date-range-picker";
import { FilteredNotice } from "../components/filtered-notice";
import { type BundleView, type CoverageReport, type DateRange, apiUrl } from "../lib/api";
import { CSV_REPORTS } from "../lib/csv-reports";
import { MAX_RANGE_DAYS, defaultReportsRange } from "../lib/date-range";
import { type BundleState, isFinished, useBundle } from "../lib/use-bundle";
import { useFetch } from "../lib/use-fetch";
import { useRange } from "../lib/use-range";
import { useTitle } from "../lib/use-title";

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function BundleProgress({ bundle }: { bundle: BundleView }) {
  const { done, total, current } = bundle.progress;
  return (
    <div class="bundle" data-testid="bundle" data-status={bundle.status}>
      <p>
        Bundle {bundle.from_date} to {bundle.to_date}: <strong data-testid="bundle-status">{bundle.status}</strong>
        {!isFinished(bundle) && (
          <>
            {" "}
            — {done} of {total} reports{current ? `, writing ${current}` : ""}
          </>
        )}
      </p>
      <progress max={total} value={done} aria-label="Reports written" />
      {bundle.status === "done" && bundle.download && (
        <p>
          <a class="button" href={bundle.download} download={bundle.file_name} data-testid="bundle-download">
            Download {bundle.file_name}
          </a>
          {bundle.size !== null && <> ({formatBytes(bundle.size)}, kept until {bundle.expires_at.slice(0, 16).replace("T", " ")} UTC)</>}
        </p>
      )}
      {bundle.error && <p class="error">{bundle.error}</p>}
    </div>
  );
}

function BundleSection({ range, state, onRequest }: { range: DateRange | null; state: BundleState; onRequest: (r: DateRange) => void }) {
  const busy = state.state === "requesting" || (state.state === "tracking" && !isFinished(state.bundle));
  return (
    <section class="card">
      <h2>All reports</h2>
      <p class="caption">Every CSV report of the range in one .tar.gz, made in the background; it stays downloadable for a few days.</p>
      <button type="button" disabled={!range || busy} onClick={() => range && onRequest(range)} data-testid="bundle-request">
        Make the bundle
      </button>
      {state.state === "requesting" && <p role="status">Asking…</p>}
      {state.state === "tracking" && <BundleProgress bundle={state.bundle} />}
      {state.state === "error" && (
        <p class="error" role="alert">
          {state.message}
        </p>
      )}
    </section>
  );
}

/** How long raw rows are kept (docs/operations.md, "Retention"); nothing while they are kept for ever. */
function RetentionNote({ range }: { range: DateRange | null }) {
  const result = useFetch<CoverageReport>(apiUrl.coverage());
  if (result.state !== "ok" || result.data.retention_days == null || result.data.raw_rows_from == null) return null;
  const { retention_days: days, raw_rows_from: from } = result.data;
  return (
    <p class="caption" data-testid="retention-note">
      Raw rows are kept for {days} days: from {from}.
      {range && range.from < from && <> The OSWL reports and the clusters' verify_networks_status are incomplete before that day.</>}
    </p>
  );
}

export default function Reports() {
  useTitle(DASHBOARD_PAGES["/reports"]);
  const { range, setRange, today, valid } = useRange(defaultReportsRange, MAX_RANGE_DAYS);
  const bundle = useBundle();
  return (
    <>
      <div class="page-head">
        <h1>Reports</h1>
        <DateRangePicker range={range} today={today} maxDays={MAX_RANGE_DAYS} onChange={setRange} />
      </div>
      <FilteredNotice showAsOf what="the CSV reports leave them out too" />
      <section class="card">
        <h2>CSV reports</h2>
        <RetentionNote range={valid} />
        <ul class="downloads">
          {CSV_REPORTS.map((r) => (
            <li key={r.id}>
              {valid ? (
                <a class="button" href={apiUrl.csv(r.id, valid)} download data-testid={`csv-${r.id}`}>
                  {r.name}
                </a>
              ) : (
                <span class="button disabled" aria-disabled="true">
                  {r.name}
                </span>
              )}
            </li>
          ))}
        </ul>
      </section>
      <BundleSection range={valid} state={bundle.state} onRequest={bundle.request} />
    </>
  );
}
