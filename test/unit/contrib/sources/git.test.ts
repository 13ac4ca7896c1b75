// The git source: commit messages, commit records, and the parsers of Gitea's and GitHub's answers
// and of `git log` text. The JSON fixtures are hand-written in the forges' formats; git-log.txt is
// real git output, made by test/fixtures/contrib/forges/make-git-log.sh (a throwaway repository
// under /tmp with fixed people and dates: a binary file, a rename, co-author trailers, a commit
// without a body, an empty commit and a merge, then `git log --no-merges -M --numstat
// --format=<GIT_LOG_FORMAT>`).
import { describe, expect, it } from "vitest";
import { RawRecordSchema, type RawRecord } from "../../../../schemas/contrib/records";
import { SourceFormatError } from "../../../../worker/domain/contrib/sources/common";
import {
  GIT_LOG_ARGS,
  GIT_LOG_FORMAT,
  commitRecords,
  parseCommitMessage,
  parseGitLog,
  parseGiteaCommits,
  parseGithubCommit,
  parseGithubCommitList,
  parseGithubRepos,
  splitCommitMessage,
  type GitCommit,
} from "../../../../worker/domain/contrib/sources/git";
import gitLog from "../../../fixtures/contrib/forges/git-log.txt?raw";
import giteaCommits from "../../../fixtures/contrib/forges/gitea-commits.json?raw";
import githubColours from "../../../fixtures/contrib/forges/github-commit-beacon-colours.json?raw";
import githubFixBlink from "../../../fixtures/contrib/forges/github-commit-fix-blink.json?raw";
import githubCommits from "../../../fixtures/contrib/forges/github-commits.json?raw";
import githubRepos from "../../../fixtures/contrib/forges/github-org-repos.json?raw";
import makeGitLog from "../../../fixtures/contrib/forges/make-git-log.sh?raw";

const SHA = "6f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
const CHANGE_ID = "Id26fdfd2a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5";
const ctx = { module: "dummy", branch: "master" };

function gitCommit(overrides: Partial<GitCommit> = {}): GitCommit {
  return {
    commit_id: SHA,
    date: 1369119386,
    author_name: "Hana Sato",
    author_email: "hana@pier.example",
    subject: "Remove class-based import in the code repo",
    message: "",
    parents: 1,
    lines_added: 0,
    lines_deleted: 0,
    files_changed: 0,
    ...overrides,
  };
}

/** Every record must be storable as it is. */
function checked(records: RawRecord[]): RawRecord[] {
  for (const record of records) RawRecordSchema.parse(record);
  return records;
}

/** One commit of `git log` output in GIT_LOG_FORMAT, as git prints it. */
function logEntry(commit: { sha?: string; at?: number; subject?: string; body?: string; parents?: string }, numstat: string[]): string {
  const fields = [commit.sha ?? SHA, commit.at ?? 1369119386, "Hana Sato", "hana@pier.example", commit.parents ?? "a".repeat(40), commit.subject ?? "Subject", commit.body ?? ""];
  const head = `\x1e${fields.join("\x1f")}\x1f\n`;
  return numstat.length ? `${head}\n${numstat.join("\n")}\n` : head;
}

function expectSourceError(run: () => unknown, ...parts: string[]) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SourceFormatError);
    for (const part of parts) expect((error as Error).message).toContain(part);
    return;
  }
  throw new Error("expected a SourceFormatError");
}

