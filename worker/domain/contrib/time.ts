// Stackalytics' time helpers, in seconds since the epoch and always UTC.
export const DAY_SECONDS = 86_400;
const WEEK_SECONDS = 7 * DAY_SECONDS;

/** Days since the epoch. */
export const dayOf = (seconds: number) => Math.floor(seconds / DAY_SECONDS);

/** Weeks that start on Sunday: 1970-01-04 (a Sunday) starts week 0. */
export const weekOf = (seconds: number) => Math.floor((seconds - 3 * DAY_SECONDS) / WEEK_SECONDS);

/** `YYYY-MM-DD` of a time in seconds. */
export const isoDay = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
