import { afterEach, describe, expect, it, vi } from "vitest";
import {
  HostLimiter,
  HttpClient,
  HttpClientError,
  type HttpClientOptions,
  HttpStatusError,
  ResponseTooLargeError,
  RetryLaterError,
  retryAfterSeconds,
} from "../../../worker/processor/http-client";

const URL_A = "https://review.example/changes/?q=project:nova";
const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

/** Time that passes only when a test says so; timers fire in order as it advances. */
function fakeClock(start = T0) {
  let now = start;
  const timers: { at: number; fire: () => void }[] = [];
  const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((fire) => timers.push({ at: now + ms, fire })),
    settle,
    async advance(ms: number) {
      const end = now + ms;
      await settle();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = next.at;
        next.fire();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

type Answer = Response | Error | "hang";

/** A fetch that gives the answers in turn and records what it was sent. */
function scriptedFetch(...answers: Answer[]) {
  const calls: { url: string; method: string; headers: Headers; signal: AbortSignal }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const signal = init?.signal as AbortSignal;
    calls.push({ url: String(input), method: init?.method ?? "GET", headers: new Headers(init?.headers), signal });
    const answer = answers.shift();
    if (!answer) throw new Error("no more scripted answers");
    if (answer === "hang") {
      if (signal.aborted) throw signal.reason;
      return new Promise<Response>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    }
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

/** A body in the given chunks that records whether it was cancelled. */
function trackedBody(...chunks: (string | Uint8Array)[]) {
  const state = { cancelled: false };
  const queue = chunks.map((c) => (typeof c === "string" ? new TextEncoder().encode(c) : c));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

function makeClient(fetch: typeof globalThis.fetch, overrides: Partial<HttpClientOptions> = {}) {
  let now = T0;
  const slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
    now += ms;
  };
  const clock = () => now;
  const client = new HttpClient({
    userAgent: "edgestats-processor/1.0 (+https://stats.example)",
    timeoutMs: 10_000,
    maxAttempts: 4,
    maxWaitMs: 30_000,
    maxBytes: 1024,
    limiter: new HostLimiter({ concurrency: 4, perSecond: 1000, now: clock, sleep }),
    fetch,
    sleep,
    now: clock,
    random: () => 1,
    ...overrides,
  });
  return { client, slept };
}

const status = (code: number, headers: Record<string, string> = {}, body: BodyInit | null = null) =>
  new Response(body, { status: code, headers });

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("HttpClient.request", () => {
  it("sends the User-Agent with the caller's headers and method, overriding a caller's User-Agent", async () => {
    const { fetch, calls } = scriptedFetch(status(200));
    const { client } = makeClient(fetch);
    const response = await client.request(URL_A, { method: "HEAD", headers: { Accept: "application/json", "user-agent": "other" } });
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.method).toBe("HEAD");
    expect(calls[0]!.headers.get("User-Agent")).toBe("edgestats-processor/1.0 (+https://stats.example)");
    expect(calls[0]!.headers.get("Accept")).toBe("application/json");
  });

  it("resolves a 304 so that conditional requests can see it", async () => {
    const { fetch } = scriptedFetch(status(304));
    const { client } = makeClient(fetch);
    expect((await client.request(URL_A, { headers: { "If-None-Match": '"v1"' } })).status).toBe(304);
  });

  it("calls globalThis.fetch at call time when no fetch is given", async () => {
    const client = new HttpClient({ userAgent: "ua", timeoutMs: 1000, maxAttempts: 1, maxWaitMs: 0, maxBytes: 10 });
    const { fetch, calls } = scriptedFetch(status(200, {}, "late"));
    vi.stubGlobal("fetch", fetch);
    expect(await client.getText("https://mail.example/archive/")).toBe("late");
    expect(calls).toHaveLength(1);
  });

  it("retries a 429 once after exactly the 3 s its Retry-After asks", async () => {
    const busy = trackedBody("slow down");
    const { fetch, calls } = scriptedFetch(status(429, { "Retry-After": "3" }, busy.stream), status(200, {}, "ok"));
    const { client, slept } = makeClient(fetch, { random: () => 0.3 });
    expect(await client.getText(URL_A)).toBe("ok");
    expect(calls).toHaveLength(2);
    expect(slept).toEqual([3000]);
    expect(busy.state.cancelled).toBe(true);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1, waitedMs: 3000 });
  });

  it("waits until a spent rate limit resets (GitHub's 403 with x-ratelimit-remaining: 0), and re-queues when that is far", async () => {
    const soon = { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(T0 / 1000 + 20) };
    const { fetch } = scriptedFetch(status(403, soon, "API rate limit exceeded"), status(200, {}, "ok"));
    const { client, slept } = makeClient(fetch);
    expect(await client.getText(URL_A)).toBe("ok");
    expect(slept).toEqual([20_000]);

    const later = { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(T0 / 1000 + 1800) };
    const { fetch: f2 } = scriptedFetch(status(403, later, "API rate limit exceeded"));
    await expect(makeClient(f2).client.getText(URL_A)).rejects.toMatchObject({ name: "RetryLaterError", status: 403, retryAfterSeconds: 1800 });

    const { fetch: f3 } = scriptedFetch(status(403, {}, "forbidden"));
    await expect(makeClient(f3).client.getText(URL_A)).rejects.toMatchObject({ name: "HttpStatusError", status: 403 });
  });

  it("waits until the HTTP-date of a 503's Retry-After", async () => {
    const at = new Date(T0 + 5_000).toUTCString();
    const { fetch } = scriptedFetch(status(503, { "Retry-After": at }), status(200));
    const { client, slept } = makeClient(fetch);
    await client.request(URL_A);
    expect(slept).toEqual([5000]);
  });

  it("backs off 1 s, 2 s, 4 s on 503s and then asks the caller to come back after the next back-off", async () => {
    const bodies = [trackedBody("down"), trackedBody("down"), trackedBody("down"), trackedBody("down")];
    const { fetch, calls } = scriptedFetch(...bodies.map((b) => status(503, {}, b.stream)));
    const { client, slept } = makeClient(fetch);
    const error = await client.request(URL_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error).toBeInstanceOf(HttpClientError);
    expect(error).toMatchObject({ url: URL_A, status: 503, retryAfterSeconds: 8 });
    expect((error as Error).message).toBe(`GET ${URL_A}: HTTP 503 after 4 attempts`);
    expect(calls).toHaveLength(4);
    expect(slept).toEqual([1000, 2000, 4000]);
    expect(bodies.every((b) => b.state.cancelled)).toBe(true);
  });

  it("spreads back-offs with jitter and caps them at maxWaitMs", async () => {
    const { fetch } = scriptedFetch(status(500), status(502), status(504), status(200));
    const { client, slept } = makeClient(fetch, { random: () => 0, maxWaitMs: 1500 });
    await client.request(URL_A);
    expect(slept).toEqual([500, 750, 750]);
  });

  it("uses the back-off, not Retry-After, on a 500, and when Retry-After cannot be read", async () => {
    const { fetch } = scriptedFetch(status(500, { "Retry-After": "20" }), status(429, { "Retry-After": "soon" }), status(200));
    const { client, slept } = makeClient(fetch);
    await client.request(URL_A);
    expect(slept).toEqual([1000, 2000]);
  });

  it("gives up at once with the server's delay when Retry-After asks for more than maxWaitMs", async () => {
    const { fetch, calls } = scriptedFetch(status(429, { "Retry-After": "3600" }));
    const { client, slept } = makeClient(fetch);
    const error = await client.request(URL_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 3600 });
    expect((error as Error).message).toContain(`GET ${URL_A}: HTTP 429`);
    expect(calls).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it("throws HttpStatusError on a 404 without retrying, with the first 200 characters of the body", async () => {
    const page = trackedBody("x".repeat(150), "y".repeat(150));
    const { fetch, calls } = scriptedFetch(status(404, {}, page.stream));
    const { client } = makeClient(fetch);
    const error = await client.getText(URL_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ url: URL_A, status: 404, bodyStart: "x".repeat(150) + "y".repeat(50) });
    expect((error as Error).message).toMatch(new RegExp(`^GET ${URL_A.replace(/[?]/g, "\\?")}: HTTP 404 "x+`));
    expect(calls).toHaveLength(1);
  });

  it("does not retry a 401 or a 403", async () => {
    for (const code of [401, 403]) {
      const { fetch, calls } = scriptedFetch(status(code, {}, "denied"));
      const { client } = makeClient(fetch);
      await expect(client.request(URL_A)).rejects.toMatchObject({ status: code, bodyStart: "denied" });
      expect(calls).toHaveLength(1);
    }
  });

  it("retries a network error and returns the answer that follows", async () => {
    const { fetch, calls } = scriptedFetch(new TypeError("fetch failed"), status(200, {}, "ok"));
    const { client, slept } = makeClient(fetch);
    expect(await client.getText(URL_A)).toBe("ok");
    expect(calls).toHaveLength(2);
    expect(slept).toEqual([1000]);
  });

  it("reports repeated network errors as RetryLaterError without a status", async () => {
    const { fetch } = scriptedFetch(new TypeError("fetch failed"), new TypeError("fetch failed"));
    const { client } = makeClient(fetch, { maxAttempts: 2 });
    const error = await client.request(URL_A).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: null, retryAfterSeconds: 2 });
    expect((error as Error).message).toBe(`GET ${URL_A}: network error (TypeError: fetch failed) after 2 attempts`);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it("gives each attempt its own timeout and retries an attempt that timed out", async () => {
    const delays: number[] = [];
    vi.spyOn(AbortSignal, "timeout").mockImplementation((ms: number) => {
      delays.push(ms);
      const controller = new AbortController();
      // The first attempt's deadline passes at once; the second's never does.
      if (delays.length === 1) queueMicrotask(() => controller.abort(new DOMException("timed out", "TimeoutError")));
      return controller.signal;
    });
    const { fetch, calls } = scriptedFetch("hang", status(200, {}, "ok"));
    const { client } = makeClient(fetch);
    expect(await client.getText(URL_A)).toBe("ok");
    expect(delays).toEqual([10_000, 10_000]);
    expect(calls[0]!.signal).not.toBe(calls[1]!.signal);
  });

  it("names the timeout when every attempt timed out", async () => {
    vi.spyOn(AbortSignal, "timeout").mockImplementation(() => AbortSignal.abort(new DOMException("timed out", "TimeoutError")));
    const { fetch } = scriptedFetch("hang", "hang");
    const { client } = makeClient(fetch, { maxAttempts: 2 });
    await expect(client.request(URL_A)).rejects.toThrow(`GET ${URL_A}: timed out after 10000 ms after 2 attempts`);
  });
});

