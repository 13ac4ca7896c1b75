// What every source parser shares: the error for an answer that is not what the source should
// send, and small helpers for the values sources write differently.

/**
 * A remote answer that is not in the source's format (an HTML error page, truncated JSON, a
 * missing field). The step that got it fails with this message and stores nothing.
 */
export class SourceFormatError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = "SourceFormatError";
  }
}

/** JSON.parse that names the source and shows the start of the text when it is not JSON. */
export function parseJsonText(source: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SourceFormatError(source, `not JSON (${(error as Error).message}); the answer began with ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/**
 * An email Stackalytics accepts: a local part, an `@`, and a domain with at least one dot whose
 * last label is a TLD of letters (`pupkin@localhost` and `222@some.(trash)` are not emails).
 */
const EMAIL = /^[^\s@<>()]+@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;
export const isValidEmail = (text: string) => EMAIL.test(text);

/**
 * Seconds since the epoch of an ISO 8601 time, or of Gerrit's `2024-03-01 12:00:00.000000000`;
 * a time without an offset is UTC (never the machine's zone).
 */
export function toSeconds(text: string): number | null {
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(text.trim());
  const iso = local ? `${local[1]}T${local[2]}${(local[3] ?? "").slice(0, 4)}Z` : text;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

/** Text cut to at most `max` characters (records have bounded fields). */
export const truncate = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max));
