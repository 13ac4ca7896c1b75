import { useEffect, useState } from "preact/hooks";
import { getJson } from "./api";

export type Fetched<T> = { state: "loading" } | { state: "error"; error: Error } | { state: "ok"; data: T };

/** GETs `url` (again whenever it changes); a stale answer for an earlier url is dropped. */
export function useFetch<T>(url: string | null): Fetched<T> {
  const [result, setResult] = useState<Fetched<T>>({ state: "loading" });
  useEffect(() => {
    if (url === null) return;
    let current = true;
    setResult({ state: "loading" });
    getJson<T>(url).then(
      (data) => current && setResult({ state: "ok", data }),
      (error: Error) => current && setResult({ state: "error", error }),
    );
    return () => {
      current = false;
    };
  }, [url]);
  return result;
}
