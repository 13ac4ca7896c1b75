// The arithmetic of `npm run bench:capacity`: from a fleet (installations and what each sends a
// day, the raw rows' retention, the contribution records and sources) to what each resource of one
// deployment carries, against the limit that bounds it, at 1×, 10× and 100× of that fleet. Pure
// functions over plain values; the costs and limits are bench/lib/capacity-costs.mjs.
import { COSTS, DEFAULT_INPUTS, LIMITS } from "./capacity-costs.mjs";

/**
 * @typedef {{ installations: number, structuresPerDay: number, actionLogsPerDay: number, oswlRowsPerDay: number,
 *   retentionDays: number, contribRecords: number, contribSources: number, peakFactor: number, d1WriteMs: number,
 *   csvRangeDays: number, bundlesKept: number, scales: number[] }} CapacityInputs
 * @typedef {{ most: number, by: string }} Held
 */

/** A command-line or environment value the simulation cannot use; the message names it. */
export class CapacityInputError extends Error {}

/** The inputs: flag, environment variable and the smallest value that makes sense. */
export const OPTIONS = {
  installations: { flag: "--installations", env: "CAPACITY_INSTALLATIONS", min: 1, what: "the fleet size (installations)" },
  actionLogsPerDay: { flag: "--action-logs-per-day", env: "CAPACITY_ACTION_LOGS_PER_DAY", min: 0, what: "action logs per installation per day" },
  structuresPerDay: { flag: "--structures-per-day", env: "CAPACITY_STRUCTURES_PER_DAY", min: 0, what: "structure posts per installation per day" },
  oswlRowsPerDay: { flag: "--oswl-rows-per-day", env: "CAPACITY_OSWL_ROWS_PER_DAY", min: 0, what: "OSWL rows per installation per day" },
  retentionDays: { flag: "--retention-days", env: "CAPACITY_RETENTION_DAYS", min: 0, what: "days raw rows are kept" },
  contribRecords: { flag: "--contrib-records", env: "CAPACITY_CONTRIB_RECORDS", min: 0, what: "contribution records" },
  contribSources: { flag: "--contrib-sources", env: "CAPACITY_CONTRIB_SOURCES", min: 0, what: "contribution processor sources" },
  peakFactor: { flag: "--peak-factor", env: "CAPACITY_PEAK_FACTOR", min: 1, what: "peak over mean request rate" },
  d1WriteMs: { flag: "--d1-write-ms", env: "CAPACITY_D1_WRITE_MS", min: Number.MIN_VALUE, what: "milliseconds of one D1 write transaction" },
  csvRangeDays: { flag: "--csv-range-days", env: "CAPACITY_CSV_RANGE_DAYS", min: 1, what: "days of an OSWL CSV export" },
  bundlesKept: { flag: "--bundles-kept", env: "CAPACITY_BUNDLES_KEPT", min: 0, what: "bundles kept in R2 at once" },
};
const SCALES = { flag: "--scales", env: "CAPACITY_SCALES", fallback: [1, 10, 100] };

function number(raw, name, min) {
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value)) throw new CapacityInputError(`${name} must be a number, got "${raw}"`);
  if (value < min) {
    const bound = min === Number.MIN_VALUE ? "greater than 0" : `at least ${min}`;
    throw new CapacityInputError(`${name} must be ${bound}, got ${raw}`);
  }
  return value;
}

/**
 * The inputs from the command line (`--name value`, `--name=value`, or the fleet size alone as
 * the first argument), then the environment (`CAPACITY_…`), then DEFAULT_INPUTS. Throws
 * CapacityInputError naming the argument that is wrong.
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} [env]
 * @returns {{ inputs: CapacityInputs, json: boolean }}
 */