describe("parseCommitMessage", () => {
  it("finds bug ids after bug, bug: and Closes-Bug: #", () => {
    expect(parseCommitMessage("Fixes bug 1167901.", "nova").bug_id).toEqual(["1167901"]);
    expect(parseCommitMessage("bug: 1234567", "nova").bug_id).toEqual(["1234567"]);
    expect(parseCommitMessage("Closes-Bug: #1234567", "nova").bug_id).toEqual(["1234567"]);
    expect(parseCommitMessage("Debug 42 and bugs 43 are no bug ids", "nova").bug_id).toEqual([]);
  });

  it("finds two bug ids in one line, and lists a repeated one once", () => {
    expect(parseCommitMessage("Fixes bug: 1234567 / Also fixes bug 987654\nRelated-Bug: #1234567", "nova").bug_id).toEqual(["1234567", "987654"]);
  });

  it("stores a blueprint as <module>:<name>, lower-cased", () => {
    expect(parseCommitMessage(" implements blueprint fix-me.", "dummy").blueprint_id).toEqual(["dummy:fix-me"]);
    expect(parseCommitMessage("Implements: blueprint Tide-Alerts\nPartially implements bp tide-alerts\nbp: #wave-2", "tides").blueprint_id).toEqual([
      "tides:tide-alerts",
      "tides:wave-2",
    ]);
    expect(parseCommitMessage("a bpx tides and blueprints", "tides").blueprint_id).toEqual([]);
  });

  it("finds Change-Ids of 40 hex digits", () => {
    expect(parseCommitMessage(`Change-Id: ${CHANGE_ID}\nChange-Id: I123`, "nova").change_id).toEqual([CHANGE_ID]);
  });

  it.each([
    ["Co-Authored-By: Tupac Shakur <tupac.shakur@openstack.com>", { author_name: "Tupac Shakur", author_email: "tupac.shakur@openstack.com" }],
    ["Also-By: Bob Dylan <bob.dylan@openstack.com>", { author_name: "Bob Dylan", author_email: "bob.dylan@openstack.com" }],
    ["Also-By: Winnie the Pooh winnie222@openstack.org", { author_name: "Winnie the Pooh", author_email: "winnie222@openstack.org" }],
    ["co-authored-by: brian.tully@hp.com", { author_name: "", author_email: "brian.tully@hp.com" }],
    ["Co-Author: Grace Hopper <Grace.Hopper@Navy.example>", { author_name: "Grace Hopper", author_email: "grace.hopper@navy.example" }],
  ])("accepts the trailer %s", (trailer, coauthor) => {
    expect(parseCommitMessage(`Some change\n\n${trailer}\n`, "nova").coauthor).toEqual([coauthor]);
  });

  it.each([
    "Also-By: Anonymous <wrong@email>",
    "Also: Bob Dylan <bob.dylan@openstack.com>",
    "Co-Authored: Bob Dylan <bob.dylan@openstack.com>",
    "Co-Author-By: Bob Dylan <bob.dylan@openstack.com>",
  ])("rejects %s", (trailer) => {
    expect(parseCommitMessage(`Some change\n\n${trailer}\n`, "nova").coauthor).toEqual([]);
  });

  it("lists co-authors in order, once per email", () => {
    const message = "Co-Authored-By: Sol <Sol@Lighthouse.example>\nAlso-By: Ikaika ikaika@reef.example\nCo-authored-by: Sol B. <sol@lighthouse.example>";
    expect(parseCommitMessage(message, "nova").coauthor.map((c) => c.author_email)).toEqual(["sol@lighthouse.example", "ikaika@reef.example"]);
  });
});

