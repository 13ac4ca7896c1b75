// How the report pages write times and waits: UTC, as the API's dates are.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `04 Mar 2024` of seconds since the epoch. */
export function formatDay(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${String(d.getUTCDate()).padStart(2, "0")} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** `04 Mar 2024 09:15 UTC`. */
export function formatTime(seconds: number): string {
  return `${formatDay(seconds)} ${new Date(seconds * 1000).toISOString().slice(11, 16)} UTC`;
}

/** `2024-03-04` (an `<input type="date">` value, the API's `YYYY-MM-DD`). */
export const isoDay = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/**
 * A wait in words, to its two largest units: `3 days 5 hours`, `2 hours 10 minutes`, `45 minutes`,
 * `less than a minute`; `—` when there is none (an empty group).
 */
export function formatWait(seconds: number | null): string {
  if (seconds === null) return "—";
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  if (minutes === 0) return "less than a minute";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${plural(days, "day")} ${plural(hours, "hour")}` : plural(days, "day");
  if (hours > 0) return mins > 0 ? `${plural(hours, "hour")} ${plural(mins, "minute")}` : plural(hours, "hour");
  return plural(mins, "minute");
}

/** `85.3%` as a number, or null for Stackalytics' infinity (`&#x221E;`, no votes). */
export function ratioValue(ratio: string): number | null {
  const n = Number.parseFloat(ratio);
  return Number.isFinite(n) ? n : null;
}

/** A ratio as text: `&#x221E;` (no votes or patch sets) becomes `∞`. */
export const ratioText = (ratio: string) => (ratioValue(ratio) === null ? "∞" : ratio);
