// The activity log (§4.1): records newest first, each with who, when, where and what, ten at a
// time with "more"; and one record as the log shows it (a permalink, a blueprint's mentions).
import type { ComponentChildren } from "preact";
import { ServiceUnavailable } from "../../components/status";
import type { ActivityRecord } from "./api";
import { CompanyLink, OutLink, PersonLink } from "./components";
import { reportPaths } from "./paths";
import { useActivity } from "./use-activity";

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown) => (typeof v === "number" ? v : null);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** A blueprint record's or mention's `<module>:<name>` as a link to its page. */
function BlueprintLink({ id, title }: { id: string; title?: string | null }) {
  const [module, name] = id.split(":");
  return module && name ? <a href={reportPaths.blueprint(module, name)}>{title || name}</a> : <>{id}</>;
}

/** What a record is, in words: the commit's subject, the vote and the change it is on, the bug… */
export function recordText(r: ActivityRecord): ComponentChildren {
  const f = r as Record<string, unknown>;
  const parent = <OutLink href={str(f.parent_url)}>{str(f.parent_subject) ?? str(f.review_id) ?? "a change"}</OutLink>;
  switch (r.record_type) {
    case "commit": {
      const added = num(f.lines_added);
      const deleted = num(f.lines_deleted);
      const lines = added !== null && deleted !== null ? `+${added} −${deleted}` : `${num(f.loc) ?? 0} lines`;
      return (
        <>
          Commit <strong>{str(f.subject) ?? str(f.commit_id)}</strong> ({lines})
        </>
      );
    }
    case "review":
      return (
        <>
          Change request <OutLink href={str(f.url)}>{str(f.subject) ?? r.primary_key}</OutLink>
          {str(f.status) && <> ({str(f.status)})</>}
        </>
      );
    case "patch":
      return (
        <>
          Patch set {num(f.patch) ?? "?"} of {parent}
        </>
      );
    case "mark":
      return (
        <>
          {str(f.type) ?? "Vote"} <strong>{signed(num(f.value) ?? 0)}</strong> on {parent}
        </>
      );
    case "email":
      return <>Email “{str(f.subject) ?? "(no subject)"}”</>;
    case "bpd":
    case "bpc":
      return (
        <>
          {r.record_type === "bpd" ? "Drafted" : "Completed"} blueprint <BlueprintLink id={str(f.id) ?? ""} title={str(f.title)} />
        </>
      );
    case "bugf":
    case "bugr":
      return (
        <>
          {r.record_type === "bugf" ? "Filed" : "Resolved"} bug <OutLink href={str(f.web_link)}>#{num(f.number) ?? str(f.id)}</OutLink> {str(f.title)}
          {str(f.status) && <> ({str(f.status)})</>}
        </>
      );
    case "tr":
      return (
        <>
          Translated {num(f.loc) ?? 0} words{str(f.language) && <> into {str(f.language)}</>}
        </>
      );
    case "member":
      return <>Became a Foundation member</>;
    default:
      return <>{r.record_type}</>;
  }
}

/** One record: who (and their company), when, in which module, what; and a link to it alone. */
export function ActivityItem({ record: r }: { record: ActivityRecord }) {
  const f = r as Record<string, unknown>;
  const module = str(f.module);
  // The API writes a commit's message as HTML: escaped, with links to bugs, blueprints and reviews
  // added (worker/domain/contrib/activity.ts), so it is shown as such.
  const message = r.record_type === "commit" ? str(f.message) : null;
  return (
    <li data-testid="activity-item" data-key={r.primary_key}>
      <div class="meta">
        <PersonLink userId={String(f.user_id ?? "")} name={str(f.author_name)} />
        <CompanyLink name={String(f.company_name ?? "")} />
        <time dateTime={new Date(r.date * 1000).toISOString()}>{r.date_str}</time>
        {module && (
          <span>
            in <a href={reportPaths.activity({ module, release: "all" })}>{module}</a>
            {str(f.branch) && <> ({str(f.branch)})</>}
          </span>
        )}
        <a href={reportPaths.record(r.primary_key)} aria-label={`Link to this record (${r.primary_key})`}>
          link
        </a>
      </div>
      <p class="what">{recordText(r)}</p>
      {message && <div class="message" dangerouslySetInnerHTML={{ __html: message }} />}
    </li>
  );
}

export function ActivityList({ records, label }: { records: ActivityRecord[]; label: string }) {
  return (
    <ol class="activity" aria-label={label}>
      {records.map((r) => (
        <ActivityItem key={r.primary_key} record={r} />
      ))}
    </ol>
  );
}

/** The activity log under some filters, ten records at a time, with "more" while there are more. */
export function ActivityLog({ filters, title = "Activity", empty = "No activity under these filters." }: { filters: Record<string, string>; title?: string; empty?: string }) {
  const log = useActivity(filters);
  return (
    <section class="card" aria-labelledby="activity-title" data-testid="activity">
      <h2 id="activity-title">{title}</h2>
      {log.records.length > 0 && <ActivityList records={log.records} label={title} />}
      {log.loading && (
        <p role="status" class="hint">
          Loading activity…
        </p>
      )}
      {log.error && <ServiceUnavailable error={log.error} />}
      {!log.loading && !log.error && log.records.length === 0 && <p class="empty">{empty}</p>}
      {!log.loading && !log.error && !log.done && (
        <button type="button" onClick={log.more} aria-label={`More activity (showing ${log.records.length})`}>
          More
        </button>
      )}
    </section>
  );
}
