import { describe, expect, it } from "vitest";
import { CorrectionsSchema } from "../../../schemas/contrib/corrections";
import { type DefaultData, DefaultDataSchema, formatConfigDate, parseConfigDate } from "../../../schemas/contrib/default-data";
import { describeZodError } from "../../../worker/http/errors";
import { exampleConfig } from "./example-config";
import { smallConfig } from "./fixtures";

/** The validation message, as the admin API would answer it; "" when the config is valid. */
function problems(config: unknown): string {
  const result = DefaultDataSchema.safeParse(config, { reportInput: true });
  return result.success ? "" : describeZodError(result.error, [], 20);
}

const withUser = (patch: Record<string, unknown>, base = smallConfig()): unknown => ({
  ...base,
  users: [{ ...base.users[0]!, ...patch }],
});

describe("default_data schema: valid configs", () => {
  it("accepts the shipped example config", () => {
    expect(problems(exampleConfig())).toBe("");
  });

  it("accepts a minimal config and the optional sections", () => {
    expect(problems(smallConfig())).toBe("");
    expect(
      problems(
        smallConfig({
          project_sources: [{ organization: "demo", uri: "gerrit://review.example:29418", pattern: "^demo/.*", launchpad_metrics: false }],
          module_groups: [{ module_group_name: "core-group", modules: ["core"] }],
          mail_lists: ["https://lists.example/pipermail/dev/"],
          member_lists: ["https://members.example/profile/"],
        }),
      ),
    ).toBe("");
  });

  it("accepts a user's company named by an alias or another spelling, and the pseudo-companies", () => {
    expect(problems(withUser({ companies: [{ company_name: "southgate inc", end_date: "2023-Jan-05" }, { company_name: "*independent", end_date: null }] }))).toBe("");
    expect(problems(withUser({ companies: [{ company_name: "*robots", end_date: null }] }))).toBe("");
  });

  it("accepts (none) as an email domain and upper case in the local part", () => {
    expect(problems(withUser({ emails: ["Ada.Marsh@(none)", "ADA@northwind.example"] }))).toBe("");
  });
});

describe("default_data schema: broken configs name the path and the rule", () => {
  it.each<[string, (c: DefaultData) => unknown, RegExp]>([
    ["a required section is missing", ({ releases: _, ...rest }) => rest, /releases: required field is missing/],
    ["an unknown top-level key", (c) => ({ ...c, user: [] }), /body: unknown field "user"/],
    ["an unknown key in a user", (c) => withUser({ email: "x@y.example" }, c), /users\[0\]: unknown field "email"/],
    ["an unknown key in a company", (c) => ({ ...c, companies: [{ ...c.companies[0]!, domain: "x" }] }), /companies\[0\]: unknown field "domain"/],
    ["a user without user_name", (c) => withUser({ user_name: undefined }, c), /users\[0\]\.user_name: required field is missing/],
    ["a user without emails", (c) => withUser({ emails: [] }, c), /users\[0\]\.emails: a user needs at least one email/],
    ["an email with an upper-case domain", (c) => withUser({ emails: ["ada@Northwind.example"] }, c), /users\[0\]\.emails\[0\]: expected an email/],
    ["an email without a domain", (c) => withUser({ emails: ["ada"] }, c), /users\[0\]\.emails\[0\]: expected an email/],
    ["a launchpad id with upper case", (c) => withUser({ launchpad_id: "Ada" }, c), /users\[0\]\.launchpad_id: expected a Launchpad id/],
    ["an end date in ISO form", (c) => withUser({ companies: [{ company_name: "Northwind", end_date: "2024-02-10" }] }, c), /users\[0\]\.companies\[0\]\.end_date: expected a date such as 2017-Nov-03/],
    ["an end date that is not a day", (c) => withUser({ companies: [{ company_name: "Northwind", end_date: "2024-Feb-30" }] }, c), /end_date: expected a date/],
    ["a release without end_date", (c) => ({ ...c, releases: [{ release_name: "x" }] }), /releases\[0\]\.end_date: required field is missing/],
    ["no release at all", (c) => ({ ...c, releases: [] }), /releases: at least one release is needed/],
    ["a company domain in upper case", (c) => ({ ...c, companies: [{ company_name: "X", domains: ["X.example"] }] }), /companies\[0\]\.domains\[0\]: expected a lower-case domain/],
    ["a project type id with a space", (c) => ({ ...c, project_types: [{ id: "a b", title: "A", modules: [] }] }), /project_types\[0\]\.id: expected letters/],
    ["a module group name with a dot", (c) => ({ ...c, module_groups: [{ module_group_name: "a.b", modules: [] }] }), /module_groups\[0\]\.module_group_name/],
    ["a project source uri of another scheme", (c) => ({ ...c, project_sources: [{ organization: "o", uri: "ssh://x" }] }), /project_sources\[0\]\.uri: expected gerrit/],
    ["a repo without module", (c) => ({ ...c, repos: [{ uri: "u", organization: "o" }] }), /repos\[0\]\.module: required field is missing/],
  ])("%s", (_, breakIt, message) => {
    expect(problems(breakIt(smallConfig()))).toMatch(message);
  });

  it("refuses two open affiliations of one user", () => {
    const config = withUser({ companies: [{ company_name: "Northwind", end_date: null }, { company_name: "Southgate", end_date: null }] });
    expect(problems(config)).toMatch(/users\[0\]\.companies\[1\]\.end_date: at most one company may be open/);
  });

  it("refuses a company no entry of companies names", () => {
    const config = withUser({ companies: [{ company_name: "Eastbrook", end_date: null }] });
    expect(problems(config)).toMatch(/users\[0\]\.companies\[0\]\.company_name: company "Eastbrook" is not in companies/);
  });

  it("refuses an email two users list, whatever its case, naming both", () => {
    const base = smallConfig();
    const config = {
      ...base,
      users: [...base.users, { user_name: "Bo", emails: ["Ada@northwind.example"], companies: [{ company_name: "Northwind", end_date: null }] }],
    };
    expect(problems(config)).toMatch(/users\[1\]\.emails\[0\]: duplicate email "ada@northwind\.example" \(also at users\[0\]\.emails\[0\]\)/);
  });

  it.each(["launchpad_id", "gerrit_id", "github_id", "zanata_id"])("refuses a %s two users share", (field) => {
    const base = smallConfig();
    const user = (name: string, email: string) => ({ user_name: name, emails: [email], [field]: "same-id", companies: [{ company_name: "Northwind", end_date: null }] });
    const config = { ...base, users: [user("A", "a@northwind.example"), user("B", "b@northwind.example")] };
    expect(problems(config)).toMatch(new RegExp(`users\\[1\\]\\.${field}: duplicate ${field} "same-id"`));
  });

  it("refuses release names and project type ids given twice", () => {
    const base = smallConfig();
    expect(problems({ ...base, releases: [...base.releases, { release_name: "alder", end_date: "2025-Apr-01" }] })).toMatch(
      /releases\[3\]\.release_name: duplicate release "alder"/,
    );
    expect(problems({ ...base, project_types: [...base.project_types, ...base.project_types] })).toMatch(/project_types\[1\]\.id: duplicate project type id/);
  });
});

