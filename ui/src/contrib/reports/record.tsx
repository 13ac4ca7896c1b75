// `/contrib/reports/record/<primary_key>`: one record, shareable (§4.2), as the activity log shows
// it and with all its fields.
import { useRoute } from "preact-iso/router";
import { Fetching } from "../../components/status";
import { useApi } from "../lib/use-api";
import { ActivityList } from "./activity-log";
import { type RecordReport, reportApi } from "./api";
import { ReportHead } from "./components";

/** The fields worth reading as they are: text and numbers, not the links and HTML the log draws. */
export function plainFields(record: Record<string, unknown>): [string, string][] {
  return Object.entries(record)
    .filter(([k, v]) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean") && k !== "message" && !k.endsWith("_link"))
    .map(([k, v]) => [k, String(v)] as [string, string])
    .sort(([a], [b]) => a.localeCompare(b));
}

export function RecordView({ report, jsonUrl }: { report: RecordReport; jsonUrl: string }) {
  const fields = plainFields(report.record);
  return (
    <>
      <section class="card" aria-label="The record">
        <ActivityList records={[report.record]} label="The record" />
      </section>
      <section class="card" aria-labelledby="fields-title" data-testid="record-fields">
        <header class="card-head">
          <h2 id="fields-title">Fields</h2>
          <div class="card-actions">
            <a href={jsonUrl} download="record.json" type="application/json">
              JSON
            </a>
          </div>
        </header>
        <dl class="fields">
          {fields.map(([k, v]) => [<dt key={`${k}-t`}>{k}</dt>, <dd key={`${k}-d`}>{v}</dd>])}
        </dl>
      </section>
    </>
  );
}

export default function RecordPage() {
  const { params } = useRoute();
  const key = params.primary_key ?? "";
  const jsonUrl = reportApi.record(key);
  const report = useApi<RecordReport>(jsonUrl);
  return (
    <>
      <ReportHead title={`Record ${key}`} />
      <Fetching result={report}>{(data) => <RecordView report={data} jsonUrl={jsonUrl} />}</Fetching>
    </>
  );
}
