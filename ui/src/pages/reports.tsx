import { useState } from "preact/hooks";
import { ADMIN_PAGES, DASHBOARD_PAGES } from "../../../schemas/pages";
import { DateRangePicker } from "../components/date-range-picker";
import { FilteredNotice } from "../components/filtered-notice";
import { secretHeaders, storedSecret } from "../lib/admin-secret";
import { type BundleView, type CoverageReport, type DateRange, apiUrl } from "../lib/api";
import { CSV_REPORTS } from "../lib/csv-reports";
import { saveDownload } from "../lib/download";
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

/** Saves a row-level export with the admin secret, if this tab keeps one; says why one was refused. */
function useDownloads(secret: string | null) {
  const [refused, setRefused] = useState<string | null>(null);
  const save = (event: Event, url: string, fileName: string) => {
    event.preventDefault();
    saveDownload(url, secretHeaders(secret), fileName).then(
      () => setRefused(null),
      (error: Error) => setRefused(error.message),
    );
  };
  return { save, refused };
}

type Downloads = ReturnType<typeof useDownloads>;

function Refused({ downloads }: { downloads: Downloads }) {
  return downloads.refused === null ? null : (
    <p class="error" role="alert" data-testid="download-refused">
      {downloads.refused}
    </p>
  );
}

/** Who may download the row-level exports, and whether this tab sends the admin secret. */
function AccessNote({ secret }: { secret: string | null }) {
  const admin = <a href="/admin">{ADMIN_PAGES["/admin"]}</a>;
  return (
    <p class="caption" data-testid="access-note">
      A row per installation, cluster, node, plugin or resource: for the admin, unless this deployment made them public
      (<code>PUBLIC_ROW_EXPORTS</code>).{" "}
      {secret === null ? <>To download them, enter the admin secret on the {admin} page first; this tab keeps it.</> : <>This tab sends the admin secret entered on the {admin} page.</>}
    </p>
  );
}

function BundleProgress({ bundle, save }: { bundle: BundleView; save: Downloads["save"] }) {
  const { done, total, current } = bundle.progress;
  const download = bundle.download;
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
      {bundle.status === "done" && download && (
        <p>
          <a class="button" href={download} download={bundle.file_name} onClick={(e) => save(e, download, bundle.file_name)} data-testid="bundle-download">
            Download {bundle.file_name}
          </a>
          {bundle.size !== null && <> ({formatBytes(bundle.size)}, kept until {bundle.expires_at.slice(0, 16).replace("T", " ")} UTC)</>}
        </p>
      )}
      {bundle.error && <p class="error">{bundle.error}</p>}
    </div>
  );
}

function BundleSection({ range, state, onRequest, downloads }: { range: DateRange | null; state: BundleState; onRequest: (r: DateRange) => void; downloads: Downloads }) {
  const busy = state.state === "requesting" || (state.state === "tracking" && !isFinished(state.bundle));
  return (
    <section class="card">
      <h2>All reports</h2>
      <p class="caption">Every CSV report of the range in one .tar.gz, made in the background; it stays downloadable for a few days. Like the CSV reports, for the admin unless they are public.</p>
      <button type="button" disabled={!range || busy} onClick={() => range && onRequest(range)} data-testid="bundle-request">
        Make the bundle
      </button>
      {state.state === "requesting" && <p role="status">Asking…</p>}
      {state.state === "tracking" && <BundleProgress bundle={state.bundle} save={downloads.save} />}
      <Refused downloads={downloads} />
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
  const [secret] = useState(storedSecret);
  const bundle = useBundle(secretHeaders(secret));
  const csvDownloads = useDownloads(secret);
  const bundleDownloads = useDownloads(secret);
  return (
    <>
      <div class="page-head">
        <h1>Reports</h1>
        <DateRangePicker range={range} today={today} maxDays={MAX_RANGE_DAYS} onChange={setRange} />
      </div>
      <FilteredNotice showAsOf what="the CSV reports leave them out too" />
      <section class="card">
        <h2>CSV reports</h2>
        <AccessNote secret={secret} />
        <RetentionNote range={valid} />
        <ul class="downloads">
          {CSV_REPORTS.map((r) => (
            <li key={r.id}>
              {valid ? (
                <a class="button" href={apiUrl.csv(r.id, valid)} download onClick={(e) => csvDownloads.save(e, apiUrl.csv(r.id, valid), `${r.id}.csv`)} data-testid={`csv-${r.id}`}>
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
        <Refused downloads={csvDownloads} />
      </section>
      <BundleSection range={valid} state={bundle.state} onRequest={bundle.request} downloads={bundleDownloads} />
    </>
  );
}
