import { describe, expect, it } from "vitest";
import { type DiscoveredRepo, forgeOf, gerritBase, planSources } from "../../../../worker/domain/contrib/sources/plan";
import { smallConfig } from "../fixtures";

const DEFAULT_GERRIT = "gerrit://review.opendev.org";
const ids = (config = smallConfig(), discovered = new Map<string, DiscoveredRepo[]>()) => planSources(config, discovered, DEFAULT_GERRIT).map((s) => s.id);

describe("gerritBase and forgeOf", () => {
  it("reads a gerrit:// address over HTTPS without its SSH port, and keeps a web address as it is", () => {
    expect(gerritBase("gerrit://review.opendev.org:29418")).toBe("https://review.opendev.org");
    expect(gerritBase("gerrit://review.example")).toBe("https://review.example");
    expect(gerritBase("http://127.0.0.1:8793/")).toBe("http://127.0.0.1:8793");
  });

  it("takes GitHub's API for github.com, Gitea's for any other http(s) host, and none for git:// or ssh", () => {
    expect(forgeOf("https://github.com/org/repo.git")).toEqual({ forge: "github", api: "https://api.github.com", owner: "org", repo: "repo" });
    expect(forgeOf("https://opendev.org/openstack/nova.git")).toEqual({ forge: "gitea", api: "https://opendev.org/api/v1", owner: "openstack", repo: "nova" });
    expect(forgeOf("git://git.example/org/repo.git")).toBeNull();
    expect(forgeOf("ssh://git@example/org/repo")).toBeNull();
    expect(forgeOf("not a url")).toBeNull();
  });
});

describe("planSources", () => {
  it("follows a repo's commits and reviews on its default branch and on each branch its releases name", () => {
    const config = smallConfig({
      repos: [
        {
          uri: "https://opendev.org/openstack/nova.git",
          module: "nova",
          organization: "openstack",
          gerrit_uri: "gerrit://review.opendev.org:29418",
          default_branch: "main",
          releases: [{ release_name: "Birch", tag_from: "1.0", tag_to: "HEAD", branch: "stable/birch" }],
        },
      ],
    });
    expect(ids(config).sort()).toEqual([
      "gerrit:https://review.opendev.org:openstack/nova:main",
      "gerrit:https://review.opendev.org:openstack/nova:stable/birch",
      "git-tags:https://opendev.org/openstack/nova.git:birch:1.0..HEAD@stable/birch",
      "git:https://opendev.org/openstack/nova.git:main",
      "git:https://opendev.org/openstack/nova.git:stable/birch",
    ]);
  });

  it("follows a repo's Launchpad name and its old names, each once, and nothing for launchpad_name null", () => {
    const config = smallConfig({
      repos: [
        { uri: "git://x/openstack/sahara.git", module: "sahara", organization: "openstack", launchpad_name: "sahara", aliases: ["savanna"] },
        { uri: "git://x/openstack/sahara-ui.git", module: "sahara-ui", organization: "openstack", launchpad_name: "sahara" },
        { uri: "git://x/openstack/docs.git", module: "docs", organization: "openstack", launchpad_name: null },
      ],
    });
    expect(ids(config)).toEqual(["launchpad-bugs:sahara", "launchpad-blueprints:sahara", "launchpad-bugs:savanna", "launchpad-blueprints:savanna"]);
  });

  it("reads a list under /pipermail/ as Mailman 2 and one under /archives/list/ as Mailman 3", () => {
    const specs = planSources(
      smallConfig({ mail_lists: ["https://lists.example/pipermail/dev/", "https://lists.example/archives/list/dev@lists.example/"] }),
      new Map(),
      DEFAULT_GERRIT,
    ).filter((s) => s.kind === "pipermail" || s.kind === "hyperkitty");
    expect(specs.map((s) => [s.kind, s.target])).toEqual([
      ["pipermail", { url: "https://lists.example/pipermail/dev/", list: "dev", modules: ["core"] }],
      ["hyperkitty", { url: "https://lists.example/archives/list/dev@lists.example/", list: "dev", modules: ["core"] }],
    ]);
  });

  it("follows what a project source discovered, fills in a listed repo's Gerrit, and leaves out deb-* and excluded repos", () => {
    const config = smallConfig({
      repos: [{ uri: "https://git.example/harbor/ferry.git", module: "ferry", organization: "harbor", default_branch: "main" }],
      project_sources: [{ organization: "harbor", uri: "gerrit://review.example:29418", git_base_uri: "https://git.example", exclude: ["sandbox"] }],
    });
    const found: DiscoveredRepo[] = ["harbor/ferry", "harbor/dock", "harbor/deb-dock", "harbor/sandbox"].map((name) => ({ name, uri: `https://git.example/${name}.git`, defaultBranch: null }));
    const discovered = new Map([["projects:gerrit://review.example:29418:harbor", found]]);
    expect(ids(config, discovered).sort()).toEqual([
      "gerrit:https://review.example:harbor/dock:master",
      "gerrit:https://review.example:harbor/ferry:main",
      "git:https://git.example/harbor/dock.git:master",
      "git:https://git.example/harbor/ferry.git:main",
      "launchpad-blueprints:dock",
      "launchpad-blueprints:ferry",
      "launchpad-bugs:dock",
      "launchpad-bugs:ferry",
      "projects:gerrit://review.example:29418:harbor",
    ]);
  });
});
