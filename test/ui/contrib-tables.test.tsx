// The overview's breakdowns: a donut of the top 9 and "others" whose slices drill down, and a
// table that sorts, searches and pages; with the marks metric the contributor table's votes,
// ratio (red under 60%), disagreements and core marks.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { LocationProvider } from "preact-iso/router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BREAKDOWNS, Breakdown } from "../../ui/src/contrib/components/breakdowns";
import { DrillDonut } from "../../ui/src/contrib/components/drill-donut";
import { RankingTable } from "../../ui/src/contrib/components/ranking-table";
import { type Row, OTHERS, coreMark, isLowRatio, pageOf, searchRows, sortRows, topSlices } from "../../ui/src/contrib/lib/ranking";
import { clearAnswers } from "../../ui/src/contrib/lib/use-api";
import { formatPercent } from "../../ui/src/lib/chart-data";
import { ANSWERS, stubContribApi } from "./contrib-api-stub";

const byCommits = ANSWERS["stats/companies?metric=commits"].stats as Row[];
const engineers = ANSWERS["stats/engineers"].stats as Row[];

beforeEach(() => history.replaceState(null, "", "/contrib/"));
afterEach(() => {
  cleanup();
  clearAnswers();
  vi.unstubAllGlobals();
});

describe("the donut of a ranking", () => {
  it("has the top 9 rows by metric and one 'others' slice with the rest", () => {
    expect(byCommits).toHaveLength(12);
    const slices = topSlices(byCommits);
    expect(slices).toHaveLength(10);
    expect(slices.slice(0, 9).map((s) => s.id)).toEqual(byCommits.slice(0, 9).map((r) => r.id));
    const rest = byCommits.slice(9).reduce((sum, r) => sum + r.metric, 0);
    expect(slices[9]).toMatchObject({ id: null, label: OTHERS, value: rest });
    const total = byCommits.reduce((sum, r) => sum + r.metric, 0);
    expect(slices.reduce((sum, s) => sum + s.percent, 0)).toBeCloseTo(100);
    expect(slices[0]!.percent).toBeCloseTo((byCommits[0]!.metric / total) * 100);
  });

  it("has no 'others' slice when there are 9 rows or fewer", () => {
    expect(topSlices(byCommits.slice(0, 9)).map((s) => s.label)).not.toContain(OTHERS);
    expect(topSlices([])).toEqual([]);
  });

  it("drills down from a slice and from its legend entry, but not from 'others'", async () => {
    const slices = topSlices(byCommits);
    render(
      <LocationProvider>
        <DrillDonut slices={slices} label="Commits by company" hrefOf={(s) => (s.id === null ? null : `/contrib/?company=${encodeURIComponent(s.id)}`)} />
      </LocationProvider>,
    );
    const legend = screen.getAllByRole("listitem");
    expect(legend).toHaveLength(10);
    expect(legend[9]!.textContent).toBe(`others: ${slices[9]!.value} (${formatPercent(slices[9]!.percent)})`);
    expect(formatPercent(slices[9]!.percent)).toBe("7.8%");
    expect(within(legend[9]!).queryByRole("link")).toBeNull();
    expect(within(legend[0]!).getByRole("link", { name: "Ironbridge" }).getAttribute("href")).toBe("/contrib/?company=Ironbridge");

    await waitFor(() => expect(document.querySelectorAll(".ct-slice-donut")).toHaveLength(10));
    const second = [...document.querySelectorAll(".ct-slice-donut")].find((p) => p.querySelector("title")?.textContent?.startsWith("Harbor Labs"))!;
    fireEvent.click(second);
    await waitFor(() => expect(location.search).toBe("?company=Harbor%20Labs"));
    expect(document.querySelectorAll(".ct-slice-donut.drill")).toHaveLength(9);
  });
});

