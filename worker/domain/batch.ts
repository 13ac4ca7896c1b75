/**
 * Collapses items that share a key to the last one, keeping the order in which each key first
 * appeared (fuel-stats answered one status per unique key; the last duplicate wins).
 */
export function collapseToLast<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    // Map.set on an existing key replaces the value and keeps the key's first position.
    byKey.set(keyOf(item), item);
  }
  return [...byKey.values()];
}

/**
 * The one installation a batch belongs to. A request proves one installation's identity (its
 * X-Installation-Token), so records of several installations cannot share a request.
 */
export function soleInstallation(items: readonly { master_node_uid: string }[]): { uid: string | null } | { error: string } {
  const uids = [...new Set(items.map((i) => i.master_node_uid))];
  if (uids.length <= 1) return { uid: uids[0] ?? null };
  const shown = uids.slice(0, 3).map((u) => `"${u}"`).join(", ");
  return { error: `all records of one request must belong to one installation; found ${uids.length}: ${shown}${uids.length > 3 ? ", …" : ""}` };
}