describe("commitRecords", () => {
  it("makes one commit record with loc = added + deleted, bug and Change-Id (21 files, 340+/408-)", () => {
    const commit = gitCommit({ lines_added: 340, lines_deleted: 408, files_changed: 21, message: `Fixes bug 1167901.\n\nChange-Id: ${CHANGE_ID}` });
    expect(checked(commitRecords(commit, { module: "neutron", branch: "master", release: "havana" }))).toEqual([
      {
        primary_key: SHA,
        record_type: "commit",
        date: 1369119386,
        author_email: "hana@pier.example",
        author_name: "Hana Sato",
        module: "neutron",
        branch: "master",
        branches: ["master"],
        release: "havana",
        loc: 748,
        commit_id: SHA,
        lines_added: 340,
        lines_deleted: 408,
        files_changed: 21,
        subject: "Remove class-based import in the code repo",
        message: `Fixes bug 1167901.\n\nChange-Id: ${CHANGE_ID}`,
        bug_id: ["1167901"],
        change_id: [CHANGE_ID],
      },
    ]);
  });

  it("leaves release, github_id and empty id lists out", () => {
    const [record] = checked(commitRecords(gitCommit(), ctx));
    expect(record).not.toHaveProperty("release");
    expect(record).not.toHaveProperty("github_id");
    expect(record).not.toHaveProperty("bug_id");
    expect(record).not.toHaveProperty("blueprint_id");
    expect(record).not.toHaveProperty("change_id");
    expect(record).not.toHaveProperty("coauthor");
  });

  it("keeps the github_id a forge linked", () => {
    expect(checked(commitRecords(gitCommit({ github_id: "hana-sato" }), ctx))[0]!.github_id).toBe("hana-sato");
  });

  it("stores blueprints under the context's module", () => {
    expect(commitRecords(gitCommit({ message: " implements blueprint fix-me." }), ctx)[0]!.blueprint_id).toEqual(["dummy:fix-me"]);
  });

  it("makes one record per person, author first, each with the whole loc", () => {
    const message = [
      "Co-Authored-By: Tupac Shakur <tupac.shakur@openstack.com>",
      "Also-By: Winnie the Pooh winnie222@openstack.org",
      "Co-Authored-By: Hana again <HANA@pier.example>",
      "Also-By: Anonymous <wrong@email>",
    ].join("\n");
    const records = checked(commitRecords(gitCommit({ message, lines_added: 10, lines_deleted: 2 }), ctx));
    const people = [
      { author_name: "Hana Sato", author_email: "hana@pier.example" },
      { author_name: "Tupac Shakur", author_email: "tupac.shakur@openstack.com" },
      { author_name: "Winnie the Pooh", author_email: "winnie222@openstack.org" },
    ];
    expect(records.map((r) => [r.primary_key, r.author_email, r.author_name, r.loc])).toEqual([
      [`${SHA}hana@pier.example`, "hana@pier.example", "Hana Sato", 12],
      [`${SHA}tupac.shakur@openstack.com`, "tupac.shakur@openstack.com", "Tupac Shakur", 12],
      [`${SHA}winnie222@openstack.org`, "winnie222@openstack.org", "Winnie the Pooh", 12],
    ]);
    for (const record of records) expect(record).toMatchObject({ coauthor: people, commit_id: SHA, lines_added: 10, lines_deleted: 2 });
  });

  it("keeps the plain record when the only co-author is the author", () => {
    const records = checked(commitRecords(gitCommit({ message: "Co-Authored-By: Hana <hana@pier.example>" }), ctx));
    expect(records).toHaveLength(1);
    expect(records[0]!.primary_key).toBe(SHA);
    expect(records[0]).not.toHaveProperty("coauthor");
  });

  it("skips merges and submodule updates", () => {
    expect(commitRecords(gitCommit({ parents: 2 }), ctx)).toEqual([]);
    expect(commitRecords(gitCommit({ subject: "Update git submodules" }), ctx)).toEqual([]);
    expect(commitRecords(gitCommit({ subject: "Update git submodules for tides" }), ctx)).toHaveLength(1);
    expect(commitRecords(gitCommit({ parents: 0 }), ctx)).toHaveLength(1);
  });

  it("skips an author email that is empty or invalid, and cleans a valid one", () => {
    expect(commitRecords(gitCommit({ author_email: "" }), ctx)).toEqual([]);
    expect(commitRecords(gitCommit({ author_email: "root@localhost" }), ctx)).toEqual([]);
    expect(commitRecords(gitCommit({ author_email: "\u0000\u200b" }), ctx)).toEqual([]);
    expect(checked(commitRecords(gitCommit({ author_email: " Hana\u200b@Pier.example\u0007" }), ctx))[0]!.author_email).toBe("hana@pier.example");
  });

  it("skips a commit whose date records cannot hold", () => {
    expect(commitRecords(gitCommit({ date: -86_400 }), ctx)).toEqual([]);
  });

  it("truncates long subjects and messages to the record limits", () => {
    const [record] = checked(commitRecords(gitCommit({ subject: "s".repeat(5000), message: "m".repeat(20_000) }), ctx));
    expect(record!.subject).toHaveLength(4096);
    expect(record!.message).toHaveLength(16_384);
  });
});

