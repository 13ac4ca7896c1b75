import { describe, expect, it } from "vitest";
import { normalizeReleases, releaseAt, releaseRange } from "../../../worker/domain/contrib/releases";
import { dayOf, isoDay, weekOf } from "../../../worker/domain/contrib/time";
import { at } from "./fixtures";

const releases = normalizeReleases([
  { release_name: "Birch", end_date: "2024-Oct-02" },
  { release_name: "prehistory", end_date: "2011-Jan-01" },
  { release_name: "Alder", end_date: "2024-Apr-03" },
]);

describe("releases", () => {
  it("are lower-cased and sorted by end date", () => {
    expect(releases.map((r) => r.release_name)).toEqual(["prehistory", "alder", "birch"]);
  });

  it("take a record in the first release that ends strictly after it", () => {
    expect(releaseAt(releases, at("2010-06-01"))).toBe("prehistory");
    expect(releaseAt(releases, at("2011-01-01"))).toBe("alder");
    expect(releaseAt(releases, at("2024-04-02T23:59:59Z"))).toBe("alder");
    expect(releaseAt(releases, at("2024-04-03"))).toBe("birch");
  });

  it("give a record after the last release's end to the last release", () => {
    expect(releaseAt(releases, at("2026-01-01"))).toBe("birch");
  });

  it("have no release without any", () => {
    expect(releaseAt([], at("2024-01-01"))).toBeNull();
  });

  it("start where the previous one ends", () => {
    expect(releaseRange(releases, "birch")).toEqual({ start: at("2024-04-03"), end: at("2024-10-02") });
    expect(releaseRange(releases, "prehistory")).toEqual({ start: 0, end: at("2011-01-01") });
    expect(releaseRange(releases, "nope")).toBeNull();
  });
});

describe("time helpers (UTC)", () => {
  it("count days since the epoch", () => {
    expect(dayOf(0)).toBe(0);
    expect(dayOf(at("1970-01-01T23:59:59Z"))).toBe(0);
    expect(dayOf(at("2024-03-01"))).toBe(19_783);
    expect(isoDay(at("2024-03-01T22:00:00Z"))).toBe("2024-03-01");
  });

  it("count weeks that start on Sunday, 1970-01-04 starting week 0", () => {
    expect(weekOf(at("1970-01-04"))).toBe(0);
    expect(weekOf(at("1970-01-03T23:59:59Z"))).toBe(-1);
    expect(weekOf(at("1970-01-10T23:59:59Z"))).toBe(0);
    expect(weekOf(at("1970-01-11"))).toBe(1);
    // 2024-03-03 is a Sunday: Saturday and Sunday fall in different weeks.
    expect(weekOf(at("2024-03-03")) - weekOf(at("2024-03-02T12:00:00Z"))).toBe(1);
  });
});
