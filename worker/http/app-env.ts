import type { Context } from "hono";
import type { ReadVersions } from "../db/contrib";
import type { OutcomeCounts } from "../domain/outcomes";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    startedAt: number;
    /** What an accepted collector request did, for the data-quality counters. */
    outcomes?: OutcomeCounts;
    /** The master_node_uid a collector write names: its hash goes into the request's log line. */
    installation?: string;
    /** The data version and config of an `/api/1.0` read answer (http/contrib-read.ts). */
    contribVersions?: ReadVersions;
  };
};
export type AppContext = Context<AppEnv>;

/** `exec_time` of the fuel-stats envelope: the handler's wall time in seconds. */
export const execTime = (c: AppContext) => Number(((performance.now() - c.get("startedAt")) / 1000).toFixed(6));
