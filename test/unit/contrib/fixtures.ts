// Small configs and factories for the engine's tests, in Node and in workerd (our own data).
import type { DefaultData } from "../../../schemas/contrib/default-data";
import type { RawRecord } from "../../../schemas/contrib/records";

/** A minimal valid config: two companies, three releases, one repo, one user who changed jobs. */
export function smallConfig(overrides: Partial<DefaultData> = {}): DefaultData {
  return {
    users: [
      {
        user_name: "Ada Marsh",
        emails: ["ada@northwind.example", "ada.marsh@home.example"],
        launchpad_id: "ada-marsh",
        companies: [
          { company_name: "Northwind", end_date: "2024-Feb-10" },
          { company_name: "Southgate, Inc.", end_date: null },
        ],
      },
    ],
    companies: [
      { company_name: "Northwind", domains: ["northwind.example"] },
      { company_name: "Southgate", domains: ["southgate.example"], aliases: ["Southgate, Inc."] },
    ],
    releases: [
      { release_name: "prehistory", end_date: "2011-Jan-01" },
      { release_name: "Alder", end_date: "2024-Apr-03" },
      { release_name: "Birch", end_date: "2024-Oct-02" },
    ],
    repos: [{ uri: "https://git.example/demo/core.git", module: "core", organization: "demo" }],
    project_types: [{ id: "all", title: "All", modules: ["core"] }],
    ...overrides,
  };
}

/** Seconds of a UTC date and time. */
export const at = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / 1000;

let n = 0;
export function rawRecord(overrides: Partial<RawRecord> = {}): RawRecord {
  return { primary_key: `rec-${++n}`, record_type: "commit", date: at("2024-03-01T12:00:00Z"), module: "core", loc: 10, ...overrides };
}