describe("HttpClient.getText and getBytes", () => {
  it("decodes UTF-8 split across chunks", async () => {
    const bytes = new TextEncoder().encode("Gerrit – Zürich ✓");
    const body = trackedBody(bytes.subarray(0, 8), bytes.subarray(8));
    const { fetch } = scriptedFetch(status(200, {}, body.stream));
    const { client } = makeClient(fetch);
    expect(await client.getText(URL_A)).toBe("Gerrit – Zürich ✓");
  });

  it("returns the bytes of an archive unchanged", async () => {
    const gz = new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]);
    const { fetch } = scriptedFetch(status(200, { "Content-Type": "application/gzip" }, gz));
    const { client } = makeClient(fetch);
    expect(await client.getBytes("https://lists.example/pipermail/dev/2026-March.txt.gz")).toEqual(gz);
  });

  it("reads a body of exactly maxBytes", async () => {
    const { fetch } = scriptedFetch(status(200, {}, "a".repeat(1024)));
    const { client } = makeClient(fetch);
    expect(await client.getText(URL_A)).toHaveLength(1024);
  });

  it("stops reading at maxBytes with ResponseTooLargeError when no Content-Length warns of it", async () => {
    const body = trackedBody("a".repeat(600), "b".repeat(600), "c".repeat(600));
    const { fetch, calls } = scriptedFetch(status(200, {}, body.stream));
    const { client } = makeClient(fetch);
    const error = await client.getText(URL_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ url: URL_A, maxBytes: 1024 });
    expect((error as Error).message).toBe(`GET ${URL_A}: body larger than 1024 bytes`);
    expect(body.state.cancelled).toBe(true);
    expect(client.stats.bytes).toBe(1200);
    expect(calls).toHaveLength(1);
  });

  it("refuses a body whose Content-Length is over maxBytes without reading it", async () => {
    const body = trackedBody("a".repeat(10));
    const { fetch } = scriptedFetch(status(200, { "Content-Length": "5000" }, body.stream));
    const { client } = makeClient(fetch);
    await expect(client.getBytes(URL_A)).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(body.state.cancelled).toBe(true);
    expect(client.stats.bytes).toBe(0);
  });

  it("retries a body cut off by the network", async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("par"));
        controller.error(new TypeError("connection reset"));
      },
    });
    const { fetch, calls } = scriptedFetch(status(200, {}, broken), status(200, {}, "whole"));
    const { client } = makeClient(fetch);
    expect(await client.getText(URL_A)).toBe("whole");
    expect(calls).toHaveLength(2);
  });
});

