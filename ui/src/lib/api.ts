// The API the dashboard reads: URL builders and typed fetches. Types come from schemas/ (zod) as
// type-only imports, so that zod never reaches the browser bundle.
import type { z } from "zod";
import type { BundleView } from "../../../schemas/bundles";
import type { CsvReportId } from "../../../schemas/csv";
import type { HealthResponse } from "../../../schemas/health";
import type { AdoptionReport, CoverageReport, FilteringReport, InstallationsReportSchema, ReleasesReport } from "../../../schemas/reports";
import type { ServiceStatus } from "../../../schemas/status";

export type InstallationsReport = z.infer<typeof InstallationsReportSchema>;
export type { AdoptionReport, BundleView, CoverageReport, CsvReportId, FilteringReport, HealthResponse, ReleasesReport, ServiceStatus };

export interface DateRange {
  from: string;
  to: string;
}

function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export const apiUrl = {
  installations: (release?: string) => withQuery("/api/v1/json/report/installations", { release }),
  releases: () => "/api/v1/json/report/releases",
  filtering: () => "/api/v1/json/report/filtering",
  coverage: () => "/api/v1/json/report/coverage",
  adoption: (range: DateRange) => withQuery("/api/v1/json/report/adoption", { from_date: range.from, to_date: range.to }),
  health: (range: DateRange) => withQuery("/api/v1/json/collector/health", { from_date: range.from, to_date: range.to }),
  csv: (id: CsvReportId, range: DateRange) => withQuery(`/api/v1/csv/${id}`, { from_date: range.from, to_date: range.to }),
  bundles: () => "/api/v1/exports",
  bundle: (id: string) => `/api/v1/exports/${encodeURIComponent(id)}`,
  adminStatus: () => "/api/v1/admin/status",
};

/** An answer other than 2xx, with the API's own message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The API's message of an answer other than 2xx, else its status. */
export async function messageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === "string") return body.message;
  } catch {
    // not JSON: the status says enough
  }
  return `${response.status} ${response.statusText}`.trim();
}

/** An API answer and the time its data is as of (its Last-Modified; null when it has none). */
export interface Dated<T> {
  data: T;
  asOf: Date | null;
}

export async function getDatedJson<T>(url: string, init?: RequestInit): Promise<Dated<T>> {
  const response = await fetch(url, { headers: { accept: "application/json" }, ...init });
  if (!response.ok) throw new ApiError(response.status, await messageOf(response));
  const modified = response.headers?.get("last-modified");
  const asOf = modified ? new Date(modified) : null;
  return { data: (await response.json()) as T, asOf: asOf && !Number.isNaN(asOf.getTime()) ? asOf : null };
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  return (await getDatedJson<T>(url, init)).data;
}

export function requestBundle(range: DateRange, headers: Record<string, string> = {}): Promise<BundleView> {
  return getJson<BundleView>(apiUrl.bundles(), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify({ from_date: range.from, to_date: range.to }),
  });
}
