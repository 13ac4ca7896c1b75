// The contribution overview's selection as it lives in the URL, and the rules of §4.1: a new
// project type clears the module, the period's first day, the generated title.
import { describe, expect, it } from "vitest";
import { apiParams, apiUrl, pageTitle, pageUrl, periodStart, selectionFromQuery, withChange } from "../../ui/src/contrib/lib/selection";

describe("the selection in the URL", () => {
  it("reads the API's parameter names from the query, drops empty values and unknown periods", () => {
    expect(selectionFromQuery({ release: "cedar", company: "Northwind", metric: "", period: "30", other: "x" })).toEqual({ release: "cedar", company: "Northwind", period: "30" });
    expect(selectionFromQuery({ period: "45" })).toEqual({});
  });

  it("writes every selection in one order, so that one view has one URL", () => {
    expect(pageUrl({ period: "7", company: "Acme & Co", release: "all" })).toBe("/contrib/?release=all&company=Acme+%26+Co&period=7");
    expect(pageUrl({})).toBe("/contrib/");
  });

  it("sets or clears one selector, and a new project type clears the module", () => {
    const s = { release: "cedar", project_type: "all", module: "core", company: "Northwind" };
    expect(withChange(s, "company", "")).toEqual({ release: "cedar", project_type: "all", module: "core" });
    expect(withChange(s, "metric", "commits")).toEqual({ ...s, metric: "commits" });
    expect(withChange(s, "project_type", "docs")).toEqual({ release: "cedar", project_type: "docs", company: "Northwind" });
    expect(withChange({ module: "core" }, "project_type", "code")).toEqual({ project_type: "code" });
    // Choosing the project type already selected keeps the module.
    expect(withChange(s, "project_type", "all")).toEqual(s);
  });

  it("asks the API for the last N days (today included) as start_date, and leaves out a list's own filter", () => {
    expect(periodStart("7", "2026-03-10")).toBe("2026-03-04");
    expect(periodStart("30", "2026-03-01")).toBe("2026-01-31");
    const s = { release: "all", company: "Northwind", user_id: "ada-marsh", period: "7" };
    expect(apiParams(s, "2026-03-10")).toEqual({ release: "all", company: "Northwind", user_id: "ada-marsh", start_date: "2026-03-04" });
    expect(apiParams(s, "2026-03-10", ["company"])).toEqual({ release: "all", user_id: "ada-marsh", start_date: "2026-03-04" });
    expect(apiUrl("stats/companies", { metric: "commits", start_record: 10, module: undefined })).toBe("/api/1.0/stats/companies?metric=commits&start_record=10");
  });
});

describe("the generated title (§4.1's examples)", () => {
  const none = { projectType: null, release: null, module: null, company: null, user: null, period: null };
  it("names the community of the project type and the release", () => {
    expect(pageTitle({ ...none, projectType: "OpenStack", release: "Stein" })).toBe("OpenStack community contribution in Stein release");
  });

  it("names a person with the company, the module, and the project type before the release", () => {
    expect(pageTitle({ ...none, projectType: "OpenStack", release: "Havana", module: "neutron", company: "Mirantis", user: "John Doe" })).toBe(
      "John Doe (Mirantis) contribution to neutron in OpenStack Havana release",
    );
  });

  it("says nothing of a release when all are selected, and names the period", () => {
    expect(pageTitle({ ...none, projectType: "Docker" })).toBe("Docker community contribution");
    expect(pageTitle({ ...none, projectType: "Docker", company: "Acme", period: "30" })).toBe("Acme contribution in the last 30 days");
  });
});
