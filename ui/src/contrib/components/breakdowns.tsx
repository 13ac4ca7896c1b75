// Company, module and contributor breakdowns (§4.1): a donut of the top 9 and "others" and a
// sortable, searchable table; a slice or a row's name selects it (a drill-down). With the marks
// metric the contributor table has the votes, the positive ratio (red under 60%), the
// disagreements and the core marks.
import { useMemo } from "preact/hooks";
import { ChartCard } from "../../components/chart-card";
import { Fetching } from "../../components/status";
import type { BlueprintsAnswer, BlueprintRow, EngineerRow, StatsAnswer, StatsRow } from "../lib/contrib-api";
import { DONUT_TOP, type RankSlice, type Row, coreMark, isLowRatio, showRatio, topSlices } from "../lib/ranking";
import { type Selection, type SelectionKey, pageUrl, withChange } from "../lib/selection";
import { useApi } from "../lib/use-api";
import { DrillDonut } from "./drill-donut";
import { type Column, RankingTable } from "./ranking-table";

export interface BreakdownKind {
  id: "companies" | "modules" | "engineers";
  title: string;
  /** One row and many, in words: "company", "companies". */
  noun: string;
  plural: string;
  /** The selector a drill-down sets. */
  key: SelectionKey;
}

export const BREAKDOWNS: Record<BreakdownKind["id"], BreakdownKind> = {
  companies: { id: "companies", title: "Companies", noun: "company", plural: "companies", key: "company" },
  modules: { id: "modules", title: "Modules", noun: "module", plural: "modules", key: "module" },
  engineers: { id: "engineers", title: "Contributors", noun: "contributor", plural: "contributors", key: "user_id" },
};

/** The −2 … x columns of a row of the marks metric. */
const MARK_COLUMNS: Column<Row>[] = [
  { key: "-2", label: "−2", title: "votes −2", numeric: true },
  { key: "-1", label: "−1", title: "votes −1", numeric: true },
  { key: "1", label: "+1", title: "votes +1", numeric: true },
  { key: "2", label: "+2", title: "votes +2", numeric: true },
  { key: "A", label: "A", title: "approvals (Workflow +1)", numeric: true },
  { key: "x", label: "x", title: "abandons of others' changes", numeric: true },
  {
    key: "positive_ratio",
    label: "+ %",
    title: "positive votes (+1, +2) of all votes",
    numeric: true,
    value: (r) => showRatio(r.positive_ratio),
    render: (r) =>
      isLowRatio(r.positive_ratio) ? (
        <span class="low-ratio" title="under 60%">
          {showRatio(r.positive_ratio)}
          <span class="visually-hidden"> (under 60%)</span>
        </span>
      ) : (
        showRatio(r.positive_ratio)
      ),
  },
  {
    key: "disagreements",
    label: "Disagreements",
    numeric: true,
    value: (r) => `${r.disagreements ?? 0} (${showRatio(r.disagreement_ratio)})`,
    render: (r) => (
      <>
        {String(r.disagreements ?? 0)} <span class="hint">({showRatio(r.disagreement_ratio)})</span>
      </>
    ),
  },
];

const CORE_COLUMN: Column<Row> = {
  key: "core",
  label: "Core",
  value: (r) => (typeof r.core === "string" ? r.core : ""),
  render: (r) => {
    const mark = coreMark(typeof r.core === "string" ? r.core : null);
    return mark ? <span title={mark.text}>{mark.symbol}<span class="visually-hidden"> {mark.text}</span></span> : "";
  },
};

export function columnsOf(kind: BreakdownKind, metricLabel: string, marks: boolean, hrefOf: (row: Row) => string): Column<Row>[] {
  return [
    { key: "index", label: "#", numeric: true },
    { key: "name", label: kind.noun[0]!.toUpperCase() + kind.noun.slice(1), render: (r) => <a href={hrefOf(r)}>{r.name}</a> },
    { key: "metric", label: metricLabel, numeric: true },
    ...(marks && kind.id === "engineers" ? [...MARK_COLUMNS, CORE_COLUMN] : []),
  ];
}

interface Props {
  kind: BreakdownKind;
  url: string;
  selection: Selection;
  metric: string;
  metricLabel: string;
}

export function Breakdown({ kind, url, selection, metric, metricLabel }: Props) {
  const answer = useApi<StatsAnswer>(url);
  return (
    <div class="breakdown" data-testid={`breakdown-${kind.id}`}>
      <Fetching result={answer}>{(data) => <BreakdownView kind={kind} rows={data.stats} url={url} selection={selection} metric={metric} metricLabel={metricLabel} />}</Fetching>
    </div>
  );
}

function BreakdownView({ kind, rows, url, selection, metric, metricLabel }: Props & { rows: (StatsRow | EngineerRow)[] }) {
  const slices = useMemo(() => topSlices(rows as Row[]), [rows]);
  const hrefOf = (row: { id: string }) => pageUrl(withChange(selection, kind.key, row.id));
  const columns = useMemo(() => columnsOf(kind, metricLabel, metric === "marks", hrefOf), [kind, metricLabel, metric, selection]);
  const empty = `No ${metricLabel.toLowerCase()} in this view: choose another release, metric or period.`;
  if (rows.length === 0) {
    return (
      <section class="card breakdown-empty" aria-labelledby={`${kind.id}-title`} data-testid={`table-${kind.id}`}>
        <header class="card-head">
          <h2 id={`${kind.id}-title`}>{kind.title}</h2>
          <div class="card-actions">
            <a href={url} download={`${kind.id}.json`} type="application/json">
              JSON
            </a>
          </div>
        </header>
        <p class="empty">{empty}</p>
      </section>
    );
  }
  return (
    <>
      <ChartCard id={`${kind.id}-donut`} title={`${kind.title}: top ${Math.min(slices.length, DONUT_TOP)}${slices.some((s) => s.id === null) ? " and others" : ""}`} table={{ columns: [kind.noun, metricLabel, "percent"], rows: slices.map((s) => [s.label, s.value, Number(s.percent.toFixed(1))]) }} jsonUrl={url} empty={empty}>
        <DrillDonut slices={slices} label={`${metricLabel} by ${kind.noun}`} hrefOf={(s: RankSlice) => (s.id === null ? null : hrefOf({ id: s.id }))} />
      </ChartCard>
      <RankingTable id={kind.id} title={`${kind.title} by ${metricLabel.toLowerCase()}`} rows={rows as Row[]} columns={columns} noun={kind.noun} plural={kind.plural} jsonUrl={url} empty={empty} />
    </>
  );
}

const BLUEPRINT_COLUMNS: Column<BlueprintRow>[] = [
  { key: "index", label: "#", numeric: true },
  { key: "name", label: "Blueprint" },
  { key: "status", label: "Status" },
  { key: "date", label: "Last mention" },
  { key: "metric", label: "Mentions", numeric: true },
];

/** Blueprint popularity (metric bpd or bpc): drafted blueprints by their mentions. */
export function Blueprints({ url }: { url: string }) {
  const answer = useApi<BlueprintsAnswer>(url);
  return (
    <Fetching result={answer}>
      {(data) => (
        <RankingTable id="blueprints" title="Blueprint popularity" rows={data.stats} columns={BLUEPRINT_COLUMNS} noun="blueprint" plural="blueprints" jsonUrl={url} empty="No drafted blueprint in this view." />
      )}
    </Fetching>
  );
}
