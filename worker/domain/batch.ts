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

/** Groups items by installation, preserving order within each group. */
export function groupByInstallation<T extends { master_node_uid: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.master_node_uid);
    if (group) group.push(item);
    else groups.set(item.master_node_uid, [item]);
  }
  return groups;
}
