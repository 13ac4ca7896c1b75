import { describe, expect, it } from "vitest";
import { compileDefaultData } from "../../../worker/domain/contrib/engine";
import { buildModuleGroups, canonicalModule, expandModules, expandProjectType } from "../../../worker/domain/contrib/modules";
import { exampleConfig } from "./example-config";

const asObject = (m: Map<string, Set<string>> | null) => (m ? Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()])) : null);

describe("module groups", () => {
  const engine = compileDefaultData(exampleConfig());

  it("have one group per repo, the custom groups, one per organization, and unknown", () => {
    const groups = engine.moduleGroups;
    expect(groups.get("compute")).toEqual({ id: "compute", module_group_name: "compute", tag: "module", modules: ["compute"] });
    expect(groups.get("core-group")).toMatchObject({ tag: "group", modules: ["compute", "storage", "network", "identity"] });
    expect(groups.get("infra-group")).toMatchObject({ tag: "organization", module_group_name: "Cumulus Infrastructure", modules: ["pipeline-jobs", "ci-config"] });
    expect(groups.get("cumulus")).toMatchObject({ tag: "organization", module_group_name: "Cumulus" });
    expect(groups.get("unknown")).toMatchObject({ modules: ["unknown"] });
  });

  it("rename old module names through repo aliases", () => {
    expect(canonicalModule(engine.moduleAliases, "netd")).toBe("network");
    expect(canonicalModule(engine.moduleAliases, "Ceph-Driver")).toBe("storage-plugin-ceph");
    expect(canonicalModule(engine.moduleAliases, "compute")).toBe("compute");
  });
});

describe("(module, release) resolution", () => {
  const engine = compileDefaultData(exampleConfig());

  it("expands a project type through nested groups for every release asked", () => {
    expect(asObject(expandProjectType(engine.projectTypes, engine.moduleGroups, "cumulus-clients", ["elm", "fir"]))).toEqual({
      "cumulus-client": ["elm", "fir"],
      "terraform-provider-cumulus": ["elm", "fir"],
    });
    const all = expandProjectType(engine.projectTypes, engine.moduleGroups, "all", ["fir"])!;
    expect([...all.keys()].sort()).toEqual(
      ["ci-config", "compute", "cumulus-client", "dashboard", "docs", "identity", "network", "network-plugin-ovn", "pipeline-jobs", "storage", "storage-plugin-ceph", "terraform-provider-cumulus", "unknown"].sort(),
    );
  });

  it("ties each child project type to the top-level entry before it", () => {
    const byId = new Map(engine.projectTypes.map((t) => [t.id, t]));
    expect(byId.get("all")).toMatchObject({ child: false, parent: null });
    expect(byId.get("cumulus-infra")).toMatchObject({ child: true, parent: "all" });
    expect(byId.get("plugins:storage")).toMatchObject({ child: true, parent: "plugins" });
  });

  it("answers null for an unknown project type", () => {
    expect(expandProjectType(engine.projectTypes, engine.moduleGroups, "nope", ["fir"])).toBeNull();
  });

  it("gives a module of a per-release group only for the releases it belongs to in", () => {
    const groups = buildModuleGroups({ repos: [] });
    groups.set("official", {
      id: "official",
      module_group_name: "Official",
      tag: "program",
      modules: [],
      releases: { elm: ["compute", "storage"], fir: ["compute", "network"] },
    });
    expect(asObject(expandModules(groups, ["official"], ["elm", "fir", "ginkgo"]))).toEqual({
      compute: ["elm", "fir"],
      storage: ["elm"],
      network: ["fir"],
    });
  });

  it("takes an id that is no group as a module, and survives a cycle of groups", () => {
    const groups = buildModuleGroups({ repos: [] });
    groups.set("a", { id: "a", module_group_name: "a", tag: "group", modules: ["b", "x"] });
    groups.set("b", { id: "b", module_group_name: "b", tag: "group", modules: ["a", "y"] });
    expect(asObject(expandModules(groups, ["a", "Loose"], ["r"]))).toEqual({ x: ["r"], y: ["r"], loose: ["r"] });
  });
});
