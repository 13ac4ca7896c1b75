import { describe, expect, it } from "vitest";
import { rowExportsConfig } from "../../worker/config";

/** The setting as wrangler.toml's [vars] would give it (each object is parsed on its own). */
const config = (vars: Record<string, unknown>) => rowExportsConfig(vars as unknown as Env);

describe("the PUBLIC_ROW_EXPORTS setting", () => {
  it("keeps the row-level exports for the admin secret unless it is true", () => {
    expect(config({})).toEqual({ public: false });
    expect(config({ PUBLIC_ROW_EXPORTS: "false" })).toEqual({ public: false });
    expect(config({ PUBLIC_ROW_EXPORTS: "true" })).toEqual({ public: true });
    // A bare boolean in [vars] (PUBLIC_ROW_EXPORTS = true, unquoted) is a boolean.
    expect(config({ PUBLIC_ROW_EXPORTS: true })).toEqual({ public: true });
    expect(config({ PUBLIC_ROW_EXPORTS: false })).toEqual({ public: false });
  });

  it.each([["yes"], ["TRUE"], ["1"], [""], [1]])("refuses PUBLIC_ROW_EXPORTS=%j, naming the setting and what it takes", (value) => {
    expect(() => config({ PUBLIC_ROW_EXPORTS: value })).toThrow(new Error('invalid setting PUBLIC_ROW_EXPORTS: expected "true" or "false"'));
  });
});
