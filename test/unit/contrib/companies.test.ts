import { describe, expect, it } from "vitest";
import { buildCompanyIndex, companyForEmail, normalizeCompanyName, resolveCompanyName } from "../../../worker/domain/contrib/companies";

describe("normalizeCompanyName", () => {
  it.each([
    ["Red Hat, Inc.", "redhat"],
    ["EMC Corporation", "emc"],
    ["abc s.r.o. ABC", "abcabc"],
    ["Helios Software S.p.A.", "heliossoftware"],
    ["Iris Hosting B.V.", "irishosting"],
    ["Lumen Analytics Pvt Ltd", "lumenanalytics"],
    ["Kumo Systems K.K.", "kumosystems"],
    ["Borealis Networks GmbH", "borealisnetworks"],
    ["Fjord Telecom AG", "fjordtelecom"],
    ["Equinox Labs LLC", "equinoxlabs"],
    ["Cirrus Group Srl", "cirrus"],
    ["Delta Co. Limited", "delta"],
    ["IT Crowd Company", "crowd"],
    ["*independent", "independent"],
    ["没有", "没有"],
  ])("%s → %s", (name, normalized) => {
    expect(normalizeCompanyName(name)).toBe(normalized);
  });

  it("removes suffixes only as whole words", () => {
    expect(normalizeCompanyName("Cisco Agora Incubator")).toBe("ciscoagoraincubator");
    expect(normalizeCompanyName("Coinbase Groupon")).toBe("coinbasegroupon");
  });
});

const index = buildCompanyIndex([
  { company_name: "Fjord Telecom", domains: ["fjord.example"], aliases: ["Fjord Telecom AG"] },
  { company_name: "Fjord Research", domains: ["research.fjord.example"] },
  { company_name: "Kumo Systems", domains: ["kumo.co.example"] },
  { company_name: "Example Registry", domains: ["co.example"] },
  { company_name: "*independent", domains: [""], aliases: ["Self", "Unaffiliated"] },
]);

describe("companyForEmail: the longest domain suffix of at least two labels", () => {
  it.each([
    ["olga@fjord.example", "Fjord Telecom"],
    ["ops@mail.fjord.example", "Fjord Telecom"],
    ["dv@research.fjord.example", "Fjord Research"],
    ["dv@lab.research.fjord.example", "Fjord Research"],
    ["hana@dev.tokyo.kumo.co.example", "Kumo Systems"],
    ["x@other.co.example", "Example Registry"],
    ["MIXED@Research.Fjord.Example", "Fjord Research"],
  ])("%s → %s", (email, company) => {
    expect(companyForEmail(index, email)).toBe(company);
  });

  it.each([["nobody@unknown.example"], ["root@localhost"], ["x@example"], ["no-at-sign"], [""]])("%s → no company", (email) => {
    expect(companyForEmail(index, email)).toBeNull();
  });

  it("never matches a single label, even when a domain of one label is configured", () => {
    const single = buildCompanyIndex([{ company_name: "Tld", domains: ["example"] }]);
    expect(companyForEmail(single, "a@b.example")).toBeNull();
  });

  it("never maps to *independent through its empty domain", () => {
    expect(companyForEmail(index, "a@")).toBeNull();
  });
});

describe("resolveCompanyName", () => {
  it("maps aliases and other spellings to the canonical name", () => {
    expect(resolveCompanyName(index, "fjord telecom ag")).toBe("Fjord Telecom");
    expect(resolveCompanyName(index, "Fjord-Telecom, Inc.")).toBe("Fjord Telecom");
    expect(resolveCompanyName(index, "Unaffiliated")).toBe("*independent");
  });

  it("keeps an unknown name as a draft, commas as spaces and whitespace collapsed", () => {
    expect(resolveCompanyName(index, "  Acme,  Widgets\tInc ")).toBe("Acme Widgets Inc");
  });

  it("always knows *independent and *robots", () => {
    const empty = buildCompanyIndex([]);
    expect(resolveCompanyName(empty, "*robots")).toBe("*robots");
    expect(resolveCompanyName(empty, "*Independent")).toBe("*independent");
  });
});
