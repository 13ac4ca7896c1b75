// The one HTTP client of the contribution processor's sources (Gerrit, Gitea, GitHub, Launchpad,
// mail archives): a User-Agent on every request, a timeout per attempt, retries with back-off that
// honour Retry-After, bounded bodies, and a per-host budget. A wait longer than the caller allows
// is not slept through but handed back as RetryLaterError, so the step is re-queued instead of
// holding an invocation (and its subrequest budget: 50 per invocation on the Free plan, every
// attempt counts) while idle.

type Method = "GET" | "HEAD";

export interface RequestOptions {
  method?: Method;
  headers?: Record<string, string>;
}

export interface HttpClientStats {
  /** Attempts actually sent (each one a Workers subrequest). */
  requests: number;
  retries: number;
  /** Body bytes this client read (getText, getBytes and the start of error bodies). */
  bytes: number;
  /** Time slept between attempts (back-off and Retry-After), not time queued in the limiter. */
  waitedMs: number;
}

export interface HttpClientOptions {
  userAgent: string;
  /** Per attempt, covering the response headers and, for getText/getBytes, the body. */
  timeoutMs: number;
  /** Attempts in all for 429, 500, 502, 503, 504, network errors and timeouts. */
  maxAttempts: number;
  /** The longest single wait slept in place; a longer one ends the call with RetryLaterError. */
  maxWaitMs: number;
  /** The largest body getText and getBytes read. */
  maxBytes: number;
  limiter?: HostLimiter;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export class HttpClientError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${method} ${url}: ${detail}`, options);
    this.name = "HttpClientError";
  }
}

/**
 * The source is busy or unreachable and asked (or the back-off says) to come back in
 * `retryAfterSeconds`: re-queue the whole step with that delay. `status` is null when no HTTP
 * answer came (network error or timeout).
 */
export class RetryLaterError extends HttpClientError {
  constructor(
    method: string,
    url: string,
    readonly status: number | null,
    readonly retryAfterSeconds: number,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(method, url, detail, options);
    this.name = "RetryLaterError";
  }
}

/** A status that retrying will not change (401, 403, 404, …). */
export class HttpStatusError extends HttpClientError {
  constructor(
    method: string,
    url: string,
    readonly status: number,
    /** The first 200 characters of the body, for the step's error message. */
    readonly bodyStart: string,
  ) {
    super(method, url, `HTTP ${status}${bodyStart ? ` ${JSON.stringify(bodyStart.slice(0, 80))}` : ""}`);
    this.name = "HttpStatusError";
  }
}

export class ResponseTooLargeError extends HttpClientError {
  constructor(
    method: string,
    url: string,
    readonly maxBytes: number,
  ) {
    super(method, url, `body larger than ${maxBytes} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);
const STATUSES_WITH_RETRY_AFTER = new Set([429, 503]);
const FIRST_BACKOFF_MS = 1000;
const BODY_START_CHARS = 200;
// Enough bytes for 200 characters of any UTF-8 text, without reading a whole error page.
const BODY_START_BYTES = BODY_START_CHARS * 4;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// An HTTP-date starts with a day name in all three of its forms (IMF-fixdate, RFC 850, asctime);
// checking that keeps Date.parse from reading "-5" or "2" as a year.
const HTTP_DATE_START = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/**
 * Seconds a Retry-After value asks for (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), or null
 * when it is absent or unreadable. A date in the past asks for no wait.
 */
/** Seconds until a spent rate limit resets (`x-ratelimit-remaining: 0` and `x-ratelimit-reset`, epoch seconds), else null. */
export function rateLimitResetSeconds(response: Response, nowMs: number): number | null {
  if (response.headers.get("x-ratelimit-remaining") !== "0") return null;
  const reset = Number(response.headers.get("x-ratelimit-reset"));
  return Number.isFinite(reset) && reset > 0 ? Math.max(1, Math.ceil(reset - nowMs / 1000)) : null;
}

export function retryAfterSeconds(value: string | null, nowMs: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  if (!HTTP_DATE_START.test(text)) return null;
  // asctime dates carry no zone but are UTC, as every HTTP-date is.
  const at = Date.parse(/GMT$/i.test(text) ? text : `${text} GMT`);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - nowMs) / 1000)) : null;
}

