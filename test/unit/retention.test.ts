import { describe, expect, it } from "vitest";
import { CSV_REPORT_IDS } from "../../schemas/csv";
import { retentionConfig } from "../../worker/config";
import { csvCompleteFrom, csvCoverageNote, keptFrom } from "../../worker/domain/retention";

/** The settings as wrangler.toml's [vars] would give them (each object is parsed on its own). */
const config = (vars: Record<string, unknown>) => retentionConfig(vars as unknown as Env);

describe("the retention settings", () => {
  it("keep everything unless RETENTION_DAYS is set, and delete in chunks of 1000, 100 statements a run", () => {
    expect(config({})).toEqual({ days: null, rowsPerStatement: 1000, statementsPerRun: 100 });
    expect(config({ RETENTION_DAYS: "off" }).days).toBeNull();
    expect(config({ RETENTION_DAYS: "90", RETENTION_ROWS_PER_STATEMENT: "500", RETENTION_STATEMENTS_PER_RUN: "10" })).toEqual({
      days: 90,
      rowsPerStatement: 500,
      statementsPerRun: 10,
    });
    // A number in [vars] (RETENTION_DAYS = 30, unquoted) is a number.
    expect(config({ RETENTION_DAYS: 30 }).days).toBe(30);
  });

  it.each([["0"], ["-30"], ["1.5"], ["30d"], ["30 days"], [""], ["OFF"], ["never"], ["36501"], [0]])(
    "refuse RETENTION_DAYS=%j, naming the setting and what it takes",
    (value) => {
      expect(() => config({ RETENTION_DAYS: value })).toThrow(
        new Error(`invalid setting RETENTION_DAYS: expected "off" or a whole number of days from 1 to 36500`),
      );
    },
  );

  it.each([
    ["RETENTION_ROWS_PER_STATEMENT", "0", "expected a whole number from 1 to 10000"],
    ["RETENTION_ROWS_PER_STATEMENT", "10001", "expected a whole number from 1 to 10000"],
    ["RETENTION_ROWS_PER_STATEMENT", "many", "expected a whole number from 1 to 10000"],
    ["RETENTION_STATEMENTS_PER_RUN", "501", "expected a whole number from 1 to 500"],
    ["RETENTION_STATEMENTS_PER_RUN", "2.5", "expected a whole number from 1 to 500"],
  ])("refuse %s=%j", (name, value, expected) => {
    expect(() => config({ RETENTION_DAYS: "30", [name]: value })).toThrow(new Error(`invalid setting ${name}: ${expected}`));
  });
});

describe("the days retention keeps", () => {
  const now = Date.parse("2026-03-31T23:59:59Z");

  it("start RETENTION_DAYS days before today (UTC), whatever the hour", () => {
    expect(keptFrom(30, now)).toBe("2026-03-01");
    expect(keptFrom(30, Date.parse("2026-03-31T00:00:00Z"))).toBe("2026-03-01");
    expect(keptFrom(1, now)).toBe("2026-03-30");
    expect(keptFrom(null, now)).toBeNull();
  });

  it("make the OSWL reports and the clusters report's verify_networks_status incomplete before them, and no other CSV", () => {
    const from = keptFrom(30, now);
    expect(Object.fromEntries(CSV_REPORT_IDS.map((id) => [id, csvCompleteFrom(id, from)]))).toEqual({
      clusters: "2026-03-01",
      nodes: null,
      plugins: null,
      vm: "2026-03-01",
      flavor: "2026-03-01",
      volume: "2026-03-01",
      image: "2026-03-01",
      tenant: "2026-03-01",
      keystone_user: "2026-03-01",
    });
    expect(CSV_REPORT_IDS.map((id) => csvCompleteFrom(id, null))).toEqual(CSV_REPORT_IDS.map(() => null));
  });

  it("give a CSV note only for a range that starts before them", () => {
    expect(csvCoverageNote("vm", "2026-02-01", 30, "2026-03-01")).toBe(
      "raw rows are kept for 30 days: from 2026-03-01; from_date 2026-02-01 is earlier, so the vm rows of the days before 2026-03-01 are incomplete or missing",
    );
    expect(csvCoverageNote("clusters", "2026-02-28", 30, "2026-03-01")).toContain(
      "so the verify_networks_status values (from action logs) of the days before 2026-03-01 are incomplete or missing",
    );
    expect(csvCoverageNote("vm", "2026-03-01", 30, "2026-03-01")).toBeNull();
    expect(csvCoverageNote("nodes", "2016-01-01", 30, "2026-03-01")).toBeNull();
    expect(csvCoverageNote("vm", "2016-01-01", null, null)).toBeNull();
  });
});
