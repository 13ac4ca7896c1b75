import { describe, expect, it } from "vitest";
import { decideDeletion } from "../../worker/domain/identity";

describe("decideDeletion", () => {
  it("allows only the hash of the token the installation is bound to", () => {
    expect(decideDeletion("abc", "abc")).toEqual({ allowed: true });
    expect(decideDeletion("abc", "abd")).toMatchObject({ allowed: false, reason: "token_wrong" });
  });

  it("names a missing token before anything else", () => {
    expect(decideDeletion("abc", null)).toMatchObject({ allowed: false, reason: "token_required" });
    expect(decideDeletion(null, null)).toMatchObject({ allowed: false, reason: "token_required" });
  });

  it("refuses any token for an unbound installation: an issued token proves nothing", () => {
    expect(decideDeletion(null, "abc")).toMatchObject({ allowed: false, reason: "not_bound", message: expect.stringContaining("operator") });
  });
});
