// Bounds on what one collector request may carry. A real Fuel master sends at most 100 action logs
// and 10 OSWL rows per request, and structures of a few hundred KB; these leave ample room.

export const LIMITS = {
  /** Records in one action_logs or oswl_stats request. */
  recordsPerRequest: 1000,
  /** Length of master_node_uid (a UUID has 36 characters). */
  uidLength: 128,
  /** Length of any string anywhere in a body. */
  stringLength: 65_536,
  /** Elements of any array anywhere in a body. */
  arrayLength: 10_000,
  /** Keys of any object anywhere in a body. */
  objectKeys: 1_000,
  /** Nesting depth of objects and arrays (the body itself is depth 1). */
  depth: 32,
} as const;

/** The generic bounds that apply everywhere inside a body. */
export interface JsonBounds {
  stringLength: number;
  arrayLength: number;
  objectKeys: number;
  depth: number;
}

export interface BoundViolation {
  path: string;
  message: string;
}

interface Entry {
  value: unknown;
  depth: number;
  parent: Entry | null;
  key: string | number;
}

/** The path of an entry, built only when a violation is reported. */
function pathOf(entry: Entry): string {
  const keys: (string | number)[] = [];
  for (let e: Entry | null = entry; e?.parent; e = e.parent) keys.push(e.key);
  return keys.reverse().reduce<string>((path, key) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key), "");
}

/**
 * The first place where a parsed JSON value exceeds the generic bounds (depth, string length,
 * array length, object size), or null. Runs before the schema, so that free-form parts of a
 * body (attributes, resource data) are bounded too, and without recursion limits of its own.
 */
export function findBoundViolation(value: unknown, limits: JsonBounds = LIMITS): BoundViolation | null {
  const stack: Entry[] = [{ value, depth: 1, parent: null, key: "" }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const v = entry.value;
    if (typeof v === "string") {
      if (v.length > limits.stringLength) {
        return { path: pathOf(entry), message: `string of ${v.length} characters exceeds the limit of ${limits.stringLength}` };
      }
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    const depth = entry.depth;
    if (depth > limits.depth) return { path: pathOf(entry), message: `nesting deeper than the limit of ${limits.depth} levels` };
    if (Array.isArray(v)) {
      if (v.length > limits.arrayLength) {
        return { path: pathOf(entry), message: `array of ${v.length} elements exceeds the limit of ${limits.arrayLength}` };
      }
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], depth: depth + 1, parent: entry, key: i });
    } else {
      const keys = Object.keys(v);
      if (keys.length > limits.objectKeys) {
        return { path: pathOf(entry), message: `object with ${keys.length} keys exceeds the limit of ${limits.objectKeys}` };
      }
      for (const key of keys) stack.push({ value: (v as Record<string, unknown>)[key], depth: depth + 1, parent: entry, key });
    }
  }
  return null;
}