export function parseInputs(argv, env = {}) {
  const given = new Map();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") {
      json = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      if (given.has("installations")) throw new CapacityInputError(`unexpected argument "${arg}" (the fleet size goes first, or as --installations)`);
      given.set("installations", { raw: arg, name: "the fleet size (first argument)" });
      continue;
    }
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    const key = Object.keys(OPTIONS).find((k) => OPTIONS[k].flag === flag) ?? (flag === SCALES.flag ? "scales" : undefined);
    if (!key) throw new CapacityInputError(`unknown option ${flag}`);
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new CapacityInputError(`${flag} needs a value`);
    given.set(key, { raw, name: flag });
  }
  const inputs = /** @type {CapacityInputs} */ ({});
  for (const [key, option] of Object.entries(OPTIONS)) {
    const source = given.get(key) ?? (env[option.env] !== undefined ? { raw: env[option.env], name: option.env } : null);
    inputs[key] = source ? number(source.raw, source.name, option.min) : DEFAULT_INPUTS[key].value;
  }
  const scales = given.get("scales") ?? (env[SCALES.env] !== undefined ? { raw: env[SCALES.env], name: SCALES.env } : null);
  inputs.scales = scales ? scales.raw.split(",").map((s) => number(s.trim(), scales.name, Number.MIN_VALUE)) : SCALES.fallback;
  return { inputs, json };
}

/**
 * Action-log requests a day: statsenderd sends what is new at each cycle, 100 records a request;
 * with `logs` spread over `cycles`, a cycle with any sends ⌈logs ÷ cycles ÷ 100⌉ requests.
 */
export function actionLogRequestsPerDay(logs, cycles) {
  if (logs <= 0) return 0;
  if (cycles <= 0 || logs <= cycles) return Math.ceil(logs);
  return cycles * Math.ceil(logs / cycles / 100);
}

/** OSWL requests a day: the day's rows once it is over, 10 a request (OSWL_SEND_COUNT). */
export const oswlRequestsPerDay = (rows) => (rows > 0 ? Math.ceil(rows / 10) : 0);

const DAY = 86_400;

/**
 * Each resource at `scale` × the fleet: `{ id, name, value, unit, limit, kind, driver }`, where
 * kind is "hard" (Cloudflare or the config refuses beyond the limit), "included" (the plan's
 * allowance; beyond it costs) or "info" (no limit), and driver is what the resource grows with.
 * @param {CapacityInputs} inputs
 * @param {number} scale
 */
