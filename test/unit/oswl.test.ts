import { describe, expect, it } from "vitest";
import type { Oswl } from "../../schemas/collector";
import { settleOswlStats, uniqueOswlStats } from "../../worker/domain/oswl";

const item = (id: number, resource_type: Oswl["resource_type"], checksum = "c"): Oswl =>
  ({ master_node_uid: "m", id, resource_type, resource_checksum: checksum }) as Oswl;

describe("uniqueOswlStats", () => {
  it("collapses a repeated (id, resource_type) to the last item", () => {
    const unique = uniqueOswlStats([item(1, "vm", "old"), item(1, "image"), item(1, "vm", "new")]);
    expect(unique.map((i) => [i.id, i.resource_type, i.resource_checksum])).toEqual([
      [1, "vm", "new"],
      [1, "image", "c"],
    ]);
  });
});

describe("settleOswlStats", () => {
  it("is updated for existing keys and added for the rest", () => {
    const statuses = settleOswlStats([item(1, "vm"), item(1, "image"), item(2, "vm")], [{ id: 1, resource_type: "vm" }]);
    expect(statuses).toEqual(["updated", "added", "added"]);
  });
  it("is failed for every item when the write failed", () => {
    expect(settleOswlStats([item(1, "vm"), item(2, "vm")], "failed")).toEqual(["failed", "failed"]);
  });
});
