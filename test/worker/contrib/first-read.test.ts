// An isolate's first read answer reads the versions, the config's text and the modules with records
// in one batch (findFirstRead); it must give what the three separate reads give.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { findReadVersions, readConfigDocument } from "../../../worker/db/contrib";
import { findFirstRead, listModulesPresent } from "../../../worker/db/contrib-stats";
import { smallConfig } from "../../unit/contrib/fixtures";
import { loadConfig, postRecords, resetAll } from "./helpers";

const db = () => env.CONTRIB_DB;

const vote = (key: string, module: string) => ({
  primary_key: key,
  record_type: "mark" as const,
  date: Math.floor(Date.now() / 1000) - 86_400,
  author_email: "ada@northwind.example",
  module,
  branch: "master",
  type: "Code-Review",
  value: 1,
  review_id: `I${key}`,
  patch: 1,
});

beforeEach(resetAll);

describe("findFirstRead", () => {
  it("before any config or record: the empty versions, no text, no modules", async () => {
    expect(await findFirstRead(db())).toEqual({ versions: await findReadVersions(db()), defaultDataText: null, modulesPresent: [] });
  });

  it("gives the versions, the config in force and the modules with records as the separate reads do", async () => {
    await loadConfig(smallConfig());
    await postRecords([vote("a1", "core"), vote("a2", "docs"), vote("a3", "core")]);
    const first = await findFirstRead(db());
    const versions = await findReadVersions(db());
    expect(first.versions).toEqual(versions);
    expect(first.defaultDataText).toBe(await readConfigDocument(db(), versions.defaultData!.id));
    expect(first.modulesPresent).toEqual(await listModulesPresent(db()));
    expect(first.modulesPresent).toEqual(["core", "docs"]);
  });

  it("joins a config stored in several parts in their order, and takes the newest config", async () => {
    await loadConfig(smallConfig());
    const large = smallConfig();
    for (let i = 0; i < 3000; i++) large.users.push({ user_name: `Person ${i}`, emails: [`person.${i}@example.org`], companies: [{ company_name: "Northwind", end_date: null }] });
    await loadConfig(large);
    const first = await findFirstRead(db());
    expect(first.defaultDataText!.length).toBeGreaterThan(256 * 1024);
    expect(JSON.parse(first.defaultDataText!).users).toHaveLength(large.users.length);
    expect(first.defaultDataText).toBe(await readConfigDocument(db(), first.versions.defaultData!.id));
  });
});