type Consume<T> = (response: Response, method: Method, url: string) => Promise<T>;

/** What one attempt came to when it is worth another. */
interface Retryable {
  status: number | null;
  reason: string;
  askedSeconds: number | null;
  cause?: unknown;
}

type Attempt<T> = { done: true; value: T } | ({ done: false } & Retryable);

export class HttpClient {
  private readonly counters: HttpClientStats = { requests: 0, retries: 0, bytes: 0, waitedMs: 0 };
  private readonly limiter: HostLimiter;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: HttpClientOptions) {
    if (options.maxAttempts < 1) throw new RangeError("maxAttempts must be at least 1");
    this.limiter = options.limiter ?? sharedHostLimiter;
    // Looked up at call time, so that a test runtime's fetch mock sees every call.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get stats(): HttpClientStats {
    return { ...this.counters };
  }

  /**
   * A 2xx or 304 response. Its body is still to be read, within timeoutMs of the attempt's start
   * (the attempt's timeout covers it); prefer getText or getBytes, which also bound its size.
   */
  request(url: string, init: RequestOptions = {}): Promise<Response> {
    return this.send(url, init, async (response) => response);
  }

  /** The body as UTF-8 text, at most maxBytes of it. */
  async getText(url: string, init: RequestOptions = {}): Promise<string> {
    const bytes = await this.getBytes(url, init);
    return new TextDecoder("utf-8").decode(bytes);
  }

  /** The body as bytes (a .gz archive, say), at most maxBytes of them. */
  getBytes(url: string, init: RequestOptions = {}): Promise<Uint8Array> {
    return this.send(url, init, (response, method, target) => this.readAll(response, method, target));
  }

  private async send<T>(url: string, init: RequestOptions, consume: Consume<T>): Promise<T> {
    const method = init.method ?? "GET";
    const headers = new Headers(init.headers);
    headers.set("User-Agent", this.options.userAgent);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, method, headers, consume);
      if (outcome.done) return outcome.value;
      const waitMs = outcome.askedSeconds !== null ? outcome.askedSeconds * 1000 : this.backoffMs(attempt, this.options.maxWaitMs);
      if (attempt >= this.options.maxAttempts || waitMs > this.options.maxWaitMs) {
        throw this.retryLater(method, url, outcome, attempt, waitMs);
      }
      this.counters.retries++;
      this.counters.waitedMs += waitMs;
      if (waitMs > 0) await this.sleep(waitMs);
    }
  }

  /** One attempt, holding a slot of the host's budget until its body (if consumed) is read. */
  private async attempt<T>(url: string, method: Method, headers: Headers, consume: Consume<T>): Promise<Attempt<T>> {
    const release = await this.limiter.acquire(new URL(url).host);
    try {
      this.counters.requests++;
      let response: Response;
      try {
        response = await this.fetch(url, { method, headers, signal: AbortSignal.timeout(this.options.timeoutMs) });
      } catch (error) {
        return this.transportFailure(error);
      }
      return await this.judge(response, method, url, consume);
    } finally {
      release();
    }
  }

  private async judge<T>(response: Response, method: Method, url: string, consume: Consume<T>): Promise<Attempt<T>> {
    const { status } = response;
    if (response.ok || status === 304) {
      try {
        return { done: true, value: await consume(response, method, url) };
      } catch (error) {
        // A body cut off by the network or the timeout is worth another attempt; our own errors are not.
        if (error instanceof HttpClientError) throw error;
        return this.transportFailure(error);
      }
    }
    if (RETRIED_STATUSES.has(status)) {
      const asked = STATUSES_WITH_RETRY_AFTER.has(status) ? retryAfterSeconds(response.headers.get("Retry-After"), this.now()) : null;
      await discard(response);
      return { done: false, status, reason: `HTTP ${status}`, askedSeconds: asked ?? rateLimitResetSeconds(response, this.now()) };
    }
    // GitHub answers 403 when a rate limit is spent, saying when it resets: come back then.
    const reset = status === 403 ? rateLimitResetSeconds(response, this.now()) : null;
    if (reset !== null) {
      await discard(response);
      return { done: false, status, reason: "HTTP 403 (rate limit spent)", askedSeconds: reset };
    }
    throw new HttpStatusError(method, url, status, await this.readStart(response));
  }

  private transportFailure(error: unknown): Retryable & { done: false } {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    const reason = timedOut ? `timed out after ${this.options.timeoutMs} ms` : `network error (${String(error)})`;
    return { done: false, status: null, reason, askedSeconds: null, cause: error };
  }

  /** The wait after failed attempt n: 1 s, 2 s, 4 s … up to capMs, with equal jitter so that clients spread out. */
  private backoffMs(attempt: number, capMs: number): number {
    const exponential = Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), capMs);
    return Math.round(exponential * (0.5 + 0.5 * this.random()));
  }

  private retryLater(method: Method, url: string, outcome: Retryable, attempts: number, waitMs: number): RetryLaterError {
    const spent = attempts >= this.options.maxAttempts;
    // With the attempts spent, the caller waits the back-off that would have come next, not capped
    // by maxWaitMs: that cap is about sleeping in place, and a re-queued step sleeps for free.
    const nextMs = spent ? this.backoffMs(attempts, Infinity) : waitMs;
    const seconds = outcome.askedSeconds ?? Math.max(1, Math.ceil(nextMs / 1000));
    const detail = spent
      ? `${outcome.reason} after ${attempts} attempt${attempts > 1 ? "s" : ""}`
      : `${outcome.reason}, asked to retry after ${seconds} s (more than the ${this.options.maxWaitMs} ms waited in place)`;
    return new RetryLaterError(method, url, outcome.status, seconds, detail, { cause: outcome.cause });
  }

  /** The whole body, refusing more than maxBytes whatever Content-Length says. */
  private async readAll(response: Response, method: Method, url: string): Promise<Uint8Array> {
    const { maxBytes } = this.options;
    const declared = Number(response.headers.get("Content-Length"));
    if (declared > maxBytes) {
      await discard(response);
      throw new ResponseTooLargeError(method, url, maxBytes);
    }
    const bytes = await this.readUpTo(response, maxBytes + 1);
    if (bytes.byteLength > maxBytes) throw new ResponseTooLargeError(method, url, maxBytes);
    return bytes;
  }

  private async readStart(response: Response): Promise<string> {
    try {
      const bytes = await this.readUpTo(response, BODY_START_BYTES);
      return new TextDecoder("utf-8").decode(bytes).slice(0, BODY_START_CHARS);
    } catch {
      return ""; // the status is the news; a body that cannot be read does not hide it
    }
  }

  /** At most `limit` bytes of the body (fewer when it is shorter), cancelling the rest. */
  private async readUpTo(response: Response, limit: number): Promise<Uint8Array> {
    if (!response.body) return new Uint8Array(0);
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = value as Uint8Array;
      chunks.push(chunk);
      total += chunk.byteLength;
      this.counters.bytes += chunk.byteLength;
    }
    if (total >= limit) await reader.cancel().catch(() => undefined);
    return concat(chunks, Math.min(total, limit));
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, length - offset);
    out.set(part, offset);
    offset += part.byteLength;
    if (offset >= length) break;
  }
  return out;
}

