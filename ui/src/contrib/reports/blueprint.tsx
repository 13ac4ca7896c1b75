// `/contrib/reports/blueprint/<module>/<name>`: a blueprint (§4.2), who drafted and completed it,
// and every record that mentions it.
import { useRoute } from "preact-iso/router";
import { Fetching } from "../../components/status";
import { useApi } from "../lib/use-api";
import { ActivityList } from "./activity-log";
import { type BlueprintReport, reportApi } from "./api";
import { CompanyLink, OutLink, PersonLink, ReportHead } from "./components";
import { formatDay } from "./format";

type Person = BlueprintReport["blueprint"]["drafted_by"];

function Who({ person }: { person: Person }) {
  if (!person) return <>unknown</>;
  return (
    <>
      <PersonLink userId={person.user_id} name={person.author_name} /> (<CompanyLink name={person.company_name} />)
    </>
  );
}

export function Blueprint({ report, jsonUrl }: { report: BlueprintReport; jsonUrl: string }) {
  const bp = report.blueprint;
  return (
    <>
      <section class="card" aria-labelledby="blueprint-title" data-testid="blueprint">
        <header class="card-head">
          <h2 id="blueprint-title">{bp.title ?? bp.name}</h2>
          <div class="card-actions">
            {bp.web_link && (
              <a href={bp.web_link} rel="noopener noreferrer">
                On Launchpad
              </a>
            )}
            <a href={jsonUrl} download={`blueprint-${bp.name}.json`} type="application/json">
              JSON
            </a>
          </div>
        </header>
        {bp.summary && <p>{bp.summary}</p>}
        <dl class="fields">
          <dt>Module</dt>
          <dd>{bp.module}</dd>
          <dt>Status</dt>
          <dd>{bp.status ?? "unknown"}</dd>
          <dt>Lifecycle</dt>
          <dd>{bp.lifecycle_status ?? "unknown"}</dd>
          <dt>Drafted</dt>
          <dd>
            {bp.date_created ? formatDay(bp.date_created) : "date unknown"} by <Who person={bp.drafted_by} />
          </dd>
          <dt>Completed</dt>
          <dd>
            {bp.date_completed ? (
              <>
                {formatDay(bp.date_completed)} by <Who person={bp.completed_by} />
              </>
            ) : (
              "not yet"
            )}
          </dd>
          <dt>Mentions</dt>
          <dd>
            {bp.mention_count}
            {bp.mention_date ? `, the latest on ${formatDay(bp.mention_date)}` : ""}
          </dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="mentions-title" data-testid="mentions">
        <h2 id="mentions-title">Mentioned in</h2>
        {report.mentions.length === 0 ? (
          <p class="empty">No commit or email mentions this blueprint yet.</p>
        ) : (
          <ActivityList records={report.mentions} label="Records that mention the blueprint" />
        )}
      </section>
    </>
  );
}

export default function BlueprintPage() {
  const { params } = useRoute();
  const module = params.module ?? "";
  const name = params.name ?? "";
  const jsonUrl = reportApi.blueprint(module, name);
  const report = useApi<BlueprintReport>(jsonUrl);
  return (
    <>
      <ReportHead title={`Blueprint ${name}`} />
      <Fetching result={report}>{(data) => <Blueprint report={data} jsonUrl={jsonUrl} />}</Fetching>
    </>
  );
}
