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

const join = (path: string, key: string | number) =>
  typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * The first place where a parsed JSON value exceeds the generic bounds (depth, string length,
 * array length, object size), or null. Runs before the schema, so that free-form parts of a
 * body (attributes, resource data) are bounded too, and without recursion limits of its own.
 */
export function findBoundViolation(value: unknown, limits: JsonBounds = LIMITS): BoundViolation | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 1 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === "string") {
      if (v.length > limits.stringLength) {
        return { path, message: `string of ${v.length} characters exceeds the limit of ${limits.stringLength}` };
      }
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth > limits.depth) return { path, message: `nesting deeper than the limit of ${limits.depth} levels` };
    if (Array.isArray(v)) {
      if (v.length > limits.arrayLength) {
        return { path, message: `array of ${v.length} elements exceeds the limit of ${limits.arrayLength}` };
      }
      v.forEach((item, i) => stack.push({ value: item, path: join(path, i), depth: depth + 1 }));
    } else {
      const entries = Object.entries(v);
      if (entries.length > limits.objectKeys) {
        return { path, message: `object with ${entries.length} keys exceeds the limit of ${limits.objectKeys}` };
      }
      for (const [key, item] of entries) stack.push({ value: item, path: join(path, key), depth: depth + 1 });
    }
  }
  return null;
}
