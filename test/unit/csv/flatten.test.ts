import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cellText, columnName, compilePaths, csvLine, flatten, type KeyPath, keyPaths, valueAt, writeCells } from "../../../worker/csv/flatten";
import { layoutOf } from "../../../worker/csv/layout";
import { count, leaf, listOf } from "../../../worker/csv/skeleton";
import { parseCsv } from "./parse-csv";

const columns = (skeleton: Parameters<typeof keyPaths>[0]) => keyPaths(skeleton).map(columnName);

describe("keyPaths", () => {
  it("joins keys with dots and sorts them by code point, whatever the declared order", () => {
    expect(columns({ b: leaf, a: { z: leaf, Y: leaf }, "a-b": leaf, a_b: leaf })).toEqual(["a.Y", "a.z", "a-b", "a_b", "b"]);
  });

  it("repeats a list item five times by default, or as often as declared", () => {
    expect(columns({ roles: listOf(leaf) })).toEqual(["roles.0", "roles.1", "roles.2", "roles.3", "roles.4"]);
    expect(columns({ disks: listOf({ size: leaf, name: leaf }, 2) })).toEqual(["disks.0.name", "disks.0.size", "disks.1.name", "disks.1.size"]);
  });

  it("names an aggregate column after the aggregate", () => {
    expect(columns({ nic_interfaces: count, numa: listOf({ cpus: count }, 1) })).toEqual(["nic_interfaces.count", "numa.0.cpus.count"]);
  });
});

describe("flattening", () => {
  const skeleton = {
    id: leaf,
    roles: listOf(leaf, 3),
    packages: leaf,
    nics: count,
    meta: { disks: listOf({ size: leaf }, 2) },
  };
  const paths = keyPaths(skeleton);
  const row = (data: unknown) => Object.fromEntries(paths.map((p, i) => [columnName(p), flatten(data, paths)[i]]));

  it("reads each path in column order, leaving missing keys, short lists and nulls empty", () => {
    expect(paths.map(columnName)).toEqual(["id", "meta.disks.0.size", "meta.disks.1.size", "nics.count", "packages", "roles.0", "roles.1", "roles.2"]);
    expect(flatten({ id: 7, roles: ["controller"], meta: { disks: [{ size: 10 }] } }, paths)).toEqual(["7", "10", "", "", "", "controller", "", ""]);
    expect(flatten({ id: null, meta: null }, paths)).toEqual(["", "", "", "", "", "", "", ""]);
  });

  it("writes a list without a skeleton as its items joined by spaces", () => {
    expect(row({ packages: ["fuel-nailgun-9.0.0", "fuel-library-9.0.0"] }).packages).toBe("fuel-nailgun-9.0.0 fuel-library-9.0.0");
    expect(row({ packages: [] }).packages).toBe("");
    expect(cellText([1, true, null, "x", { a: 1 }])).toBe('1 True None x {"a":1}');
  });

  it("counts the items of a list (or keys of an object), and leaves a missing one empty", () => {
    expect(row({ nics: [{}, {}, {}] })["nics.count"]).toBe("3");
    expect(row({ nics: [] })["nics.count"]).toBe("0");
    expect(row({ nics: { eth0: {}, eth1: {} } })["nics.count"]).toBe("2");
    expect(row({})["nics.count"]).toBe("");
    expect(row({ nics: 4 })["nics.count"]).toBe("");
  });

  it("gives an empty cell, never an error, for a value of the wrong kind on the path", () => {
    expect(valueAt({ meta: "text" }, ["meta", "disks", 0, "size"])).toBeNull();
    expect(valueAt({ meta: { disks: { 0: { size: 1 } } } }, ["meta", "disks", 0, "size"])).toBeNull();
    expect(valueAt({ roles: { x: 1 } }, ["roles", 0])).toBeNull();
    expect(valueAt([1, 2], ["length"])).toBeNull();
    expect(valueAt({}, ["constructor"])).toBeNull();
  });

  it("writes booleans as Python did (True/False), numbers plainly, objects as JSON", () => {
    expect(cellText(true)).toBe("True");
    expect(cellText(false)).toBe("False");
    expect(cellText(0)).toBe("0");
    expect(cellText(2.5)).toBe("2.5");
    expect(cellText({ b: [1] })).toBe('{"b":[1]}');
    expect(cellText(undefined)).toBe("");
  });
});

