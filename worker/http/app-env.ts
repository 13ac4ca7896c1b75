import type { Context } from "hono";
import type { OutcomeCounts } from "../domain/outcomes";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    startedAt: number;
    /** What an accepted collector request did, for the data-quality counters. */
    outcomes?: OutcomeCounts;
  };
};
export type AppContext = Context<AppEnv>;

/** `exec_time` of the fuel-stats envelope: the handler's wall time in seconds. */
export const execTime = (c: AppContext) => Number(((performance.now() - c.get("startedAt")) / 1000).toFixed(6));
