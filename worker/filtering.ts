// The filtering rules in force, read from ANALYTIC_DB and kept per isolate for a minute, so that
// classifying a structure costs no query on the write path.
import { FilteringRulesSchema } from "../schemas/filtering";
import { findFilteringRules } from "./db/analytic";
import { type IndexedRules, indexFilteringRules } from "./domain/filtering";

const TTL_MS = 60_000;
let cached: { rules: IndexedRules; loadedAt: number } | null = null;

export async function currentFilteringRules(db: D1Database, now: number): Promise<IndexedRules> {
  if (cached && now - cached.loadedAt < TTL_MS) return cached.rules;
  const stored = await findFilteringRules(db);
  const parsed = FilteringRulesSchema.safeParse(stored?.rules ?? {});
  if (!parsed.success) console.error("stored filtering rules are invalid; filtering nothing", parsed.error.issues[0]);
  cached = { rules: indexFilteringRules(parsed.success ? parsed.data : {}), loadedAt: now };
  return cached.rules;
}

/** After the rules change: this isolate reads them again at once (others within a minute). */
export function forgetFilteringRules(): void {
  cached = null;
}