describe("splitCommitMessage", () => {
  it("splits like git's %s and %b", () => {
    expect(splitCommitMessage("Tidy the README\n\nNo functional change.\n")).toEqual({ subject: "Tidy the README", message: "No functional change." });
    expect(splitCommitMessage("Fix blink timing")).toEqual({ subject: "Fix blink timing", message: "" });
    expect(splitCommitMessage("\nWrapped\nsubject\r\n\r\n\r\nBody\n  indented\n\n")).toEqual({ subject: "Wrapped subject", message: "Body\n  indented" });
  });
});

describe("parseGiteaCommits", () => {
  const commits = parseGiteaCommits(giteaCommits, "gitea harbor/tides");

  it("reads a commit list page asked with stat=true", () => {
    expect(commits.map((c) => [c.commit_id.slice(0, 7), c.parents, c.lines_added, c.lines_deleted, c.files_changed])).toEqual([
      ["3c9e1f7", 2, 120, 8, 3],
      ["8a7b6c5", 1, 1, 1, 1],
      ["1f2e3d4", 1, 120, 8, 3],
      ["0a1b2c3", 1, 3, 5, 1],
    ]);
    expect(commits[2]).toMatchObject({
      date: Date.parse("2024-04-10T09:05:31Z") / 1000,
      author_name: "Ren Tanaka",
      author_email: "Ren@EastWater.example",
      subject: "Add tide alerts for harbour masters",
    });
    expect(commits[2]!.message).toMatch(/^Sends an alert/);
    expect(commits.every((c) => !("github_id" in c))).toBe(true);
  });

  it("turns the page into records: no merge, no submodule update, co-authors fanned out", () => {
    const records = checked(commits.flatMap((c) => commitRecords(c, { module: "tides", branch: "main" })));
    expect(records.map((r) => [r.primary_key, r.author_email, r.loc])).toEqual([
      ["1f2e3d4c5b6a79880796a5b4c3d2e1f0f1e2d3c4ren@eastwater.example", "ren@eastwater.example", 128],
      ["1f2e3d4c5b6a79880796a5b4c3d2e1f0f1e2d3c4sol@lighthouse.example", "sol@lighthouse.example", 128],
      ["1f2e3d4c5b6a79880796a5b4c3d2e1f0f1e2d3c4ikaika@reef.example", "ikaika@reef.example", 128],
      ["0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3", "ada.brook@southgate.example", 8],
    ]);
    expect(records[0]).toMatchObject({
      bug_id: ["2051234", "2051240"],
      blueprint_id: ["tides:tide-alerts"],
      change_id: ["I8c2d4e6f8a0b1c3d5e7f9a1b3c5d7e9f0a2b4c6d"],
      coauthor: [
        { author_name: "Ren Tanaka", author_email: "ren@eastwater.example" },
        { author_name: "Sol Brightwater", author_email: "sol@lighthouse.example" },
        { author_name: "Ikaika Kahale", author_email: "ikaika@reef.example" },
      ],
    });
  });
});

