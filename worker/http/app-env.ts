import type { Context } from "hono";

export type AppEnv = { Bindings: Env; Variables: { startedAt: number } };
export type AppContext = Context<AppEnv>;

/** `exec_time` of the fuel-stats envelope: the handler's wall time in seconds. */
export const execTime = (c: AppContext) => Number(((performance.now() - c.get("startedAt")) / 1000).toFixed(6));

export const maxBodyBytes = (c: AppContext) => Number(c.env.MAX_BODY_BYTES) || 1024 * 1024;
