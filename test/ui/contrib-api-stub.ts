// A fetch for the contribution pages' component tests: the answers the e2e seed's worker gave
// (test/fixtures/contrib/dashboard/api-answers.json, in docs/contrib-api.md's shapes), looked up
// by path and the parameters that change them; a test replaces any answer by path.
import { vi } from "vitest";
import recorded from "../fixtures/contrib/dashboard/api-answers.json";

export const ANSWERS = recorded as Record<string, any>;
export const RECENT = new Date(Date.now() - 10 * 60_000).toUTCString();

export type Override = unknown | ((url: URL) => Response | Promise<Response>);

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** The recorded answer for a request: the exact query if recorded, else by metric, else the path's. */
export function recordedAnswer(url: URL): unknown {
  const path = url.pathname.replace(/^\/api\/1\.0\//, "");
  const metric = url.searchParams.get("metric");
  if (path === "activity") {
    const start = Number(url.searchParams.get("start_record") ?? 0);
    return ANSWERS[`activity?start_record=${start}&page_size=10`] ?? { activity: [] };
  }
  if (path === "modules") return ANSWERS["modules?tags=module,program,group"];
  return (metric && metric !== "marks" ? ANSWERS[`${path}?metric=${metric}`] : undefined) ?? ANSWERS[path] ?? { stats: [] };
}

/**
 * Stubs fetch; `overrides` by path ("stats/companies") replace the recorded answer. Returns the
 * URLs asked for, in order.
 */
export function stubContribApi(overrides: Record<string, Override> = {}, lastModified: string | null = RECENT): string[] {
  const asked: string[] = [];
  vi.stubGlobal("fetch", async (input: string) => {
    asked.push(input);
    const url = new URL(input, "http://localhost");
    const path = url.pathname.replace(/^\/api\/1\.0\//, "");
    const override = overrides[path];
    if (typeof override === "function") return (override as (u: URL) => Response | Promise<Response>)(url);
    const headers: Record<string, string> = lastModified ? { "last-modified": lastModified } : {};
    return json(override !== undefined ? override : recordedAnswer(url), 200, headers);
  });
  return asked;
}
