// The contribution overview (/contrib/) against recorded /api/1.0 answers: the selector bar writes
// the URL, the title follows the selection, the blocks follow §4.1's filter states, drill-downs,
// "More" in the activity log, the empty deployment, errors, the data's time and the answer cache.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { LocationProvider } from "preact-iso/router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FreshnessBanner } from "../../ui/src/contrib/components/freshness";
import { clearAnswers, loadAnswer, peekAnswer } from "../../ui/src/contrib/lib/use-api";
import ContribOverview from "../../ui/src/contrib/overview";
import { ANSWERS, json, stubContribApi } from "./contrib-api-stub";

afterEach(() => {
  cleanup();
  clearAnswers();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function open(url: string) {
  history.replaceState(null, "", url);
  return render(
    <LocationProvider>
      <ContribOverview />
    </LocationProvider>,
  );
}
const title = () => screen.findByTestId("contrib-title").then((h) => h.textContent);
const select = (name: string) => screen.getByTestId(`select-${name}`) as HTMLSelectElement;
const query = () => Object.fromEntries(new URLSearchParams(location.search));

describe("the selector bar", () => {
  it("offers the API's releases, project types (children indented), modules, companies, contributors, metrics and periods", async () => {
    stubContribApi();
    open("/contrib/");
    await screen.findByTestId("contrib-title");
    const options = (name: string) => [...select(name).options].map((o) => o.textContent);
    expect(options("release")).toEqual(["All", "Cedar", "Birch", "Alder"]);
    expect(select("release").value).toBe("cedar");
    expect(options("project_type")).toEqual(["All", "\u00a0\u00a0– Code", "Docs"]);
    await waitFor(() => expect(options("module")).toEqual(["All modules", "code-group (group)", "core", "docs", "tools"]));
    expect(options("company")).toEqual(["All companies", "*independent", "Eastbrook", "Northwind", "Southgate"]);
    expect(options("user_id")).toContain("Ada Marsh (Northwind)");
    expect(select("metric").value).toBe("marks");
    expect(options("period")).toEqual(["All time", "Last 7 days", "Last 30 days", "Last 60 days", "Last 90 days", "Last 180 days"]);
    for (const name of ["release", "project_type", "module", "company", "user_id", "metric", "period"]) {
      expect(select(name).closest("label")!.textContent!.length, name).toBeGreaterThan(select(name).textContent!.length);
    }
  });

  it("puts each selection in the URL (pushed, so that the back button returns) and asks the API for it", async () => {
    const asked = stubContribApi();
    open("/contrib/");
    await screen.findByTestId("contrib-title");
    const before = history.length;
    fireEvent.change(select("metric"), { target: { value: "commits" } });
    await waitFor(() => expect(query()).toEqual({ metric: "commits" }));
    expect(history.length).toBe(before + 1);
    await waitFor(() => expect(asked).toContain("/api/1.0/stats/companies?metric=commits"));
    fireEvent.change(select("release"), { target: { value: "all" } });
    await waitFor(() => expect(query()).toEqual({ release: "all", metric: "commits" }));
    fireEvent.change(select("period"), { target: { value: "30" } });
    await waitFor(() => expect(query()).toEqual({ release: "all", metric: "commits", period: "30" }));
    const thirtyDaysAgo = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    await waitFor(() => expect(asked).toContain(`/api/1.0/stats/companies?release=all&metric=commits&start_date=${thirtyDaysAgo}`));
    await screen.findByText(/contribution in the last 30 days/);
  });

  it("clears the module when the project type changes", async () => {
    stubContribApi();
    open("/contrib/?module=core&company=Northwind");
    await screen.findByTestId("contrib-title");
    fireEvent.change(select("project_type"), { target: { value: "docs" } });
    await waitFor(() => expect(query()).toEqual({ project_type: "docs", company: "Northwind" }));
    expect(select("module").value).toBe("");
  });

  it("shows a value of the URL that the list does not have, and matches a company in any spelling", async () => {
    stubContribApi();
    open("/contrib/?company=NORTHWIND&module=nowhere");
    await screen.findByTestId("contrib-title");
    await waitFor(() => expect(select("company").value).toBe("northwind"));
    expect(select("module").value).toBe("nowhere");
  });
});

describe("the title", () => {
  it("names the project type's community and the release by default", async () => {
    stubContribApi();
    open("/contrib/");
    expect(await title()).toBe("All community contribution in Cedar release");
    await waitFor(() => expect(document.title).toBe("All community contribution in Cedar release · edgestats"));
  });

  it("names the person with their company and the module, and leaves out all releases", async () => {
    stubContribApi();
    open("/contrib/?release=all&module=code-group&user_id=ada-marsh");
    await waitFor(async () => expect(await title()).toBe("Ada Marsh (Northwind) contribution to code-group"));
  });
});

describe("the blocks of each selection", () => {
  const blocks = () =>
    ["breakdown-companies", "breakdown-modules", "breakdown-engineers", "user-panel", "module-panel", "chart-contribution", "activity"].filter((id) => screen.queryByTestId(id));

  it("shows the summary, the company, module and contributor breakdowns, the timeline and the activity with nothing selected", async () => {
    stubContribApi();
    open("/contrib/");
    await screen.findByTestId("table-companies");
    await screen.findByTestId("chart-timeline");
    await screen.findByTestId("activity");
    expect(blocks()).toEqual(["breakdown-companies", "breakdown-modules", "breakdown-engineers", "chart-contribution", "activity"]);
    const c = ANSWERS.contribution.contribution;
    expect(screen.getByTestId("summary-commits").textContent).toBe(String(c.commit_count));
    expect(screen.getByTestId("summary-loc").textContent).toBe(String(c.loc));
    expect(screen.getByTestId("summary-reviews").textContent).toBe(String(c.marks["-2"] + c.marks["-1"] + c.marks["1"] + c.marks["2"] + c.marks.x));
    expect(screen.queryByText("Blueprint popularity")).toBeNull();
  });

  it("shows the user panel and no company or contributor breakdown when a contributor is selected", async () => {
    stubContribApi();
    open("/contrib/?user_id=ada-marsh");
    const panel = await screen.findByTestId("user-panel");
    await within(panel).findByRole("heading", { name: "Ada Marsh" });
    expect(blocks()).toEqual(["breakdown-modules", "user-panel", "chart-contribution", "activity"]);
    expect(within(panel).getByTestId("user-company").getAttribute("href")).toBe("/contrib/?company=Northwind");
    expect(within(panel).getByTestId("affiliation-note").textContent).toContain("npm run contrib:config");
    expect(within(panel).getByRole("link", { name: "ada-marsh" }).getAttribute("href")).toBe("https://launchpad.net/~ada-marsh");
    expect(within(panel).getByRole("link", { name: "ada-m" }).getAttribute("href")).toBe("https://github.com/ada-m");
    expect(within(panel).getByTestId("core-in").textContent).toBe("Core in: core, docs");
    expect(panel.querySelector("img")).toBeNull();
    expect(panel.querySelector(".avatar")!.textContent).toBe("AM");
  });

  it("shows the module panel with its repos, greying sub-modules outside the selection, and no module breakdown", async () => {
    const detail = structuredClone(ANSWERS["modules/code-group"]);
    detail.module.modules[1].visible = false;
    stubContribApi({ "modules/code-group": detail });
    open("/contrib/?module=code-group");
    const panel = await screen.findByTestId("module-panel");
    await within(panel).findByRole("heading", { name: "Code-group" });
    expect(blocks()).toEqual(["breakdown-companies", "breakdown-engineers", "module-panel", "chart-contribution", "activity"]);
    const items = within(panel).getAllByRole("listitem");
    expect(items.map((li) => li.getAttribute("data-visible"))).toEqual(["true", "false"]);
    expect(items[1]!.classList.contains("hidden-member")).toBe(true);
    expect(items[1]!.textContent).toContain("(not in this release and project type)");
    expect(within(items[0]!).getByRole("link", { name: "https://git.example/demo/core.git" })).toBeTruthy();
  });

  it("shows blueprint popularity for the drafted and completed blueprint metrics", async () => {
    stubContribApi();
    open("/contrib/?metric=bpd");
    const table = await screen.findByTestId("table-blueprints");
    const bp = ANSWERS["stats/bp?metric=bpd"].stats[0];
    await waitFor(() => expect([...table.querySelectorAll("tbody td")].map((td) => td.textContent)).toEqual([String(bp.index), bp.name, bp.status, bp.date, String(bp.metric)]));
  });

  it("drills down from a company's row and from the donut's legend", async () => {
    stubContribApi();
    open("/contrib/?release=cedar");
    const table = await screen.findByTestId("table-companies");
    fireEvent.click(within(table).getByRole("link", { name: "Southgate" }));
    await waitFor(() => expect(query()).toEqual({ release: "cedar", company: "Southgate" }));
    await waitFor(() => expect(screen.queryByTestId("breakdown-companies")).toBeNull());
    history.back();
    await waitFor(() => expect(query()).toEqual({ release: "cedar" }));
    const donut = await screen.findByTestId("chart-companies-donut");
    fireEvent.click(within(donut).getByRole("link", { name: "Northwind" }));
    await waitFor(() => expect(query()).toEqual({ release: "cedar", company: "Northwind" }));
  });
});

describe("the activity log", () => {
  it("shows 10 records, and 10 more for each 'More'", async () => {
    const asked = stubContribApi();
    open("/contrib/");
    const log = await screen.findByTestId("activity");
    await waitFor(() => expect(within(log).getAllByRole("listitem")).toHaveLength(10));
    const first = ANSWERS["activity?start_record=0&page_size=10"].activity[0];
    expect(within(log).getAllByRole("listitem")[0]!.textContent).toContain(first.subject);
    fireEvent.click(within(log).getByRole("button", { name: "More" }));
    await waitFor(() => expect(within(log).getAllByRole("listitem")).toHaveLength(20));
    expect(asked).toContain("/api/1.0/activity?start_record=10&page_size=10");
    const eleventh = ANSWERS["activity?start_record=10&page_size=10"].activity[0];
    expect(within(log).getAllByRole("listitem")[10]!.getAttribute("data-key")).toBe(eleventh.primary_key);
    fireEvent.click(within(log).getByRole("button", { name: "More" }));
    // The recorded third page is empty: the log is complete and "More" goes away.
    await waitFor(() => expect(within(log).queryByRole("button", { name: "More" })).toBeNull());
    expect(within(log).getAllByRole("listitem")).toHaveLength(20);
  });

  it("has no 'More' when the first page is not full", async () => {
    stubContribApi({ activity: { activity: ANSWERS["activity?start_record=0&page_size=10"].activity.slice(0, 3) } });
    open("/contrib/");
    const log = await screen.findByTestId("activity");
    await waitFor(() => expect(within(log).getAllByRole("listitem")).toHaveLength(3));
    expect(within(log).queryByRole("button", { name: "More" })).toBeNull();
  });
});

describe("an empty deployment", () => {
  it("says how to load a configuration instead of drawing empty charts", async () => {
    stubContribApi({ releases: { data: [{ id: "all", text: "All" }], default: "all" }, project_types: { data: [], default: null } }, null);
    open("/contrib/");
    const empty = await screen.findByTestId("empty-no-config");
    expect(empty.textContent).toContain("npm run contrib:config");
    expect(empty.textContent).toContain("docs/processor.md");
    expect(document.querySelector(".chart")).toBeNull();
    expect(screen.queryByTestId("selector-bar")).toBeNull();
    expect(screen.queryByTestId("freshness-banner")).toBeNull();
  });

  it("says where records come from when a configuration is loaded but no record is stored", async () => {
    const zero = structuredClone(ANSWERS.contribution);
    for (const key of Object.keys(zero.contribution)) if (key !== "marks") zero.contribution[key] = 0;
    for (const key of Object.keys(zero.contribution.marks)) zero.contribution.marks[key] = 0;
    const asked = stubContribApi({ contribution: zero, "stats/companies": { stats: [] } });
    open("/contrib/");
    const empty = await screen.findByTestId("empty-no-records");
    expect(screen.getByTestId("selector-bar")).toBeTruthy();
    expect(empty.textContent).toContain("docs/processor.md");
    expect(asked).toContain("/api/1.0/contribution?release=all");
    expect(document.querySelector(".chart")).toBeNull();
  });

  it("tells an empty selection from an empty deployment", async () => {
    const zero = structuredClone(ANSWERS.contribution);
    for (const key of Object.keys(zero.contribution)) if (key !== "marks") zero.contribution[key] = 0;
    for (const key of Object.keys(zero.contribution.marks)) zero.contribution.marks[key] = 0;
    stubContribApi({
      contribution: (url: URL) => json(url.searchParams.get("release") === "all" ? ANSWERS.contribution : zero),
      "stats/companies": { stats: [] },
    });
    open("/contrib/?release=alder");
    const companies = await screen.findByTestId("table-companies");
    expect(companies.textContent).toContain("No reviews in this view");
    expect(screen.queryByTestId("empty-no-records")).toBeNull();
  });
});

describe("errors and loading", () => {
  it("shows the API's message when the selection is refused, with a way back", async () => {
    const refused = json({ status: "error", message: 'no release "oak" (parameter release)', parameter: "release", value: "oak" }, 404);
    stubContribApi({ contribution: () => refused.clone() });
    open("/contrib/?release=oak");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Error: Service is unavailable.");
    expect(alert.textContent).toContain('no release "oak" (parameter release)');
    expect(screen.getByRole("link", { name: "Back to the default selection" }).getAttribute("href")).toBe("/contrib/");
  });

  it("shows the loading state, then the error when the API is unavailable", async () => {
    let fail = () => {};
    const held = new Promise<void>((resolve) => (fail = resolve));
    stubContribApi({ releases: async () => (await held, json({ status: "error", message: "down" }, 503)) });
    open("/contrib/");
    expect(await screen.findByTestId("loading")).toBeTruthy();
    fail();
    expect((await screen.findByRole("alert")).textContent).toContain("down");
  });
});

describe("the data's time", () => {
  it("says when the data was last updated in the footer, without a banner while it is current", async () => {
    const updated = new Date(Date.now() - 20 * 60_000);
    stubContribApi({}, updated.toUTCString());
    open("/contrib/");
    const footer = await screen.findByTestId("last-updated");
    expect(footer.textContent).toContain(`Last updated ${updated.toISOString().slice(0, 16).replace("T", " ")} UTC`);
    expect(screen.queryByTestId("freshness-banner")).toBeNull();
  });

  it("warns when the data is older than the processor's hourly schedule allows, or has no time yet", async () => {
    const old = new Date(Date.now() - 5 * 3_600_000);
    stubContribApi({}, old.toUTCString());
    open("/contrib/");
    expect((await screen.findByTestId("freshness-banner")).textContent).toContain(`The data was last updated on ${old.toISOString().slice(0, 16).replace("T", " ")} UTC`);
    cleanup();
    render(<FreshnessBanner asOf={null} />);
    expect(screen.getByTestId("freshness-banner").textContent).toBe("The data is being loaded now and is not complete.");
  });
});

describe("answers are reused", () => {
  it("shows a view seen a moment ago without asking again", async () => {
    const asked = stubContribApi();
    const first = open("/contrib/?metric=commits");
    await screen.findByTestId("table-companies");
    await screen.findByTestId("chart-timeline");
    const count = asked.length;
    first.unmount();
    open("/contrib/?metric=commits");
    expect(screen.getByTestId("table-companies")).toBeTruthy();
    expect(asked.length).toBe(count);
  });

  it("revalidates an older answer with the browser's ETag (cache: no-cache), still showing it meanwhile", async () => {
    const inits: RequestInit[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => (inits.push(init), json({ n: inits.length })));
    await loadAnswer("/api/1.0/metrics");
    expect(inits[0]!.cache).toBe("no-cache");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    const Probe = () => {
      const seen = peekAnswer<{ n: number }>("/api/1.0/metrics");
      return <p>{seen?.data.n}</p>;
    };
    render(<Probe />);
    expect(screen.getByText("1")).toBeTruthy();
    await loadAnswer("/api/1.0/metrics");
    expect(peekAnswer<{ n: number }>("/api/1.0/metrics")!.data.n).toBe(2);
  });
});
