import { describe, expect, it } from "vitest";
import { chunkJson } from "../../worker/db/chunk";

describe("chunkJson", () => {
  it("returns no chunks for no items", () => {
    expect(chunkJson([], 10, 100)).toEqual([]);
  });

  it("bounds every chunk by count and keeps every item once, in order", () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ i }));
    const chunks = chunkJson(items, 10, 1e6).map((c) => JSON.parse(c) as { i: number }[]);
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunks.flat()).toEqual(items);
  });

  it("bounds every chunk by serialised size", () => {
    const items = Array.from({ length: 10 }, () => ({ s: "x".repeat(40) }));
    const chunks = chunkJson(items, 1000, 120);
    expect(chunks.every((c) => c.length <= 120)).toBe(true);
    expect(chunks.flatMap((c) => JSON.parse(c))).toEqual(items);
  });

  it("puts an item larger than the size bound in a chunk of its own", () => {
    const chunks = chunkJson([{ s: "small" }, { s: "y".repeat(500) }, { s: "small" }], 1000, 100);
    expect(chunks).toHaveLength(3);
  });
});
