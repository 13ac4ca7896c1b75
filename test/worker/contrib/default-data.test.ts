import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { findProfileByUserId } from "../../../worker/db/contrib";
import { smallConfig } from "../../unit/contrib/fixtures";
import { admin, countRows, loadConfig, resetAll } from "./helpers";

beforeEach(resetAll);

describe("PUT /api/1.0/admin/default-data", () => {
  it("needs the admin secret", async () => {
    expect((await admin("PUT", "/default-data", smallConfig(), null)).status).toBe(401);
    expect((await admin("PUT", "/default-data", smallConfig(), "wrong")).status).toBe(403);
    expect((await admin("GET", "/default-data", undefined, null)).status).toBe(401);
  });

  it("loads a config: its users become static profiles, and the version is recorded with its digest", async () => {
    const res = await admin("PUT", "/default-data", smallConfig());
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; changed: boolean; digest: string; profiles_updated: number }>();
    expect(body).toMatchObject({ status: "ok", changed: true, profiles_updated: 1 });
    expect(body.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await findProfileByUserId(env.CONTRIB_DB, "ada-marsh")).toMatchObject({ static: true, emails: ["ada@northwind.example", "ada.marsh@home.example"] });
    const described = await (await admin("GET", "/default-data")).json();
    expect(described).toMatchObject({ status: "ok", digest: body.digest, profiles_updated: 1 });
  });

  it("does nothing when the same document is loaded again, however it is formatted", async () => {
    const first = await loadConfig(smallConfig());
    const again = await admin("PUT", "/default-data", JSON.stringify(smallConfig(), null, 4));
    expect(await again.json()).toMatchObject({ changed: false, digest: first.digest, profiles_updated: 0 });
    expect(await countRows("config_versions")).toBe(1);
  });

  it("refuses a broken config with a 400 naming the path and the rule, and loads nothing", async () => {
    const broken = smallConfig();
    broken.users[0]!.companies = [{ company_name: "Eastbrook", end_date: null }];
    const res = await admin("PUT", "/default-data", broken);
    expect(res.status).toBe(400);
    const { status, message } = await res.json<{ status: string; message: string }>();
    expect(status).toBe("error");
    expect(message).toMatch(/users\[0\]\.companies\[0\]\.company_name: company "Eastbrook" is not in companies/);
    expect(await countRows("profiles")).toBe(0);
    expect((await admin("GET", "/default-data")).status).toBe(404);
  });

  it("keeps the config in force when a broken one is sent after it", async () => {
    const first = await loadConfig(smallConfig());
    const broken = { ...smallConfig(), releases: [{ release_name: "x", end_date: "2024-13-01" }] };
    const res = await admin("PUT", "/default-data", broken);
    expect(res.status).toBe(400);
    expect((await res.json<{ message: string }>()).message).toMatch(/releases\[0\]\.end_date: expected a date such as 2017-Nov-03/);
    expect(await (await admin("GET", "/default-data")).json()).toMatchObject({ digest: first.digest });
  });

  it.each([
    ["not JSON", "{users: []", /not valid JSON/],
    ["an array", "[]", /must be a JSON object, not an array/],
    ["empty", "", /empty/],
  ])("refuses a body that is %s", async (_, body, message) => {
    const res = await admin("PUT", "/default-data", body);
    expect(res.status).toBe(400);
    expect((await res.json<{ message: string }>()).message).toMatch(message);
  });
});

describe("PUT /api/1.0/admin/corrections", () => {
  it("refuses a correction without its comment, naming it", async () => {
    const res = await admin("PUT", "/corrections", { corrections: [{ primary_key: "a", loc: 0 }] });
    expect(res.status).toBe(400);
    expect((await res.json<{ message: string }>()).message).toMatch(/corrections\[0\]\.correction_comment: required field is missing/);
  });

  it("records a version, and an unchanged document changes nothing", async () => {
    const doc = { corrections: [{ primary_key: "a", correction_comment: "generated", loc: 0 }] };
    expect(await (await admin("PUT", "/corrections", doc)).json()).toMatchObject({ status: "ok", changed: true });
    expect(await (await admin("PUT", "/corrections", doc)).json()).toMatchObject({ changed: false });
    expect(await (await admin("GET", "/corrections")).json()).toMatchObject({ status: "ok" });
  });
});
