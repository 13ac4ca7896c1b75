import { describe, expect, it } from "vitest";
import { installationsReportCells } from "../../worker/domain/report-cells";
import { countKey } from "../../worker/domain/rollup";
import { type Cell, chooseWithheld, type Group, pointer, withhold } from "../../worker/domain/suppression";

const installations = (name: string, value: number): Cell => ({ pointer: `/m/${name}`, value, installations: value, countsInstallations: true });
const sumOf = (members: Cell[], total = "/total"): Group => ({ total, members: members.map((m) => m.pointer) });
const totalCell = (members: Cell[]): Cell => {
  const value = members.reduce((s, m) => s + m.value, 0);
  return { pointer: "/total", value, installations: value, countsInstallations: true };
};
const decide = (members: Cell[], k: number) => chooseWithheld([totalCell(members), ...members], [sumOf(members)], k).cells;

/**
 * What a reader can work out of a group of counts of installations from the answer alone: the
 * values each withheld member can take, given the shown total and members, and that a member
 * withheld below k is 1..k−1 and a complementary one at least k and at most the smallest shown
 * member (they are chosen smallest first). Exhaustive, for small groups.
 */
function possibleValues(members: Cell[], withheld: Map<string, string>, k: number): Map<string, Set<number>> {
  const hidden = members.filter((m) => withheld.has(m.pointer));
  const shown = members.filter((m) => !withheld.has(m.pointer));
  const total = members.reduce((s, m) => s + m.value, 0);
  const sum = total - shown.reduce((s, m) => s + m.value, 0);
  const smallestShown = shown.length ? Math.min(...shown.map((m) => m.value)) : sum;
  const range = (m: Cell) => (withheld.get(m.pointer) === "below_k" ? [1, k - 1] : [k, Math.min(smallestShown, sum)]);
  const possible = new Map(hidden.map((m) => [m.pointer, new Set<number>()]));
  const walk = (i: number, left: number, chosen: number[]) => {
    if (i === hidden.length) {
      if (left === 0) hidden.forEach((m, j) => possible.get(m.pointer)!.add(chosen[j]!));
      return;
    }
    const [lo, hi] = range(hidden[i]!);
    for (let v = lo!; v <= Math.min(hi!, left); v++) walk(i + 1, left - v, [...chosen, v]);
  };
  walk(0, sum, []);
  return possible;
}

