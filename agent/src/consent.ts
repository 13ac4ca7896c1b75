// Consent first: the operator opts in through the config, and either of the environment's opt-outs
// always wins over it.

export type Consent = { send: true } | { send: false; reason: string };

/** The environment variables that veto sending, whatever the config says. */
export const OPT_OUT_VARIABLES = ["DO_NOT_TRACK", "EDGESTATS_NO_TELEMETRY"] as const;

/** Set to anything but empty, 0 or false counts as an opt-out (DO_NOT_TRACK=1 is the convention). */
function optedOut(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  return v !== "" && v !== "0" && v !== "false" && v !== "no";
}

export function decideConsent(config: { sendStatistics: boolean }, env: Readonly<Record<string, string | undefined>>): Consent {
  for (const name of OPT_OUT_VARIABLES) {
    if (optedOut(env[name])) return { send: false, reason: `${name}=${env[name]} is set in the environment: nothing is sent` };
  }
  if (!config.sendStatistics) {
    return { send: false, reason: 'the operator has not opted in: set "sendStatistics": true in the agent config to send' };
  }
  return { send: true };
}
