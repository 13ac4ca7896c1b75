// `/contrib/reports/affiliation-changes?start_days=…&end_days=…`: who moved from one company to
// another within a window (§4.2), by move and one by one; the last 365 days unless the URL says.
import type { TargetedEvent } from "preact";
import { useLocation } from "preact-iso/router";
import { useEffect, useState } from "preact/hooks";
import { BarChart } from "../../components/charts";
import { ChartCard } from "../../components/chart-card";
import { Fetching } from "../../components/status";
import { useApi } from "../lib/use-api";
import { type AffiliationChange, reportApi } from "./api";
import { Figures, PersonLink, ReportHead, TableCard } from "./components";
import { formatDay, isoDay } from "./format";
import { queryString } from "./paths";

type Move = { from: string; to: string; people: AffiliationChange[] };

/** The changes grouped by (old company, new company), most people first. */
export function movesOf(changes: readonly AffiliationChange[]): Move[] {
  const moves = new Map<string, Move>();
  for (const c of changes) {
    const key = `${c.old_company_name}\u0000${c.new_company_name}`;
    const move = moves.get(key) ?? { from: c.old_company_name, to: c.new_company_name, people: [] };
    move.people.push(c);
    moves.set(key, move);
  }
  return [...moves.values()].sort((a, b) => b.people.length - a.people.length || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

export function AffiliationChanges({ changes, jsonUrl }: { changes: AffiliationChange[]; jsonUrl: string }) {
  const moves = movesOf(changes);
  const empty = "Nobody changed company in this window: choose a wider one.";
  return (
    <>
      <Figures
        label="Affiliation changes"
        items={[
          ["Changes", changes.length],
          ["People", new Set(changes.map((c) => c.user_id)).size],
        ]}
      />
      <ChartCard
        id="moves"
        title="Moves between companies"
        table={{ columns: ["from", "to", "people", "who"], rows: moves.map((m) => [m.from, m.to, m.people.length, m.people.map((p) => p.user_name).join("; ")]) }}
        jsonUrl={jsonUrl}
        empty={empty}
      >
        <BarChart horizontal bars={moves.slice(0, 20).map((m) => ({ label: `${m.from} → ${m.to}`, value: m.people.length }))} label="People per move between companies" />
      </ChartCard>
      <TableCard
        id="affiliation-changes"
        title="Every change"
        jsonUrl={jsonUrl}
        empty={empty}
        table={{ columns: ["engineer", "from", "to", "date"], rows: changes.map((c) => [c.user_name, c.old_company_name, c.new_company_name, formatDay(c.date)]) }}
        cells={changes.map((c) => [<PersonLink userId={c.user_id} name={c.user_name} />, c.old_company_name, c.new_company_name, formatDay(c.date)])}
      />
    </>
  );
}

export default function AffiliationChangesPage() {
  const { query, path, route } = useLocation();
  const today = Math.floor(Date.now() / 1000);
  const start = query.start_days ?? isoDay(today - 365 * 86_400);
  const end = query.end_days ?? isoDay(today);
  const [draft, setDraft] = useState({ start, end });
  // Back and forward move the window: the fields follow the URL.
  useEffect(() => setDraft({ start, end }), [start, end]);
  const jsonUrl = reportApi.affiliationChanges({ start_days: start, end_days: end });
  const report = useApi<{ affiliation_changes: AffiliationChange[] }>(jsonUrl);
  const apply = (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    route(`${path}${queryString({ ...query, start_days: draft.start, end_days: draft.end })}`);
  };
  const input = (key: "start" | "end") => (e: TargetedEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: e.currentTarget.value });
  return (
    <>
      <ReportHead title="Affiliation changes" />
      <form class="report-form" onSubmit={apply} aria-label="Window">
        <label>
          From
          <input type="date" value={draft.start} onInput={input("start")} required />
        </label>
        <label>
          To
          <input type="date" value={draft.end} onInput={input("end")} required />
        </label>
        <button type="submit">Show</button>
      </form>
      <Fetching result={report}>{(data) => <AffiliationChanges changes={data.affiliation_changes} jsonUrl={jsonUrl} />}</Fetching>
    </>
  );
}