describe("chooseWithheld", () => {
  it("withholds every number from fewer than k installations, and nothing when k is 1", () => {
    const cells = [installations("a", 4), installations("b", 5), installations("zero", 0)];
    expect([...chooseWithheld(cells, [], 5).cells]).toEqual([["/m/a", "below_k"]]);
    expect(chooseWithheld(cells, [], 1).cells.size).toBe(0);
  });

  it("judges a count of environments by the installations it comes from, not by its size", () => {
    const seven: Cell = { pointer: "/error", value: 7, installations: 1, countsInstallations: false };
    const many: Cell = { pointer: "/new", value: 3, installations: 3, countsInstallations: false };
    expect([...chooseWithheld([seven, many], [], 3).cells]).toEqual([["/error", "below_k"]]);
  });

  it("withholds the smallest other member when a total and all but one member would give a small one away", () => {
    const members = [installations("a", 1), installations("b", 20), installations("c", 40)];
    expect([...decide(members, 5)]).toEqual([
      ["/m/a", "below_k"],
      ["/m/b", "complementary"],
    ]);
  });

  it("withholds the total when no member is left that would hide a small one", () => {
    // 1 + 5 + 5 = 11: with both fives withheld the reader still knows a ≤ 11 − 5 − 5 = 1.
    const members = [installations("a", 1), installations("b", 5), installations("c", 5)];
    expect([...decide(members, 5)]).toEqual([
      ["/m/a", "below_k"],
      ["/m/b", "complementary"],
      ["/m/c", "complementary"],
      ["/total", "complementary"],
    ]);
  });

  it("hides a count of environments from one installation behind the next one, whose size is not bounded either", () => {
    const error: Cell = { pointer: "/error", value: 4, installations: 1, countsInstallations: false };
    const operational: Cell = { pointer: "/operational", value: 36, installations: 28, countsInstallations: false };
    const total: Cell = { pointer: "/total", value: 40, installations: 29, countsInstallations: false };
    expect([...chooseWithheld([total, error, operational], [sumOf([error, operational])], 5).cells]).toEqual([
      ["/error", "below_k"],
      ["/operational", "complementary"],
    ]);
  });

  it("leaves two small members alone when their sum leaves each of them every value below k", () => {
    // a + b = 5: each of them may be anything from 1 to 4.
    const members = [installations("a", 2), installations("b", 3), installations("c", 40)];
    expect([...decide(members, 5)]).toEqual([
      ["/m/a", "below_k"],
      ["/m/b", "below_k"],
    ]);
  });

  it("leaves every value from 1 to k−1 possible for each withheld small member, whatever the group (exhaustive)", () => {
    let checked = 0;
    for (const k of [2, 3, 5]) {
      const values = [1, 2, 3, 4, 5, 6, 7, 9];
      for (const a of values) {
        for (const b of values) {
          for (const c of values) {
            for (const d of [0, 1, 5, 12]) {
              const members = [installations("a", a), installations("b", b), installations("c", c), installations("d", d)].filter((m) => m.value > 0);
              const withheld = decide(members, k);
              if (withheld.has("/total")) continue;
              const possible = possibleValues(members, withheld, k);
              for (const m of members) {
                if (withheld.get(m.pointer) !== "below_k") continue;
                checked++;
                for (let v = 1; v < k; v++) expect(possible.get(m.pointer)!.has(v), `${JSON.stringify(members.map((x) => x.value))} k=${k}: ${m.pointer} = ${v}`).toBe(true);
              }
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe("withhold", () => {
  it("replaces the withheld numbers by null, in a copy, and lists them by reason", () => {
    const answer = { a: { "7.0/x": 3, b: 9 }, list: [{ n: 1 }] };
    const cells = new Map([
      [pointer("a", "7.0/x"), "below_k" as const],
      [pointer("list", 0, "n"), "complementary" as const],
    ]);
    expect(withhold(answer, { k: 5, cells })).toEqual({
      a: { "7.0/x": null, b: 9 },
      list: [{ n: null }],
      suppressed: { k: 5, below_k: ["/a/7.0~1x"], complementary: ["/list/0/n"] },
    });
    expect(answer.a["7.0/x"]).toBe(3);
  });
});

describe("installationsReportCells", () => {
  const report = {
    installations: { count: 29, environments_num: { "1": 20, "2": 8, "4": 1 } },
    environments: {
      count: 40,
      operable_envs_count: 36,
      statuses: { operational: 36, error: 4 },
      nodes_num: { "3": 36 },
      hypervisors_num: { kvm: 36, xen: 4 },
      oses_num: { ubuntu: 40 },
    },
  };
  const contributors = new Map([
    [countKey("environments.count", ""), 29],
    [countKey("environments.operable_envs_count", ""), 28],
    [countKey("environments.statuses", "operational"), 28],
    [countKey("environments.statuses", "error"), 1],
    [countKey("environments.nodes_num", "3"), 28],
    [countKey("environments.hypervisors_num", "kvm"), 28],
    [countKey("environments.hypervisors_num", "xen"), 1],
    [countKey("environments.oses_num", "ubuntu"), 29],
  ]);

  it("withholds the small cells and, in each group with a shown total, what would give them away", () => {
    const { cells, groups } = installationsReportCells(report, contributors);
    const decided = chooseWithheld(cells, groups, 5);
    expect(withhold(report, decided)).toEqual({
      installations: { count: 29, environments_num: { "1": 20, "2": null, "4": null } },
      environments: {
        count: 40,
        operable_envs_count: 36,
        // 40 − 36 = error: with only two statuses, operational goes too.
        statuses: { operational: null, error: null },
        nodes_num: { "3": 36 },
        hypervisors_num: { kvm: 36, xen: null },
        oses_num: { ubuntu: 40 },
      },
      suppressed: {
        k: 5,
        below_k: ["/installations/environments_num/4", "/environments/statuses/error", "/environments/hypervisors_num/xen"],
        complementary: ["/installations/environments_num/2", "/environments/statuses/operational"],
      },
    });
  });

  it("withholds a count of environments the roll-up has not attributed to installations", () => {
    const { cells, groups } = installationsReportCells(report, new Map());
    const decided = chooseWithheld(cells, groups, 5).cells;
    expect(decided.get("/environments/oses_num/ubuntu")).toBe("below_k");
    expect(decided.has("/installations/count")).toBe(false);
  });
});
