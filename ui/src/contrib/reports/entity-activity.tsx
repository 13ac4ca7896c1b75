// The user and company activity reports (§4.2): who they are, their punch card, their contribution
// summary and their activity log, over every release unless the URL names one.
import type { ComponentChildren } from "preact";
import { Fetching } from "../../components/status";
import type { Fetched } from "../../lib/use-fetch";
import { useApi } from "../lib/use-api";
import { ActivityLog } from "./activity-log";
import { type Contribution, type PunchCard, reportApi } from "./api";
import { ContributionSummary } from "./contribution-summary";
import { ReportHead } from "./components";
import { PunchCardChart } from "./punch-card";

function Sections({ who, filters }: { who: string; filters: Record<string, string> }) {
  // A person's or company's whole history unless the URL narrows it (the API's default is the current release).
  const scoped = { release: "all", ...filters };
  const punchUrl = reportApi.punchCard(scoped);
  const summaryUrl = reportApi.contribution(scoped);
  const punch = useApi<PunchCard>(punchUrl);
  const summary = useApi<{ contribution: Contribution }>(summaryUrl);
  return (
    <>
      <Fetching result={punch}>{(card) => <PunchCardChart card={card} jsonUrl={punchUrl} who={who} />}</Fetching>
      <Fetching result={summary}>{(data) => <ContributionSummary contribution={data.contribution} jsonUrl={summaryUrl} who={who} />}</Fetching>
      <ActivityLog filters={scoped} title={`Activity of ${who}`} empty={`No activity of ${who} under these filters.`} />
    </>
  );
}

interface Props<T> {
  /** The person or company as the API knows them: the report waits for it (an unknown one is its error). */
  subject: Fetched<T>;
  /** Their name, once known, and the page's filters with them set. */
  who: (subject: T) => string;
  filters: Record<string, string>;
  /** Their panel (a person's profile). */
  panel?: (subject: T) => ComponentChildren;
  /** The title until the name is known. */
  fallback: string;
}

/** The page of a person or a company: its panel, punch card, summary and log. */
export function EntityActivity<T>({ subject, who, filters, panel, fallback }: Props<T>) {
  const name = subject.state === "ok" ? who(subject.data) : fallback;
  return (
    <>
      <ReportHead title={`${name}: activity report`} />
      <Fetching result={subject}>
        {(data) => (
          <>
            {panel?.(data)}
            <Sections who={name} filters={filters} />
          </>
        )}
      </Fetching>
    </>
  );
}
