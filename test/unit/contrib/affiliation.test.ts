import { describe, expect, it } from "vitest";
import { affiliationsOfConfigUser, attributeCompany, companyAt, normalizeAffiliations } from "../../../worker/domain/contrib/affiliation";
import { buildCompanyIndex } from "../../../worker/domain/contrib/companies";
import { at } from "./fixtures";

const index = buildCompanyIndex([
  { company_name: "Northwind", domains: ["northwind.example"], aliases: ["Northwind Ltd"] },
  { company_name: "Southgate", domains: ["southgate.example"], aliases: ["Southgate, Inc."] },
  { company_name: "Westfield", domains: ["westfield.example"] },
  { company_name: "*independent", domains: [""], aliases: ["Self"] },
  { company_name: "*robots", domains: ["bots.example"] },
]);

describe("normalizeAffiliations", () => {
  it("sorts by end date with the open entry last and resolves aliases", () => {
    const history = affiliationsOfConfigUser(
      {
        companies: [
          { company_name: "Southgate, Inc.", end_date: null },
          { company_name: "Westfield", end_date: "2023-Jul-01" },
          { company_name: "Northwind Ltd", end_date: "2021-Mar-15" },
        ],
      },
      index,
    );
    expect(history).toEqual([
      { company_name: "Northwind", end_date: at("2021-03-15") },
      { company_name: "Westfield", end_date: at("2023-07-01") },
      { company_name: "Southgate", end_date: 0 },
    ]);
  });

  it("appends an open *independent when every entry has ended", () => {
    expect(affiliationsOfConfigUser({ companies: [{ company_name: "Northwind", end_date: "2022-Jan-10" }] }, index)).toEqual([
      { company_name: "Northwind", end_date: at("2022-01-10") },
      { company_name: "*independent", end_date: 0 },
    ]);
  });

  it("collapses neighbours that resolve to one company, keeping the later end", () => {
    expect(
      normalizeAffiliations(
        [
          { company_name: "Northwind", end_date: at("2020-01-01") },
          { company_name: "Northwind Ltd", end_date: at("2021-01-01") },
          { company_name: "Self", end_date: at("2022-01-01") },
          { company_name: "*independent", end_date: 0 },
        ],
        index,
      ),
    ).toEqual([
      { company_name: "Northwind", end_date: at("2021-01-01") },
      { company_name: "*independent", end_date: 0 },
    ]);
  });
});

describe("companyAt", () => {
  const history = [
    { company_name: "Northwind", end_date: at("2024-02-10") },
    { company_name: "Southgate", end_date: 0 },
  ];

  it("credits the old job before its end date and the current one from it (the end is exclusive)", () => {
    expect(companyAt(history, at("2023-06-01"))).toEqual({ company_name: "Northwind", open: false });
    expect(companyAt(history, at("2024-02-09T23:59:59Z"))).toEqual({ company_name: "Northwind", open: false });
    expect(companyAt(history, at("2024-02-10"))).toEqual({ company_name: "Southgate", open: true });
    expect(companyAt(history, at("2030-01-01"))).toEqual({ company_name: "Southgate", open: true });
  });

  it("credits each company for its own days when a person moves mid-release", () => {
    // A release from 2024-01-10 to 2024-03-10, the move on 2024-02-10: 31 days each side.
    const days = Array.from({ length: 60 }, (_, i) => at("2024-01-10") + i * 86_400 + 3600);
    const credited = days.map((t) => companyAt(history, t).company_name);
    expect(credited.filter((c) => c === "Northwind")).toHaveLength(31);
    expect(credited.filter((c) => c === "Southgate")).toHaveLength(29);
    expect(credited.indexOf("Southgate")).toBe(31);
  });
});

describe("attributeCompany", () => {
  const made = { companies: [{ company_name: "*independent", end_date: 0 }], static: false };
  const configured = { companies: [{ company_name: "Northwind", end_date: at("2024-02-10") }, { company_name: "*independent", end_date: 0 }], static: true };

  it("lets a record's email domain override the open company of a profile the engine made up", () => {
    expect(attributeCompany(made, at("2024-05-01"), "x@westfield.example", index)).toBe("Westfield");
    expect(attributeCompany(made, at("2024-05-01"), "x@unknown.example", index)).toBe("*independent");
    expect(attributeCompany({ companies: [{ company_name: "Southgate", end_date: 0 }], static: false }, at("2024-05-01"), "x@northwind.example", index)).toBe("Northwind");
  });

  it("never overrides a config profile", () => {
    expect(attributeCompany(configured, at("2024-05-01"), "x@westfield.example", index)).toBe("*independent");
  });

  it("never overrides a dated (strict) match, even of a made-up profile", () => {
    const dated = { companies: [{ company_name: "Southgate", end_date: at("2024-02-10") }, { company_name: "*independent", end_date: 0 }], static: false };
    expect(attributeCompany(dated, at("2024-01-01"), "x@westfield.example", index)).toBe("Southgate");
    expect(attributeCompany(dated, at("2024-03-01"), "x@westfield.example", index)).toBe("Westfield");
  });

  it("never overrides *robots", () => {
    const bot = { companies: [{ company_name: "*robots", end_date: 0 }], static: false };
    expect(attributeCompany(bot, at("2024-05-01"), "ci@northwind.example", index)).toBe("*robots");
  });
});
