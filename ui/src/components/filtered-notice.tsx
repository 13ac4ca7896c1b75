import { type FilteringReport, apiUrl } from "../lib/api";
import { formatAsOf } from "../lib/freshness";
import { useFetch } from "../lib/use-fetch";
import { countText } from "../lib/withheld";
import { AsOf } from "./status";

const installations = (n: number) => (n === 1 ? "1 installation" : `${n} installations`);

/**
 * How many installations the filtering rules in force leave out of the numbers on the page (of
 * one release, or all), with a link to the rules.
 */
export function FilteredNotice({ release, what, showAsOf = false }: { release?: string; what?: string; showAsOf?: boolean }) {
  const url = apiUrl.filtering();
  const result = useFetch<FilteringReport>(url);
  if (result.state === "loading") return null;
  if (result.state === "error") return <p class="hint">(How many installations the filtering rules leave out is unavailable: {result.error.message}.)</p>;
  const { filtered, rules_updated_at, suppressed } = result.data;
  const count = release ? (filtered.releases[release] ?? 0) : filtered.count;
  // A withheld count (docs/privacy.md) is written as what stands in for it: "<5 installations".
  const text = count === null ? countText(null, suppressed, ...(release ? ["filtered", "releases", release] : ["filtered", "count"])) : null;
  // Last-Modified has whole seconds.
  const rulesAfter = rules_updated_at && result.asOf && Math.floor(Date.parse(rules_updated_at) / 1000) * 1000 > result.asOf.getTime();
  return (
    <>
      {showAsOf && <AsOf asOf={result.asOf} />}
      <p class="filtered-notice" data-testid="filtered-notice" data-count={count ?? text}>
        {text !== null ? `${text} installations` : count === 0 ? "No installation" : installations(count!)}
        {release ? ` of ${release}` : ""} {count === null || count > 1 ? "are" : "is"} left out by the{" "}
        <a href={url} type="application/json">
          filtering rules in force
        </a>
        {count === null || count > 0 ? ` (test and development builds)${what ? `; ${what}` : ""}` : ""}.
        {rulesAfter && <> The rules changed at {formatAsOf(new Date(rules_updated_at))}, after the last roll-up: they count from the next one.</>}
      </p>
    </>
  );
}
