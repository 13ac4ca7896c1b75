import { describe, expect, it } from "vitest";
import { type FilteringRules, FilteringRulesSchema, parseLenientDate } from "../../schemas/filtering";
import { buildInfoOf, indexFilteringRules, isFiltered } from "../../worker/domain/filtering";

const NOW = Date.UTC(2026, 10, 27, 12);
const DAY = 86_400_000;
const past = new Date(NOW - DAY).toISOString().slice(0, 19);
const future = new Date(NOW + DAY).toISOString().slice(0, 19);

const filtered = (structure: Parameters<typeof buildInfoOf>[0], rules: FilteringRules | null) =>
  isFiltered(buildInfoOf(structure), indexFilteringRules(FilteringRulesSchema.parse(rules ?? {})), NOW);

describe("isFiltered by build_id (fuel-stats truth table)", () => {
  const struct = { fuel_release: { release: "6.1", build_id: "2014-10-30_14-51-06" } };
  it.each<[string, FilteringRules | null, boolean]>([
    ["no rules", null, false],
    ["empty rules", {}, false],
    ["the release's rules are null", { "6.1": null }, false],
    ["the build is listed without a date", { "6.1": { "2014-10-30_14-51-06": null } }, false],
    ["the build is allowed from a date in the past", { "6.1": { "2014-10-30_14-51-06": past } }, false],
    ["the release is not in the rules", { xx: null }, true],
    ["the release has no allowed builds", { "6.1": {} }, true],
    ["the build is not listed", { "6.1": { other: null } }, true],
    ["the build is allowed only from a date in the future", { "6.1": { "2014-10-30_14-51-06": future } }, true],
    ["the list form: the build is listed", { "6.1": [{ build_id: "2014-10-30_14-51-06" }] }, false],
    ["the list form: the build is allowed in the future", { "6.1": [{ build_id: "2014-10-30_14-51-06", from_date: future }] }, true],
  ])("%s → %s", (_, rules, expected) => {
    expect(filtered(struct, rules)).toBe(expected);
  });
});

describe("isFiltered by fuel_packages (8.0 and later)", () => {
  const struct = { fuel_release: { release: "8.0" }, fuel_packages: ["z_filtered", "a_filtered"] };
  it.each<[string, FilteringRules, boolean]>([
    ["the package list is listed, in any order, without a date", { "8.0": [{ packages_list: ["a_filtered", "z_filtered"] }] }, false],
    ["the package list is allowed from the past", { "8.0": [{ packages_list: ["z_filtered", "a_filtered"], from_date: past }] }, false],
    ["the package list is allowed only from the future", { "8.0": [{ packages_list: ["a_filtered", "z_filtered"], from_date: future }] }, true],
    ["another package list is listed", { "8.0": [{ packages_list: ["a_filtered"] }] }, true],
  ])("%s → %s", (_, rules, expected) => {
    expect(filtered(struct, rules)).toBe(expected);
  });

  it("filters when either the build_id or the packages are not allowed (OR of both checks)", () => {
    const both = { fuel_release: { release: "8.0", build_id: "2016-01-26" }, fuel_packages: ["p1"] };
    const allowed = (build: string | null, packages: string | null): FilteringRules => ({
      "8.0": [
        { build_id: "2016-01-26", from_date: build },
        { packages_list: ["p1"], from_date: packages },
      ],
    });
    expect(filtered(both, allowed(null, past))).toBe(false);
    expect(filtered(both, allowed(future, null))).toBe(true);
    expect(filtered(both, allowed(null, future))).toBe(true);
    expect(filtered(both, { "8.0": [{ build_id: "2016-01-26" }] })).toBe(true);
  });

  it("does not filter a structure of a listed release without any build information", () => {
    expect(filtered({ fuel_release: { release: "8.0" } }, { "8.0": [] })).toBe(false);
  });

  it("treats an empty package list as build information that no rule allows", () => {
    expect(filtered({ fuel_release: { release: "8.0" }, fuel_packages: [] }, { "8.0": [{ packages_list: ["p"] }] })).toBe(true);
  });

  it("filters a structure without fuel_release when any rules exist", () => {
    expect(filtered({}, { "8.0": null })).toBe(true);
    expect(filtered({}, {})).toBe(false);
  });
});

describe("lenient dates", () => {
  it.each(["2015-05-19T11:55:06.369745", "2015-05-19T11:55:06", "2015-05-19T11:55", "2015-05-19T11", "2015-05-19T", "2015-05-19"])(
    "accepts %s as a from_date, in the past",
    (date) => {
      const struct = { fuel_release: { release: "r", build_id: "b" } };
      expect(filtered(struct, { r: { b: date } })).toBe(false);
      expect(parseLenientDate(date)).toBeLessThanOrEqual(Date.UTC(2015, 4, 19, 11, 55, 7));
    },
  );

  it("reads dates as UTC, with an optional zone", () => {
    expect(parseLenientDate("2015-05-19T11")).toBe(Date.UTC(2015, 4, 19, 11));
    expect(parseLenientDate("2015-05-19T11:00:00+02:00")).toBe(Date.UTC(2015, 4, 19, 9));
    expect(parseLenientDate("2015-05-19T11:55:06.369745Z")).toBe(Date.UTC(2015, 4, 19, 11, 55, 6, 370));
  });

  it.each(["2015-02-30", "2015-13-01", "19-05-2015", "2015-05-19T25", "yesterday", ""])("refuses %j", (date) => {
    expect(parseLenientDate(date)).toBeNull();
    const result = FilteringRulesSchema.safeParse({ r: { b: date } });
    expect(result.success).toBe(false);
  });
});

describe("indexFilteringRules", () => {
  it("indexes the dict and the list forms alike, and the same rules always the same way", () => {
    const dict = indexFilteringRules({ "6.1": { b1: null, b2: "2015-04-30T23:00:18" } });
    const list = indexFilteringRules({ "6.1": [{ build_id: "b1" }, { build_id: "b2", from_date: "2015-04-30T23:00:18" }] });
    expect(list).toEqual(dict);
    const rules: FilteringRules = { "8.0": [{ packages_list: ["b", "a"], from_date: null }, { build_id: "x" }], "7.0": null };
    expect(indexFilteringRules(rules)).toEqual(indexFilteringRules(structuredClone(rules)));
  });

  it("refuses rules of the wrong shape, naming the problem", () => {
    expect(FilteringRulesSchema.safeParse({ "8.0": [{ packages: ["a"] }] }).success).toBe(false);
    expect(FilteringRulesSchema.safeParse({ "8.0": "all" }).success).toBe(false);
    expect(FilteringRulesSchema.safeParse({ "8.0": [{ build_id: "b", from_date: 5 }] }).success).toBe(false);
  });
});
