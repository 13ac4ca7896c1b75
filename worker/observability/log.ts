// The structured log lines (docs/operations.md, "Observability"): one JSON object per request, written with console.log, which Workers Logs indexes field by field and
// `wrangler tail --search` matches as text. A line holds no token, header, address, raw path or
// query string: routes are their patterns, an installation is a short hash of its uid.

/** Counts of what a request or step did (records accepted, rows read, …). */
export type Counts = Record<string, number>;

export interface RequestLine {
  kind: "request";
  method: string;
  /** The pattern of the route that answered (`/api/v1/admin/installations/:uid`), never the path. */
  route: string;
  status: number;
  ms: number;
  /** installationHash of the master_node_uid a collector write named. */
  installation?: string;
  /** What an accepted collector write did, as the data-quality counters count it. */
  outcomes?: Counts;
  /** The exception behind a 5xx. */
  error?: string;
}

export const writeLine = (line: RequestLine): void => console.log(JSON.stringify(line));

/** Short enough for a line, long enough (48 bits) that two of 100,000 installations almost never share one. */
const HASH_HEX_CHARS = 12;

/**
 * The first 12 hex digits of the SHA-256 of a master_node_uid: lines of one installation can be
 * found (`printf %s "$uid" | sha256sum | cut -c1-12`) without logs holding the uid itself.
 */
export async function installationHash(uid: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(uid));
  return Array.from(new Uint8Array(digest, 0, HASH_HEX_CHARS / 2), (b) => b.toString(16).padStart(2, "0")).join("");
}

const MAX_ERROR_CHARS = 500;
export const errorText = (error: unknown) => String(error).slice(0, MAX_ERROR_CHARS);
