// Fixed-window quotas: requests per minute and records per day per installation, and new
// installations per hour per client address.

export interface QuotaWindow {
  /** Start of the window, epoch milliseconds, aligned to the period (UTC days for a day). */
  startedAt: number;
  used: number;
}

export type QuotaDecision =
  | { allowed: true; window: QuotaWindow }
  | { allowed: false; window: QuotaWindow; retryAfterSeconds: number };

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Takes `amount` from the window holding `now`; refuses, untouched, what would pass `limit`. */
export function consumeQuota(
  window: QuotaWindow | null,
  now: number,
  periodMs: number,
  limit: number,
  amount = 1,
): QuotaDecision {
  const startedAt = Math.floor(now / periodMs) * periodMs;
  const current = window && window.startedAt === startedAt ? window : { startedAt, used: 0 };
  if (current.used + amount > limit) {
    return { allowed: false, window: current, retryAfterSeconds: Math.max(1, Math.ceil((startedAt + periodMs - now) / 1000)) };
  }
  return { allowed: true, window: { startedAt, used: current.used + amount } };
}

/**
 * Whether a window that changed from `before` to `after` should be written to storage now: when
 * it rolled over, or its count crossed another hundredth of the limit. Between writes the count
 * lives in memory, so an object that is evicted loses at most 1% of a limit, and most requests
 * write nothing.
 */
export function quotaNeedsSaving(before: QuotaWindow | null, after: QuotaWindow, limit: number): boolean {
  if (!before || before.startedAt !== after.startedAt) return true;
  const step = Math.max(1, Math.ceil(limit / 100));
  return Math.floor(before.used / step) !== Math.floor(after.used / step);
}
