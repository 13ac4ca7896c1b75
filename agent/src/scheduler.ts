// Never in the way: cycles run on timers, spread ±10% around the interval so that a fleet does
// not call at the same second, back off exponentially while the collector is down, and a cycle
// that throws is logged and followed by the next. Timers are unref'd inside a host process, so the
// agent never keeps the host alive, and the host's work never waits for a cycle.
import type { AgentConfig } from "./config";
import { type CycleDeps, type CycleReport, runCycle } from "./cycle";

/** A random duration between 0.9 and 1.1 times `seconds` (fuel-stats' "dithered" sleeps). */
export function jittered(seconds: number, random: () => number = Math.random): number {
  return seconds * (0.9 + 0.2 * random());
}

type Intervals = Pick<AgentConfig, "sendIntervalSeconds" | "retryIntervalSeconds" | "maxBackoffSeconds" | "enableCheckIntervalSeconds">;

/**
 * How long to wait after a cycle. `failuresInRow` counts this one: 1 after the first failure.
 * A crashed cycle (`report` null) backs off like a collector that is down.
 */
export function nextDelaySeconds(report: CycleReport | null, failuresInRow: number, intervals: Intervals, random: () => number = Math.random): number {
  if (report?.outcome === "sent") return jittered(intervals.sendIntervalSeconds, random);
  if (report?.outcome === "not-allowed") return jittered(intervals.enableCheckIntervalSeconds, random);
  const exponent = Math.max(0, Math.min(failuresInRow - 1, 30));
  const backoff = Math.min(intervals.retryIntervalSeconds * 2 ** exponent, intervals.maxBackoffSeconds);
  return Math.max(jittered(backoff, random), report?.retryAfterSeconds ?? 0);
}

export interface LoopOptions {
  /** Keep the process alive while waiting (the CLI daemon); a host process leaves it false. */
  keepAlive?: boolean;
  random?: () => number;
  /** Called after every cycle, with its report or the error it threw. */
  onCycle?: (result: { report: CycleReport | null; error?: unknown; delaySeconds: number }) => void;
  /** The first cycle waits this long (default: no wait). */
  initialDelaySeconds?: number;
}

export class AgentLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private failuresInRow = 0;

  constructor(
    private readonly deps: CycleDeps,
    private readonly options: LoopOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.options.initialDelaySeconds ?? 0);
  }

  /** Stops the timers and waits for a cycle in flight to end (its requests time out on their own). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(seconds: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, Math.round(seconds * 1000));
    if (!this.options.keepAlive) this.timer.unref();
  }

  private async tick(): Promise<void> {
    let report: CycleReport | null = null;
    let error: unknown;
    try {
      report = await runCycle(this.deps);
    } catch (e) {
      error = e;
      this.deps.log.error(`the cycle crashed; the next one runs as scheduled: ${(e as Error)?.stack ?? String(e)}`);
    }
    const failed = report === null || report.outcome === "collector-down" || report.outcome === "identity";
    this.failuresInRow = failed ? this.failuresInRow + 1 : 0;
    const delaySeconds = nextDelaySeconds(report, this.failuresInRow, this.deps.config, this.options.random);
    try {
      this.options.onCycle?.({ report, error, delaySeconds });
    } catch (e) {
      this.deps.log.error(`onCycle threw: ${String(e)}`);
    }
    this.schedule(delaySeconds);
  }
}
