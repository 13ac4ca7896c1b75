import { describe, expect, it } from "vitest";
import { RawRecordSchema, type RawRecord } from "../../../../schemas/contrib/records";
import { SourceFormatError } from "../../../../worker/domain/contrib/sources/common";
import {
  changeRecords,
  parseChangesPage,
  parseProjectsPage,
  parseVoteLine,
  reviewKey,
  stripXssiPrefix,
  type GerritChange,
} from "../../../../worker/domain/contrib/sources/gerrit";
import page1 from "../../../fixtures/contrib/gerrit/changes-page-1.json?raw";
import page2 from "../../../fixtures/contrib/gerrit/changes-page-2.json?raw";
import truncatedPage from "../../../fixtures/contrib/gerrit/changes-truncated.json?raw";
import errorPage from "../../../fixtures/contrib/gerrit/error-page.html?raw";
import projectsPage from "../../../fixtures/contrib/gerrit/projects.json?raw";

const SOURCE = "https://review.example/changes/?q=project:harbor/ferry";
const ctx = { module: "ferry", defaultBranch: "master", gerritUrl: "https://review.example" };
const at = (time: string) => Date.parse(`${time.replace(" ", "T")}Z`) / 1000;

const NEW_CHANGE = "Iaa0fc27a1f7128f8034f35df1eddfca7d235f497";
const MERGED_CHANGE = "Ib170ff3dd72cd32fd34172b41a593acaa82df97b";
const ABANDONED_CHANGE = "Icaec9ebd18005aae9c2afab98f9908215735da3e";
const DOCK_CHANGE = "I8e01aece3ed926621e70ae5d53d3b11e414fe564";

const tomas = { author_email: "tomas@beta.example", gerrit_id: "tnovak", author_name: "Tomas Novak" };
const lena = { author_email: "lena.ortiz@acme.example", gerrit_id: "lortiz", author_name: "Lena Ortiz" };
const priya = { author_email: "priya.raman@acme.example", gerrit_id: "praman", author_name: "Priya Raman" };

function changes(text: string): GerritChange[] {
  return parseChangesPage(text, SOURCE).changes;
}
function change(text: string, number: number): GerritChange {
  return changes(text).find((c) => c._number === number)!;
}
const marks = (records: RawRecord[]) => records.filter((r) => r.record_type === "mark");
/** The page's JSON, edited, and written back as Gerrit would send it. */
function editedPage(text: string, edit: (changes: Record<string, unknown>[]) => void): string {
  const data = JSON.parse(stripXssiPrefix(text, SOURCE)) as Record<string, unknown>[];
  edit(data);
  return `)]}'\n${JSON.stringify(data)}`;
}

describe("parseChangesPage", () => {
  it("reads a page of changes and reports more when the last one has _more_changes", () => {
    const page = parseChangesPage(page1, SOURCE);
    expect(page.changes.map((c) => [c._number, c.status])).toEqual([[4201, "NEW"], [4188, "MERGED"], [4150, "ABANDONED"]]);
    expect(page.more).toBe(true);
  });

  it("reports no more on the last page", () => {
    expect(parseChangesPage(page2, SOURCE).more).toBe(false);
  });

  it("rejects an HTML error page, naming the source and showing its start", () => {
    expect(() => parseChangesPage(errorPage, SOURCE)).toThrow(SourceFormatError);
    expect(() => parseChangesPage(errorPage, SOURCE)).toThrow(`${SOURCE}: not a Gerrit JSON answer`);
    expect(() => parseChangesPage(errorPage, SOURCE)).toThrow("<!DOCTYPE html>");
  });

  it("rejects a truncated body as not JSON", () => {
    expect(() => parseChangesPage(truncatedPage, SOURCE)).toThrow(SourceFormatError);
    expect(() => parseChangesPage(truncatedPage, SOURCE)).toThrow(/not JSON/);
  });

  it("rejects a change missing a required field, naming the field", () => {
    const text = editedPage(page1, (data) => delete data[1]!.subject);
    expect(() => parseChangesPage(text, SOURCE)).toThrow(SourceFormatError);
    expect(() => parseChangesPage(text, SOURCE)).toThrow(/changes\[1\]\.subject/);
  });

  it("rejects a vote whose date is not a Gerrit timestamp, naming the field", () => {
    const text = editedPage(page1, (data) => {
      const labels = data[0]!.labels as Record<string, { all: Record<string, unknown>[] }>;
      labels["Code-Review"]!.all[0]!.date = "yesterday";
    });
    expect(() => parseChangesPage(text, SOURCE)).toThrow(/changes\[0\]\.labels\.Code-Review\.all\[0\]\.date/);
  });

  it("keeps the fields Gerrit adds that the schema does not name", () => {
    expect(change(page1, 4201)).toMatchObject({ hashtags: [], meta_rev_id: expect.any(String) });
  });
});

