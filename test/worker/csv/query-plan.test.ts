// A CSV page must read its own rows, not the rest of the table: bench:csv found the installations
// page answering the is_filtered OR through its index, and the OSWL page taking all rows of a type,
// each then read and sorted on every page (N²/200 rows for an export). These check the plans
// SQLite picks for the `candidates` step of each page query, not timings.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { installationPageQuery, OSWL_PAGE_QUERY, VERIFY_NETWORKS_STATUSES_QUERY } from "../../../worker/db/csv";

/** The steps of the plan under the `candidates` co-routine. */
async function candidatesPlan(sql: string, ...params: unknown[]): Promise<string[]> {
  const { results } = await env.COLLECTOR_DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ id: number; parent: number; detail: string }>();
  const root = results.find((r) => r.detail === "CO-ROUTINE candidates");
  expect(root, "a candidates step").toBeDefined();
  const inside = new Set([root!.id]);
  for (const row of results) if (inside.has(row.parent)) inside.add(row.id);
  return results.filter((r) => r.id !== root!.id && inside.has(r.id)).map((r) => r.detail);
}

describe("CSV page queries", () => {
  it.each(["clusters", "nodes", "plugins"] as const)("take a %s page as a range of installations by id, unsorted", async (kind) => {
    const steps = await candidatesPlan(installationPageQuery(kind), "2026-01-01", "2026-02-01T00:00:00.000Z", 0, 200, 4 << 20);
    expect(steps).toEqual(["SEARCH s USING INTEGER PRIMARY KEY (rowid>?)"]);
  });

  it("takes an OSWL page as a range of the type's (created_date, id) index, unsorted", async () => {
    const steps = await candidatesPlan(OSWL_PAGE_QUERY, "vm", "2026-01-01", "2026-02-01", "", 0, 200, 4 << 20);
    expect(steps[0]).toMatch(/^SEARCH o USING INDEX oswl_stats_resource_type_created_date_idx \(resource_type=\? AND created_date>\?/);
    expect(steps.join("\n")).not.toMatch(/TEMP B-TREE|MULTI-INDEX OR|SCAN o/);
  });

  it("finds a page's verify_networks tasks in the partial index that holds only those, by installation", async () => {
    const { results } = await env.COLLECTOR_DB.prepare(`EXPLAIN QUERY PLAN ${VERIFY_NETWORKS_STATUSES_QUERY}`)
      .bind('["a","b"]', "2026-01-01", "2026-01-31")
      .all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join("\n");
    expect(plan).toContain("SEARCH a USING INDEX action_logs_verify_networks_idx (master_node_uid=?)");
    expect(plan).not.toMatch(/SCAN a\b/);
  });
});
