import { useEffect, useState } from "preact/hooks";
import { ApiError, type BundleView, type DateRange, apiUrl, getJson, requestBundle } from "./api";

export type BundleState =
  | { state: "idle" }
  | { state: "requesting" }
  | { state: "tracking"; bundle: BundleView }
  | { state: "error"; message: string };

const POLL_MS = 1000;

export const isFinished = (bundle: BundleView) => bundle.status === "done" || bundle.status === "failed" || bundle.status === "expired";

/**
 * Asks for an all-reports bundle and follows its progress until it is done, failed or expired,
 * sending `headers` (the admin secret: a bundle is row-level, as its CSV reports are).
 */
export function useBundle(headers: Record<string, string>) {
  const [state, setState] = useState<BundleState>({ state: "idle" });
  const id = state.state === "tracking" && !isFinished(state.bundle) ? state.bundle.id : null;
  useEffect(() => {
    if (id === null) return;
    let stopped = false;
    const timer = setTimeout(() => {
      getJson<BundleView>(apiUrl.bundle(id), { headers: { accept: "application/json", ...headers } }).then(
        (bundle) => !stopped && setState({ state: "tracking", bundle }),
        (error: Error) => !stopped && setState({ state: "error", message: error.message }),
      );
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, state]);
  const request = (range: DateRange) => {
    setState({ state: "requesting" });
    requestBundle(range, headers).then(
      (bundle) => setState({ state: "tracking", bundle }),
      (error: Error) =>
        setState({ state: "error", message: error instanceof ApiError && error.status === 429 ? `Too many bundles are being made: ${error.message}` : error.message }),
    );
  };
  return { state, request };
}