describe("stripXssiPrefix", () => {
  it("removes Gerrit's )]}' line", () => {
    expect(stripXssiPrefix(")]}'\n[]", SOURCE)).toBe("[]");
  });

  it("rejects a body without it, naming the source", () => {
    expect(() => stripXssiPrefix("[]", SOURCE)).toThrow(`${SOURCE}: not a Gerrit JSON answer`);
  });
});

describe("parseProjectsPage", () => {
  it("lists active projects (state ACTIVE or absent), sorted, skipping READ_ONLY and HIDDEN", () => {
    expect(parseProjectsPage(projectsPage, "https://review.example/projects/?p=harbor/")).toEqual(["harbor/anchor", "harbor/dock", "harbor/ferry"]);
  });

  it("rejects an HTML error page", () => {
    expect(() => parseProjectsPage(errorPage, "https://review.example/projects/")).toThrow("https://review.example/projects/: not a Gerrit JSON answer");
  });
});

describe("reviewKey", () => {
  it("is the Change-Id on the default branch and Change-Id@branch elsewhere", () => {
    expect(reviewKey("I12", "master", "master")).toBe("I12");
    expect(reviewKey("I12", "stable/2024.1", "master")).toBe("I12@stable/2024.1");
  });
});

describe("parseVoteLine", () => {
  it("reads the votes of a review message, with removals as 0", () => {
    expect(parseVoteLine("Patch Set 3: Code-Review-1 Workflow+1 -Verified\n\n(1 comment)")).toEqual({
      patch: 3,
      votes: [{ label: "Code-Review", value: -1 }, { label: "Workflow", value: 1 }, { label: "Verified", value: 0 }],
    });
  });

  it("reads the votes of a push with labels", () => {
    expect(parseVoteLine("Uploaded patch set 2: Code-Review+2.")).toEqual({ patch: 2, votes: [{ label: "Code-Review", value: 2 }] });
  });

  it("ignores messages that are not votes", () => {
    expect(parseVoteLine("Uploaded patch set 2.")).toBeNull();
    expect(parseVoteLine("Abandoned")).toBeNull();
    expect(parseVoteLine("Patch Set 2:\n\n(1 comment)")).toEqual({ patch: 2, votes: [] });
  });
});

