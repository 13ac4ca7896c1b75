import { describe, expect, it } from "vitest";
import { CSV_DEFAULT_RANGE_DAYS, type CsvQuery } from "../../../schemas/csv";
import { dayAfter, isDay, isInverted, resolveDayRange } from "../../../worker/domain/days";
import { endOfRange } from "../../../worker/db/csv";

const NOW = Date.parse("2016-06-15T12:34:56Z");
/** The range the CSV route resolves (worker/routes/csv.ts: dayRangeOf with the CSV default). */
const resolveCsvRange = (query: CsvQuery, now: number) => resolveDayRange(query, now, CSV_DEFAULT_RANGE_DAYS);

describe("the CSV date range", () => {
  it("defaults to the 90 days before today (UTC) up to today", () => {
    expect(resolveCsvRange({}, NOW)).toEqual({ from: "2016-03-17", to: "2016-06-15" });
  });

  it("counts the default from_date back from a given to_date, so an old to_date alone still has data", () => {
    expect(resolveCsvRange({ to_date: "2015-03-01" }, NOW)).toEqual({ from: "2014-12-01", to: "2015-03-01" });
    expect(resolveCsvRange({ from_date: "2016-06-01" }, NOW)).toEqual({ from: "2016-06-01", to: "2016-06-15" });
  });

  it("takes dates in the future as they are, and tells an inverted range", () => {
    const future = resolveCsvRange({ from_date: "2030-01-01", to_date: "2030-02-01" }, NOW);
    expect(isInverted(future)).toBe(false);
    expect(isInverted(resolveCsvRange({ from_date: "2016-06-16" }, NOW))).toBe(true);
    expect(isInverted({ from: "2016-01-01", to: "2016-01-01" })).toBe(false);
  });

  it("knows real days", () => {
    expect(["2016-02-29", "0000-01-01", "9999-12-31"].every(isDay)).toBe(true);
    expect(["2015-02-29", "2015-13-01", "2015-1-1", "2015-01-01T00:00:00", "", "garbage"].some(isDay)).toBe(false);
  });

  it("steps to the next day, and past the last day to a value that sorts after all of it", () => {
    expect(dayAfter("2016-02-28")).toBe("2016-02-29");
    expect(dayAfter("2016-12-31")).toBe("2017-01-01");
    expect(dayAfter("9999-12-31") > "9999-12-31T23:59:59.999Z").toBe(true);
    expect(endOfRange("2016-06-15")).toBe("2016-06-16T00:00:00.000Z");
  });
});