/** Cancels an unread body, so that the connection behind it is freed rather than leaked. */
async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already read, locked or errored: nothing left to free.
  }
}

export interface HostLimiterOptions {
  /** Requests in flight per host. */
  concurrency: number;
  /** Requests started per host in any one-second window. */
  perSecond: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How often a waiter looks again by itself, in case no release wakes it. */
  recheckMs?: number;
  /** After this long a slot that was never released counts as free again; longer than any attempt. */
  leaseMs?: number;
}

interface Waiter {
  seenAt: number;
  wake: () => void;
}

interface HostBudget {
  /** Slots in flight, with the time each was granted. */
  held: Map<object, number>;
  /** Start times within the last second, oldest first. */
  started: number[];
  /** In arrival order; only the first may take a slot, so waiters are served FIFO. */
  waiters: Waiter[];
}

const WINDOW_MS = 1000;

/**
 * A per-host budget of concurrent and per-second requests, shared by everything that holds the
 * same limiter.
 *
 * In a Worker, waiters of one invocation are woken by releases from another. workerd runs such
 * wake-ups in the waiter's own invocation, but drops them when that invocation has already ended
 * (say, a Promise.all that rejected early). So nothing here depends on another invocation alone:
 * a waiter also looks again every recheckMs on its own timer, a waiter silent for three of those
 * loses its place, and an unreleased slot is reclaimed after leaseMs.
 */