describe("a ranking's table", () => {
  const columns = [
    { key: "index", label: "#", numeric: true },
    { key: "name", label: "Company" },
    { key: "metric", label: "Commits", numeric: true },
  ];
  const names = () => [...document.querySelectorAll("tbody tr")].map((tr) => tr.children[1]!.textContent);
  const table = () => render(<RankingTable id="companies" title="Companies" rows={byCommits} columns={columns} noun="company" plural="companies" jsonUrl="/api/1.0/stats/companies" empty="none" />);

  it("shows 10 rows at first, in the API's order, then 25, 50 or all", () => {
    table();
    expect(names()).toEqual(byCommits.slice(0, 10).map((r) => r.name));
    expect(screen.getByTestId("companies-count").textContent).toBe("1–10 of 12 companies");
    fireEvent.change(screen.getByLabelText("Rows"), { target: { value: "25" } });
    expect(names()).toHaveLength(12);
    fireEvent.change(screen.getByLabelText("Rows"), { target: { value: "0" } });
    expect(names()).toHaveLength(12);
    expect([...screen.getByLabelText("Rows").querySelectorAll("option")].map((o) => o.textContent)).toEqual(["10", "25", "50", "All"]);
  });

  it("pages with Previous and Next", () => {
    table();
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(names()).toEqual(byCommits.slice(10).map((r) => r.name));
    expect(screen.getByTestId("companies-count").textContent).toBe("11–12 of 12 companies");
    expect((screen.getByRole("button", { name: "Next" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Previous" }));
    expect(names()[0]).toBe(byCommits[0]!.name);
  });

  it("sorts by a column's button, both ways, and says so with aria-sort", () => {
    table();
    const header = (name: string) => screen.getByRole("button", { name }).closest("th")!;
    expect(header("Commits").getAttribute("aria-sort")).toBe("descending");
    fireEvent.click(screen.getByRole("button", { name: "Company" }));
    expect(header("Company").getAttribute("aria-sort")).toBe("ascending");
    expect(header("Commits").hasAttribute("aria-sort")).toBe(false);
    expect(names()).toEqual([...byCommits].map((r) => r.name).sort((a, b) => a.localeCompare(b)).slice(0, 10));
    fireEvent.click(screen.getByRole("button", { name: "Company" }));
    expect(header("Company").getAttribute("aria-sort")).toBe("descending");
    expect(names()[0]).toBe("Southgate");
    fireEvent.click(screen.getByRole("button", { name: "Commits" }));
    fireEvent.click(screen.getByRole("button", { name: "Commits" }));
    expect(header("Commits").getAttribute("aria-sort")).toBe("ascending");
    expect(names().slice(0, 2)).toEqual(["Acme", "Eastbrook"]);
  });

  it("searches by name, ignoring case, and says when nothing matches", () => {
    table();
    fireEvent.input(screen.getByLabelText("Search companies"), { target: { value: "BOR" } });
    expect(names()).toEqual(["Harbor Labs", "Borealis"]);
    expect(screen.getByTestId("companies-count").textContent).toBe("1–2 of 2 companies (of 12)");
    fireEvent.input(screen.getByLabelText("Search companies"), { target: { value: "zzz" } });
    expect(names()).toEqual([]);
    expect(screen.getByTestId("companies-count").textContent).toBe("No company matches “zzz”");
  });

  it("offers every row as CSV, not only the page shown", () => {
    table();
    const href = decodeURIComponent(screen.getByRole("link", { name: "CSV" }).getAttribute("href")!);
    expect(href.split("\r\n").filter(Boolean)).toHaveLength(13);
    expect(href).toContain("#,Company,Commits");
  });

  it("sorts ratios as numbers and ∞ last, and keeps the API's order for ties", () => {
    const rows = [
      { id: "a", name: "a", metric: 1, index: 1, positive_ratio: "9.5%" },
      { id: "b", name: "b", metric: 1, index: 2, positive_ratio: "&#x221E;" },
      { id: "c", name: "c", metric: 1, index: 3, positive_ratio: "85.0%" },
      { id: "d", name: "d", metric: 1, index: 4, positive_ratio: "9.5%" },
    ];
    expect(sortRows(rows, { column: "positive_ratio", direction: "descending" }).map((r) => r.id)).toEqual(["c", "a", "d", "b"]);
    expect(searchRows(rows, " C ").map((r) => r.id)).toEqual(["c"]);
    expect(pageOf(rows, 10, 5)).toMatchObject({ page: 0, pages: 1, first: 1, last: 4 });
    expect(pageOf(rows, 0, 0).rows).toHaveLength(4);
  });
});

describe("the contributor table with the marks metric", () => {
  it("has the −2 … x, +ratio (red under 60%), disagreements and core columns", async () => {
    stubContribApi();
    render(
      <LocationProvider>
        <Breakdown kind={BREAKDOWNS.engineers} url="/api/1.0/stats/engineers" selection={{}} metric="marks" metricLabel="Reviews" />
      </LocationProvider>,
    );
    const table = await screen.findByRole("table");
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.querySelector(".label")?.textContent ?? th.textContent?.replace(/[▲▼]/g, "").trim());
    expect(headers).toEqual(["#", "Contributor", "Reviews", "−2", "−1", "+1", "+2", "A", "x", "+ %", "Disagreements", "Core"]);
    const row = (id: string) => table.querySelector(`tr[data-id="${id}"]`)!;
    const kai = engineers.find((r) => r.id === "kai-b")!;
    const cells = [...row("kai-b").children].map((td) => td.textContent);
    expect(cells.slice(0, 9)).toEqual([String(kai.index), "Kai Brandt", String(kai.metric), ...["-2", "-1", "1", "2", "A", "x"].map((k) => String(kai[k]))]);
    expect(kai.positive_ratio).toBe("33.3%");
    expect(row("kai-b").querySelector(".low-ratio")?.textContent).toBe("33.3% (under 60%)");
    expect(row("ada-marsh").querySelector(".low-ratio")).toBeNull();
    expect(row("ada-marsh").children[9]!.textContent).toBe("100.0%");
    expect(row("lou@gmail.example").children[10]!.textContent).toBe("3 (100.0%)");
    expect(row("kai-b").children[11]!.textContent).toBe("✻ core reviewer on master");
    expect(row("lou@gmail.example").children[11]!.textContent).toBe("");
    expect(isLowRatio("59.9%")).toBe(true);
    expect(isLowRatio("60.0%")).toBe(false);
    expect(isLowRatio("&#x221E;")).toBe(false);
    expect(coreMark("stable/birch")).toEqual({ symbol: "✬ stable/birch", text: "core reviewer on stable/birch" });
  });

  it("has no marks columns with another metric", async () => {
    stubContribApi();
    render(
      <LocationProvider>
        <Breakdown kind={BREAKDOWNS.engineers} url="/api/1.0/stats/engineers?metric=commits" selection={{ metric: "commits" }} metric="commits" metricLabel="Commits" />
      </LocationProvider>,
    );
    const table = await screen.findByRole("table");
    expect(table.querySelectorAll("thead th")).toHaveLength(3);
  });

  it("drills down from a row's name to the contributor", async () => {
    stubContribApi();
    render(
      <LocationProvider>
        <Breakdown kind={BREAKDOWNS.engineers} url="/api/1.0/stats/engineers" selection={{ release: "cedar" }} metric="marks" metricLabel="Reviews" />
      </LocationProvider>,
    );
    const table = await screen.findByRole("table");
    const link = within(table).getByRole("link", { name: "Lou Vance" });
    expect(link.getAttribute("href")).toBe("/contrib/?release=cedar&user_id=lou%40gmail.example");
  });
});