describe("config dates", () => {
  it("are midnight UTC of the day", () => {
    expect(parseConfigDate("2017-Nov-03")).toBe(Date.UTC(2017, 10, 3) / 1000);
    expect(formatConfigDate(Date.UTC(2017, 10, 3, 23, 59) / 1000)).toBe("2017-Nov-03");
  });

  it.each(["2017-nov-03", "1999-Nov-03", "2017-Nov-3", "2017-Feb-29", "2017-11-03", ""])("refuse %j", (text) => {
    expect(parseConfigDate(text)).toBeNull();
  });

  it("accept a leap day", () => {
    expect(parseConfigDate("2024-Feb-29")).toBe(Date.UTC(2024, 1, 29) / 1000);
  });
});

describe("corrections schema", () => {
  it("accepts corrections of record fields", () => {
    const ok = CorrectionsSchema.safeParse({
      corrections: [
        { primary_key: "abc", correction_comment: "generated code", loc: 0 },
        { primary_key: "I12", correction_comment: "contractor", company_name: "Northwind" },
      ],
    });
    expect(ok.success).toBe(true);
  });

  it.each<[unknown, RegExp]>([
    [{ corrections: [{ correction_comment: "x", loc: 0 }] }, /corrections\[0\]\.primary_key: required field is missing/],
    [{ corrections: [{ primary_key: "a", loc: 0 }] }, /corrections\[0\]\.correction_comment: required field is missing/],
    [{ corrections: [{ primary_key: "a", correction_comment: "x", lines: 0 }] }, /corrections\[0\]: unknown field "lines"/],
    [{ corrections: [{ primary_key: "a", correction_comment: "x", loc: -1 }] }, /corrections\[0\]\.loc/],
    [{ corrections: [{ primary_key: "a", correction_comment: "x" }] }, /corrections\[0\]: a correction must override at least one field/],
    [
      { corrections: [{ primary_key: "a", correction_comment: "x", loc: 0 }, { primary_key: "a", correction_comment: "y", loc: 1 }] },
      /corrections\[1\]\.primary_key: duplicate primary_key "a"/,
    ],
  ])("refuses %j", (doc, message) => {
    const result = CorrectionsSchema.safeParse(doc, { reportInput: true });
    expect(result.success).toBe(false);
    expect(describeZodError(result.error!, [], 20)).toMatch(message);
  });
});