describe("HttpClient.stats", () => {
  it("adds up attempts, retries, body bytes and time waited across calls", async () => {
    const { fetch } = scriptedFetch(
      status(503, { "Retry-After": "2" }),
      status(200, {}, "12345"),
      new TypeError("fetch failed"),
      status(200, {}, new Uint8Array(7)),
      status(404, {}, "gone"),
    );
    const { client } = makeClient(fetch);
    await client.getText(URL_A);
    await client.getBytes(URL_A);
    await client.getText(URL_A).catch(() => undefined);
    expect(client.stats).toEqual({ requests: 5, retries: 2, bytes: 5 + 7 + 4, waitedMs: 2000 + 1000 });
  });

  it("is a snapshot the caller cannot change", async () => {
    const { fetch } = scriptedFetch(status(200));
    const { client } = makeClient(fetch);
    const before = client.stats;
    before.requests = 99;
    await client.request(URL_A);
    expect(client.stats.requests).toBe(1);
  });
});

describe("HttpClient with a HostLimiter", () => {
  it("holds a slot of the URL's host for each attempt and frees it after errors too", async () => {
    const limiter = new HostLimiter({ concurrency: 1, perSecond: 100 });
    const released: string[] = [];
    vi.spyOn(limiter, "acquire").mockImplementation(async (host) => () => void released.push(host));
    const { fetch } = scriptedFetch(status(500), status(404));
    const { client } = makeClient(fetch, { limiter });
    await expect(client.request(URL_A)).rejects.toBeInstanceOf(HttpStatusError);
    expect(limiter.acquire).toHaveBeenCalledTimes(2);
    expect(limiter.acquire).toHaveBeenCalledWith("review.example");
    expect(released).toEqual(["review.example", "review.example"]);
  });
});