export function project(inputs, scale, costs = COSTS, limits = LIMITS) {
  const c = (key) => costs[key].value;
  const l = (key) => limits[key].value;
  const installations = inputs.installations * scale;
  const records = inputs.contribRecords * scale;
  const sources = inputs.contribSources * scale;
  const { actionLogsPerDay: logs, oswlRowsPerDay: oswl, retentionDays: days, structuresPerDay: cycles, peakFactor: peak } = inputs;

  const alRequests = actionLogRequestsPerDay(logs, cycles);
  const oswlRequests = oswlRequestsPerDay(oswl);
  const writesPerInstallationDay = cycles + alRequests + oswlRequests;
  // Every structure post moves updated_at, so the hourly roll-up reads every installation that posted.
  const rolledPerHour = installations * Math.min(1, cycles / 24);

  const collectorStatic = installations * c("installationBytes");
  const collectorDaily = installations * (logs * c("actionLogBytes") + oswl * c("oswlBytes"));
  const collectorBytes = collectorStatic + collectorDaily * days;
  const analyticBytes = installations * c("rollupBytes");
  const contribBytes = records * c("contribRecordBytes");
  const ingestCpuPerDay =
    (installations * (cycles * c("structureRequestCpuMs") + alRequests * c("actionLogRequestCpuMs") + oswlRequests * c("oswlRequestCpuMs"))) / 1000;
  const rollupCpuPerRun = rolledPerHour * c("rollupCpuSeconds");
  const oswlCsvRows = installations * (oswl / 6) * Math.min(inputs.csvRangeDays, days);

  const rows = [
    {
      id: "collector-size",
      name: `COLLECTOR_DB size (${days} days of raw rows)`,
      value: collectorBytes,
      unit: "bytes",
      limit: l("d1DatabaseBytes"),
      kind: "hard",
      driver: "installations",
      daysToFull: collectorDaily > 0 ? Math.max(0, (l("d1DatabaseBytes") - collectorStatic) / collectorDaily) : Number.POSITIVE_INFINITY,
    },
    { id: "analytic-size", name: "ANALYTIC_DB size", value: analyticBytes, unit: "bytes", limit: l("d1DatabaseBytes"), kind: "hard", driver: "installations" },
    { id: "contrib-size", name: "CONTRIB_DB size", value: contribBytes, unit: "bytes", limit: l("d1DatabaseBytes"), kind: "hard", driver: "records" },
    {
      id: "account-storage",
      name: "D1 storage of the account (3 databases)",
      value: collectorBytes + analyticBytes + contribBytes,
      unit: "bytes",
      limit: l("d1AccountBytes"),
      kind: "hard",
      driver: null,
    },
    {
      id: "collector-writes",
      name: "COLLECTOR_DB write transactions (peak)",
      value: ((installations * writesPerInstallationDay) / DAY) * peak,
      unit: "/s",
      limit: 1000 / inputs.d1WriteMs,
      kind: "hard",
      driver: "installations",
    },
    {
      id: "analytic-writes",
      name: "ANALYTIC_DB write transactions (hourly mean)",
      value: (Math.ceil(rolledPerHour / c("rollupChunk")) + c("cronFixedCalls")) / 3600,
      unit: "/s",
      limit: 1000 / inputs.d1WriteMs,
      kind: "hard",
      driver: "installations",
    },
    {
      id: "contrib-writes",
      name: "CONTRIB_DB write transactions (hourly mean)",
      value: (sources * c("processorStepsPerSourceHour")) / 3600,
      unit: "/s",
      limit: 1000 / inputs.d1WriteMs,
      kind: "hard",
      driver: "sources",
    },
    {
      id: "object-busiest",
      name: "Installation object, busiest one (its rate limit)",
      value: l("installationRequestsPerMinute") / 60,
      unit: "/s",
      limit: l("doRequestsPerSecond"),
      kind: "hard",
      driver: null,
    },
    {
      id: "object-class",
      name: "Installation objects, all (peak)",
      value: ((installations * writesPerInstallationDay) / DAY) * peak,
      unit: "/s",
      limit: null,
      kind: "info",
      driver: "installations",
    },
    {
      id: "object-storage",
      name: `Installation object storage (${days} days of keys)`,
      value: logs * days * c("actionLogKeyBytes"),
      unit: "bytes",
      limit: l("doStorageBytes"),
      kind: "hard",
      driver: null,
    },
    {
      id: "queue-rate",
      name: "processor queue messages (peak)",
      value: ((sources * c("processorStepsPerSourceHour")) / 3600) * peak,
      unit: "/s",
      limit: l("queueMessagesPerSecond"),
      kind: "hard",
      driver: "sources",
    },
    {
      id: "queue-consumer",
      name: "processor steps, consumer time per hour",
      value: sources * c("processorStepsPerSourceHour") * c("processorStepSeconds"),
      unit: "s",
      limit: l("processorSecondsPerHour"),
      kind: "hard",
      driver: "sources",
    },
    {
      id: "rollup-cpu",
      name: "roll-up, Worker CPU per hourly run",
      value: rollupCpuPerRun,
      unit: "s",
      limit: l("cpuSecondsPerInvocation"),
      kind: "hard",
      driver: "installations",
    },
    {
      id: "rollup-queries",
      name: "roll-up, D1 queries per hourly invocation",
      value: Math.ceil(rolledPerHour / c("rollupChunk")) * c("rollupCallsPerChunk") + c("cronFixedCalls"),
      unit: "queries",
      limit: l("d1QueriesPerInvocation"),
      kind: "hard",
      driver: "installations",
    },
    {
      id: "csv-clusters-queries",
      name: "clusters CSV of every installation, D1 queries",
      value: Math.ceil(installations / c("csvPageRows")) * c("csvClustersQueriesPerPage") + 1,
      unit: "queries",
      limit: l("d1QueriesPerInvocation"),
      kind: "hard",
      driver: "installations",
    },
    {
      id: "csv-oswl-queries",
      name: `vm CSV of ${Math.min(inputs.csvRangeDays, days)} days, D1 queries`,
      value: Math.ceil(oswlCsvRows / c("csvPageRows")) + 1,
      unit: "queries",
      limit: l("d1QueriesPerInvocation"),
      kind: "hard",
      driver: "installations",
    },
    {
      id: "csv-nodes-cpu",
      name: "nodes CSV of every installation, Worker CPU",
      value: installations * c("csvNodesRowsPerInstallation") * c("csvNodesCpuSecondsPerRow"),
      unit: "s",
      limit: l("cpuSecondsPerInvocation"),
      kind: "hard",
      driver: "installations",
    },
    { id: "ingest-cpu-day", name: "Worker CPU, ingest (upper bound)", value: ingestCpuPerDay, unit: "s/day", limit: null, kind: "info", driver: "installations" },
    { id: "rollup-cpu-day", name: "Worker CPU, roll-ups (upper bound)", value: rollupCpuPerRun * 24, unit: "s/day", limit: null, kind: "info", driver: "installations" },
    {
      id: "cpu-month",
      name: "Worker CPU, ingest and roll-ups",
      value: (ingestCpuPerDay + rollupCpuPerRun * 24) * 30,
      unit: "s/month",
      limit: l("includedCpuSecondsPerMonth"),
      kind: "included",
      driver: "installations",
    },
    {
      id: "rows-written-month",
      name: "D1 rows written (collector and roll-up)",
      value:
        30 *
        (installations * (cycles * c("structureRepostRowsWritten") + logs * c("actionLogRowsWritten") + oswl * c("oswlRowsWritten")) +
          24 * rolledPerHour * c("rollupRowsWritten")),
      unit: "rows/month",
      limit: l("includedRowsWrittenPerMonth"),
      kind: "included",
      driver: "installations",
    },
    {
      id: "rows-read-month",
      name: "D1 rows read (collector and roll-up)",
      value:
        30 *
        (installations * (cycles * c("structureRepostRowsRead") + logs * c("actionLogRowsRead") + oswl * c("oswlRowsRead")) +
          24 * rolledPerHour * c("rollupRowsRead")),
      unit: "rows/month",
      limit: l("includedRowsReadPerMonth"),
      kind: "included",
      driver: "installations",
    },
    {
      id: "r2-storage",
      name: `R2, ${inputs.bundlesKept} all-reports bundles (uncompressed)`,
      value: inputs.bundlesKept * installations * c("bundleBytesPerInstallation"),
      unit: "bytes",
      limit: l("includedR2Bytes"),
      kind: "included",
      driver: "installations",
    },
  ];
  return rows.map((row) => ({
    ...row,
    headroom: row.limit === null ? null : row.value === 0 ? Number.POSITIVE_INFINITY : row.limit / row.value,
  }));
}

