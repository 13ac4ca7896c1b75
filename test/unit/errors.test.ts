import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeZodError, formatPath } from "../../worker/http/errors";

describe("formatPath", () => {
  it("joins keys with dots and indexes with brackets", () => {
    expect(formatPath(["action_logs", 3, "body", "action_type"])).toBe("action_logs[3].body.action_type");
    expect(formatPath([])).toBe("");
  });
});

describe("describeZodError", () => {
  const schema = z.strictObject({ a: z.int(), b: z.array(z.string()) });
  const describe_ = (value: unknown) => describeZodError(schema.safeParse(value, { reportInput: true }).error!);

  it("names a missing field as required", () => {
    expect(describe_({ b: [] })).toBe("invalid request: a: required field is missing");
  });
  it("names an unknown key", () => {
    expect(describe_({ a: 1, b: [], c: 2 })).toBe('invalid request: body: unknown field "c" (not allowed here)');
  });
  it("names a wrong type inside an array by index", () => {
    expect(describe_({ a: 1, b: ["x", 2] })).toMatch(/^invalid request: b\[1\]: .*expected string, received number$/);
  });
  it("lists at most five issues and counts the rest", () => {
    const many = z.object(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, z.string()])));
    const message = describeZodError(many.safeParse({}, { reportInput: true }).error!);
    expect(message.split("; ")).toHaveLength(6);
    expect(message).toMatch(/and 3 more$/);
  });
});
