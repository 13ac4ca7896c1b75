// The contribution dashboard's overview (/contrib/, reference §4.1): the selector bar, a generated
// title, and the blocks the selection calls for. Loaded only when visited (a chunk of its own).
import { useLocation } from "preact-iso/router";
import { Loading, ServiceUnavailable } from "../components/status";
import { utcToday } from "../lib/date-range";
import type { Fetched } from "../lib/use-fetch";
import { useTitle } from "../lib/use-title";
import { ActivityLog } from "./components/activity-log";
import { BREAKDOWNS, Blueprints, Breakdown } from "./components/breakdowns";
import { EmptyDeployment } from "./components/empty-deployment";
import { FreshnessBanner, LastUpdated } from "./components/freshness";
import { ModulePanel, UserPanel } from "./components/panels";
import { ReportLinks } from "./components/report-links";
import { type Lists, SelectorBar, optionFor } from "./components/selector-bar";
import { ContributionSummary, Timeline, isEmptyContribution } from "./components/summary";
import "./contrib.css";
import {
  type CompaniesList,
  type ContributionAnswer,
  MODULE_TAGS,
  type MetricsList,
  type ModulesList,
  type ProjectTypesList,
  type ReleasesList,
  type UsersList,
} from "./lib/contrib-api";
import { type Selection, type SelectionKey, apiParams, apiUrl, pageTitle, pageUrl, selectionFromQuery, withChange } from "./lib/selection";
import { useApi } from "./lib/use-api";

/** The title's words for a selection, from the selectors' lists. */
export function titleOf(selection: Selection, lists: Lists): string {
  const ok = <T,>(f: Fetched<T>) => (f.state === "ok" ? f.data : null);
  const release = selection.release ?? lists.releases.default;
  const projectType = selection.project_type ?? lists.projectTypes.default;
  const user = selection.user_id ? ok(lists.users)?.data.find((u) => u.id === selection.user_id) : undefined;
  const company = selection.company ? (optionFor(ok(lists.companies)?.data ?? [], selection.company)?.text ?? selection.company) : (user?.company_name ?? null);
  return pageTitle({
    projectType: lists.projectTypes.data.find((t) => t.id === projectType)?.text ?? null,
    release: release === "all" ? null : (lists.releases.data.find((r) => r.id === release)?.text ?? release),
    module: selection.module ? (ok(lists.modules)?.data.find((m) => m.id === selection.module)?.text ?? selection.module) : null,
    company,
    user: selection.user_id ? (user?.text ?? selection.user_id) : null,
    period: selection.period ?? null,
  });
}

export default function ContribOverview() {
  const { query, route } = useLocation();
  const selection = selectionFromQuery(query);
  const releases = useApi<ReleasesList>(apiUrl("releases"));
  const projectTypes = useApi<ProjectTypesList>(apiUrl("project_types"));
  const metrics = useApi<MetricsList>(apiUrl("metrics"));
  for (const list of [releases, projectTypes, metrics]) {
    if (list.state === "error") return <Page title="Contribution" error={list.error} />;
  }
  if (releases.state !== "ok" || projectTypes.state !== "ok" || metrics.state !== "ok") return <Page title="Contribution" />;
  // Without a configuration there is no release but "All" and no project type.
  if (releases.data.data.length <= 1 && projectTypes.data.data.length === 0) {
    return (
      <Page title="Contribution">
        <EmptyDeployment reason="no-config" />
      </Page>
    );
  }
  return (
    <Selected
      selection={selection}
      releases={releases.data}
      projectTypes={projectTypes.data}
      metrics={metrics.data}
      asOf={releases.asOf}
      onChange={(key, value) => route(pageUrl(withChange(selection, key, value)))}
    />
  );
}

function Page({ title, error, children }: { title: string; error?: Error; children?: preact.ComponentChildren }) {
  useTitle(title);
  return (
    <>
      <div class="page-head">
        <h1>{title}</h1>
      </div>
      {error ? <ServiceUnavailable error={error} /> : (children ?? <Loading />)}
    </>
  );
}