describe("csvLine", () => {
  it("ends records with CRLF and quotes only fields that need it", () => {
    expect(csvLine(["a", "", "b c"])).toBe("a,,b c\r\n");
    expect(csvLine(['say "hi"', "x,y", "two\nlines", "cr\r"])).toBe('"say ""hi""","x,y","two\nlines","cr\r"\r\n');
  });

  it("round-trips any text, unicode included, through an RFC 4180 reader", () => {
    const cells = ["эюя", "日本語, テキスト", 'quote " inside', "emoji 🚀\r\nnext line", "", "=1+1", "tab\there"];
    expect(parseCsv(csvLine(cells) + csvLine(["second"]))).toEqual([cells, ["second"]]);
  });
});

describe("flattening along the compiled paths", () => {
  // The oracle: each column read on its own, path by path (valueAt, cellText).
  const oracle = (data: unknown, paths: readonly KeyPath[]) => paths.map((path) => cellText(valueAt(data, path)));
  const reports = ["nodes", "clusters", "plugins", "vm", "keystone_user"] as const;
  // Keys of the reports' own skeletons, so that random objects hit real columns, and a few others.
  const keys = [...new Set(reports.flatMap((r) => layoutOf(r).parts.flatMap((p) => p.paths.flatMap((path) => path.filter((s) => typeof s === "string")))))];
  const key = fc.oneof(fc.constantFrom(...keys, "constructor", "__proto__", "length", "0"), fc.string({ maxLength: 4 }));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(null, true, false, 0, 1.5, "", "a,b", 'say "hi"', "ü\r\n"),
      fc.array(tie("value"), { maxLength: 6 }),
      fc.dictionary(key, tie("value"), { maxKeys: 8 }),
    ),
  }));

  it("writes every report's cells exactly as reading each path on its own does, for any JSON", () => {
    fc.assert(
      fc.property(fc.constantFrom(...reports), value, (report, data) => {
        for (const part of layoutOf(report).parts) expect(flatten(data, part.paths)).toEqual(oracle(data, part.paths));
      }),
      { numRuns: 2000 },
    );
  });

  // Data shaped like the report's own paths (objects with some of their keys, lists of their
  // items, any value in any place), so that deep columns and their aggregates get values.
  interface Shape {
    keys: Map<string, Shape>;
    item: Shape | null;
  }
  const shapeOf = (paths: readonly KeyPath[]): Shape => {
    const root: Shape = { keys: new Map(), item: null };
    for (const path of paths) {
      let shape = root;
      for (const segment of path) {
        if (typeof segment === "string") {
          if (!shape.keys.has(segment)) shape.keys.set(segment, { keys: new Map(), item: null });
          shape = shape.keys.get(segment)!;
        } else if (typeof segment === "number") shape = shape.item ??= { keys: new Map(), item: null };
      }
    }
    return root;
  };
  const primitive = fc.constantFrom<unknown>(null, true, false, 0, 7, 1.5, "", "x", "a,b", 'say "hi"', "ü\r\n");
  const shaped = (shape: Shape): fc.Arbitrary<unknown> => {
    const options: fc.Arbitrary<unknown>[] = [primitive, fc.array(primitive, { maxLength: 3 })];
    if (shape.keys.size > 0) options.push(fc.record(Object.fromEntries([...shape.keys].map(([k, s]) => [k, shaped(s)])), { requiredKeys: [] }));
    if (shape.item) options.push(fc.array(shaped(shape.item), { maxLength: 6 }));
    return fc.oneof(...options);
  };

  for (const report of reports) {
    it(`writes the ${report} report's cells as reading each path on its own does, for data of its shape`, () => {
      for (const part of layoutOf(report).parts) {
        fc.assert(
          fc.property(shaped(shapeOf(part.paths)), (data) => {
            expect(flatten(data, part.paths)).toEqual(oracle(data, part.paths));
          }),
          { numRuns: 200 },
        );
      }
    });
  }

  it("writes a part's cells at its offset and leaves the others alone", () => {
    const paths = keyPaths({ a: leaf, b: listOf({ c: count }, 2) });
    const cells = ["x", "", "", "", "y"];
    writeCells({ a: 1, b: [{ c: [1, 2] }] }, compilePaths(paths), cells, 1);
    expect(cells).toEqual(["x", "1", "2", "", "y"]);
  });
});
