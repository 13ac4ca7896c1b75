import type { Oswl, OswlStatus } from "../../schemas/collector";
import { collapseToLast } from "./batch";

export const oswlItemKey = (item: Pick<Oswl, "master_node_uid" | "id" | "resource_type">) =>
  `${item.master_node_uid}\u0000${item.resource_type}\u0000${item.id}`;

/**
 * One item per (master_node_uid, id, resource_type), the last of each. fuel-stats instead failed
 * the whole chunk when a request repeated a new key.
 */
export const uniqueOswlStats = (items: readonly Oswl[]) => collapseToLast(items, oswlItemKey);

/** `updated` for the rows that already existed, `added` for the rest, `failed` for all on error. */
export function settleOswlStats(
  items: readonly Oswl[],
  existing: readonly { id: number; resource_type: string }[] | "failed",
): OswlStatus[] {
  if (existing === "failed") return items.map(() => "failed");
  const known = new Set(existing.map((row) => `${row.resource_type}\u0000${row.id}`));
  return items.map((item) => (known.has(`${item.resource_type}\u0000${item.id}`) ? "updated" : "added"));
}