/** The hard limit with the least headroom: met when its headroom is below 1. */
export function firstLimit(rows) {
  return rows.filter((r) => r.kind === "hard").reduce((a, b) => (b.headroom < a.headroom ? b : a));
}

/**
 * What one deployment holds at the inputs' rates: for each driver, the most of it before each hard
 * limit that grows with it, the lowest first (value × headroom: every such resource grows in
 * proportion, except the query counts, which are whole pages, so "about").
 * @returns {Record<string, Held[]>}
 */
export function holds(rows, inputs) {
  const drivers = { installations: inputs.installations, records: inputs.contribRecords, sources: inputs.contribSources };
  /** @type {Record<string, Held[]>} */
  const out = {};
  for (const row of rows) {
    if (row.kind !== "hard" || !row.driver || !Number.isFinite(row.headroom)) continue;
    (out[row.driver] ??= []).push({ most: drivers[row.driver] * row.headroom, by: row.name });
  }
  for (const list of Object.values(out)) list.sort((a, b) => a.most - b.most);
  return out;
}

/**
 * The projection at every scale of the inputs.
 * @param {CapacityInputs} inputs
 */
export function simulate(inputs, costs = COSTS, limits = LIMITS) {
  const atOne = project(inputs, 1, costs, limits);
  return {
    inputs,
    holds: holds(atOne, inputs),
    scales: inputs.scales.map((scale) => {
      const rows = scale === 1 ? atOne : project(inputs, scale, costs, limits);
      return {
        scale,
        installations: inputs.installations * scale,
        records: inputs.contribRecords * scale,
        sources: inputs.contribSources * scale,
        rows,
        first: firstLimit(rows),
      };
    }),
  };
}

const count = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sig = (n) => (n >= 100 ? count(n) : n >= 10 ? count(n, 1) : count(n, 2));
/** Whole numbers as they are, others to three figures or so. */
const num = (n) => (Number.isInteger(n) ? count(n) : sig(n));

/** A value with its unit, for the table. */
export function formatValue(value, unit) {
  if (value === null) return "–";
  if (unit === "bytes") {
    for (const [size, name] of [
      [1e12, "TB"],
      [1e9, "GB"],
      [1e6, "MB"],
      [1e3, "KB"],
    ]) {
      if (value >= size) return `${sig(value / size)} ${name}`;
    }
    return `${count(value)} B`;
  }
  if (unit === "queries") return count(Math.ceil(value));
  if (unit === "rows/month") return value >= 1e9 ? `${sig(value / 1e9)} billion/month` : `${sig(value / 1e6)} million/month`;
  return `${sig(value)} ${unit}`.replace(" /s", "/s");
}