describe("HostLimiter", () => {
  it("lets at most `concurrency` requests run per host, in arrival order, without blocking another host", async () => {
    const clock = fakeClock();
    const limiter = new HostLimiter({ concurrency: 2, perSecond: 100, now: clock.now, sleep: clock.sleep });
    const granted: string[] = [];
    const releases = new Map<string, () => void>();
    const take = (host: string, name: string) =>
      limiter.acquire(host).then((release) => {
        granted.push(name);
        releases.set(name, release);
      });
    for (const name of ["a1", "a2", "a3", "a4"]) void take("a.example", name);
    void take("b.example", "b1");
    await clock.settle();
    expect(granted).toEqual(["a1", "a2", "b1"]);

    releases.get("a1")!();
    await clock.settle();
    expect(granted).toEqual(["a1", "a2", "b1", "a3"]);

    releases.get("a3")!();
    releases.get("a3")!(); // a second release of the same slot frees nothing more
    await clock.advance(5000);
    expect(granted).toEqual(["a1", "a2", "b1", "a3", "a4"]);
    void take("a.example", "a5");
    await clock.advance(5000);
    expect(granted).not.toContain("a5");
  });

  it("starts at most `perSecond` requests per host in any one-second window", async () => {
    const clock = fakeClock();
    const limiter = new HostLimiter({ concurrency: 10, perSecond: 3, now: clock.now, sleep: clock.sleep });
    const startedAt: number[] = [];
    for (let i = 0; i < 7; i++) {
      void limiter.acquire("a.example").then((release) => {
        startedAt.push(clock.now() - T0);
        release();
      });
    }
    await clock.advance(400);
    void limiter.acquire("a.example").then(() => startedAt.push(clock.now() - T0));
    await clock.advance(5000);
    expect(startedAt).toEqual([0, 0, 0, 1000, 1000, 1000, 2000, 2000]);
  });

  it("counts a slot that is never released as free again after leaseMs", async () => {
    const clock = fakeClock();
    const limiter = new HostLimiter({ concurrency: 1, perSecond: 100, leaseMs: 60_000, now: clock.now, sleep: clock.sleep });
    await limiter.acquire("a.example"); // its invocation ended without releasing
    let second = false;
    void limiter.acquire("a.example").then(() => (second = true));
    await clock.advance(59_000);
    expect(second).toBe(false);
    await clock.advance(2_000);
    expect(second).toBe(true);
  });
});

describe("retryAfterSeconds", () => {
  it("reads delta-seconds and HTTP-dates, and nothing else", () => {
    expect(retryAfterSeconds("120", T0)).toBe(120);
    expect(retryAfterSeconds(" 0 ", T0)).toBe(0);
    expect(retryAfterSeconds(new Date(T0 + 90_500).toUTCString(), T0)).toBe(90);
    expect(retryAfterSeconds("Sun, 01 Mar 2026 12:01:30 GMT", T0)).toBe(90);
    expect(retryAfterSeconds("Sunday, 01-Mar-26 12:01:30 GMT", T0)).toBe(90);
    expect(retryAfterSeconds("Sun Mar  1 12:01:30 2026", T0)).toBe(90);
    expect(retryAfterSeconds("Sun, 01 Mar 2026 11:00:00 GMT", T0)).toBe(0);
    expect(retryAfterSeconds("-5", T0)).toBeNull();
    expect(retryAfterSeconds("2", T0)).toBe(2);
    expect(retryAfterSeconds("1.5", T0)).toBeNull();
    expect(retryAfterSeconds("soon", T0)).toBeNull();
    expect(retryAfterSeconds(null, T0)).toBeNull();
  });
});
