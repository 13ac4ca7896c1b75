// /admin: the service's status (GET /api/v1/admin/status) for operators. The admin secret is asked
// for here and kept in this tab only (lib/admin-secret.ts); the Reports page sends it too.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ADMIN_PAGES } from "../../../schemas/pages";
import { DataTable } from "../components/data-table";
import { Loading, ServiceUnavailable } from "../components/status";
import { storedSecret, storeSecret, secretHeaders } from "../lib/admin-secret";
import { ApiError, type ServiceStatus, apiUrl, getJson } from "../lib/api";
import { useTitle } from "../lib/use-title";

/** `2026-03-03T14:05:09.000Z` as `2026-03-03 14:05 UTC`; null as a dash. */
export const timeText = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "—");

export function bytesText(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const number = (n: number) => n.toLocaleString("en-US");

type Table = ServiceStatus["databases"][number]["tables"][number];
/** An exact count as is; past the cap, `≈` the rowid span or `>` the cap. */
export const rowsText = (table: Table, cap: number) =>
  table.count === "exact" ? number(table.rows) : table.count === "rowid_span" ? `≈ ${number(table.rows)}` : `> ${number(cap)}`;

/** The error of a run (`{error}` in its detail), or its numbers. */
function detailText(detail: unknown): string {
  if (detail === null || typeof detail !== "object") return detail === null || detail === undefined ? "" : String(detail);
  const record = detail as Record<string, unknown>;
  if (typeof record.error === "string") return record.error;
  return Object.entries(record)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

function Section({ title, id, children }: { title: string; id: string; children: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Jobs({ jobs }: { jobs: ServiceStatus["jobs"] }) {
  const table = {
    columns: ["job", "last run", "started", "ms", "what it did", "last success", "last failure", "failures (24 h)"],
    rows: jobs.map((j) => [
      j.job,
      j.last_run?.status ?? "never",
      timeText(j.last_run?.started_at),
      j.last_run?.ms ?? "—",
      j.last_run ? detailText(j.last_run.detail) : "",
      timeText(j.last_ok_at),
      j.last_failure ? `${timeText(j.last_failure.started_at)}: ${detailText(j.last_failure.detail)}` : "—",
      j.failures_24h,
    ]),
  };
  return (
    <Section title="Scheduled jobs" id="status-jobs">
      <p class="caption">The hourly Cron Trigger's jobs, from their recorded runs (the last 30 days).</p>
      <DataTable table={table} caption="Scheduled jobs" />
    </Section>
  );
}

function Backups({ backups }: { backups: ServiceStatus["backups"] }) {
  const { latest, last_complete } = backups;
  const table = {
    columns: ["backup", "id", "status", "started", "finished", "error"],
    rows: [
      latest ? ["newest", latest.id, latest.status, timeText(latest.started_at), timeText(latest.finished_at), latest.error ?? ""] : ["newest", "none", "", "", "", ""],
      last_complete ? ["newest complete", last_complete.id, "complete", "", timeText(last_complete.finished_at), ""] : ["newest complete", "none", "", "", "", ""],
    ],
  };
  return (
    <Section title={`Backups in R2 (${backups.count})`} id="status-backups">
      <DataTable table={table} caption="Backups" />
    </Section>
  );
}

function Backlog({ backlog }: { backlog: ServiceStatus["backlog"] }) {
  const { bundles, processor } = backlog;
  const table = {
    columns: ["work", "queued", "running", "oldest waiting since", "failed", "last failure"],
    rows: [
      [
        "all-reports bundles",
        bundles.queued,
        bundles.running,
        timeText(bundles.oldest_pending_at),
        `${bundles.failed_24h} in 24 h`,
        bundles.last_failure ? `${timeText(bundles.last_failure.at)}: ${bundles.last_failure.error ?? ""}` : "—",
      ],
      ["processor sources", processor.queued, processor.running, timeText(processor.oldest_pending_at), `${processor.failed} sources`, "—"],
    ],
  };
  return (
    <Section title="Backlog" id="status-backlog">
      <p class="caption">Work waiting on the Queues, as the bundles and the processor record it.</p>
      <DataTable table={table} caption="Backlog" />
    </Section>
  );
}

function Databases({ databases }: { databases: ServiceStatus["databases"] }) {
  return (
    <Section title="D1 databases" id="status-databases">
      <p class="caption">Rows are counted up to {number(databases[0]?.count_cap ?? 0)} a table; past that, ≈ is the span of its row ids and &gt; a lower bound.</p>
      <div class="grid">
        {databases.map((d) => (
          <div key={d.name} data-testid={`database-${d.name}`}>
            <h3 class="stats-head">
              {d.name} ({d.binding}): {bytesText(d.size_bytes)}
            </h3>
            <DataTable table={{ columns: ["table", "rows"], rows: d.tables.map((t) => [t.name, rowsText(t, d.count_cap)]) }} caption={`Tables of ${d.name}`} />
          </div>
        ))}
      </div>
    </Section>
  );
}

const REFUSALS = ["rate_limited", "rejected_identity", "rejected_schema", "too_large"] as const;

function Refusals({ refusals }: { refusals: ServiceStatus["refusals"] }) {
  const table = {
    columns: ["day", ...REFUSALS.map((r) => r.replace("_", " "))],
    rows: [...refusals.days.map((d) => [d.date, ...REFUSALS.map((r) => d[r])]), ["total", ...REFUSALS.map((r) => refusals.totals[r])]],
  };
  return (
    <Section title="Collector refusals" id="status-refusals">
      <p class="caption">Requests the collector turned away, per day (the data-quality counters).</p>
      <DataTable table={table} caption="Collector refusals" />
    </Section>
  );
}

function Processor({ processor }: { processor: ServiceStatus["processor"] }) {
  const summary = { columns: ["status", "sources"], rows: Object.entries(processor.summary).map(([status, n]) => [status, n]) };
  const failing = {
    columns: ["source", "kind", "status", "failures", "last run", "next run", "last error"],
    rows: processor.failing.map((s) => [s.id, s.kind, s.status, s.failures, timeText(s.last_run_at), timeText(s.next_run_at), s.last_error ?? ""]),
  };
  return (
    <Section title="Contribution processor" id="status-processor">
      <p class="caption">Newest step: {timeText(processor.last_step_at)}.</p>
      <DataTable table={summary} caption="Sources by status" />
      <h3 class="stats-head">Sources that fail</h3>
      {failing.rows.length > 0 ? <DataTable table={failing} caption="Sources that fail" /> : <p class="empty">None.</p>}
    </Section>
  );
}

export function StatusTables({ status }: { status: ServiceStatus }) {
  return (
    <>
      <p class="as-of" data-testid="as-of">
        As of <time dateTime={status.generated_at}>{timeText(status.generated_at)}</time>
      </p>
      <Jobs jobs={status.jobs} />
      <Backups backups={status.backups} />
      <Backlog backlog={status.backlog} />
      <Refusals refusals={status.refusals} />
      <Processor processor={status.processor} />
      <Databases databases={status.databases} />
    </>
  );
}

function SecretForm({ onSecret, refused }: { onSecret: (secret: string) => void; refused: string | null }) {
  const [value, setValue] = useState("");
  return (
    <form
      class="card"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) onSecret(value.trim());
      }}
    >
      {refused && (
        <p class="error" role="alert" data-testid="refused">
          {refused}
        </p>
      )}
      <label>
        Admin secret (<code>ADMIN_TOKEN</code>){" "}
        <input type="password" name="admin-secret" autocomplete="off" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
      </label>{" "}
      <button type="submit">Show status</button>
      <p class="hint">Kept in this tab only (sessionStorage) and sent as an Authorization header, here and with the Reports page's downloads.</p>
    </form>
  );
}

type Shown = { state: "loading" } | { state: "ok"; status: ServiceStatus } | { state: "error"; error: Error };

export default function AdminStatus() {
  useTitle(ADMIN_PAGES["/admin"]);
  const [secret, setSecret] = useState<string | null>(storedSecret);
  const [refused, setRefused] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown>({ state: "loading" });
  const [asked, setAsked] = useState(0);

  const forget = (message: string | null) => {
    storeSecret(null);
    setSecret(null);
    setRefused(message);
  };

  useEffect(() => {
    if (secret === null) return;
    let current = true;
    setShown({ state: "loading" });
    getJson<ServiceStatus>(apiUrl.adminStatus(), { headers: { accept: "application/json", ...secretHeaders(secret) }, cache: "no-store" }).then(
      (status) => current && setShown({ state: "ok", status }),
      (error: Error) => {
        if (!current) return;
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) forget(`The secret was refused: ${error.message}`);
        else setShown({ state: "error", error });
      },
    );
    return () => {
      current = false;
    };
  }, [secret, asked]);

  return (
    <>
      <div class="page-head">
        <h1>{ADMIN_PAGES["/admin"]}</h1>
        {secret !== null && (
          <div class="card-actions">
            <button type="button" onClick={() => setAsked((n) => n + 1)}>
              Refresh
            </button>
            <button type="button" onClick={() => forget(null)}>
              Forget the secret
            </button>
          </div>
        )}
      </div>
      {secret === null ? (
        <SecretForm
          refused={refused}
          onSecret={(value) => {
            storeSecret(value);
            setRefused(null);
            setSecret(value);
          }}
        />
      ) : shown.state === "loading" ? (
        <Loading />
      ) : shown.state === "error" ? (
        <ServiceUnavailable error={shown.error} />
      ) : (
        <StatusTables status={shown.status} />
      )}
    </>
  );
}