describe("changeRecords", () => {
  it("makes only records that pass RawRecordSchema", () => {
    const all = [...changes(page1), ...changes(page2)].flatMap((c) => changeRecords(c, ctx));
    expect(all.length).toBeGreaterThan(0);
    for (const record of all) expect(RawRecordSchema.parse(record)).toEqual(record);
  });

  it("turns an open change into its review, its patch sets and every Code-Review vote once", () => {
    const records = changeRecords(change(page1, 4201), ctx);
    expect(records).toEqual([
      {
        primary_key: NEW_CHANGE,
        record_type: "review",
        date: at("2024-03-01 09:00:00"),
        ...priya,
        module: "ferry",
        branch: "master",
        project: "harbor/ferry",
        topic: "tide-tables",
        subject: "Add tide tables to the ferry schedule",
        status: "NEW",
        open: true,
        url: "https://review.example/c/harbor/ferry/+/4201",
        review_number: 4201,
        change_id: [NEW_CHANGE],
        last_updated: at("2024-03-02 09:15:30"),
        // The CI's Verified-1 is the lowest vote on patch set 2; Tomas's +2 the latest.
        value: -1,
        updated_on: at("2024-03-02 09:15:30"),
      },
      { primary_key: `${NEW_CHANGE}:1`, record_type: "patch", date: at("2024-03-01 09:00:00"), ...priya, module: "ferry", branch: "master", review_id: NEW_CHANGE, patch: 1, subject: "Add tide tables to the ferry schedule" },
      { primary_key: `${NEW_CHANGE}:2`, record_type: "patch", date: at("2024-03-02 08:00:00"), ...priya, module: "ferry", branch: "master", review_id: NEW_CHANGE, patch: 2, subject: "Add tide tables to the ferry schedule" },
      // Only in the messages: patch set 1 is no longer current.
      {
        primary_key: `${NEW_CHANGE}:${at("2024-03-01 10:00:00")}:Code-Review:tnovak`,
        record_type: "mark",
        date: at("2024-03-01 10:00:00"),
        ...tomas,
        module: "ferry",
        branch: "master",
        value: -1,
        type: "Code-Review",
        review_id: NEW_CHANGE,
        patch: 1,
        subject: "Add tide tables to the ferry schedule",
      },
      // In the messages on patch set 1 and copied onto patch set 2 in labels.all: once, on patch set 1.
      {
        primary_key: `${NEW_CHANGE}:${at("2024-03-01 10:30:00")}:Code-Review:lortiz`,
        record_type: "mark",
        date: at("2024-03-01 10:30:00"),
        ...lena,
        module: "ferry",
        branch: "master",
        value: 1,
        type: "Code-Review",
        review_id: NEW_CHANGE,
        patch: 1,
        subject: "Add tide tables to the ferry schedule",
      },
      // In labels.all and in its message: once.
      {
        primary_key: `${NEW_CHANGE}:${at("2024-03-02 09:15:30")}:Code-Review:tnovak`,
        record_type: "mark",
        date: at("2024-03-02 09:15:30"),
        ...tomas,
        module: "ferry",
        branch: "master",
        value: 2,
        type: "Code-Review",
        review_id: NEW_CHANGE,
        patch: 2,
        subject: "Add tide tables to the ferry schedule",
      },
    ]);
  });

  it("drops the vote of an account with neither email nor username", () => {
    const records = changeRecords(change(page1, 4201), ctx);
    expect(marks(records).some((r) => r.date === at("2024-03-02 08:45:00"))).toBe(false);
  });

  it("drops the review of an owner with neither email nor username but keeps the rest", () => {
    const text = editedPage(page1, (data) => (data[0]!.owner = { _account_id: 1000109, name: "Former Contributor" }));
    const records = changeRecords(change(text, 4201), ctx);
    expect(records.some((r) => r.record_type === "review")).toBe(false);
    expect(records.filter((r) => r.record_type === "patch")).toHaveLength(2);
  });

  it("puts a vote copied onto the current patch set on the current one when its message is gone", () => {
    const text = editedPage(page1, (data) => {
      data[0]!.messages = (data[0]!.messages as { message: string; date: string }[]).filter((m) => !(m.message === "Patch Set 1: Code-Review+1"));
    });
    const lenaMarks = marks(changeRecords(change(text, 4201), ctx)).filter((r) => r.gerrit_id === "lortiz");
    expect(lenaMarks.map((r) => [r.patch, r.value, r.date])).toEqual([[2, 1, at("2024-03-01 10:30:00")]]);
  });

  it("makes no mark of Verified votes, though they count in the review's value", () => {
    const records = changeRecords(change(page1, 4188), ctx);
    expect(marks(records).some((r) => r.type?.includes("Verified") || r.gerrit_id === "harbor-ci")).toBe(false);
    expect(records[0]).toMatchObject({ record_type: "review", status: "MERGED", open: false, value: 1, updated_on: at("2024-02-21 16:05:00") });
  });

  it("marks the uploader's own vote Self-, and a Workflow+1 as Workflow", () => {
    const records = marks(changeRecords(change(page1, 4188), ctx));
    expect(records.map((r) => [r.gerrit_id, r.type, r.value, r.patch, r.date])).toEqual([
      ["lortiz", "Self-Code-Review", 1, 1, at("2024-02-20 14:10:00")],
      ["tnovak", "Code-Review", 2, 1, at("2024-02-21 16:00:00")],
      ["tnovak", "Workflow", 1, 1, at("2024-02-21 16:00:00")],
    ]);
    expect(records[1]!.primary_key).not.toBe(records[2]!.primary_key);
  });

  it("compares a voter with the patch set's uploader, not the change's owner", () => {
    const records = marks(changeRecords(change(page2, 4235), ctx));
    expect(records.map((r) => [r.author_email, r.type, r.patch])).toEqual([
      ["wen.li@gamma.example", "Code-Review", 1],
      ["lena.ortiz@acme.example", "Self-Code-Review", 2],
      ["kai@delta.example", "Code-Review", 2],
      ["wen.li@gamma.example", "Code-Review", 2],
    ]);
  });

  it("keys a voter without a username by account id", () => {
    const wen = marks(changeRecords(change(page2, 4235), ctx)).find((r) => r.author_email === "wen.li@gamma.example" && r.patch === 2)!;
    expect(wen.primary_key).toBe(`${DOCK_CHANGE}:${at("2024-03-07 15:00:00")}:Code-Review:account-1000105`);
    expect(wen).not.toHaveProperty("gerrit_id");
    expect(wen.author_name).toBe("Wen Li");
  });

  it("counts every vote, a changed one too: stored marks are never taken back, so the count cannot depend on when a change was read", () => {
    const text = editedPage(page1, (data) => {
      const messages = data[0]!.messages as Record<string, unknown>[];
      messages.splice(-1, 0, { id: "c1-revote", author: messages.at(-1)!.author, date: "2024-03-02 09:05:00.000000000", message: "Patch Set 2: Code-Review+1", _revision_number: 2 });
    });
    const tomasOnPatch2 = marks(changeRecords(change(text, 4201), ctx)).filter((r) => r.gerrit_id === "tnovak" && r.patch === 2);
    expect(tomasOnPatch2.map((r) => [r.value, r.date])).toEqual([
      [1, at("2024-03-02 09:05:00")],
      [2, at("2024-03-02 09:15:30")],
    ]);
  });

  it("makes no mark of a vote's removal, and keeps the vote that was removed", () => {
    const onPatch1 = marks(changeRecords(change(page2, 4235), ctx)).filter((r) => r.patch === 1);
    expect(onPatch1.map((r) => [r.author_email, r.value, r.date])).toEqual([["wen.li@gamma.example", -1, 1709722800]]);
  });

  it("names an owner without a name by username", () => {
    expect(changeRecords(change(page2, 4235), ctx)[0]).toMatchObject({ record_type: "review", gerrit_id: "kai", author_name: "kai" });
  });

  it("credits an abandon by someone else than the owner as Abandon, from the newest abandon", () => {
    const records = marks(changeRecords(change(page1, 4150), ctx));
    expect(records.at(-1)).toEqual({
      primary_key: `${ABANDONED_CHANGE}:${at("2024-02-28 17:30:00")}:Abandon:tnovak`,
      record_type: "mark",
      date: at("2024-02-28 17:30:00"),
      ...tomas,
      module: "ferry",
      branch: "master",
      value: 0,
      type: "Abandon",
      review_id: ABANDONED_CHANGE,
      patch: 1,
      subject: "Replace the ferry bell with a horn",
    });
    expect(records.filter((r) => r.type?.endsWith("Abandon"))).toHaveLength(1);
  });

  it("credits an abandon by the owner as Self-Abandon", () => {
    const records = marks(changeRecords(change(page2, 4230), ctx));
    expect(records.map((r) => [r.type, r.gerrit_id, r.value, r.date])).toEqual([["Self-Abandon", "lortiz", 0, at("2024-03-05 12:00:00")]]);
  });

  it("keys the review of a change on another branch by Change-Id@branch", () => {
    const records = changeRecords(change(page2, 4230), ctx);
    const key = `${MERGED_CHANGE}@stable/2024.1`;
    expect(records[0]).toMatchObject({ record_type: "review", primary_key: key, change_id: [MERGED_CHANGE], branch: "stable/2024.1" });
    expect(records.slice(1).every((r) => r.review_id === key && r.primary_key.startsWith(`${key}:`))).toBe(true);
  });

  it("makes no Abandon mark when no message says Abandoned", () => {
    const text = editedPage(page2, (data) => (data[0]!.messages = []));
    expect(marks(changeRecords(change(text, 4230), ctx))).toEqual([]);
  });
});
