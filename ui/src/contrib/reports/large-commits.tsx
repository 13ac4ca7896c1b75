// `/contrib/reports/large-commits?loc_threshold=1000`: counted commits above a number of lines
// (§4.2), largest first: candidates for corrections.json.
import type { TargetedEvent } from "preact";
import { useLocation } from "preact-iso/router";
import { useEffect, useState } from "preact/hooks";
import { Fetching } from "../../components/status";
import { useApi } from "../lib/use-api";
import { type LargeCommit, filtersOf, reportApi } from "./api";
import { CompanyLink, PersonLink, ReportHead, TableCard } from "./components";
import { formatDay } from "./format";
import { queryString, reportPaths } from "./paths";

export const DEFAULT_THRESHOLD = 1000;

export function LargeCommits({ commits, jsonUrl, threshold }: { commits: LargeCommit[]; jsonUrl: string; threshold: number }) {
  return (
    <TableCard
      id="large-commits"
      title={`Commits of more than ${threshold} lines`}
      caption="Largest first, at most 500. A correction in corrections.json shows its comment."
      jsonUrl={jsonUrl}
      empty={`No commit has more than ${threshold} lines under these filters: lower the threshold or choose another release.`}
      table={{
        columns: ["commit", "lines", "author", "company", "module", "date", "release", "correction"],
        rows: commits.map((c) => [c.subject ?? c.commit_id ?? c.primary_key, c.loc, c.author_name, c.company_name, c.module, formatDay(c.date), c.release, c.correction_comment ?? ""]),
      }}
      cells={commits.map((c) => [
        <a href={reportPaths.record(c.primary_key)}>{c.subject ?? c.commit_id ?? c.primary_key}</a>,
        c.loc,
        <PersonLink userId={c.user_id} name={c.author_name} />,
        <CompanyLink name={c.company_name} />,
        c.module,
        formatDay(c.date),
        c.release,
        c.correction_comment ?? "",
      ])}
    />
  );
}

export default function LargeCommitsPage() {
  const { query, path, route } = useLocation();
  const threshold = /^\d+$/.test(query.loc_threshold ?? "") ? Number(query.loc_threshold) : DEFAULT_THRESHOLD;
  const [draft, setDraft] = useState(String(threshold));
  useEffect(() => setDraft(String(threshold)), [threshold]);
  const jsonUrl = reportApi.largeCommits({ ...filtersOf(query), loc_threshold: threshold });
  const report = useApi<{ commits: LargeCommit[] }>(jsonUrl);
  const apply = (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    route(`${path}${queryString({ ...query, loc_threshold: draft })}`);
  };
  return (
    <>
      <ReportHead title="Large commits" />
      <form class="report-form" onSubmit={apply} aria-label="Threshold">
        <label>
          More lines than
          <input type="number" min={0} step={1} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} required />
        </label>
        <button type="submit">Show</button>
      </form>
      <Fetching result={report}>{(data) => <LargeCommits commits={data.commits} jsonUrl={jsonUrl} threshold={threshold} />}</Fetching>
    </>
  );
}
