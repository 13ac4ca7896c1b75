// The capacity simulation (npm run bench:capacity): its arithmetic on round numbers worked out by
// hand, which limit it says is met first, and how it refuses bad input.
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { COSTS, DEFAULT_INPUTS, LIMITS } from "../../../bench/lib/capacity-costs.mjs";
import {
  actionLogRequestsPerDay,
  CapacityInputError,
  firstLimit,
  holds,
  oswlRequestsPerDay,
  parseInputs,
  project,
  simulate,
} from "../../../bench/lib/capacity-model.mjs";

const root = path.resolve(import.meta.dirname, "../../..");

/** Round costs and limits, so that every figure below can be checked with pencil and paper. */
const cost = (value: number) => ({ value, unit: "", source: "test" });
const costs = {
  installationBytes: cost(1_000),
  actionLogBytes: cost(100),
  oswlBytes: cost(1_000),
  rollupBytes: cost(100),
  actionLogKeyBytes: cost(10),
  contribRecordBytes: cost(2_000),
  structureRepostRowsWritten: cost(5),
  structureRepostRowsRead: cost(1),
  actionLogRowsWritten: cost(3),
  actionLogRowsRead: cost(1),
  oswlRowsWritten: cost(6),
  oswlRowsRead: cost(1),
  rollupRowsWritten: cost(3),
  rollupRowsRead: cost(15),
  rollupCpuSeconds: cost(0.0001),
  rollupChunk: cost(500),
  rollupCallsPerChunk: cost(3),
  cronFixedCalls: cost(10),
  structureRequestCpuMs: cost(2),
  actionLogRequestCpuMs: cost(5),
  oswlRequestCpuMs: cost(2),
  csvNodesRowsPerInstallation: cost(10),
  csvNodesCpuSecondsPerRow: cost(0.00001),
  csvPageRows: cost(200),
  csvClustersQueriesPerPage: cost(2),
  bundleBytesPerInstallation: cost(10_000),
  processorStepSeconds: cost(1),
  processorStepsPerSourceHour: cost(1),
};
const limits = { ...LIMITS, d1DatabaseBytes: cost(1e9), d1AccountBytes: cost(1e12), d1QueriesPerInvocation: cost(1_000) };
const inputs = {
  installations: 1_000,
  structuresPerDay: 24,
  actionLogsPerDay: 240,
  oswlRowsPerDay: 12,
  retentionDays: 10,
  contribRecords: 1_000,
  contribSources: 10,
  peakFactor: 1,
  d1WriteMs: 10,
  csvRangeDays: 5,
  bundlesKept: 1,
  scales: [1, 10],
};
const byId = (rows: ReturnType<typeof project>, id: string) => {
  const row = rows.find((r) => r.id === id);
  if (!row) throw new Error(`no row ${id}`);
  return row;
};

