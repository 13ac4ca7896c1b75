import { describe, expect, it } from "vitest";
import { RawRecordSchema, type RawRecord } from "../../../../schemas/contrib/records";
import { SourceFormatError } from "../../../../worker/domain/contrib/sources/common";
import {
  bugTaskRecords,
  launchpadIdOfLink,
  parseLaunchpadCollection,
  parseLaunchpadPerson,
  specificationRecords,
} from "../../../../worker/domain/contrib/sources/launchpad";
import specificationsPage from "../../../fixtures/contrib/launchpad/all-specifications.json?raw";
import errorPage from "../../../fixtures/contrib/launchpad/error.html?raw";
import personNotFound from "../../../fixtures/contrib/launchpad/person-not-found.json?raw";
import person from "../../../fixtures/contrib/launchpad/person.json?raw";
import tasksPage1 from "../../../fixtures/contrib/launchpad/search-tasks-page-1.json?raw";
import tasksPage2 from "../../../fixtures/contrib/launchpad/search-tasks-page-2.json?raw";

const API = "https://api.launchpad.net/devel";
const TASKS_SOURCE = "launchpad sahara searchTasks";

/** Each record as the schema accepts it (the parsers must never make one it refuses). */
const valid = (records: RawRecord[]) => records.map((r) => RawRecordSchema.parse(r));
const bugs = (value: unknown, module = "sahara", source = "s") => valid(bugTaskRecords(value, module, source));
const specs = (value: unknown, module = "mod", source = "s") => valid(specificationRecords(value, module, source));

/** A bug task of `sahara` as searchTasks lists it, with the given fields changed. */
function task(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    self_link: `${API}/sahara/+bug/1470001`,
    web_link: "https://bugs.launchpad.net/sahara/+bug/1470001",
    resource_type_link: `${API}/#bug_task`,
    bug_target_name: "sahara",
    bug_target_display_name: "Sahara",
    status: "New",
    importance: "High",
    title: 'Bug #1470001 in Sahara: "Templates lose their tags"',
    bug_link: `${API}/bugs/1470001`,
    owner_link: `${API}/~lena-brandt`,
    assignee_link: null,
    date_created: "2015-07-01T10:00:00.000000+00:00",
    date_fix_committed: null,
    date_fix_released: null,
    ...overrides,
  };
}

function spec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    self_link: `${API}/mod/+spec/blueprint`,
    web_link: "https://blueprints.launchpad.net/mod/+spec/blueprint",
    name: "blueprint",
    title: "A blueprint",
    summary: "What it is for",
    owner_link: `${API}/~john_doe`,
    drafter_link: null,
    assignee_link: null,
    date_created: "2009-02-13T23:31:30+00:00",
    date_completed: null,
    implementation_status: "Unknown",
    lifecycle_status: "Not started",
    ...overrides,
  };
}

function formatError(run: () => unknown): SourceFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof SourceFormatError) return error;
    throw error;
  }
  throw new Error("expected a SourceFormatError");
}

describe("parseLaunchpadCollection", () => {
  it("gives a page's entries and the link to the next page", () => {
    const page = parseLaunchpadCollection(tasksPage1, TASKS_SOURCE);
    expect(page.entries).toHaveLength(3);
    expect(page.next).toMatch(/^https:\/\/api\.launchpad\.net\/devel\/sahara\?ws\.op=searchTasks&.*ws\.start=3$/);
  });

  it("gives no next link on the last page", () => {
    const page = parseLaunchpadCollection(tasksPage2, TASKS_SOURCE);
    expect(page).toEqual({ entries: [expect.objectContaining({ bug_target_name: "sahara/kilo" })], next: null });
  });

  it("refuses an HTML error page, naming the source", () => {
    const error = formatError(() => parseLaunchpadCollection(errorPage, TASKS_SOURCE));
    expect(error.source).toBe(TASKS_SOURCE);
    expect(error.message).toMatch(/^launchpad sahara searchTasks: not JSON/);
  });

  it("refuses JSON that is not a collection page", () => {
    expect(formatError(() => parseLaunchpadCollection('{"total_size": 0}', TASKS_SOURCE)).message).toMatch(/entries/);
    expect(formatError(() => parseLaunchpadCollection("[]", TASKS_SOURCE)).source).toBe(TASKS_SOURCE);
    expect(() => parseLaunchpadCollection('{"entries": [], "next_collection_link": 3}', TASKS_SOURCE)).toThrow(SourceFormatError);
  });
});