export function formatHeadroom(headroom) {
  if (headroom === null) return "";
  if (!Number.isFinite(headroom)) return "∞";
  if (headroom < 0.01) return `${headroom.toPrecision(2)}×`;
  // Just under 1 is a limit met: never round it up to "1.00×".
  if (headroom < 1 && headroom >= 0.995) return `${Math.floor(headroom * 1000) / 1000}×`;
  return `${headroom >= 100 ? count(headroom) : headroom >= 10 ? count(headroom, 1) : count(headroom, 2)}×`;
}

const pad = (text, width) => text + " ".repeat(Math.max(0, width - [...text].length));
const padStart = (text, width) => " ".repeat(Math.max(0, width - [...text].length)) + text;

/** The simulation as the text `npm run bench:capacity` prints. */
export function formatReport(simulation) {
  const { inputs } = simulation;
  const lines = [
    "edgestats capacity projection (bench/capacity.mjs): projected from measured costs, not measured at these sizes",
    `fleet: ${num(inputs.installations)} installations, each a day ${num(inputs.structuresPerDay)} structure posts, ${num(inputs.actionLogsPerDay)} action logs, ${num(inputs.oswlRowsPerDay)} OSWL rows; raw rows kept ${num(inputs.retentionDays)} days`,
    `contribution: ${num(inputs.contribRecords)} records, ${num(inputs.contribSources)} sources; peak ${num(inputs.peakFactor)}× the mean rate; a D1 write transaction ${num(inputs.d1WriteMs)} ms`,
    "costs and limits: bench/lib/capacity-costs.mjs (each cites bench/RESULTS.md, bench/lib/row-bytes.json or Cloudflare's page)",
  ];
  for (const at of simulation.scales) {
    lines.push(
      "",
      `${num(at.scale)}×: ${num(at.installations)} installations, ${num(at.records)} contribution records, ${num(at.sources)} sources`,
    );
    const table = at.rows.map((r) => [
      r.name,
      formatValue(r.value, r.unit),
      r.limit === null ? "no limit" : formatValue(r.limit, r.unit) + (r.kind === "included" ? " incl." : ""),
      formatHeadroom(r.headroom),
      r.kind === "hard" && r.headroom < 1 ? "LIMIT MET" : r.kind === "included" && r.headroom < 1 ? "over included" : "",
    ]);
    const header = ["resource", "projected", "limit", "headroom", ""];
    const widths = header.map((h, i) => Math.max([...h].length, ...table.map((row) => [...row[i]].length)));
    const render = (row) =>
      row
        .map((cell, i) => (i === 1 || i === 2 || i === 3 ? padStart(cell, widths[i]) : pad(cell, widths[i])))
        .join("  ")
        .trimEnd();
    lines.push(render(header), ...table.map(render));
    const collector = at.rows.find((r) => r.id === "collector-size");
    const first = at.first;
    const met = at.rows.filter((r) => r.kind === "hard" && r.headroom < 1).sort((a, b) => a.headroom - b.headroom);
    lines.push(
      first.headroom < 1
        ? `met first: ${first.name}, ${formatValue(first.value, first.unit)} of ${formatValue(first.limit, first.unit)} (headroom ${formatHeadroom(first.headroom)})`
        : `no limit met; the nearest: ${first.name} (headroom ${formatHeadroom(first.headroom)})`,
    );
    if (met.length > 1) lines.push(`limits met, in order: ${met.map((r) => `${r.name} (${formatHeadroom(r.headroom)})`).join("; ")}`);
    if (Number.isFinite(collector.daysToFull)) lines.push(`COLLECTOR_DB reaches 10 GB after ${count(collector.daysToFull)} days of raw rows at this fleet`);
  }
  lines.push("", "one deployment holds, at these rates, before each hard limit that grows with it (the first one first):");
  for (const [driver, limits] of Object.entries(simulation.holds)) {
    const what = driver === "sources" ? "processor sources" : driver === "records" ? "contribution records" : driver;
    for (const { most, by } of limits) lines.push(`  about ${count(most)} ${what}: ${by}`);
  }
  return lines.join("\n");
}
