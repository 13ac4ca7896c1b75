import type { ComponentChildren } from "preact";
import { asOfText } from "../lib/freshness";
import type { Fetched } from "../lib/use-fetch";

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

/** The loading spinner, the error, or the content for the data (and the time it is as of). */
export function Fetching<T>({ result, children }: { result: Fetched<T>; children: (data: T, asOf: Date | null) => ComponentChildren }) {
  if (result.state === "loading") return <Loading />;
  if (result.state === "error") return <ServiceUnavailable error={result.error} />;
  return <>{children(result.data, result.asOf)}</>;
}

/** "Data as of 2026-03-03 14:05 UTC" (the roll-up's time), or "No roll-up yet". */
export function AsOf({ asOf, testId = "as-of" }: { asOf: Date | null; testId?: string }) {
  return (
    <p class="as-of" data-testid={testId}>
      {asOf ? <time dateTime={asOf.toISOString()}>{asOfText(asOf)}</time> : asOfText(null)}
    </p>
  );
}