describe("launchpadIdOfLink", () => {
  it("takes the text after ~", () => {
    expect(launchpadIdOfLink(`${API}/~samueldmq`)).toBe("samueldmq");
    expect(launchpadIdOfLink("https://api.launchpad.net/1.0/~lena-brandt")).toBe("lena-brandt");
  });

  it("gives null without a person", () => {
    expect(launchpadIdOfLink(null)).toBeNull();
    expect(launchpadIdOfLink(undefined)).toBeNull();
    expect(launchpadIdOfLink(`${API}/sahara`)).toBeNull();
  });
});

describe("bugTaskRecords", () => {
  it("makes bugf and bugr of a released fix (the reference's sahara bug 1458945)", () => {
    const [first] = parseLaunchpadCollection(tasksPage1, TASKS_SOURCE).entries;
    const records = valid(bugTaskRecords(first, "sahara", TASKS_SOURCE));
    const shared = {
      module: "sahara",
      id: "sahara/1458945",
      number: 1458945,
      status: "Fix Released",
      importance: "Medium",
      title: 'Bug #1458945 in Sahara: "Use graduated oslo.policy"',
      web_link: "https://bugs.launchpad.net/sahara/+bug/1458945",
      date_created: 1433252154,
      date_fix_committed: 1433266265,
      date_fix_released: 1433266265,
    };
    expect(records).toEqual([
      { primary_key: "bugf:sahara/1458945", record_type: "bugf", launchpad_id: "samueldmq", date: 1433252154, ...shared },
      { primary_key: "bugr:sahara/1458945", record_type: "bugr", launchpad_id: "slukjanov", date: 1433266265, ...shared },
    ]);
    expect(records[0]).not.toHaveProperty("release");
  });

  it("dates bugr by the fix release when the fix was never committed", () => {
    const records = bugs(task({ status: "Fix Released", assignee_link: `${API}/~kaito-ren`, date_fix_released: "2015-07-03T12:00:00+00:00" }));
    expect(records.map((r) => [r.record_type, r.launchpad_id, r.date])).toEqual([
      ["bugf", "lena-brandt", 1435744800],
      ["bugr", "kaito-ren", 1435924800],
    ]);
    expect(records[1]).not.toHaveProperty("date_fix_committed");
  });

  it("credits a fix nobody was assigned to *unassigned", () => {
    const [, second] = parseLaunchpadCollection(tasksPage1, TASKS_SOURCE).entries;
    const bugr = valid(bugTaskRecords(second, "sahara", TASKS_SOURCE)).find((r) => r.record_type === "bugr");
    expect(bugr).toMatchObject({ primary_key: "bugr:sahara/1461402", launchpad_id: "*unassigned", date: 1433521230, status: "Fix Committed" });
  });

  it("keeps a series target's series in the id and as the release", () => {
    const [kilo] = parseLaunchpadCollection(tasksPage2, TASKS_SOURCE).entries;
    const records = valid(bugTaskRecords(kilo, "sahara", TASKS_SOURCE));
    expect(records.map((r) => r.primary_key)).toEqual(["bugf:sahara/kilo/1458945", "bugr:sahara/kilo/1458945"]);
    expect(records.every((r) => r.id === "sahara/kilo/1458945" && r.release === "kilo" && r.module === "sahara")).toBe(true);
    expect(records[1]).toMatchObject({ launchpad_id: "oskar-nyberg", date: 1433851203 });
  });

  it("lower-cases the series as the release", () => {
    const records = bugs(task({ bug_target_name: "sahara/Liberty" }));
    expect(records[0]).toMatchObject({ id: "sahara/liberty/1470001", release: "liberty" });
  });

  it("ignores a task of another project, even one whose name starts with the module's", () => {
    const [, , client] = parseLaunchpadCollection(tasksPage1, TASKS_SOURCE).entries;
    expect(bugs(client)).toEqual([]);
    expect(bugs(task({ bug_target_name: "sahara-dashboard" }))).toEqual([]);
    expect(bugs(task({ bug_target_name: "ubuntu/+source/sahara" }))).toEqual([]);
  });

  it("makes no bugr for an open bug, nor for a fix without a fix date", () => {
    expect(bugs(task({ status: "In Progress", assignee_link: `${API}/~kaito-ren` })).map((r) => r.record_type)).toEqual(["bugf"]);
    expect(bugs(task({ status: "Fix Committed" })).map((r) => r.record_type)).toEqual(["bugf"]);
  });

  it("takes the bug number from web_link when there is no bug_link", () => {
    expect(bugs(task({ bug_link: undefined }))[0]!.number).toBe(1470001);
  });

  it("cuts a long title to the records' limit", () => {
    const [bugf] = bugs(task({ title: "x".repeat(5000) }));
    expect(bugf!.title).toHaveLength(1024);
  });

  it("refuses a task without a creation date, or with no bug number, naming the source", () => {
    const noDate = formatError(() => bugTaskRecords(task({ date_created: undefined }), "sahara", TASKS_SOURCE));
    expect(noDate.source).toBe(TASKS_SOURCE);
    expect(noDate.message).toContain("date_created");
    expect(formatError(() => bugTaskRecords(task({ date_created: "yesterday" }), "sahara", TASKS_SOURCE)).message).toContain("date_created");
    expect(formatError(() => bugTaskRecords(task({ bug_link: null, web_link: "https://bugs.launchpad.net/sahara" }), "sahara", TASKS_SOURCE)).message).toContain("bug number");
    expect(formatError(() => bugTaskRecords("not a task", "sahara", TASKS_SOURCE)).source).toBe(TASKS_SOURCE);
  });
});

