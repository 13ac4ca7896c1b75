import { describe, expect, it } from "vitest";
import { UserProfileSchema } from "../../../schemas/contrib/api";
import { attributeCompany } from "../../../worker/domain/contrib/affiliation";
import { compileDefaultData } from "../../../worker/domain/contrib/engine";
import { ProfileBook } from "../../../worker/domain/contrib/profiles";
import { toUserProfile } from "../../../worker/domain/contrib/users";
import { exampleConfig } from "./example-config";
import { at } from "./fixtures";

const engine = compileDefaultData(exampleConfig());
const book = new ProfileBook([]);
book.syncConfig(engine.users, engine.companies);

/** Whom the example config credits for a record of this author on this day. */
function credited(author: Parameters<ProfileBook["resolve"]>[0], day: string): string {
  const profile = book.resolve(author, engine.companies);
  return attributeCompany(profile, at(day), author.email, engine.companies);
}

describe("the example config, through the engine", () => {
  it.each([
    [{ email: "chen.wei@kumo.co.example" }, "2022-08-30", "Aurora Cloud Systems"],
    [{ email: "chen.wei@kumo.co.example" }, "2022-08-31", "Kumo Systems"],
    [{ launchpad_id: "priya-natarajan" }, "2022-01-01", "Gale University"],
    [{ launchpad_id: "priya-natarajan" }, "2023-01-01", "Delta Compute"],
    [{ launchpad_id: "priya-natarajan" }, "2025-01-01", "Kumo Systems"],
    [{ email: "isabel.ferreira@helios.example" }, "2022-12-15", "*independent"],
    [{ gerrit_id: "dvolkov" }, "2024-07-01", "Fjord Research"],
    [{ email: "emeka.eze@irishosting.example" }, "2025-03-20", "*independent"],
    [{ email: "ci@robots.cumulus.example" }, "2024-01-01", "*robots"],
    [{ email: "visitor@lab.research.fjord.example" }, "2024-01-01", "Fjord Research"],
    [{ email: "visitor@mail.fjord.example" }, "2024-01-01", "Fjord Telecom"],
    [{ email: "visitor@mailbox.example" }, "2024-01-01", "*independent"],
  ])("%j on %s → %s", (author, day, company) => {
    expect(credited(author, day)).toBe(company);
  });
});

describe("toUserProfile", () => {
  const chen = book.findByKeys(["launchpad:chen-wei"])[0]!;

  it("has Stackalytics' profile fields, the absent ids left out", () => {
    const profile = UserProfileSchema.parse(toUserProfile(chen, at("2026-01-01")));
    expect(profile).toEqual({
      seq: chen.seq,
      user_id: "chen-wei",
      user_name: "Chen Wei",
      emails: ["chen.wei@kumo.co.example", "wei.chen@auroracloud.example"],
      companies: [
        { company_name: "Aurora Cloud Systems", end_date: at("2022-08-31") },
        { company_name: "Kumo Systems", end_date: 0 },
      ],
      launchpad_id: "chen-wei",
      core: [],
      static: true,
      id: "chen-wei",
      text: "Chen Wei",
      company_link: { uri: "/?company=Kumo%20Systems", title: "Kumo Systems" },
    });
  });

  it("links the company of the given moment", () => {
    expect(toUserProfile(chen, at("2022-01-01")).company_link.title).toBe("Aurora Cloud Systems");
  });
});

describe("the compiled config's users and fingerprints", () => {
  it("are made once, at their first use, and do not depend on when", () => {
    const lazy = compileDefaultData(exampleConfig());
    expect(lazy.users).toBe(lazy.users);
    expect(lazy.fingerprints).toBe(lazy.fingerprints);
    const fresh = compileDefaultData(exampleConfig());
    expect(fresh.fingerprints).toEqual(lazy.fingerprints);
    expect(fresh.users).toEqual(engine.users);
  });
});
