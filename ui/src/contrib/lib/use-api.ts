// Answers of /api/1.0 kept in memory by URL, so that moving back and forth between selections
// shows them at once. An answer older than FRESH_MS is shown still, and asked for again with the
// browser's revalidation (`cache: "no-cache"` sends the ETag; an unchanged answer is a 304 that
// costs the API no query), so a change of the data shows at the next look.
import { useEffect, useState } from "preact/hooks";
import { type Dated, getDatedJson } from "../../lib/api";
import type { Fetched } from "../../lib/use-fetch";

export const FRESH_MS = 60_000;
const MAX_ENTRIES = 300;

interface Entry {
  answer: Dated<unknown>;
  at: number;
}

const answers = new Map<string, Entry>();
const inFlight = new Map<string, Promise<Dated<unknown>>>();

/** The remembered answer of `url`, if any. */
export function peekAnswer<T>(url: string): Dated<T> | undefined {
  return answers.get(url)?.answer as Dated<T> | undefined;
}

/** Asks for `url` (once at a time per URL) and remembers the answer; errors are not remembered. */
export function loadAnswer<T>(url: string, now: () => number = Date.now): Promise<Dated<T>> {
  const running = inFlight.get(url);
  if (running) return running as Promise<Dated<T>>;
  const request = getDatedJson<T>(url, { cache: "no-cache" }).then(
    (answer) => {
      inFlight.delete(url);
      answers.delete(url);
      answers.set(url, { answer, at: now() });
      // Oldest first: a Map keeps insertion order.
      while (answers.size > MAX_ENTRIES) answers.delete(answers.keys().next().value!);
      return answer;
    },
    (error: unknown) => {
      inFlight.delete(url);
      throw error;
    },
  );
  inFlight.set(url, request);
  return request as Promise<Dated<T>>;
}

/** For tests: forget every answer. */
export function clearAnswers() {
  answers.clear();
  inFlight.clear();
}

const ok = <T>(answer: Dated<T>): Fetched<T> => ({ state: "ok", data: answer.data, asOf: answer.asOf });

/** GETs `url` (null: nothing yet), showing a remembered answer at once and refreshing a stale one. */
export function useApi<T>(url: string | null): Fetched<T> {
  const [state, setState] = useState<{ url: string | null; fetched: Fetched<T> }>({ url: null, fetched: { state: "loading" } });
  useEffect(() => {
    if (url === null) return;
    let current = true;
    const entry = answers.get(url);
    if (entry && Date.now() - entry.at < FRESH_MS) return;
    if (!entry) setState({ url, fetched: { state: "loading" } });
    loadAnswer<T>(url).then(
      (answer) => current && setState({ url, fetched: ok(answer) }),
      (error: Error) => current && !answers.has(url) && setState({ url, fetched: { state: "error", error } }),
    );
    return () => {
      current = false;
    };
  }, [url]);
  if (url === null) return { state: "loading" };
  if (state.url === url) return state.fetched;
  const remembered = peekAnswer<T>(url);
  return remembered ? ok(remembered) : { state: "loading" };
}
