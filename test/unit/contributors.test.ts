import { describe, expect, it } from "vitest";
import {
  accumulate,
  type ClusterFacts,
  contributorsFromRows,
  COUNTING_VERSION,
  countKey,
  difference,
  type InstallationSummary,
  reportContribution,
  reportFromRows,
  splitKey,
} from "../../worker/domain/rollup";

const facts = (status: string, nodesNum = "3", hypervisor = "kvm", os = "Ubuntu"): ClusterFacts => ({ status, nodesNum, hypervisor, os });
const summary = (clusters: ClusterFacts[], overrides: Partial<InstallationSummary> = {}): InstallationSummary => ({
  release: "9.0",
  clustersNum: String(clusters.length),
  clusters,
  counted: true,
  history: [{ day: "2026-01-01", release: "9.0" }],
  counting: COUNTING_VERSION,
  ...overrides,
});
/** The stored rows of one scope after adding up some installations' contributions. */
function scopeRows(scope: string, ...summaries: InstallationSummary[]) {
  const total = new Map<string, number>();
  for (const s of summaries) accumulate(total, reportContribution(s));
  return [...total]
    .map(([key, n]) => ({ parts: splitKey(key), n }))
    .filter((r) => r.parts[0] === scope)
    .map((r) => ({ metric: r.parts[1]!, key: r.parts[2]!, n: r.n }));
}

describe("contributor counts", () => {
  it("counts an installation once for each cell of environments it adds to, however many environments", () => {
    const rows = scopeRows("all", summary([facts("error"), facts("error"), facts("operational", "3", "xen")]));
    const contributors = contributorsFromRows(rows);
    expect(reportFromRows(rows).environments.statuses).toEqual({ error: 2, operational: 1 });
    expect(contributors.get(countKey("environments.statuses", "error"))).toBe(1);
    expect(contributors.get(countKey("environments.hypervisors_num", "kvm"))).toBe(1);
    expect(contributors.get(countKey("environments.hypervisors_num", "xen"))).toBe(1);
    expect(contributors.get(countKey("environments.nodes_num", "3"))).toBe(1);
    expect(contributors.get(countKey("environments.count", ""))).toBe(1);
    expect(contributors.get(countKey("environments.operable_envs_count", ""))).toBe(1);
    // Counts of installations are their own contributors: none stored for them.
    expect([...contributors.keys()].some((k) => k.startsWith("installations."))).toBe(false);
  });

  it("adds up over installations, in all releases and in each release", () => {
    const a = summary([facts("error"), facts("error")]);
    const b = summary([facts("error")], { release: "8.0" });
    expect(contributorsFromRows(scopeRows("all", a, b)).get(countKey("environments.statuses", "error"))).toBe(2);
    expect(contributorsFromRows(scopeRows("release:9.0", a, b)).get(countKey("environments.statuses", "error"))).toBe(1);
  });

  it("leaves the report itself as it was: reportFromRows skips the contributor rows", () => {
    const v2 = summary([facts("operational"), facts("new")]);
    const { counting: _, ...v1 } = v2;
    expect(reportFromRows(scopeRows("all", v2))).toEqual(reportFromRows(scopeRows("all", v1)));
  });

  it("counts nothing for a summary made before contributors: re-counting it adds exactly its contributors", () => {
    const v2 = summary([facts("error"), facts("error")]);
    const { counting: _, ...v1 } = v2;
    const added = difference(reportContribution(v1), reportContribution(v2));
    expect([...added.keys()].every((k) => splitKey(k)[1]!.startsWith("contributors:"))).toBe(true);
    expect(added.get(countKey("all", "contributors:environments.statuses", "error"))).toBe(1);
    expect(difference(reportContribution(v2), reportContribution(v2)).size).toBe(0);
  });
});