interface SelectedProps {
  selection: Selection;
  releases: ReleasesList;
  projectTypes: ProjectTypesList;
  metrics: MetricsList;
  asOf: Date | null;
  onChange: (key: SelectionKey, value: string) => void;
}

function Selected({ selection, releases, projectTypes, metrics, asOf, onChange }: SelectedProps) {
  const today = utcToday();
  const params = apiParams(selection, today);
  const listUrl = (path: string, omit: SelectionKey, extra: Record<string, string> = {}) => apiUrl(path, { ...apiParams(selection, today, [omit]), ...extra });
  const lists: Lists = {
    releases,
    projectTypes,
    metrics,
    modules: useApi<ModulesList>(listUrl("modules", "module", { tags: MODULE_TAGS })),
    companies: useApi<CompaniesList>(listUrl("companies", "company")),
    users: useApi<UsersList>(listUrl("users", "user_id")),
  };
  const title = titleOf(selection, lists);
  useTitle(title);
  const metric = selection.metric ?? metrics.default;
  const metricLabel = metrics.data.find((m) => m.id === metric)?.text ?? metric;
  const contributionUrl = apiUrl("contribution", params);
  const view = useApi<ContributionAnswer>(contributionUrl);
  const viewEmpty = view.state === "ok" && isEmptyContribution(view.data.contribution);
  // Is the whole deployment empty, or only this selection? Asked only when the selection shows nothing.
  const anywhere = useApi<ContributionAnswer>(viewEmpty ? apiUrl("contribution", { release: "all" }) : null);
  const noRecords = viewEmpty && anywhere.state === "ok" && isEmptyContribution(anywhere.data.contribution);
  const newest = [asOf, view.state === "ok" ? view.asOf : null].reduce<Date | null>((a, b) => (a && b ? (a > b ? a : b) : (a ?? b)), null);
  const stats = (kind: string) => apiUrl(`stats/${kind}`, params);
  return (
    <>
      <div class="page-head">
        <h1 data-testid="contrib-title">{title}</h1>
      </div>
      <SelectorBar selection={selection} lists={lists} onChange={onChange} />
      {!noRecords && <FreshnessBanner asOf={newest} />}
      {view.state === "loading" || (viewEmpty && anywhere.state === "loading") ? (
        <Loading />
      ) : view.state === "error" ? (
        <>
          <ServiceUnavailable error={view.error} />
          <p>
            <a href={pageUrl({})}>Back to the default selection</a>
          </p>
        </>
      ) : noRecords ? (
        <EmptyDeployment reason="no-records" />
      ) : (
        <>
          {selection.user_id && <UserPanel url={apiUrl(`users/${encodeURIComponent(selection.user_id)}`)} selection={selection} />}
          {selection.module && (
            <ModulePanel
              url={apiUrl(`modules/${encodeURIComponent(selection.module)}`, { release: selection.release, project_type: selection.project_type })}
              selection={selection}
            />
          )}
          <ContributionSummary url={contributionUrl} />
          {!selection.company && !selection.user_id && <Breakdown kind={BREAKDOWNS.companies} url={stats("companies")} selection={selection} metric={metric} metricLabel={metricLabel} />}
          {!selection.module && <Breakdown kind={BREAKDOWNS.modules} url={stats("modules")} selection={selection} metric={metric} metricLabel={metricLabel} />}
          {!selection.user_id && <Breakdown kind={BREAKDOWNS.engineers} url={stats("engineers")} selection={selection} metric={metric} metricLabel={metricLabel} />}
          {(metric === "bpd" || metric === "bpc") && <Blueprints url={stats("bp")} />}
          <Timeline url={stats("timeline")} metricLabel={metricLabel} />
          <ActivityLog key={apiUrl("activity", params)} params={params} selection={selection} />
          <ReportLinks selection={selection} />
        </>
      )}
      <LastUpdated asOf={newest} />
    </>
  );
}
