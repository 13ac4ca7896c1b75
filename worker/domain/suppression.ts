// Small-cell suppression of the public reports (docs/privacy.md): a number that comes from fewer
// than k installations is withheld, and so are the further numbers that would let it be worked out
// by subtraction within the same answer. Pure: the routes build the cells, this decides.
import { pointerTokens } from "../../schemas/report-pointer";

export { reportPointer as pointer } from "../../schemas/report-pointer";

/** Why a number is withheld: it comes from fewer than k installations, or it would give one away. */
export type WithheldReason = "below_k" | "complementary";

export interface Cell {
  /** Where the number is in the answer, as a JSON Pointer (RFC 6901). */
  pointer: string;
  value: number;
  /** How many distinct installations the number comes from. */
  installations: number;
  /** The number counts installations (so a withheld one is known to be below k), rather than
   * environments or other things that one installation can add many of. */
  countsInstallations: boolean;
}

/**
 * Numbers of one answer that add up to another of it (installations.count and
 * installations.environments_num), so that a reader can subtract.
 */
export interface Group {
  total: string;
  members: string[];
}

export interface Withheld {
  k: number;
  /** Pointer → reason, in the order decided. */
  cells: Map<string, WithheldReason>;
}

/**
 * Decides which numbers of an answer to withhold for k.
 *
 * 1. Below k: a number greater than 0 that comes from fewer than k installations.
 * 2. Complementary, repeated until nothing changes: for a group whose total is shown, while some
 *    below-k member could be narrowed from the total and the shown members to less than every
 *    value from 1 to k−1 (see `protectedGroup`), the smallest shown member (ties: by pointer), and
 *    the total itself once no member is left to withhold.
 *
 * k = 1 withholds nothing.
 */
export function chooseWithheld(cells: readonly Cell[], groups: readonly Group[], k: number): Withheld {
  const withheld = new Map<string, WithheldReason>();
  if (k <= 1) return { k, cells: withheld };
  const byPointer = new Map(cells.map((c) => [c.pointer, c]));
  for (const cell of cells) if (cell.value > 0 && cell.installations < k) withheld.set(cell.pointer, "below_k");

  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      if (withheld.has(group.total) || !byPointer.has(group.total)) continue;
      const members = group.members.map((p) => byPointer.get(p)).filter((c): c is Cell => c !== undefined);
      if (!members.some((m) => withheld.has(m.pointer))) continue;
      if (protectedGroup(members, withheld, k)) continue;
      const shown = members.filter((m) => !withheld.has(m.pointer)).sort((a, b) => a.value - b.value || a.pointer.localeCompare(b.pointer));
      withheld.set(shown[0]?.pointer ?? group.total, "complementary");
      changed = true;
    }
  }
  return { k, cells: withheld };
}

/**
 * Whether a reader who knows the total of a sum group, its shown members, which members are
 * withheld and why (and that complementary members were the smallest shown ones) still finds
 * every value from 1 to k−1 possible for each below-k member. What such a reader knows of each
 * withheld member j: it is at least lo_j (1 below k; k for a complementary member, which had k
 * installations or more) and at most hi_j (k−1 for a below-k count of installations; the
 * smallest shown member for a complementary one; no bound for a below-k count of environments).
 * The withheld members add up to S (the total less the shown ones), so member i lies between
 * S − Σ_{j≠i} hi_j and S − Σ_{j≠i} lo_j; that range must reach down to 1 and up to k−1.
 */
export function protectedGroup(members: readonly Cell[], withheld: ReadonlyMap<string, WithheldReason>, k: number): boolean {
  const hidden = members.filter((m) => withheld.has(m.pointer));
  const shown = members.filter((m) => !withheld.has(m.pointer));
  const smallestShown = shown.length > 0 ? Math.min(...shown.map((m) => m.value)) : Number.POSITIVE_INFINITY;
  const sum = hidden.reduce((s, m) => s + m.value, 0);
  const lo = (m: Cell) => (withheld.get(m.pointer) === "below_k" ? 1 : k);
  const hi = (m: Cell) =>
    withheld.get(m.pointer) === "below_k" ? (m.countsInstallations ? k - 1 : Number.POSITIVE_INFINITY) : smallestShown;
  // Summed over the others one by one: an unbounded hi makes subtracting from a total NaN.
  const others = (m: Cell, bound: (o: Cell) => number) => hidden.reduce((s, o) => (o === m ? s : s + bound(o)), 0);
  return hidden
    .filter((m) => withheld.get(m.pointer) === "below_k")
    .every((m) => sum - others(m, hi) <= 1 && sum - others(m, lo) >= k - 1);
}

/** How an answer says what it withheld: k, and the pointers by reason (schemas/reports.ts). */
export interface SuppressionNote {
  k: number;
  below_k: string[];
  complementary: string[];
}

/**
 * The answer with every withheld number replaced by null, and a `suppressed` note. The answer is
 * copied, not changed.
 */
export function withhold<T extends object>(answer: T, decision: Withheld): T & { suppressed: SuppressionNote } {
  const copy = structuredClone(answer) as Record<string, unknown>;
  const note: SuppressionNote = { k: decision.k, below_k: [], complementary: [] };
  for (const [path, reason] of decision.cells) {
    const tokens = pointerTokens(path);
    const last = tokens.pop()!;
    let at: unknown = copy;
    for (const token of tokens) at = (at as Record<string, unknown>)[token];
    (at as Record<string, unknown>)[last] = null;
    note[reason].push(path);
  }
  return { ...(copy as T), suppressed: note };
}
