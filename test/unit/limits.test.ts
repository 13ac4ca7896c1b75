import { describe, expect, it } from "vitest";
import { findBoundViolation, LIMITS } from "../../schemas/limits";
import { soleInstallation } from "../../worker/domain/batch";

const small = { stringLength: 5, arrayLength: 3, objectKeys: 2, depth: 3 };

describe("findBoundViolation", () => {
  it("accepts values within every bound", () => {
    expect(findBoundViolation({ a: [1, "abc", { b: null }] }, small)).toBeNull();
  });
  it("names the path and the limit of a long string", () => {
    expect(findBoundViolation({ a: [1, "abcdef"] }, small)).toEqual({
      path: "a[1]",
      message: "string of 6 characters exceeds the limit of 5",
    });
  });
  it("names a long array, a large object and deep nesting", () => {
    expect(findBoundViolation({ a: [1, 2, 3, 4] }, small)?.message).toBe("array of 4 elements exceeds the limit of 3");
    expect(findBoundViolation({ a: { x: 1, y: 2, z: 3 } }, small)).toMatchObject({ path: "a", message: "object with 3 keys exceeds the limit of 2" });
    expect(findBoundViolation({ a: { b: { c: {} } } }, small)).toMatchObject({ path: "a.b.c", message: "nesting deeper than the limit of 3 levels" });
  });
  it("walks very deep values without recursion", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findBoundViolation(deep)?.message).toBe(`nesting deeper than the limit of ${LIMITS.depth} levels`);
  });
});

describe("soleInstallation", () => {
  it("finds the one installation of a batch, or none for an empty batch", () => {
    expect(soleInstallation([{ master_node_uid: "a" }, { master_node_uid: "a" }])).toEqual({ uid: "a" });
    expect(soleInstallation([])).toEqual({ uid: null });
  });
  it("refuses a batch of several installations, naming them", () => {
    expect(soleInstallation([{ master_node_uid: "a" }, { master_node_uid: "b" }])).toEqual({
      error: 'all records of one request must belong to one installation; found 2: "a", "b"',
    });
  });
});
