import type { Table } from "../lib/csv";

export function DataTable({ table, caption }: { table: Table; caption?: string }) {
  return (
    <div class="table-wrap">
      <table>
        {caption && <caption class="visually-hidden">{caption}</caption>}
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
          {table.rows.map((row, r) => (
            <tr key={r}>
              {row.map((value, c) => (c === 0 ? <th scope="row" key={c}>{value}</th> : <td key={c}>{value}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