describe("GitHub", () => {
  it("lists the commits of a page with their parent counts", () => {
    expect(parseGithubCommitList(githubCommits, "github lighthouse-labs/beacon")).toEqual([
      { sha: "c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5", parents: 2 },
      { sha: "e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8", parents: 1 },
      { sha: "a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1", parents: 1 },
    ]);
  });

  it("reads one commit with its stats and the linked GitHub login", () => {
    const commit = parseGithubCommit(githubFixBlink, "github lighthouse-labs/beacon e7d6c5b");
    expect(commit).toEqual({
      commit_id: "e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8",
      date: Date.parse("2024-05-02T13:45:10Z") / 1000,
      author_name: "Ren Tanaka",
      author_email: "ren@eastwater.example",
      subject: "Fix blink timing",
      message: "The beacon blinked twice a second; the harbour rules ask for once.\n\nCloses-Bug: #77123\n\nCo-authored-by: Sol Brightwater <sol@lighthouse.example>",
      parents: 1,
      lines_added: 14,
      lines_deleted: 6,
      files_changed: 2,
      github_id: "ren-tanaka",
    });
    const records = checked(commitRecords(commit, { module: "beacon", branch: "main" }));
    // The GitHub account is the author's alone: on Sol's record it would merge Sol into Ren.
    expect(records.map((r) => [r.author_email, r.github_id, r.loc, r.bug_id])).toEqual([
      ["ren@eastwater.example", "ren-tanaka", 20, ["77123"]],
      ["sol@lighthouse.example", undefined, 20, ["77123"]],
    ]);
  });

  it("leaves github_id out when GitHub linked no account", () => {
    const commit = parseGithubCommit(githubColours, "github lighthouse-labs/beacon a0b9c8d");
    expect(commit).not.toHaveProperty("github_id");
    expect(commit).toMatchObject({ lines_added: 40, lines_deleted: 0, files_changed: 3 });
    expect(checked(commitRecords(commit, { module: "beacon", branch: "main" }))[0]!.blueprint_id).toEqual(["beacon:beacon-colours"]);
  });

  it("reads an organization's repositories", () => {
    expect(parseGithubRepos(githubRepos, "github org lighthouse-labs")).toEqual([
      { name: "beacon", clone_url: "https://github.com/lighthouse-labs/beacon.git", default_branch: "main", archived: false, fork: false },
      { name: "tide-tables", clone_url: "https://github.com/lighthouse-labs/tide-tables.git", default_branch: "master", archived: true, fork: false },
      { name: "chart-tools", clone_url: "https://github.com/lighthouse-labs/chart-tools.git", default_branch: "develop", archived: false, fork: true },
    ]);
  });
});

describe("malformed forge answers", () => {
  const html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";

  it("names the source of an HTML page or truncated JSON", () => {
    expectSourceError(() => parseGiteaCommits(html, "gitea harbor/tides"), "gitea harbor/tides", "not JSON");
    expectSourceError(() => parseGithubCommit(githubFixBlink.slice(0, 300), "github beacon e7d6c5b"), "github beacon e7d6c5b", "not JSON");
    expectSourceError(() => parseGithubRepos(html, "github org lighthouse-labs"), "github org lighthouse-labs");
  });

  it("names the field path of a missing sha", () => {
    const page = JSON.parse(giteaCommits) as Record<string, unknown>[];
    delete page[1]!.sha;
    expectSourceError(() => parseGiteaCommits(JSON.stringify(page), "gitea harbor/tides"), "gitea harbor/tides", "[1].sha");
    const list = JSON.parse(githubCommits) as Record<string, unknown>[];
    delete list[2]!.sha;
    expectSourceError(() => parseGithubCommitList(JSON.stringify(list), "github beacon"), "github beacon", "[2].sha");
  });

  it("names missing stats, a bad date and missing repository fields", () => {
    const page = JSON.parse(giteaCommits) as Record<string, unknown>[];
    delete page[0]!.stats;
    expectSourceError(() => parseGiteaCommits(JSON.stringify(page), "gitea"), "[0].stats");
    const commit = JSON.parse(githubFixBlink) as { commit: { author: { date: string } } };
    commit.commit.author.date = "yesterday";
    expectSourceError(() => parseGithubCommit(JSON.stringify(commit), "github"), ".commit.author.date");
    const repos = JSON.parse(githubRepos) as Record<string, unknown>[];
    delete repos[1]!.default_branch;
    expectSourceError(() => parseGithubRepos(JSON.stringify(repos), "github org"), "[1].default_branch");
  });

  it("shows a forge's error message when the answer is not a list", () => {
    expectSourceError(() => parseGithubCommitList('{"message":"API rate limit exceeded","documentation_url":"https://docs.github.com"}', "github"), "API rate limit exceeded");
  });
});

