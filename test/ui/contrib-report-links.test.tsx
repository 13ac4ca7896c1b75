// The overview's links to the reports follow its selection.
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { ReportLinks } from "../../ui/src/contrib/components/report-links";

afterEach(cleanup);

const links = () => screen.getAllByRole("link").map((a) => [a.textContent, a.getAttribute("href")]);

describe("the overview's report links", () => {
  it("offers the reports over everything without a selection, the cores of the selected project type", () => {
    render(<ReportLinks selection={{ project_type: "docs" }} />);
    expect(links()).toEqual([
      ["Activity", "/contrib/reports/activity"],
      ["Core reviewers", "/contrib/reports/cores?project_type=docs"],
      ["Affiliation changes", "/contrib/reports/affiliation-changes"],
      ["Large commits", "/contrib/reports/large-commits"],
      ["Merged with a single +2", "/contrib/reports/single-plus-two-reviews"],
    ]);
  });

  it("adds the selected contributor's, company's and module's reports first", () => {
    render(<ReportLinks selection={{ user_id: "kai-b", company: "Harbor Labs", module: "code-group" }} />);
    expect(links().slice(0, 4)).toEqual([
      ["This contributor's activity and punch card", "/contrib/reports/users/kai-b"],
      ["This company's activity and punch card", "/contrib/reports/companies/Harbor%20Labs"],
      ["Open reviews of this module", "/contrib/reports/open-reviews/code-group"],
      ["Review report of this module, last 30 days", "/contrib/reports/contribution/code-group/30"],
    ]);
  });
});
