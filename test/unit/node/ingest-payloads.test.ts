// bench/lib/payloads.mjs as `npm run bench:ingest` relies on it: the bodies issue 18 names, valid
// on the wire, the same bytes every time they are rebuilt.
import { describe, expect, it } from "vitest";
import { actionLogsRequest, BATCH_SIZE, fleetBatchOf, FLEET_SIZE, structureRequest, uidOf } from "../../../bench/lib/payloads.mjs";
import { ActionLogsRequestSchema, InstallationStructureRequestSchema } from "../../../schemas/collector";

describe("ingest bench bodies", () => {
  it("makes a structure of 3 clusters × 7 nodes with 33 attributes each, about 21 KB, that the collector accepts", () => {
    const body = structureRequest(uidOf("fleet", 7), 3);
    expect(body.length).toBeGreaterThan(20_000);
    expect(body.length).toBeLessThan(22_000);
    const { installation_structure: s } = InstallationStructureRequestSchema.parse(JSON.parse(body));
    expect(s.clusters).toHaveLength(3);
    for (const cluster of s.clusters) {
      expect(cluster.nodes).toHaveLength(7);
      expect(Object.keys(cluster.attributes)).toHaveLength(33);
    }
  });

  it("makes a batch of 100 http_request records of one installation, about 38 KB, with ids unique to the batch", () => {
    for (const batchNo of [0, 1, 999]) {
      const body = actionLogsRequest(uidOf("fleet", 5), batchNo);
      expect(body.length).toBeGreaterThan(37_000);
      expect(body.length).toBeLessThan(39_500);
      const { action_logs: logs } = ActionLogsRequestSchema.parse(JSON.parse(body));
      expect(logs).toHaveLength(BATCH_SIZE);
      expect(new Set(logs.map((l) => l.master_node_uid))).toEqual(new Set([uidOf("fleet", 5)]));
      expect(logs.map((l) => l.external_id)).toEqual(Array.from({ length: BATCH_SIZE }, (_, i) => batchNo * BATCH_SIZE + i + 1));
      expect(logs.every((l) => l.body.action_type === "http_request")).toBe(true);
    }
  });

  it("rebuilds the same bytes for the same installation and sequence number", () => {
    expect(structureRequest(uidOf("first-structures", 12), 0)).toBe(structureRequest(uidOf("first-structures", 12), 0));
    expect(actionLogsRequest(uidOf("first-logs", 12), 0)).toBe(actionLogsRequest(uidOf("first-logs", 12), 0));
  });

  it("keeps the fleet and each first-contact scenario in uid spaces of their own", () => {
    const uids = ["fleet", "first-logs", "first-structures"].flatMap((pool) => Array.from({ length: 1000 }, (_, i) => uidOf(pool, i)));
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(u))).toBe(true);
  });

  it("spreads fleet batches round robin, each installation's batches numbered from 0", () => {
    expect(fleetBatchOf(0)).toEqual({ index: 0, batchNo: 0 });
    expect(fleetBatchOf(FLEET_SIZE - 1)).toEqual({ index: FLEET_SIZE - 1, batchNo: 0 });
    expect(fleetBatchOf(FLEET_SIZE + 2)).toEqual({ index: 2, batchNo: 1 });
  });
});