export class HostLimiter {
  private readonly hosts = new Map<string, HostBudget>();
  private readonly concurrency: number;
  private readonly perSecond: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly recheckMs: number;
  private readonly leaseMs: number;

  constructor(options: HostLimiterOptions) {
    if (options.concurrency < 1 || options.perSecond < 1) throw new RangeError("concurrency and perSecond must be at least 1");
    this.concurrency = options.concurrency;
    this.perSecond = options.perSecond;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.recheckMs = options.recheckMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 120_000;
  }

  /** Waits for a slot on `host`; call the returned function once the request is done. */
  async acquire(host: string): Promise<() => void> {
    const budget = this.budgetOf(host);
    const waiter: Waiter = { seenAt: this.now(), wake: () => undefined };
    budget.waiters.push(waiter);
    for (;;) {
      const waitMs = this.turnOf(budget, waiter);
      if (waitMs === 0) return this.grant(budget);
      await this.pause(waiter, waitMs);
    }
  }

  private budgetOf(host: string): HostBudget {
    let budget = this.hosts.get(host);
    if (!budget) {
      budget = { held: new Map(), started: [], waiters: [] };
      this.hosts.set(host, budget);
    }
    return budget;
  }

  /** 0 when `waiter` may start now, else how long it should wait before looking again. */
  private turnOf(budget: HostBudget, waiter: Waiter): number {
    const now = this.now();
    waiter.seenAt = now;
    this.forgetStale(budget, now);
    // Dropped as silent although alive (a long-blocked event loop): back in at the end.
    if (!budget.waiters.includes(waiter)) budget.waiters.push(waiter);
    if (budget.waiters[0] !== waiter || budget.held.size >= this.concurrency) return this.recheckMs;
    const oldest = budget.started[0];
    if (budget.started.length >= this.perSecond && oldest !== undefined) {
      return Math.min(oldest + WINDOW_MS - now, this.recheckMs);
    }
    return 0;
  }

  private forgetStale(budget: HostBudget, now: number): void {
    while (budget.started[0] !== undefined && budget.started[0] <= now - WINDOW_MS) budget.started.shift();
    for (const [slot, grantedAt] of budget.held) {
      if (grantedAt <= now - this.leaseMs) budget.held.delete(slot);
    }
    const first = budget.waiters[0];
    budget.waiters = budget.waiters.filter((w) => w.seenAt >= now - 3 * this.recheckMs);
    if (budget.waiters[0] !== first) budget.waiters[0]?.wake();
  }

  private grant(budget: HostBudget): () => void {
    const now = this.now();
    const slot = {};
    budget.held.set(slot, now);
    budget.started.push(now);
    budget.waiters.shift();
    budget.waiters[0]?.wake(); // the next in line may fit too
    let released = false;
    return () => {
      if (released) return;
      released = true;
      budget.held.delete(slot);
      budget.waiters[0]?.wake();
    };
  }

  private pause(waiter: Waiter, ms: number): Promise<void> {
    return new Promise((resolve) => {
      waiter.wake = resolve;
      void this.sleep(ms).then(resolve);
    });
  }
}

/**
 * The budget every HttpClient uses unless given its own, so that all sources running in one
 * isolate share one budget per host. It bounds one isolate only: across isolates, the processor's
 * Queue consumer concurrency bounds the rest. 4 per host stays under the 6 connections an
 * invocation may have waiting for headers; beyond 6 (several hosts at once) the runtime queues
 * the connection, and that queueing counts against the attempt's timeout.
 */
export const sharedHostLimiter = new HostLimiter({ concurrency: 4, perSecond: 5 });
