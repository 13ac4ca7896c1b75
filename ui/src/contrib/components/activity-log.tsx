// The activity log (§4.1): the newest records of the selection, 10 at a time with "More".
import { useState } from "preact/hooks";
import { Fetching } from "../../components/status";
import type { ActivityAnswer, ActivityRecord } from "../lib/contrib-api";
import { type Selection, apiUrl, pageUrl, withChange } from "../lib/selection";
import { loadAnswer, useApi } from "../lib/use-api";

export const ACTIVITY_PAGE = 10;

const text = (value: unknown): string => (value === null || value === undefined ? "" : String(value));
const signed = (value: unknown) => (typeof value === "number" && value > 0 ? `+${value}` : text(value));

/** What the record is about, in words: per record type, as Stackalytics' log shows them. */
export function activityText(r: ActivityRecord): string {
  switch (r.record_type) {
    case "commit":
      return `Commit “${text(r.subject)}”${typeof r.loc === "number" ? `, ${r.loc} lines` : ""}`;
    case "mark":
      return r.type === "Abandon" ? `Abandoned “${text(r.parent_subject)}”` : `${text(r.type)} ${signed(r.value)} on “${text(r.parent_subject)}”`;
    case "review":
      return `Review “${text(r.subject)}” (${text(r.status).toLowerCase()})`;
    case "patch":
      return `Patch set ${text(r.patch)} of “${text(r.parent_subject)}”`;
    case "email":
      return `Email “${text(r.subject)}”`;
    case "bpd":
      return `Drafted blueprint ${text(r.name)}${r.title ? ` “${text(r.title)}”` : ""}`;
    case "bpc":
      return `Completed blueprint ${text(r.name)}${r.title ? ` “${text(r.title)}”` : ""}`;
    case "bugf":
      return `Filed bug #${text(r.number)} “${text(r.title)}”`;
    case "bugr":
      return `Resolved bug #${text(r.number)} “${text(r.title)}” (${text(r.status)})`;
    case "tr":
      return `Translated ${text(r.loc)} words${r.language ? ` (${text(r.language)})` : ""}`;
    default:
      return text(r.record_type);
  }
}

/** A link the record carries to where it lives (a review on Gerrit, a bug), if any. */
function sourceLink(r: ActivityRecord): string | null {
  const url = r.url ?? r.parent_url ?? r.web_link;
  return typeof url === "string" && /^https?:\/\//.test(url) ? url : null;
}

function Item({ record, selection }: { record: ActivityRecord; selection: Selection }) {
  const link = sourceLink(record);
  const who = text(record.author_name ?? record.user_name);
  return (
    <li class="activity-item" data-key={record.primary_key}>
      <span class="avatar" aria-hidden="true">
        {initials(who)}
      </span>
      <div>
        <div class="activity-who">
          <a href={pageUrl(withChange(selection, "user_id", text(record.user_id)))}>{who}</a>{" "}
          (<a href={pageUrl(withChange(selection, "company", text(record.company_name)))}>{text(record.company_name)}</a>){" "}
          <time dateTime={new Date(record.date * 1000).toISOString()}>{record.date_str}</time>
          {" · "}
          <a href={pageUrl(withChange(selection, "module", text(record.module)))}>{text(record.module)}</a>
          {record.branch ? ` (${text(record.branch)})` : ""}
        </div>
        <div class="activity-what">
          {activityText(record)}
          {link && (
            <>
              {" "}
              <a href={link} rel="noopener noreferrer">
                open
              </a>
            </>
          )}
        </div>
      </div>
    </li>
  );
}

/** "Ada Marsh" → "AM": the avatar without asking any other site for a picture. */
export function initials(name: string): string {
  const words = name.replace(/[^\p{L}\p{N}\s]/gu, " ").trim().split(/\s+/).filter(Boolean);
  return (words.length > 1 ? `${words[0]![0]}${words.at(-1)![0]}` : (words[0] ?? "?").slice(0, 2)).toUpperCase();
}

interface More {
  records: ActivityRecord[];
  done: boolean;
  loading: boolean;
  error: Error | null;
}

/** Keyed by its first page's URL by the caller, so that a new selection starts again at 10. */
export function ActivityLog({ params, selection }: { params: Record<string, string>; selection: Selection }) {
  const first = apiUrl("activity", { ...params, start_record: 0, page_size: ACTIVITY_PAGE });
  const head = useApi<ActivityAnswer>(first);
  const [more, setMore] = useState<More>({ records: [], done: false, loading: false, error: null });
  return (
    <section class="card" aria-labelledby="activity-title" data-testid="activity">
      <header class="card-head">
        <h2 id="activity-title">Activity</h2>
        <div class="card-actions">
          <a href={first} download="activity.json" type="application/json">
            JSON
          </a>
        </div>
      </header>
      <Fetching result={head}>
        {(data) => {
          const records = [...data.activity, ...more.records];
          const hasMore = more.records.length > 0 || more.done ? !more.done : data.activity.length === ACTIVITY_PAGE;
          const loadMore = () => {
            setMore({ ...more, loading: true, error: null });
            loadAnswer<ActivityAnswer>(apiUrl("activity", { ...params, start_record: records.length, page_size: ACTIVITY_PAGE })).then(
              (answer) => setMore({ records: [...more.records, ...answer.data.activity], done: answer.data.activity.length < ACTIVITY_PAGE, loading: false, error: null }),
              (error: Error) => setMore({ ...more, loading: false, error }),
            );
          };
          if (records.length === 0) return <p class="empty">No activity in this view.</p>;
          return (
            <>
              <ol class="activity" aria-label={`Activity, newest first: ${records.length} shown`}>
                {records.map((r) => (
                  <Item key={r.primary_key} record={r} selection={selection} />
                ))}
              </ol>
              {more.error && (
                <p class="error" role="alert">
                  Error: Service is unavailable. <span class="detail">{more.error.message}</span>
                </p>
              )}
              {hasMore && (
                <button type="button" onClick={loadMore} disabled={more.loading} data-testid="activity-more">
                  {more.loading ? "Loading…" : "More"}
                </button>
              )}
            </>
          );
        }}
      </Fetching>
    </section>
  );
}
