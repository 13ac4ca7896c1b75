import { describe, expect, it } from "vitest";
import { consumeQuota, DAY_MS, MINUTE_MS, quotaNeedsSaving } from "../../worker/domain/rate";

const T = Date.UTC(2026, 10, 27, 12, 30, 15); // 12:30:15 UTC

describe("consumeQuota", () => {
  it("counts within the window aligned to the period", () => {
    const first = consumeQuota(null, T, MINUTE_MS, 3);
    expect(first).toEqual({ allowed: true, window: { startedAt: Date.UTC(2026, 10, 27, 12, 30), used: 1 } });
    const second = consumeQuota(first.window, T + 1000, MINUTE_MS, 3);
    expect(second.window.used).toBe(2);
  });

  it("refuses what would pass the limit, leaving the window as it was, with the seconds to the next window", () => {
    const full = { startedAt: Date.UTC(2026, 10, 27, 12, 30), used: 3 };
    expect(consumeQuota(full, T, MINUTE_MS, 3)).toEqual({ allowed: false, window: full, retryAfterSeconds: 45 });
  });

  it("starts over in the next window", () => {
    const full = { startedAt: Date.UTC(2026, 10, 27, 12, 30), used: 3 };
    expect(consumeQuota(full, T + MINUTE_MS, MINUTE_MS, 3)).toMatchObject({ allowed: true, window: { used: 1 } });
  });

  it("takes an amount at once and refuses it whole if it does not fit; days are UTC days", () => {
    const day = consumeQuota(null, T, DAY_MS, 50, 40);
    expect(day).toMatchObject({ allowed: true, window: { startedAt: Date.UTC(2026, 10, 27), used: 40 } });
    const over = consumeQuota(day.window, T, DAY_MS, 50, 11);
    expect(over).toMatchObject({ allowed: false, window: { used: 40 } });
    expect(over.allowed || over.retryAfterSeconds).toBe((Date.UTC(2026, 10, 28) - T) / 1000);
  });

  it("never asks to retry in less than a second", () => {
    const end = Date.UTC(2026, 10, 27, 12, 30, 59, 999);
    const full = { startedAt: Date.UTC(2026, 10, 27, 12, 30), used: 1 };
    expect(consumeQuota(full, end, MINUTE_MS, 1)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe("quotaNeedsSaving", () => {
  const w = (used: number, startedAt = 0) => ({ startedAt, used });
  it("saves a new or rolled-over window", () => {
    expect(quotaNeedsSaving(null, w(1), 600)).toBe(true);
    expect(quotaNeedsSaving(w(5, 0), w(1, 60_000), 600)).toBe(true);
  });
  it("saves each time the count crosses another hundredth of the limit, and not in between", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => quotaNeedsSaving(w(n - 1), w(n), 600))).toEqual([false, false, false, false, false, true, false]);
    expect(quotaNeedsSaving(w(1_990), w(2_090), 200_000)).toBe(true);
    expect(quotaNeedsSaving(w(2_000), w(2_100), 200_000)).toBe(false);
  });
  it("saves every change of a limit under 100", () => {
    expect(quotaNeedsSaving(w(3), w(4), 5)).toBe(true);
  });
});
