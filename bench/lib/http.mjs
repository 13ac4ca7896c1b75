// A minimal HTTP client for the benches: one keep-alive connection to 127.0.0.1, no timeouts (a
// full roll-up behind /__scheduled can take minutes), the time of each request in milliseconds.
import http from "node:http";

export function client(port, { connections = 1 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  function request(method, path, { body = null, headers = {} } = {}) {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        { host: "127.0.0.1", port, method, path, agent, headers: body === null ? headers : { "content-type": "application/json", ...headers } },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      if (body !== null) req.write(body);
      req.end();
    });
  }
  return {
    request,
    get: (path) => request("GET", path),
    post: (path, body, headers) => request("POST", path, { body, headers }),
    close: () => agent.destroy(),
  };
}

/**
 * A GET through wrangler's dev server that is sent again when no answer came within `timeoutMs`.
 * Its proxy (wrangler 4.86's ProxyWorker) forwards each request to the runtime on a kept-alive
 * connection. When the runtime's one thread was busy longer than its 5 s keep-alive timeout (a
 * Queue step that long: D1 runs on that thread too), the runtime closes that connection as the
 * request reaches it; the proxy takes the failure for a restart and holds a GET until the next
 * request reaches it. Sent again, the GET is that next request, and both are answered.
 * Gives `{ status, ok, text }`.
 */
export async function getAnswered(url, { headers = {}, timeoutMs = 15_000, attempts = 5, onRetry = (_attempt) => {} } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      return { status: res.status, ok: res.ok, text: await res.text() };
    } catch (error) {
      if (error?.name !== "TimeoutError" || attempt >= attempts) throw error;
      onRetry(attempt);
    }
  }
}

/** p-th percentile (0–100) of numbers, nearest rank. */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
