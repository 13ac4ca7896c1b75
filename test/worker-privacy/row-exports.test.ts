// The row-level exports at the shipped settings (wrangler.toml's PUBLIC_ROW_EXPORTS = "false"):
// the public cannot recount from them what the reports withhold (docs/privacy.md).
import { describe, expect, it } from "vitest";
import { ADMIN_AUTH, call, postJson } from "../worker/helpers";

describe("the row-level exports as shipped", () => {
  it("refuse a CSV report and a bundle without the admin secret, and serve the report with it", async () => {
    const refused = await call("/api/v1/csv/clusters");
    expect(refused.status).toBe(403);
    expect((await refused.json<{ message: string }>()).message).toContain("PUBLIC_ROW_EXPORTS");
    expect((await postJson("/api/v1/exports", {})).status).toBe(403);
    const served = await call("/api/v1/csv/clusters", { headers: ADMIN_AUTH });
    expect(served.status).toBe(200);
    await served.text();
  });
});
