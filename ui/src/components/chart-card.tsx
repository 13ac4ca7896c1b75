import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { Table } from "../lib/csv";
import { asOfText } from "../lib/freshness";
import { DataTable } from "./data-table";
import { DownloadsHead } from "./downloads-head";

interface Props {
  id: string;
  title: string;
  /** The numbers behind the chart: the table view and the CSV download. */
  table: Table;
  /** The API answer the numbers come from. */
  jsonUrl: string;
  caption?: ComponentChildren;
  /** When the numbers were rolled up (null: never); omitted for data that is not rolled up. */
  asOf?: Date | null;
  /** What to say, and what to do, when there are no numbers. */
  empty?: string;
  children: ComponentChildren;
}

/** A chart with its title, a chart/table toggle, and its numbers as CSV and as the JSON behind them. */
export function ChartCard({ id, title, table, jsonUrl, caption, asOf, empty: emptyText = "No data in this view.", children }: Props) {
  const [asTable, setAsTable] = useState(false);
  const empty = table.rows.length === 0;
  return (
    <section class="card" aria-labelledby={`${id}-title`} data-testid={`chart-${id}`}>
      <DownloadsHead id={id} title={title} table={table} jsonUrl={jsonUrl}>
        <button type="button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)} disabled={empty}>
          {asTable ? "Chart" : "Table"}
        </button>
      </DownloadsHead>
      {caption && <p class="caption">{caption}</p>}
      {empty ? <p class="empty">{emptyText}</p> : asTable ? <DataTable table={table} caption={title} /> : children}
      {asOf !== undefined && (
        <p class="as-of" data-testid={`${id}-as-of`}>
          {asOfText(asOf)}
        </p>
      )}
    </section>
  );
}
