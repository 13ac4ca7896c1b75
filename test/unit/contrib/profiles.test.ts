import { describe, expect, it } from "vitest";
import { buildCompanyIndex } from "../../../worker/domain/contrib/companies";
import { compileDefaultData } from "../../../worker/domain/contrib/engine";
import { type Profile, ProfileBook, authorKeys, mergeProfiles, newProfile } from "../../../worker/domain/contrib/profiles";
import { at, smallConfig } from "./fixtures";

const index = buildCompanyIndex([
  { company_name: "Northwind", domains: ["northwind.example"] },
  { company_name: "Southgate", domains: ["southgate.example"] },
  { company_name: "*independent", domains: [""] },
]);

function profile(seq: number, overrides: Partial<Profile> = {}): Profile {
  return {
    seq,
    user_id: `user-${seq}`,
    user_name: `User ${seq}`,
    emails: [],
    launchpad_id: null,
    gerrit_id: null,
    github_id: null,
    zanata_id: null,
    companies: [{ company_name: "*independent", end_date: 0 }],
    static: false,
    ...overrides,
  };
}

describe("newProfile", () => {
  it("takes user_id from the Launchpad id, else the email, else a prefixed account id", () => {
    expect(newProfile(-1, { email: "A@x.example", launchpad_id: "ann" }, index).user_id).toBe("ann");
    expect(newProfile(-1, { email: "A@x.example", gerrit_id: "ann" }, index).user_id).toBe("a@x.example");
    expect(newProfile(-1, { gerrit_id: "ann" }, index).user_id).toBe("gerrit:ann");
    expect(newProfile(-1, { github_id: "ann" }, index).user_id).toBe("github:ann");
    expect(newProfile(-1, { zanata_id: "ann" }, index).user_id).toBe("zanata:ann");
  });

  it("gives an author of a known domain that company, and anyone else *independent", () => {
    expect(newProfile(-1, { email: "bo@eu.northwind.example", name: "Bo" }, index).companies).toEqual([{ company_name: "Northwind", end_date: 0 }]);
    expect(newProfile(-1, { email: "bo@gmail.example", name: "Bo" }, index).companies).toEqual([{ company_name: "*independent", end_date: 0 }]);
  });

  it("names a blueprint author known only by Launchpad id after the id (no email)", () => {
    expect(newProfile(-1, { launchpad_id: "john-doe" }, index)).toMatchObject({
      user_id: "john-doe",
      user_name: "john-doe",
      emails: [],
      launchpad_id: "john-doe",
      companies: [{ company_name: "*independent", end_date: 0 }],
      static: false,
    });
  });
});

describe("mergeProfiles (Stackalytics' rules)", () => {
  it("keeps the config's profile: its user_id, name and history; unions the emails", () => {
    const config = profile(7, { static: true, user_id: "ada-marsh", user_name: "Ada Marsh", emails: ["ada@northwind.example"], companies: [{ company_name: "Southgate", end_date: 0 }] });
    const made = profile(3, { user_id: "ada@gmail.example", user_name: "ada", emails: ["ada@gmail.example"], gerrit_id: "adam", companies: [{ company_name: "Northwind", end_date: 0 }] });
    expect(mergeProfiles([made, config], index)).toEqual({
      ...config,
      emails: ["ada@northwind.example", "ada@gmail.example"],
      gerrit_id: "adam",
    });
  });

  it("prefers a company history that is more than *independent, and the Launchpad id as user_id", () => {
    const a = profile(1, { emails: ["a@gmail.example"] });
    const b = profile(2, { launchpad_id: "bee", emails: ["b@southgate.example"], companies: [{ company_name: "Southgate", end_date: 0 }] });
    const merged = mergeProfiles([b, a], index);
    expect(merged).toMatchObject({ seq: 1, user_id: "bee", launchpad_id: "bee", companies: [{ company_name: "Southgate", end_date: 0 }] });
    expect(merged.emails).toEqual(["a@gmail.example", "b@southgate.example"]);
  });

  it("upgrades a merged profile that only knows *independent when one of its emails maps to a company", () => {
    const a = profile(1, { emails: ["a@gmail.example"] });
    const b = profile(2, { emails: ["a@northwind.example"] });
    expect(mergeProfiles([a, b], index).companies).toEqual([{ company_name: "Northwind", end_date: 0 }]);
  });
});

