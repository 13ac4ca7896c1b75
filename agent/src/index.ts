// edgestats-agent as a library: a host product opens the outbox, appends what happens, and starts
// the loop; the loop sends only with consent and never blocks or keeps the host alive.
import { CollectorClient } from "./client";
import { type AgentConfig, type AgentConfigInput, loadConfig, parseConfig } from "./config";
import type { Logger } from "./log";
import { stderrLogger } from "./log";
import { Outbox } from "./outbox";
import { AgentLoop, type LoopOptions } from "./scheduler";

export { CollectorClient, CollectorError } from "./client";
export { type AgentConfig, type AgentConfigInput, AgentConfigSchema, loadConfig, parseConfig } from "./config";
export { type Consent, decideConsent, OPT_OUT_VARIABLES } from "./consent";
export { type CycleReport, runCycle } from "./cycle";
export { type ForgetResult, forgetInstallation } from "./forget";
export { IdentityError } from "./identity";
export { type Logger, memoryLogger, silentLogger, stderrLogger, writerLogger } from "./log";
export { type ActionLogInput, Outbox, type OswlInput } from "./outbox";
export { ACTION_LOGS_PER_REQUEST, OSWL_PER_REQUEST } from "./plan";
export { AgentLoop, jittered, nextDelaySeconds } from "./scheduler";
export { applyReceipt, buildBundle, exportBundle, previewCycle, readBundle, readReceipt, uploadBundle, writeReceipt } from "./airgap";
export * as sanitize from "./sanitize";

export interface RunningAgent {
  config: AgentConfig;
  outbox: Outbox;
  loop: AgentLoop;
  stop(): Promise<void>;
}

/** Opens the outbox of a config (a file path or the settings) and starts sending in the background. */
export function startAgent(
  config: string | AgentConfigInput,
  options: LoopOptions & { log?: Logger; env?: Record<string, string | undefined>; fetch?: typeof fetch } = {},
): RunningAgent {
  const settings = typeof config === "string" ? loadConfig(config) : parseConfig(config);
  const outbox = Outbox.open(settings.outbox);
  const client = new CollectorClient(settings.collector, { timeoutMs: settings.timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const loop = new AgentLoop({ outbox, config: settings, client, env: options.env ?? process.env, log: options.log ?? stderrLogger }, options);
  loop.start();
  return {
    config: settings,
    outbox,
    loop,
    async stop() {
      await loop.stop();
      outbox.close();
    },
  };
}
