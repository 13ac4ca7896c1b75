// HTTP to the collector: every request has a timeout (5 s by default), and a failure of any kind
// comes back as a CollectorError the cycle can decide on, never as a hang or an unhandled rejection.
import { INSTALLATION_TOKEN_HEADER } from "../../schemas/collector";

export type CollectorErrorKind = "unreachable" | "timeout" | "http" | "rate" | "protocol";

export class CollectorError extends Error {
  constructor(
    readonly kind: CollectorErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "CollectorError";
  }
}

export interface CollectorResponse {
  status: number;
  json: Record<string, unknown> | null;
  retryAfterSeconds?: number;
}

export interface ClientOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
}

export const API_PATHS = {
  ping: "/api/v1/ping/",
  action_logs: "/api/v1/action_logs/",
  installation_structure: "/api/v1/installation_structure/",
  oswl_stats: "/api/v1/oswl_stats/",
  installation: "/api/v1/installation",
} as const;

export class CollectorClient {
  readonly origin: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(collector: string, options: ClientOptions) {
    this.origin = collector.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs;
    this.fetchImpl = options.fetch ?? fetch;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  private async request(path: string, init: RequestInit): Promise<CollectorResponse> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path), { ...init, redirect: "error", signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const e = error as Error;
      if (e.name === "TimeoutError" || e.name === "AbortError") {
        throw new CollectorError("timeout", `${path}: no answer within ${this.timeoutMs} ms`);
      }
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new CollectorError("unreachable", `${path}: ${cause?.code ?? cause?.message ?? e.message}`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new CollectorError("unreachable", `${path}: the answer broke off: ${(error as Error).message}`);
    }
    let json: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = null;
    }
    const retryAfter = Number(response.headers.get("retry-after"));
    return { status: response.status, json, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) };
  }

  /** GET ping/: resolves if the collector answers 200 with status ok. */
  async ping(uid: string): Promise<void> {
    const response = await this.request(API_PATHS.ping, { method: "GET", headers: { "master-node-uid": uid } });
    if (response.status !== 200 || response.json?.status !== "ok") {
      throw new CollectorError("http", `${API_PATHS.ping}: unexpected answer ${response.status}`, response.status);
    }
  }

  /** DELETE installation: the collector deletes everything it holds of the installation; any HTTP answer is returned. */
  deleteInstallation(uid: string, token: string): Promise<CollectorResponse> {
    const headers = { "content-type": "application/json", "master-node-uid": uid, [INSTALLATION_TOKEN_HEADER]: token };
    return this.request(API_PATHS.installation, { method: "DELETE", headers, body: JSON.stringify({ master_node_uid: uid }) });
  }

  /** POSTs a JSON body with the installation token (if any); any HTTP answer is returned. */
  post(path: string, body: unknown, uid: string, token: string | null): Promise<CollectorResponse> {
    const headers: Record<string, string> = { "content-type": "application/json", "master-node-uid": uid };
    if (token) headers[INSTALLATION_TOKEN_HEADER] = token;
    return this.request(path, { method: "POST", headers, body: JSON.stringify(body) });
  }
}
