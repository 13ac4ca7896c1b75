// Recorded answers of the processor's remote services (Gerrit, forges, Launchpad, mail archives),
// served to the worker through the test runtime's fetch: `globalThis.fetch` is replaced while a
// test runs, so every request the worker makes, from a route, a step or a Queue delivery, lands
// here. Anything without an answer gets a 599 and is listed in `unanswered`.
import { vi } from "vitest";

export type Answer = (request: Request, url: URL) => Response | Promise<Response>;

export class FakeRemotes {
  private routes: { match: (url: URL, request: Request) => boolean; answer: Answer }[] = [];
  readonly calls: { method: string; url: string; at: number }[] = [];
  readonly unanswered: string[] = [];

  /** Answers requests whose URL starts with `prefix` (or matches), newest route first. */
  on(match: string | RegExp | ((url: URL, request: Request) => boolean), answer: Answer | Response | string): this {
    const test =
      typeof match === "string" ? (url: URL) => url.href.startsWith(match) : match instanceof RegExp ? (url: URL) => match.test(url.href) : match;
    const reply: Answer = typeof answer === "function" ? answer : typeof answer === "string" ? () => new Response(answer) : replay(answer);
    this.routes.unshift({ match: test, answer: reply });
    return this;
  }

  /** Answers with each of `answers` in turn, then keeps answering with the last. */
  sequence(match: string | RegExp, answers: (() => Response)[]): this {
    let n = 0;
    return this.on(match, () => answers[Math.min(n++, answers.length - 1)]!());
  }

  install(): this {
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      this.calls.push({ method: request.method, url: url.href, at: Date.now() });
      const route = this.routes.find((r) => r.match(url, request));
      if (!route) {
        this.unanswered.push(`${request.method} ${url.href}`);
        return new Response(`no recorded answer for ${request.method} ${url.href}`, { status: 599 });
      }
      return route.answer(request, url);
    });
    return this;
  }

  callsTo(prefix: string) {
    return this.calls.filter((c) => c.url.startsWith(prefix));
  }
}

/** A recorded response served any number of times (a Response's body can be read once). */
function replay(response: Response): Answer {
  const body = response.arrayBuffer();
  return async () => new Response(await body, { status: response.status, headers: response.headers });
}

/** Gerrit's JSON answer: the `)]}'` line, then the JSON. */
export const gerritAnswer = (value: unknown, init: ResponseInit = {}) =>
  new Response(`)]}'\n${JSON.stringify(value)}`, { ...init, headers: { "content-type": "application/json", ...(init.headers ?? {}) } });

export const jsonAnswer = (value: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(value), { ...init, headers: { "content-type": "application/json", ...(init.headers ?? {}) } });

/** A recorded Gerrit page as JSON (without its prefix), to edit before serving it. */
export const gerritJson = <T = Record<string, unknown>[]>(text: string) => JSON.parse(text.replace(/^\)\]\}'\r?\n/, "")) as T;

export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Launchpad knows nobody: getByEmail answers null, a person's page 404. */
export function launchpadKnowsNobody(remotes: FakeRemotes): FakeRemotes {
  return remotes
    .on("https://api.launchpad.net/1.0/people?", jsonAnswer(null))
    .on("https://api.launchpad.net/1.0/~", () => new Response("Object: <...>, name: '~x'", { status: 404 }));
}