describe("ProfileBook.resolve: identity across sources", () => {
  it("finds the same profile for every key of one person (all keys lead to one seq)", () => {
    const book = new ProfileBook([profile(1, { emails: ["a@x.example"], gerrit_id: "ga", launchpad_id: "la" })]);
    for (const author of [{ email: "A@X.example" }, { gerrit_id: "ga" }, { launchpad_id: "la" }, { email: "a@x.example", gerrit_id: "ga" }]) {
      expect(book.resolve(author, index).seq).toBe(1);
    }
    expect(book.changes().upserted).toEqual([]);
  });

  it("blueprint then review: the Launchpad profile learns the review's email and Gerrit id", () => {
    const book = new ProfileBook([]);
    const fromBlueprint = book.resolve({ launchpad_id: "jdoe" }, index);
    const fromReview = book.resolve({ launchpad_id: "jdoe", gerrit_id: "jd", email: "jdoe@northwind.example", name: "John Doe" }, index);
    expect(fromReview.seq).toBe(fromBlueprint.seq);
    expect(fromReview).toMatchObject({ user_id: "jdoe", emails: ["jdoe@northwind.example"], gerrit_id: "jd", companies: [{ company_name: "Northwind", end_date: 0 }] });
    expect(book.changes().upserted).toHaveLength(1);
  });

  it("email then review: one profile with the Gerrit id", () => {
    const book = new ProfileBook([]);
    const mail = book.resolve({ email: "sam@gmail.example", name: "Sam" }, index);
    const review = book.resolve({ email: "sam@gmail.example", gerrit_id: "sam" }, index);
    expect(review.seq).toBe(mail.seq);
    expect(review.gerrit_id).toBe("sam");
  });

  it("commit, review from another email, then a record tying both: one profile with both emails, the other removed", () => {
    const book = new ProfileBook([profile(4, { user_id: "kim@northwind.example", emails: ["kim@northwind.example"], companies: [{ company_name: "Northwind", end_date: 0 }] })]);
    const review = book.resolve({ email: "kim@gmail.example", gerrit_id: "kim" }, index);
    expect(review.seq).toBeLessThan(0);
    const tie = book.resolve({ email: "kim@northwind.example", gerrit_id: "kim" }, index);
    expect(tie.seq).toBe(4);
    expect(tie.emails).toEqual(["kim@northwind.example", "kim@gmail.example"]);
    expect(tie.gerrit_id).toBe("kim");
    expect(book.survivorOf(review.seq)).toBe(4);
    expect(book.findByKeys(authorKeys({ email: "kim@gmail.example" })).map((p) => p.seq)).toEqual([4]);
    const changes = book.changes();
    expect(changes.upserted.map((p) => p.seq)).toEqual([4]);
    expect([...changes.removed]).toEqual([[review.seq, 4]]);
  });

  it("merges two stored profiles into the older one and asks for their records to be re-attributed", () => {
    const book = new ProfileBook([
      profile(10, { emails: ["lee@gmail.example"] }),
      profile(12, { gerrit_id: "lee", user_id: "gerrit:lee", companies: [{ company_name: "Southgate", end_date: 0 }] }),
    ]);
    const merged = book.resolve({ email: "lee@gmail.example", gerrit_id: "lee" }, index);
    expect(merged).toMatchObject({ seq: 10, user_id: "user-10", emails: ["lee@gmail.example"], gerrit_id: "lee", companies: [{ company_name: "Southgate", end_date: 0 }] });
    const changes = book.changes();
    expect([...changes.removed]).toEqual([[12, 10]]);
    expect([...changes.reattribute]).toEqual([10]);
  });

  it("never merges two config profiles: the one found by email wins", () => {
    const book = new ProfileBook([
      profile(1, { static: true, emails: ["ann@northwind.example"] }),
      profile(2, { static: true, gerrit_id: "bob" }),
    ]);
    expect(book.resolve({ email: "ann@northwind.example", gerrit_id: "bob" }, index).seq).toBe(1);
    expect(book.changes().removed.size).toBe(0);
  });

  it("does not take a key that leads to another profile", () => {
    const book = new ProfileBook([profile(1, { static: true, emails: ["ann@northwind.example"], gerrit_id: "ann" }), profile(2, { static: true, gerrit_id: "bob" })]);
    const ann = book.resolve({ email: "ann@northwind.example", github_id: "ann-gh" }, index);
    expect(ann.github_id).toBe("ann-gh");
    expect(ann.gerrit_id).toBe("ann");
  });
});

