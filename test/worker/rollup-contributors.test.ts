import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runInstallationsRollup } from "../../worker/cron/rollup";
import { call, cluster, freshUid, postJson, structure } from "./helpers";

const rollUp = () => runInstallationsRollup(env, { chunkSize: 500, overlapMs: 0, budgetMs: 60_000 });
const contributorRows = async () =>
  (
    await env.ANALYTIC_DB.prepare("SELECT scope, metric, key, n FROM report_counts WHERE metric LIKE 'contributors:%' ORDER BY scope, metric, key").all()
  ).results;

describe("the roll-up's contributor counts", () => {
  it("counts, per cell of environments, the installations it comes from", async () => {
    const release = `contrib-${Date.now()}`;
    const fuel_release = { release, api: "1", feature_groups: [] };
    const post = async (clusters: unknown[]) => {
      const res = await postJson("/api/v1/installation_structure/", {
        installation_structure: structure(freshUid(), { fuel_release, clusters_num: clusters.length, clusters }),
      });
      expect(res.status).toBe(201);
    };
    await post([cluster(1, 2, { status: "error" }), cluster(2, 2, { status: "error" }), cluster(3, 2, { status: "error" })]);
    await post([cluster(1, 4, { status: "error" })]);
    await rollUp();
    const scope = `release:${release}`;
    const rows = (await contributorRows()).filter((r) => r.scope === scope);
    expect(rows).toContainEqual({ scope, metric: "contributors:environments.statuses", key: "error", n: 2 });
    expect(rows).toContainEqual({ scope, metric: "contributors:environments.nodes_num", key: "2", n: 1 });
    expect(rows).toContainEqual({ scope, metric: "contributors:environments.count", key: "", n: 2 });
    const report = await (await call(`/api/v1/json/report/installations?release=${release}`)).json<{ environments: { statuses: Record<string, number> } }>();
    expect(report.environments.statuses).toEqual({ error: 4 });
  });

  it("adds them to a roll-up made before them with one full pass, leaving the reports as they were", async () => {
    await postJson("/api/v1/installation_structure/", {
      installation_structure: structure(freshUid(), { clusters_num: 2, clusters: [cluster(1, 3), cluster(2, 5, { status: "error" })] }),
    });
    await rollUp();
    const counted = await contributorRows();
    const report = await (await call("/api/v1/json/report/installations")).text();
    expect(counted.length).toBeGreaterThan(0);
    // The tables as the previous version of the roll-up left them.
    await env.ANALYTIC_DB.batch([
      env.ANALYTIC_DB.prepare("DELETE FROM report_counts WHERE metric LIKE 'contributors:%'"),
      env.ANALYTIC_DB.prepare("UPDATE rollup_installations SET summary = json_remove(summary, '$.counting')"),
      env.ANALYTIC_DB.prepare("UPDATE rollup_cursors SET rules_epoch = substr(rules_epoch, 1, instr(rules_epoch, '/') - 1)"),
    ]);
    expect(await contributorRows()).toEqual([]);

    const run = await rollUp();
    expect(run.fullPass).toBe(true);
    expect(await contributorRows()).toEqual(counted);
    expect(await (await call("/api/v1/json/report/installations")).text()).toBe(report);
    expect((await rollUp()).fullPass).toBe(false);
  });
});
