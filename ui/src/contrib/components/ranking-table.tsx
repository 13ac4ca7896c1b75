import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import type { Table } from "../../lib/csv";
import { PAGE_SIZES, type PageSize, type Row, type SortOrder, pageOf, searchRows, sortRows } from "../lib/ranking";
import { DownloadsHead } from "../../components/downloads-head";

export interface Column<R> {
  key: string;
  label: string;
  /** What a screen reader and the tooltip say when the label is a symbol ("+2"). */
  title?: string;
  numeric?: boolean;
  render?: (row: R) => ComponentChildren;
  /** The cell's value in the CSV (default: the row's value at key). */
  value?: (row: R) => string | number;
}

interface Props<R extends Row> {
  id: string;
  title: string;
  rows: readonly R[];
  columns: Column<R>[];
  /** What one row is and what many are ("company", "companies"): the search box's label and the count. */
  noun: string;
  plural: string;
  jsonUrl: string;
  empty: string;
}

const cellValue = <R extends Row>(column: Column<R>, row: R): string | number => {
  if (column.value) return column.value(row);
  const v = row[column.key];
  return typeof v === "number" || typeof v === "string" ? v : v === null || v === undefined ? "" : String(v);
};

/** A ranking as a table: sortable by any column, searchable by name, 10/25/50/all rows a page. */
export function RankingTable<R extends Row>({ id, title, rows, columns, noun, plural, jsonUrl, empty }: Props<R>) {
  const [order, setOrder] = useState<SortOrder | null>(null);
  const [search, setSearch] = useState("");
  const [size, setSize] = useState<PageSize>(10);
  const [page, setPage] = useState(0);
  const shown = useMemo(() => sortRows(searchRows(rows, search), order), [rows, search, order]);
  const view = pageOf(shown, size, page);
  const table: Table = useMemo(() => ({ columns: columns.map((c) => c.label), rows: rows.map((r) => columns.map((c) => cellValue(c, r))) }), [rows, columns]);
  // The API's order is by metric, descending: that is what the table shows before a click.
  const sortOf = (key: string) => (order ? (order.column === key ? order.direction : undefined) : key === "metric" ? "descending" : undefined);
  const sortBy = (key: string) => {
    const current = sortOf(key);
    const numeric = columns.find((c) => c.key === key)?.numeric ?? false;
    const direction = current ? (current === "descending" ? "ascending" : "descending") : numeric ? "descending" : "ascending";
    setOrder({ column: key, direction });
    setPage(0);
  };
  return (
    <section class="card ranking" aria-labelledby={`${id}-title`} data-testid={`table-${id}`}>
      <DownloadsHead id={id} title={title} table={table} jsonUrl={jsonUrl} />
      {rows.length === 0 ? (
        <p class="empty">{empty}</p>
      ) : (
        <>
          <div class="table-tools">
            <label>
              Search {plural}{" "}
              <input
                type="search"
                value={search}
                onInput={(e) => {
                  setSearch(e.currentTarget.value);
                  setPage(0);
                }}
              />
            </label>
            <label>
              Rows{" "}
              <select
                value={String(size)}
                onChange={(e) => {
                  setSize(Number(e.currentTarget.value) as PageSize);
                  setPage(0);
                }}
              >
                {PAGE_SIZES.map((s) => (
                  <option key={s} value={String(s)}>
                    {s === 0 ? "All" : s}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{title}: the column buttons sort the table</caption>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c.key} scope="col" aria-sort={sortOf(c.key)} class={c.numeric ? "num" : undefined}>
                      <button type="button" class="sort" title={c.title} onClick={() => sortBy(c.key)}>
                        {c.title ? (
                          <>
                            <span class="label" aria-hidden="true">
                              {c.label}
                            </span>
                            <span class="visually-hidden">{c.title}</span>
                          </>
                        ) : (
                          c.label
                        )}
                        <span class="sort-mark" aria-hidden="true">
                          {sortOf(c.key) === "ascending" ? " ▲" : sortOf(c.key) === "descending" ? " ▼" : ""}
                        </span>
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {view.rows.map((row) => (
                  <tr key={row.id} data-id={row.id}>
                    {columns.map((c) => (
                      <td key={c.key} class={c.numeric ? "num" : "text"}>
                        {c.render ? c.render(row) : cellValue(c, row)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="pager">
            <span role="status" data-testid={`${id}-count`}>
              {shown.length === 0
                ? `No ${noun} matches “${search}”`
                : `${view.first}–${view.last} of ${shown.length} ${shown.length === 1 ? noun : plural}${shown.length < rows.length ? ` (of ${rows.length})` : ""}`}
            </span>
            {view.pages > 1 && (
              <span class="pager-buttons">
                <button type="button" disabled={view.page === 0} onClick={() => setPage(view.page - 1)}>
                  Previous
                </button>
                <button type="button" disabled={view.page >= view.pages - 1} onClick={() => setPage(view.page + 1)}>
                  Next
                </button>
              </span>
            )}
          </div>
        </>
      )}
    </section>
  );
}
