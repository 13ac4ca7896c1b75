// `/contrib/reports/cores?project_type=…`: the core reviewers on master (a ±2 within 90 days) of
// each module as a matrix of people by modules (§4.2), with each person's company and count.
import { useLocation } from "preact-iso/router";
import { Fetching } from "../../components/status";
import { useApi } from "../lib/use-api";
import { type CoresReport, reportApi } from "./api";
import { CompanyLink, Figures, PersonLink, ReportHead, TableCard } from "./components";
import { reportPaths } from "./paths";

type Person = { user_id: string; name: string; company_name: string; modules: Set<string> };

/** People by name, each with the modules they are core in. */
export function coresByPerson(report: CoresReport): Person[] {
  const people = new Map<string, Person>();
  for (const { module, reviewers } of report.cores) {
    for (const r of reviewers) {
      const p = people.get(r.user_id) ?? { ...r, modules: new Set<string>() };
      p.modules.add(module);
      people.set(r.user_id, p);
    }
  }
  return [...people.values()].sort((a, b) => a.name.localeCompare(b.name) || a.user_id.localeCompare(b.user_id));
}

export function CoresMatrix({ report, jsonUrl }: { report: CoresReport; jsonUrl: string }) {
  const modules = report.cores.map((c) => c.module);
  const people = coresByPerson(report);
  return (
    <>
      <Figures
        label="Core reviewers"
        items={[
          ["Core reviewers", report.total],
          ["Modules with core reviewers", modules.length],
        ]}
      />
      <TableCard
        id="cores"
        class="matrix"
        title="Core reviewers by module"
        caption="✻: a core reviewer of the module on master (a +2 or −2 in the last 90 days)."
        jsonUrl={jsonUrl}
        empty="Nobody gave a +2 or −2 on master in these modules in the last 90 days."
        table={{
          columns: ["engineer", "company", ...modules, "modules"],
          rows: people.map((p) => [p.name, p.company_name, ...modules.map((m) => (p.modules.has(m) ? "core" : "")), p.modules.size]),
        }}
        cells={people.map((p) => [
          <PersonLink userId={p.user_id} name={p.name} />,
          <CompanyLink name={p.company_name} />,
          ...modules.map((m) =>
            p.modules.has(m) ? (
              <span>
                <span aria-hidden="true">✻</span>
                <span class="visually-hidden">{`core in ${m}`}</span>
              </span>
            ) : (
              ""
            ),
          ),
          p.modules.size,
        ])}
      />
      {modules.length > 0 && (
        <p class="hint">
          Open reviews:{" "}
          {modules.map((m, i) => (
            <span key={m}>
              {i > 0 && ", "}
              <a href={reportPaths.openReviews(m)}>{m}</a>
            </span>
          ))}
        </p>
      )}
    </>
  );
}

export default function CoresPage() {
  const { query } = useLocation();
  const projectType = query.project_type;
  const jsonUrl = reportApi.cores({ project_type: projectType });
  const report = useApi<CoresReport>(jsonUrl);
  return (
    <>
      <ReportHead title={projectType ? `Core reviewers of ${projectType}` : "Core reviewers"} />
      <Fetching result={report}>{(data) => <CoresMatrix report={data} jsonUrl={jsonUrl} />}</Fetching>
    </>
  );
}
