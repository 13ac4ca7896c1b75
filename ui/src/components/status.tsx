import type { Fetched } from "../lib/use-fetch";
import type { ComponentChildren } from "preact";

export function Loading() {
  return (
    <div class="loading" role="status" data-testid="loading">
      <span class="spinner" aria-hidden="true" /> Loading…
    </div>
  );
}

export function ServiceUnavailable({ error }: { error: Error }) {
  return (
    <div class="error" role="alert" data-testid="error">
      <strong>Error: Service is unavailable.</strong> <span class="detail">{error.message}</span>
    </div>
  );
}

/** The loading spinner, the error, or the content for the data. */
export function Fetching<T>({ result, children }: { result: Fetched<T>; children: (data: T) => ComponentChildren }) {
  if (result.state === "loading") return <Loading />;
  if (result.state === "error") return <ServiceUnavailable error={result.error} />;
  return <>{children(result.data)}</>;
}
