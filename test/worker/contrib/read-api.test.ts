import { beforeAll, describe, expect, it } from "vitest";
import { UserResponseSchema } from "../../../schemas/contrib/api";
import type { DefaultData } from "../../../schemas/contrib/default-data";
import { call } from "../helpers";
import { smallConfig } from "../../unit/contrib/fixtures";
import { loadConfig, postRecords, resetAll } from "./helpers";

function config(): DefaultData {
  const c = smallConfig();
  c.users.push({
    user_name: "Kai Brandt",
    emails: ["kai@southgate.example"],
    gerrit_id: "kbrandt",
    github_id: "kai-b",
    companies: [{ company_name: "Southgate", end_date: "2023-May-01" }],
  });
  return c;
}

const affiliation = (query: string) => call(`/api/1.0/affiliation?${query}`);

beforeAll(async () => {
  await resetAll();
  await loadConfig(config());
});

describe("GET /api/1.0/users/<user_id>", () => {
  it("shows a config user's profile in Stackalytics' shape", async () => {
    const res = await call("/api/1.0/users/ada-marsh");
    expect(res.status).toBe(200);
    const body = UserResponseSchema.parse(await res.json());
    expect(body.user).toMatchObject({
      user_id: "ada-marsh",
      user_name: "Ada Marsh",
      id: "ada-marsh",
      text: "Ada Marsh",
      launchpad_id: "ada-marsh",
      emails: ["ada@northwind.example", "ada.marsh@home.example"],
      companies: [
        { company_name: "Northwind", end_date: Date.UTC(2024, 1, 10) / 1000 },
        { company_name: "Southgate", end_date: 0 },
      ],
      static: true,
      company_link: { uri: "/?company=Southgate", title: "Southgate" },
    });
    expect(body.user).not.toHaveProperty("gerrit_id");
  });

  it("shows a user whose user_id is an email, with the implicit *independent", async () => {
    const body = UserResponseSchema.parse(await (await call("/api/1.0/users/kai%40southgate.example")).json());
    expect(body.user.companies.at(-1)).toEqual({ company_name: "*independent", end_date: 0 });
    expect(body.user.gerrit_id).toBe("kbrandt");
  });

  it("shows where a user is a core reviewer: a ±2 Code-Review within 90 days, per module and branch", async () => {
    const now = Math.floor(Date.now() / 1000);
    const vote = (key: string, value: number, daysAgo: number, module: string, branch = "master") => ({
      primary_key: key,
      record_type: "mark" as const,
      date: now - daysAgo * 86_400,
      author_email: "ada@northwind.example",
      module,
      branch,
      type: "Code-Review",
      value,
      review_id: `I${key}`,
      patch: 1,
    });
    await postRecords([vote("c1", 2, 3, "core"), vote("c2", -2, 10, "core", "stable/birch"), vote("c3", 1, 1, "docs"), vote("c4", 2, 120, "tools")]);
    const body = UserResponseSchema.parse(await (await call("/api/1.0/users/ada-marsh")).json());
    expect(body.user.core).toEqual([
      ["core", "master"],
      ["core", "stable/birch"],
    ]);
  });

  it("answers 404 for an unknown user", async () => {
    const res = await call("/api/1.0/users/nobody");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: "error", message: 'no user with user_id "nobody"', parameter: "user_id", value: "nobody" });
  });

  it("shows a profile the engine made up from records", async () => {
    await postRecords([{ primary_key: "r-made-up", record_type: "email", date: Date.UTC(2024, 0, 5) / 1000, author_email: "Lou@Westbay.example", author_name: "Lou", module: "core" }]);
    const body = UserResponseSchema.parse(await (await call("/api/1.0/users/lou%40westbay.example")).json());
    expect(body.user).toMatchObject({ user_name: "Lou", static: false, companies: [{ company_name: "*independent", end_date: 0 }] });
  });
});

describe("GET /api/1.0/affiliation", () => {
  it.each([
    ["email=ada%40northwind.example&date=2024-02-09", "Northwind"],
    ["email=ada%40northwind.example&date=2024-02-10", "Southgate"],
    ["email=ADA.MARSH%40home.example&date=2020-01-01", "Northwind"],
    ["launchpad_id=ada-marsh&date=2025-01-01", "Southgate"],
  ])("credits a config user by date: %s → %s", async (query, company) => {
    const res = await affiliation(query);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user_id: "ada-marsh", user_name: "Ada Marsh", company_name: company });
  });

  it("finds a person by Gerrit or GitHub id, and after the last end date credits *independent", async () => {
    expect(await (await affiliation("gerrit_id=kbrandt&date=2023-04-30")).json()).toEqual({ user_id: "kai@southgate.example", user_name: "Kai Brandt", company_name: "Southgate" });
    expect(await (await affiliation("github_id=kai-b&date=2023-05-01")).json()).toMatchObject({ company_name: "*independent" });
  });

  it("attributes an author the config does not know by the email's domain, else *independent", async () => {
    expect(await (await affiliation("email=new.person%40eu.southgate.example&date=2024-01-01")).json()).toEqual({
      user_id: "new.person@eu.southgate.example",
      user_name: "new.person",
      company_name: "Southgate",
    });
    expect(await (await affiliation("email=someone%40gmail.example&date=2024-01-01")).json()).toMatchObject({ company_name: "*independent" });
    expect(await (await affiliation("gerrit_id=stranger&date=2024-01-01")).json()).toEqual({ user_id: "gerrit:stranger", user_name: "stranger", company_name: "*independent" });
  });

  it("does not store the authors it was asked about", async () => {
    await affiliation("email=ghost%40northwind.example&date=2024-01-01");
    expect((await call("/api/1.0/users/ghost%40northwind.example")).status).toBe(404);
  });

  it.each([
    ["date=2024-01-01", /email: one of email, launchpad_id, gerrit_id, github_id, zanata_id is required/],
    ["email=a%40b.example", /date: required field is missing/],
    ["email=a%40b.example&date=2024-02-30", /date: expected a day such as 2024-03-15/],
    ["email=a%40b.example&date=01.02.2024", /date: expected a day/],
    ["email=a%40b.example&gerrit_id=x&date=2024-01-01", /gerrit_id: give only one of/],
    ["emial=a%40b.example&date=2024-01-01", /query: unknown field "emial"/],
  ])("refuses ?%s with a 400 naming the parameter", async (query, message) => {
    const res = await affiliation(query);
    expect(res.status).toBe(400);
    expect((await res.json<{ message: string }>()).message).toMatch(message);
  });
});
