import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

/**
 * The one error type of the API; `app.onError` turns it into `{"status":"error","message":…}`,
 * plus any `fields` (such as a fresh installation_token) and response `headers`.
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

export const apiError = (status: ContentfulStatusCode, message: string) => new ApiError(status, message);

/** 405 for a known path asked with a method it does not serve; `Allow` names the ones it does. */
export function methodNotAllowed(method: string, path: string, allowed: string): ApiError {
  const allow = allowed === "GET" ? "GET, HEAD" : allowed;
  return new ApiError(405, `method ${method} is not allowed on ${path}; use ${allowed}`, {}, { Allow: allow });
}

/** `a.b[0].c` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

function describeIssue(issue: z.core.$ZodIssue, within: readonly PropertyKey[]): string {
  const where = formatPath([...within, ...issue.path]) || "body";
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${k}"`).join(", ");
    return `${where}: unknown field${issue.keys.length > 1 ? "s" : ""} ${keys} (not allowed here)`;
  }
  // Parsed with reportInput: an undefined input is an absent field, whatever the expected type.
  if ("input" in issue && issue.input === undefined) return `${where}: required field is missing`;
  return `${where}: ${issue.message}`;
}

/**
 * A message naming each failing field and why, for a 400 (at most `limit` issues). `within` is the
 * path of the validated value when it is not the whole body (a query parameter, say).
 */
export function describeZodError(error: z.ZodError, within: readonly PropertyKey[] = [], limit = 5): string {
  const issues = error.issues.slice(0, limit).map((issue) => describeIssue(issue, within));
  const more = error.issues.length - limit;
  return `invalid request: ${issues.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}
