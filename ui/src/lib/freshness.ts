// How old the numbers on screen are, and what to do when there are none yet.

/** "2026-03-03 14:05 UTC": the days and times of the API are UTC. */
export function formatAsOf(asOf: Date): string {
  return `${asOf.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** What a page or chart says about its data's time: the roll-up's, or that there was none yet. */
export function asOfText(asOf: Date | null): string {
  return asOf ? `Data as of ${formatAsOf(asOf)}` : "No roll-up yet";
}

/** The advice when the reports have nothing to show because no roll-up has run. */
export const NO_ROLLUP_YET =
  "No roll-up yet: run the hourly job (an admin can run it now with GET /api/v1/json/report/installations?refresh=1), or wait for it.";

/**
 * What an empty chart of the roll-up says: that nothing was rolled up yet, or what its view
 * lacks and how to get it.
 */
export function emptyMessage(asOf: Date | null, lacking: string): string {
  return asOf ? lacking : NO_ROLLUP_YET;
}