describe("the capacity simulation's arithmetic", () => {
  it("counts requests as statsenderd sends them: 100 action logs and 10 OSWL rows a request", () => {
    expect(actionLogRequestsPerDay(0, 24)).toBe(0);
    expect(actionLogRequestsPerDay(10, 24)).toBe(10); // fewer logs than cycles: one request per log's cycle
    expect(actionLogRequestsPerDay(240, 24)).toBe(24); // 10 per cycle: one request each
    expect(actionLogRequestsPerDay(4_800, 24)).toBe(48); // 200 per cycle: two each
    expect(oswlRequestsPerDay(0)).toBe(0);
    expect(oswlRequestsPerDay(12)).toBe(2);
  });

  it("projects a hand-computed fleet at 1× and 10×", () => {
    const one = project(inputs, 1, costs, limits);
    // 1,000 × 1,000 B of structures + 1,000 × 240 × 10 days × 100 B + 1,000 × 12 × 10 × 1,000 B
    expect(byId(one, "collector-size").value).toBe(1e6 + 2.4e8 + 1.2e8);
    // (1e9 − 1e6) ÷ (1,000 × (240 × 100 + 12 × 1,000)) = 999e6 ÷ 36e6
    expect(byId(one, "collector-size").daysToFull).toBeCloseTo(27.75, 10);
    expect(byId(one, "analytic-size").value).toBe(100_000);
    expect(byId(one, "contrib-size").value).toBe(2_000_000);
    // 24 structure posts + 24 action-log requests + 2 OSWL requests a day, 1,000 installations
    expect(byId(one, "collector-writes").value).toBeCloseTo(50_000 / 86_400, 12);
    expect(byId(one, "collector-writes").limit).toBe(100);
    // 240 × 10 days × 10 B of keys in one object
    expect(byId(one, "object-storage").value).toBe(24_000);
    // every installation re-rolled each hour: 1,000 × 0.1 ms; ⌈1,000 ÷ 500⌉ × 3 + 10 queries
    expect(byId(one, "rollup-cpu").value).toBeCloseTo(0.1, 12);
    expect(byId(one, "rollup-queries").value).toBe(16);
    // ⌈1,000 ÷ 200⌉ pages × 2 + 1; vm rows: 1,000 × 12 ÷ 6 × 5 days = 10,000, ⌈÷ 200⌉ + 1
    expect(byId(one, "csv-clusters-queries").value).toBe(11);
    expect(byId(one, "csv-oswl-queries").value).toBe(51);
    expect(byId(one, "csv-nodes-cpu").value).toBeCloseTo(0.1, 12);
    // ingest: 1,000 × (24 × 2 + 24 × 5 + 2 × 2) ms = 172 s a day; roll-ups 24 × 0.1 s
    expect(byId(one, "ingest-cpu-day").value).toBeCloseTo(172, 9);
    expect(byId(one, "rollup-cpu-day").value).toBeCloseTo(2.4, 9);
    // 30 × (1,000 × (24 × 5 + 240 × 3 + 12 × 6) + 24 × 1,000 × 3)
    expect(byId(one, "rows-written-month").value).toBe(30 * (1_000 * (120 + 720 + 72) + 72_000));
    expect(byId(one, "queue-consumer").value).toBe(10);
    expect(byId(one, "r2-storage").value).toBe(10_000_000);
    expect(byId(one, "collector-size").headroom).toBeCloseTo(1e9 / 3.61e8, 12);

    const ten = project(inputs, 10, costs, limits);
    expect(byId(ten, "collector-size").value).toBe(10 * (1e6 + 2.4e8 + 1.2e8));
    expect(byId(ten, "rollup-queries").value).toBe(70); // ⌈10,000 ÷ 500⌉ × 3 + 10
    expect(byId(ten, "csv-clusters-queries").value).toBe(101);
    // the busiest object is bounded by its own rate limit (600 a minute), whatever the fleet
    expect(byId(ten, "object-busiest").value).toBe(10);
    expect(byId(ten, "object-busiest").headroom).toBe(100);
  });

  it("names the hard limit with the least headroom as met first, and ignores the plan's allowances", () => {
    const one = project(inputs, 1, costs, limits);
    // Nothing is met at 1×: the nearest hard limit is the collector's 10-day size (1e9 ÷ 3.61e8).
    expect(firstLimit(one).id).toBe("collector-size");
    expect(firstLimit(one).headroom).toBeGreaterThan(1);
    // The rows written exceed what the plan includes, but that is a cost, never "met first".
    expect(byId(one, "rows-written-month").kind).toBe("included");

    const ten = project(inputs, 10, costs, limits);
    expect(firstLimit(ten).id).toBe("collector-size");
    expect(firstLimit(ten).headroom).toBeCloseTo(1e9 / 3.61e9, 12);

    // With room for every byte, the next limit is the vm CSV's 1,000 queries: 10,000 × 2 × 5 rows
    // in pages of 200 make 501 queries.
    const roomy = { ...limits, d1DatabaseBytes: cost(1e15), d1AccountBytes: cost(1e15) };
    const next = firstLimit(project(inputs, 10, costs, roomy));
    expect(next.id).toBe("csv-oswl-queries");
    expect(next.value).toBe(501);
    expect(next.headroom).toBeCloseTo(1_000 / 501, 12);
  });

  it("says how much one deployment holds before each limit, the first one first", () => {
    const held = holds(project(inputs, 1, costs, limits), inputs);
    expect(held.installations[0].by).toMatch(/^COLLECTOR_DB size/);
    expect(held.installations[0].most).toBeCloseTo(1_000 * (1e9 / 3.61e8), 6);
    expect(held.records[0].most).toBeCloseTo(1_000 * (1e9 / 2e6), 6);
    const sorted = held.installations.map((h) => h.most);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
  });

  it("cites a source for every measured cost, limit and default", () => {
    for (const table of [COSTS, LIMITS]) {
      for (const [key, entry] of Object.entries(table)) {
        expect(entry.source, key).toMatch(/\S/);
        if (entry.value !== null) expect(Number.isFinite(entry.value), key).toBe(true);
      }
    }
    for (const [key, entry] of Object.entries(DEFAULT_INPUTS)) expect(entry.why, key).toMatch(/\S/);
    for (const entry of Object.values(LIMITS)) expect(entry.source).toMatch(/https:\/\/developers\.cloudflare\.com\/|wrangler\.toml/);
  });

  it("runs at every scale asked for, with the defaults for what is not given", () => {
    const { inputs: parsed } = parseInputs(["20000", "--scales", "1,3"], {});
    expect(parsed.installations).toBe(20_000);
    expect(parsed.actionLogsPerDay).toBe(DEFAULT_INPUTS.actionLogsPerDay.value);
    const simulation = simulate(parsed, costs, limits);
    expect(simulation.scales.map((s) => s.installations)).toEqual([20_000, 60_000]);
  });
});

describe("bad input to the capacity simulation", () => {
  const refusal = (argv: string[], env: Record<string, string> = {}) => {
    try {
      parseInputs(argv, env);
    } catch (error) {
      expect(error).toBeInstanceOf(CapacityInputError);
      return (error as Error).message;
    }
    throw new Error(`accepted ${argv.join(" ")}`);
  };

  it("refuses a negative fleet size and names the argument that gave it", () => {
    expect(refusal(["--installations", "-5"])).toBe("--installations must be at least 1, got -5");
    expect(refusal(["--installations=-5"])).toBe("--installations must be at least 1, got -5");
    expect(refusal(["-5"])).toBe("the fleet size (first argument) must be at least 1, got -5");
    expect(refusal([], { CAPACITY_INSTALLATIONS: "-1" })).toBe("CAPACITY_INSTALLATIONS must be at least 1, got -1");
  });

  it("refuses other bad values, unknown options and a missing value", () => {
    expect(refusal(["--action-logs-per-day", "many"])).toBe('--action-logs-per-day must be a number, got "many"');
    expect(refusal(["--retention-days", "-1"])).toBe("--retention-days must be at least 0, got -1");
    expect(refusal(["--d1-write-ms", "0"])).toBe("--d1-write-ms must be greater than 0, got 0");
    expect(refusal(["--scales", "1,-10"])).toBe("--scales must be greater than 0, got -10");
    expect(refusal(["--fleet", "5"])).toBe("unknown option --fleet");
    expect(refusal(["--installations"])).toBe("--installations needs a value");
  });

  it("exits with a non-zero code and the message on stderr, printing no projection", async () => {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(root, "bench/capacity.mjs"), "--installations", "-5"], { cwd: root }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      });
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("bench:capacity: --installations must be at least 1, got -5");
    expect(run.stdout).toBe("");
  });
});