describe("specificationRecords", () => {
  const SPECS_SOURCE = "launchpad sahara all_specifications";

  it("makes bpd for the owner of a blueprint without a drafter (the reference's mod:blueprint)", () => {
    const records = specs(spec());
    expect(records).toEqual([
      {
        primary_key: "bpd:mod:blueprint",
        record_type: "bpd",
        launchpad_id: "john_doe",
        date: 1234567890,
        module: "mod",
        id: "mod:blueprint",
        name: "blueprint",
        title: "A blueprint",
        summary: "What it is for",
        lifecycle_status: "Not started",
        status: "Unknown",
        web_link: "https://blueprints.launchpad.net/mod/+spec/blueprint",
        date_created: 1234567890,
      },
    ]);
  });

  it("makes bpd for the drafter and bpc for the assignee of an implemented blueprint", () => {
    const { entries } = parseLaunchpadCollection(specificationsPage, SPECS_SOURCE);
    const records = valid(entries.flatMap((entry) => specificationRecords(entry, "sahara", SPECS_SOURCE)));
    expect(records.map((r) => [r.primary_key, r.launchpad_id, r.date])).toEqual([
      ["bpd:sahara:cluster-verification", "kaito-ren", 1432116251],
      ["bpc:sahara:cluster-verification", "kaito-ren", 1436887368],
      ["bpd:sahara:edp-job-retries", "lena-brandt", 1434051000],
    ]);
    expect(records[1]).toMatchObject({ status: "Implemented", lifecycle_status: "Complete", date_completed: 1436887368, title: "Verify clusters after they are started" });
    expect(records[2]).not.toHaveProperty("summary");
  });

  it("makes no bpc without an assignee, a completion date or the Implemented status", () => {
    const done = { assignee_link: `${API}/~kaito-ren`, date_completed: "2009-03-01T00:00:00+00:00", implementation_status: "Implemented" };
    expect(specs(spec(done)).map((r) => r.record_type)).toEqual(["bpd", "bpc"]);
    expect(specs(spec({ ...done, assignee_link: null }))).toHaveLength(1);
    expect(specs(spec({ ...done, date_completed: null }))).toHaveLength(1);
    expect(specs(spec({ ...done, implementation_status: "Deployment" }))).toHaveLength(1);
  });

  it("cuts a long summary to the records' limit", () => {
    expect(specs(spec({ summary: "y".repeat(9000) }))[0]!.summary).toHaveLength(4000);
  });

  it("refuses a blueprint without a name, naming the source", () => {
    const error = formatError(() => specificationRecords(spec({ name: undefined }), "sahara", SPECS_SOURCE));
    expect(error.source).toBe(SPECS_SOURCE);
    expect(error.message).toContain("name");
  });
});

describe("parseLaunchpadPerson", () => {
  const PERSON_SOURCE = "launchpad getByEmail";

  it("gives the id and display name", () => {
    expect(parseLaunchpadPerson(person, PERSON_SOURCE)).toEqual({ launchpad_id: "lena-brandt", display_name: "Lena Brandt" });
  });

  it("gives null when Launchpad knows nobody with the address", () => {
    expect(parseLaunchpadPerson(personNotFound, PERSON_SOURCE)).toBeNull();
  });

  it("names a person who hides their address by their id", () => {
    const hidden = JSON.stringify({ name: "kaito-ren", display_name: "<email address hidden>" });
    expect(parseLaunchpadPerson(hidden, PERSON_SOURCE)).toEqual({ launchpad_id: "kaito-ren", display_name: "kaito-ren" });
  });

  it("refuses an error page or an object that is no person, naming the source", () => {
    expect(formatError(() => parseLaunchpadPerson(errorPage, PERSON_SOURCE)).source).toBe(PERSON_SOURCE);
    expect(formatError(() => parseLaunchpadPerson('{"display_name": "Nobody"}', PERSON_SOURCE)).message).toMatch(/^launchpad getByEmail: .*name/);
  });
});