describe("parseGitLog", () => {
  it("was made with GIT_LOG_FORMAT and GIT_LOG_ARGS", () => {
    expect(makeGitLog).toContain(`git log --no-merges -M --numstat --format='${GIT_LOG_FORMAT}'`);
    expect(GIT_LOG_ARGS).toEqual(["log", "--no-merges", "-M", "--numstat", `--format=${GIT_LOG_FORMAT}`]);
  });

  const commits = parseGitLog(gitLog);

  it("reads real git output: no merge, numstat summed, binary files count no lines", () => {
    expect(commits.map((c) => [c.commit_id.slice(0, 7), c.subject, c.parents, c.lines_added, c.lines_deleted, c.files_changed])).toEqual([
      ["7d38d11", "Empty commit to trigger CI", 1, 0, 0, 0],
      ["d7446e3", "Document how to run it", 1, 2, 0, 1],
      ["a635965", "Ignore compiled files", 1, 1, 0, 1],
      ["90d8cca", "Add high tides per day", 1, 2, 0, 1],
      ["903e657", "Rename tides.py to tide_table.py", 1, 1, 1, 1],
      ["1ea8510", "Add a logo", 1, 2, 0, 2],
      ["7f898c3", "Add the tide calculator", 0, 17, 0, 2],
    ]);
    expect(commits[2]!.message).toBe("");
    expect(commits[4]!.message).toBe("Implements blueprint Tide-Table-Rename. A body line that looks like numstat:\n12\t34\tnot/a/file.txt");
    expect(commits[5]).toMatchObject({ author_name: "Tomás Lindqvist", author_email: "Tomas.Lindqvist@Southgate.example", date: 1709647350 });
    expect(commits[6]!.date).toBe(Date.parse("2024-03-04T09:15:00+01:00") / 1000);
  });

  it("turns real git output into records", () => {
    const records = checked(commits.flatMap((c) => commitRecords(c, { module: "harbor", branch: "main" })));
    const coauthored = records.filter((r) => r.commit_id?.startsWith("90d8cca"));
    expect(coauthored.map((r) => [r.author_email, r.loc])).toEqual([
      ["ren@eastwater.example", 2],
      ["mira.okafor@northwind.example", 2],
      ["sol@lighthouse.example", 2],
    ]);
    expect(coauthored[0]).toMatchObject({
      bug_id: ["2040512"],
      blueprint_id: ["harbor:tide-table-rename"],
      change_id: ["I0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6"],
    });
    expect(records.find((r) => r.commit_id?.startsWith("903e657"))!.blueprint_id).toEqual(["harbor:tide-table-rename"]);
    expect(records.find((r) => r.commit_id?.startsWith("7f898c3"))).toMatchObject({ bug_id: ["2040511"], loc: 17 });
    expect(records).toHaveLength(9);
  });

  it("reads deletion-only, insertion-only and stat-less commits", () => {
    const text = [
      logEntry({ sha: "1".repeat(40), subject: "Drop a line" }, ["0\t1\tREADME"]),
      logEntry({ sha: "2".repeat(40), subject: "Add lines" }, ["8\t0\tsetup.py"]),
      logEntry({ sha: "3".repeat(40), subject: "Nothing", body: "Fixes bug: 1234567 / Also fixes bug 987654\n" }, []),
      logEntry({ sha: "4".repeat(64), subject: "SHA-256 root", parents: "" }, []),
    ].join("");
    const parsed = parseGitLog(text);
    expect(parsed.map((c) => [c.lines_added, c.lines_deleted, c.files_changed, c.parents])).toEqual([
      [0, 1, 1, 1],
      [8, 0, 1, 1],
      [0, 0, 0, 1],
      [0, 0, 0, 0],
    ]);
    expect(parseCommitMessage(parsed[2]!.message, "dummy").bug_id).toEqual(["1234567", "987654"]);
    expect(parseGitLog(logEntry({ parents: `${"a".repeat(40)} ${"b".repeat(40)}` }, []))[0]!.parents).toBe(2);
  });

  it("reads no output as no commits", () => {
    expect(parseGitLog("")).toEqual([]);
  });

  it("refuses text that is not in GIT_LOG_FORMAT", () => {
    expectSourceError(() => parseGitLog(`commit ${SHA}\nAuthor: Hana <hana@pier.example>\n`, "git log harbor"), "git log harbor", "GIT_LOG_FORMAT");
    expectSourceError(() => parseGitLog(`\x1e${SHA}\x1f1369119386\x1fHana\n`), "git log", "expected 7 fields");
    expectSourceError(() => parseGitLog(logEntry({ sha: "not-a-sha" }, [])), "not a commit hash");
    expectSourceError(() => parseGitLog(logEntry({}, ["1 file changed, 1 deletion(-)"])), "not a numstat line");
  });
});
