// What the report pages share: their heading, cards of tables with CSV and JSON downloads, links
// to people and companies, and figures.
import type { ComponentChildren } from "preact";
import type { Table } from "../../lib/csv";
import { useTitle } from "../../lib/use-title";
import { DownloadsHead } from "../../components/downloads-head";
import { reportPaths } from "./paths";
import "./reports.css";

/** The page's heading, which is its document title too. */
export function ReportHead({ title, children }: { title: string; children?: ComponentChildren }) {
  useTitle(title);
  return (
    <div class="page-head">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

/** Figures in a row of boxes: `[label, value]`. */
export function Figures({ items, label }: { items: [string, ComponentChildren][]; label: string }) {
  return (
    <dl class="stats" aria-label={label}>
      {items.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function PersonLink({ userId, name }: { userId: string; name?: string | null }) {
  return <a href={reportPaths.user(userId)}>{name || userId}</a>;
}

export function CompanyLink({ name }: { name: string }) {
  return name ? <a href={reportPaths.company(name)}>{name}</a> : null;
}

/** A link out of the dashboard (a review, a blueprint on Launchpad), or the text alone without one. */
export function OutLink({ href, children }: { href: string | null | undefined; children: ComponentChildren }) {
  return href ? (
    <a href={href} rel="noopener noreferrer">
      {children}
    </a>
  ) : (
    <>{children}</>
  );
}

interface TableCardProps {
  id: string;
  title: string;
  /** The numbers as plain values: the CSV download (and what the table shows unless `cells` is given). */
  table: Table;
  /** What each cell shows (links, marks), row by row in the order of `table.rows`. */
  cells?: ComponentChildren[][];
  jsonUrl: string;
  caption?: ComponentChildren;
  /** What to say, and what to do, when there are no rows. */
  empty: string;
  class?: string;
}

/** A table with its title, and its rows as CSV and the API answer as JSON, as a chart's card has them. */
export function TableCard({ id, title, table, cells, jsonUrl, caption, empty, class: extra }: TableCardProps) {
  const rows = cells ?? table.rows;
  return (
    <section class={`card ${extra ?? ""}`} aria-labelledby={`${id}-title`} data-testid={`table-${id}`}>
      <DownloadsHead id={id} title={title} table={table} jsonUrl={jsonUrl} />
      {caption && <p class="caption">{caption}</p>}
      {rows.length === 0 ? (
        <p class="empty">{empty}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, r) => (
                <tr key={r}>
                  {row.map((value, c) => (c === 0 ? <th scope="row" key={c}>{value}</th> : <td key={c}>{value}</td>))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
