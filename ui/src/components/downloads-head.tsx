import type { ComponentChildren } from "preact";
import { type Table, csvDataUrl } from "../lib/csv";

interface Props {
  id: string;
  title: string;
  /** The card's numbers, downloaded as `<id>.csv`. */
  table: Table;
  /** The API answer they come from, downloaded as `<id>.json`. */
  jsonUrl: string;
  /** Actions before the downloads (a chart's chart/table toggle). */
  children?: ComponentChildren;
}

/** A card's header: its title (`<id>-title`, which the card is labelled by) and its CSV and JSON downloads. */
export function DownloadsHead({ id, title, table, jsonUrl, children }: Props) {
  return (
    <header class="card-head">
      <h2 id={`${id}-title`}>{title}</h2>
      <div class="card-actions">
        {children}
        <a href={csvDataUrl(table)} download={`${id}.csv`}>
          CSV
        </a>
        <a href={jsonUrl} download={`${id}.json`} type="application/json">
          JSON
        </a>
      </div>
    </header>
  );
}
