// How current the contribution data is (§4.1's banners and footer), from the Last-Modified of the
// API's answers: the last change of the data or the last processor step (docs/contrib-api.md).
import { formatAsOf } from "../../lib/freshness";

/** The processor's Cron Trigger runs every hour (wrangler.toml, docs/processor.md). */
export const PROCESSOR_RUNS_EVERY_MS = 3_600_000;
/** Older than two runs: the last run and the one before it left no trace. */
export const STALE_AFTER_MS = 2 * PROCESSOR_RUNS_EVERY_MS;

export type Freshness = { state: "loading" } | { state: "stale"; asOf: Date } | { state: "current"; asOf: Date };

export function freshnessOf(asOf: Date | null, now: number): Freshness {
  if (!asOf) return { state: "loading" };
  return now - asOf.getTime() > STALE_AFTER_MS ? { state: "stale", asOf } : { state: "current", asOf };
}

export function FreshnessBanner({ asOf, now = Date.now() }: { asOf: Date | null; now?: number }) {
  const f = freshnessOf(asOf, now);
  if (f.state === "current") return null;
  return (
    <p class="banner" role="status" data-testid="freshness-banner">
      {f.state === "loading" ? (
        "The data is being loaded now and is not complete."
      ) : (
        <>
          The data was last updated on <time dateTime={f.asOf.toISOString()}>{formatAsOf(f.asOf)}</time>, although the processor runs every hour: the
          numbers may be behind (an operator sees why in <code>GET /api/1.0/admin/processor</code>).
        </>
      )}
    </p>
  );
}

export function LastUpdated({ asOf }: { asOf: Date | null }) {
  return (
    <footer class="contrib-footer" data-testid="last-updated">
      {asOf ? (
        <>
          Last updated <time dateTime={asOf.toISOString()}>{formatAsOf(asOf)}</time>
        </>
      ) : (
        "Not updated yet"
      )}
      . The processor runs every hour.
    </footer>
  );
}
