import { describe, expect, it } from "vitest";
import {
  MAX_HEALTH_DAYS,
  MAX_RANGE_DAYS,
  addDays,
  daysInRange,
  defaultReportsRange,
  isIsoDate,
  lastDays,
  monthBefore,
  pickerBounds,
  rangeError,
  rangeFromQuery,
  utcToday,
} from "../../ui/src/lib/date-range";

const today = "2026-03-31";

describe("defaults", () => {
  it("ends the Reports range today and starts it a month earlier", () => {
    expect(defaultReportsRange("2026-11-27")).toEqual({ from: "2026-10-27", to: "2026-11-27" });
  });

  it("starts a month earlier on that month's last day when the day does not exist", () => {
    expect(monthBefore("2026-03-31")).toBe("2026-02-28");
    expect(monthBefore("2028-03-30")).toBe("2028-02-29");
    expect(monthBefore("2026-01-15")).toBe("2025-12-15");
  });

  it("takes the last N days as the API's defaults do (both ends counted)", () => {
    expect(lastDays("2026-03-31", 90)).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    expect(daysInRange(lastDays("2026-03-31", 30))).toBe(30);
  });

  it("counts today in UTC, as the API does", () => {
    expect(utcToday(Date.parse("2026-03-31T23:59:59-05:00"))).toBe("2026-04-01");
  });
});

describe("rules", () => {
  it("accepts from ≤ to ≤ today", () => {
    expect(rangeError({ from: "2026-03-01", to: "2026-03-31" }, today)).toBeNull();
    expect(rangeError({ from: today, to: today }, today)).toBeNull();
  });

  it("refuses a start after the end", () => {
    expect(rangeError({ from: "2026-03-02", to: "2026-03-01" }, today)).toBe("The start date is after the end date.");
  });

  it("refuses an end after today", () => {
    expect(rangeError({ from: "2026-03-01", to: "2026-04-01" }, today)).toBe("The end date is after today.");
  });

  it("refuses what is not a date", () => {
    expect(rangeError({ from: "2026-02-30", to: today }, today)).toMatch(/start date is not a date/);
    expect(rangeError({ from: "2026-03-01", to: "" }, today)).toMatch(/end date is not a date/);
    expect(isIsoDate("2026-3-1")).toBe(false);
    expect(isIsoDate("2028-02-29")).toBe(true);
  });

  it("refuses a range longer than the API answers", () => {
    const longest = { from: addDays(today, -(MAX_RANGE_DAYS - 1)), to: today };
    expect(rangeError(longest, today)).toBeNull();
    expect(rangeError({ ...longest, from: addDays(longest.from, -1) }, today)).toBe(`The range is longer than ${MAX_RANGE_DAYS} days.`);
    expect(rangeError(lastDays(today, MAX_HEALTH_DAYS + 1), today, MAX_HEALTH_DAYS)).toMatch(/longer than 366/);
  });

  it("bounds each picker by the other and by today", () => {
    expect(pickerBounds({ from: "2026-03-01", to: "2026-03-10" }, today)).toEqual({ from: { max: "2026-03-10" }, to: { min: "2026-03-01", max: today } });
    expect(pickerBounds({ from: "2026-03-01", to: "2026-05-01" }, today).from.max).toBe(today);
  });

  it("reads a range from the URL, falling back for what is missing or invalid", () => {
    const fallback = { from: "2026-03-01", to: today };
    expect(rangeFromQuery({ from_date: "2026-02-01" }, fallback)).toEqual({ from: "2026-02-01", to: today });
    expect(rangeFromQuery({ from_date: "yesterday", to_date: "2026-03-05" }, fallback)).toEqual({ from: "2026-03-01", to: "2026-03-05" });
  });
});
