import { describe, expect, it } from "vitest";
import { compileDefaultData } from "../../../worker/domain/contrib/engine";
import { ProfileBook } from "../../../worker/domain/contrib/profiles";
import { authorOf, isCounted, processRecord, sameRecord, totalsDeltas } from "../../../worker/domain/contrib/records";
import { zeroMeasures } from "../../../worker/domain/contrib/metrics";
import { exampleConfig } from "./example-config";
import { at, rawRecord, smallConfig } from "./fixtures";

describe("compileDefaultData (the normaliser)", () => {
  it("derives user_id, lower-cases emails and appends an open *independent to ended histories", () => {
    const engine = compileDefaultData(exampleConfig());
    const emeka = engine.users.find((u) => u.user_id === "emeka-eze")!;
    expect(emeka.companies.at(-1)).toEqual({ company_name: "*independent", end_date: 0 });
    const zoe = engine.users.find((u) => u.github_id === "zoe-tran")!;
    expect(zoe.user_id).toBe("zoe.tran@mailbox.example");
    expect(engine.users.every((u) => u.companies.at(-1)!.end_date === 0)).toBe(true);
    expect(engine.releases[0]).toEqual({ release_name: "prehistory", end_date: at("2011-01-01") });
  });

  it("resolves users' company aliases to canonical names", () => {
    const engine = compileDefaultData(exampleConfig());
    expect(engine.users.find((u) => u.user_id === "greta-muller")!.companies).toEqual([{ company_name: "Borealis Networks", end_date: 0 }]);
    expect(engine.users.find((u) => u.user_id === "ikaika-kahale")!.companies).toEqual([{ company_name: "*independent", end_date: 0 }]);
  });
});

describe("processRecord", () => {
  const engine = compileDefaultData(smallConfig());
  const book = new ProfileBook([]);
  book.syncConfig(engine.users, engine.companies);
  const ada = book.changes().upserted[0]!;

  it("credits a config user's record to the company and release of its date", () => {
    const before = processRecord(engine, rawRecord({ author_email: "ada.marsh@home.example", date: at("2024-02-09T18:00:00Z") }), ada);
    expect(before).toMatchObject({ user_id: "ada-marsh", company_name: "Northwind", release: "alder", day: 19_762, loc: 10 });
    const after = processRecord(engine, rawRecord({ author_email: "ada.marsh@home.example", date: at("2024-02-10T09:00:00Z") }), ada);
    expect(after).toMatchObject({ company_name: "Southgate", release: "alder" });
    const nextRelease = processRecord(engine, rawRecord({ author_email: "ada@northwind.example", date: at("2024-06-01") }), ada);
    expect(nextRelease).toMatchObject({ company_name: "Southgate", release: "birch" });
  });

  it("keeps a release the source knew (a tag range) over the date", () => {
    expect(processRecord(engine, rawRecord({ author_email: "ada@northwind.example", release: "Birch", date: at("2024-03-01") }), ada).release).toBe("birch");
  });

  it("overlays the record's correction, whatever the engine says", () => {
    const raw = rawRecord({ author_email: "ada@northwind.example", loc: 12_000 });
    const corrected = processRecord(engine, raw, ada, { primary_key: raw.primary_key, correction_comment: "generated", loc: 0, company_name: "Westfield" });
    expect(corrected).toMatchObject({ loc: 0, company_name: "Westfield" });
    expect(corrected.fields.correction_comment).toBe("generated");
  });

  it("takes the author's name from the record, else the profile", () => {
    expect(processRecord(engine, rawRecord({ author_email: "ada@northwind.example", author_name: " A. Marsh " }), ada).author_name).toBe("A. Marsh");
    expect(processRecord(engine, rawRecord({ author_email: "ada@northwind.example" }), ada).author_name).toBe("Ada Marsh");
  });

  it("renames a module through the repos' aliases", () => {
    const withAlias = compileDefaultData(smallConfig({ repos: [{ uri: "u", module: "core", organization: "demo", aliases: ["kernel"] }] }));
    expect(processRecord(withAlias, rawRecord({ author_email: "ada@northwind.example", module: "Kernel" }), ada).module).toBe("core");
  });

  it("does not count commits of *robots, but counts their reviews", () => {
    const bot = { ...ada, static: false, companies: [{ company_name: "*robots", end_date: 0 }] };
    expect(isCounted(processRecord(engine, rawRecord({ author_email: "ci@bots.example" }), bot))).toBe(false);
    expect(isCounted(processRecord(engine, rawRecord({ author_email: "ci@bots.example", record_type: "review" }), bot))).toBe(true);
  });

  it("maps a record's author fields", () => {
    expect(authorOf(rawRecord({ author_email: "e@x.example", gerrit_id: "g" }))).toEqual({
      email: "e@x.example", name: null, launchpad_id: null, gerrit_id: "g", github_id: null, zanata_id: null,
    });
  });
});

describe("totalsDeltas", () => {
  const engine = compileDefaultData(smallConfig());
  const book = new ProfileBook([]);
  book.syncConfig(engine.users, engine.companies);
  const ada = book.changes().upserted[0]!;
  const raw = rawRecord({ author_email: "ada@northwind.example", date: at("2024-02-12"), loc: 7 });
  const asSouthgate = processRecord(engine, raw, ada);
  const asNorthwind = processRecord(engine, raw, { ...ada, companies: [{ company_name: "Northwind", end_date: 0 }] });

  it("adds a new record once", () => {
    expect(totalsDeltas([{ before: null, after: asSouthgate }])).toEqual([
      { day: asSouthgate.day, release: "alder", module: "core", company_name: "Southgate", user_id: "ada-marsh", record_type: "commit", ...zeroMeasures(), records: 1, loc: 7 },
    ]);
  });

  it("moves a re-attributed record from one company to the other", () => {
    const deltas = totalsDeltas([{ before: asSouthgate, after: asNorthwind }]);
    expect(deltas.map((d) => [d.company_name, d.records, d.loc])).toEqual([
      ["Southgate", -1, -7],
      ["Northwind", 1, 7],
    ]);
  });

  it("leaves out keys whose change nets to zero", () => {
    expect(totalsDeltas([{ before: asSouthgate, after: asSouthgate }])).toEqual([]);
    expect(sameRecord(asSouthgate, processRecord(engine, raw, ada))).toBe(true);
    expect(sameRecord(asSouthgate, asNorthwind)).toBe(false);
  });
});
