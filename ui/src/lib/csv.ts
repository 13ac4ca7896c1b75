// A chart's numbers as a table, and that table as CSV (RFC 4180) for download.

export interface Table {
  columns: string[];
  rows: (string | number)[][];
}

function cell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: Table): string {
  return [table.columns, ...table.rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** A `data:` URL, so the link works without script state (and survives a re-render). */
export function csvDataUrl(table: Table): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(toCsv(table))}`;
}
