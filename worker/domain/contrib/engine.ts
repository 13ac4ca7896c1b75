// A loaded default_data.json, compiled into the indexes the engine looks things up in.
import type { DefaultData } from "../../../schemas/contrib/default-data";
import { affiliationsOfConfigUser } from "./affiliation";
import { type CompanyIndex, buildCompanyIndex } from "./companies";
import { type ModuleGroup, type ProjectTypeNode, buildModuleAliases, buildModuleGroups, buildProjectTypes } from "./modules";
import type { ConfigProfile } from "./profiles";
import { type Release, normalizeReleases } from "./releases";

export interface Engine {
  /** The document itself, for what the processor follows (repos, project sources, mail lists). */
  config: DefaultData;
  readonly companies: CompanyIndex;
  releases: Release[];
  readonly users: ConfigProfile[];
  moduleGroups: Map<string, ModuleGroup>;
  moduleAliases: Map<string, string>;
  projectTypes: ProjectTypeNode[];
  /**
   * What records' attribution depends on besides their profile, to tell which records a new
   * config version can move: the company index (made-up profiles follow email domains), and the
   * releases with the module aliases (every record).
   */
  readonly fingerprints: { companies: string; releasesAndModules: string };
}

/**
 * Stackalytics' normaliser: user_id derived, emails lower-cased, histories in normal form. The
 * company index, the users and the fingerprints are made at their first use: a read answer
 * without a company filter needs none of them, and they are most of compiling a config
 * (bench:contrib-api's, in Node: the index alone 1.9 ms of a first compile's 2.8, its Unicode
 * regular expressions compiled on their first use).
 */
export function compileDefaultData(data: DefaultData): Engine {
  const releases = normalizeReleases(data.releases);
  const moduleAliases = buildModuleAliases(data.repos);
  let companyIndex: CompanyIndex | undefined;
  const companies = () => (companyIndex ??= buildCompanyIndex(data.companies));
  let users: ConfigProfile[] | undefined;
  let fingerprints: Engine["fingerprints"] | undefined;
  return {
    config: data,
    get companies() {
      return companies();
    },
    releases,
    get users() {
      users ??= data.users.map((u) => {
        const emails = [...new Set(u.emails.map((e) => e.toLowerCase()))];
        return {
          user_id: u.launchpad_id ?? emails[0]!,
          user_name: u.user_name,
          emails,
          launchpad_id: u.launchpad_id ?? null,
          gerrit_id: u.gerrit_id ?? null,
          github_id: u.github_id ?? null,
          zanata_id: u.zanata_id ?? null,
          companies: affiliationsOfConfigUser(u, companies()),
        };
      });
      return users;
    },
    moduleGroups: buildModuleGroups(data),
    moduleAliases,
    projectTypes: buildProjectTypes(data.project_types),
    get fingerprints() {
      fingerprints ??= {
        companies: JSON.stringify([[...companies().byDomain], [...companies().byName]]),
        releasesAndModules: JSON.stringify([releases, [...moduleAliases]]),
      };
      return fingerprints;
    },
  };
}

/** The engine before any config is loaded: everyone is `*independent`, there are no releases. */
export const EMPTY_ENGINE: Engine = compileDefaultData({ users: [], companies: [], releases: [], repos: [], project_types: [] });