describe("ProfileBook.syncConfig: the config's users become static profiles", () => {
  const engine = compileDefaultData(smallConfig());

  it("takes over a profile the engine made up: config name and history win, learned emails and ids stay", () => {
    const made = profile(5, { user_id: "ada@northwind.example", user_name: "ada", emails: ["ada@northwind.example", "ada@laptop.example"], gerrit_id: "ada" });
    const book = new ProfileBook([made]);
    book.syncConfig(engine.users, engine.companies);
    const { upserted, reattribute } = book.changes();
    expect(upserted).toEqual([
      {
        seq: 5,
        user_id: "ada-marsh",
        user_name: "Ada Marsh",
        emails: ["ada@northwind.example", "ada.marsh@home.example", "ada@laptop.example"],
        launchpad_id: "ada-marsh",
        gerrit_id: "ada",
        github_id: null,
        zanata_id: null,
        companies: [
          { company_name: "Northwind", end_date: at("2024-02-10") },
          { company_name: "Southgate", end_date: 0 },
        ],
        static: true,
      },
    ]);
    expect([...reattribute]).toEqual([5]);
  });

  it("merges every profile the user's keys lead to", () => {
    const book = new ProfileBook([profile(5, { emails: ["ada@northwind.example"] }), profile(6, { launchpad_id: "ada-marsh", user_id: "ada-marsh" })]);
    book.syncConfig(engine.users, engine.companies);
    const changes = book.changes();
    expect(changes.upserted.map((p) => p.seq)).toEqual([5]);
    expect([...changes.removed]).toEqual([[6, 5]]);
  });

  it("creates the profile of a user never seen, and leaves an unchanged one alone", () => {
    const book = new ProfileBook([]);
    book.syncConfig(engine.users, engine.companies);
    const [created] = book.changes().upserted;
    expect(created).toMatchObject({ user_id: "ada-marsh", static: true });
    expect(created!.seq).toBeLessThan(0);

    const again = new ProfileBook([{ ...created!, seq: 1 }]);
    again.syncConfig(engine.users, engine.companies);
    expect(again.changes()).toEqual({ upserted: [], removed: new Map(), reattribute: new Set() });
  });

  it("makes a profile the config no longer lists an ordinary one", () => {
    const gone = profile(9, { static: true, user_id: "old-timer", emails: ["old@southgate.example"] });
    const book = new ProfileBook([gone]);
    book.syncConfig(engine.users, engine.companies);
    const changes = book.changes();
    expect(changes.upserted.find((p) => p.seq === 9)).toMatchObject({ static: false });
    expect(changes.reattribute.has(9)).toBe(true);
  });

  it("moves an email the config now lists under another user, without merging the two people", () => {
    const config = smallConfig();
    config.users.push({ user_name: "Bo Lind", emails: ["bo@southgate.example"], launchpad_id: "bo-lind", companies: [{ company_name: "Southgate", end_date: null }] });
    const v1 = compileDefaultData(config);
    const book = new ProfileBook([]);
    book.syncConfig(v1.users, v1.companies);
    const stored = book.changes().upserted.map((p, i) => ({ ...p, seq: i + 1 }));

    config.users[0]!.emails = ["ada@northwind.example"];
    config.users[1]!.emails = ["bo@southgate.example", "ada.marsh@home.example"];
    const v2 = compileDefaultData(config);
    const next = new ProfileBook(stored);
    next.syncConfig(v2.users, v2.companies);
    const changes = next.changes();
    expect(changes.removed.size).toBe(0);
    const bySeq = new Map(changes.upserted.map((p) => [p.user_id, p]));
    expect(bySeq.get("ada-marsh")!.emails).toEqual(["ada@northwind.example"]);
    expect(bySeq.get("bo-lind")!.emails).toEqual(["bo@southgate.example", "ada.marsh@home.example"]);
    expect(next.findByKeys(authorKeys({ email: "ada.marsh@home.example" })).map((p) => p.user_id)).toEqual(["bo-lind"]);
  });
});
