// The agent's settings: one JSON file the operator edits. Sending is off until the operator turns
// it on here (and the environment can still veto it, see consent.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export const DEFAULT_CONFIG_FILE = "edgestats-agent.json";

const seconds = (fallback: number) => z.number().positive().default(fallback);

export const AgentConfigSchema = z.strictObject({
  /** The collector's origin, e.g. https://stats.example.org; requests go to <collector>/api/v1/…/. */
  collector: z.url({ protocol: /^https?$/ }),
  /** The SQLite outbox file; relative to the config file. */
  outbox: z.string().min(1),
  /** The opt-in: nothing is sent, and the collector is not even pinged, until this is true. */
  sendStatistics: z.boolean().default(false),
  /** A separate opt-in for the operator's name, email and company below. */
  shareContactDetails: z.boolean().default(false),
  contact: z
    .strictObject({
      name: z.string().max(200).optional(),
      email: z.string().max(200).optional(),
      company: z.string().max(200).optional(),
    })
    .default({}),
  /** Normally absent: the outbox creates a random one on first use and keeps it. */
  masterNodeUid: z.string().min(1).max(128).optional(),
  /** After a good cycle (fuel-stats' STATS_SEND_INTERVAL). */
  sendIntervalSeconds: seconds(3600),
  /** The first wait after a failed cycle; it doubles with each failure in a row (COLLECTOR_PING_INTERVAL). */
  retryIntervalSeconds: seconds(300),
  /** The longest wait after failures in a row. */
  maxBackoffSeconds: seconds(3600),
  /** How often to look again while sending is not allowed (STATS_ENABLE_CHECK_INTERVAL). */
  enableCheckIntervalSeconds: seconds(300),
  /** Every HTTP request (COLLECTOR_RESP_TIMEOUT). */
  timeoutMs: z.int().positive().default(5000),
  /** OSWL rows are sent once their day is this many days old: today's row still changes (OSWL_COLLECT_PERIOD). */
  oswlCollectPeriodDays: z.int().min(0).default(1),
});
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;
export type AgentConfig = z.output<typeof AgentConfigSchema>;

/** Validates settings given in code; `outbox` stays as given. */
export function parseConfig(input: unknown): AgentConfig {
  const parsed = AgentConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(config)"}: ${i.message}`);
    throw new Error(`invalid agent config: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** Reads a config file; the outbox path is resolved against the file's folder. */
export function loadConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read the agent config ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`the agent config ${file} is not JSON: ${(error as Error).message}`);
  }
  const config = parseConfig(json);
  return { ...config, outbox: path.resolve(path.dirname(path.resolve(file)), config.outbox) };
}
