import { useEffect, useState } from "preact/hooks";
import { getDatedJson } from "./api";

/** `asOf`: the answer's Last-Modified, when the data was last rolled up (null: never, or not said). */
export type Fetched<T> = { state: "loading" } | { state: "error"; error: Error } | { state: "ok"; data: T; asOf: Date | null };

/** GETs `url` (again whenever it changes); a stale answer for an earlier url is dropped. */
export function useFetch<T>(url: string | null): Fetched<T> {
  const [result, setResult] = useState<Fetched<T>>({ state: "loading" });
  useEffect(() => {
    if (url === null) return;
    let current = true;
    setResult({ state: "loading" });
    getDatedJson<T>(url).then(
      ({ data, asOf }) => current && setResult({ state: "ok", data, asOf }),
      (error: Error) => current && setResult({ state: "error", error }),
    );
    return () => {
      current = false;
    };
  }, [url]);
  return result;
}
