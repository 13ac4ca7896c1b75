import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BLOCK, tarEnd, tarHeader, tarPadding } from "../../../worker/bundles/tar";

describe("tar", () => {
  it("writes archives that GNU tar lists and extracts byte for byte", () => {
    const files = { "clusters.csv": "a,b\r\n1,ü\r\n", "empty.csv": "", "block.csv": "x".repeat(BLOCK) };
    const parts: Uint8Array[] = [];
    for (const [name, text] of Object.entries(files)) {
      const bytes = new TextEncoder().encode(text);
      parts.push(tarHeader(name, bytes.length, 1_800_000_000), bytes, tarPadding(bytes.length));
    }
    parts.push(tarEnd());
    const archive = Buffer.concat(parts);
    expect(archive.length % BLOCK).toBe(0);
    const dir = mkdtempSync(path.join(tmpdir(), "edgestats-tar-"));
    writeFileSync(path.join(dir, "a.tar.gz"), gzipSync(archive));
    const listing = execFileSync("tar", ["-tvzf", "a.tar.gz"], { cwd: dir, encoding: "utf8" });
    expect(listing.split("\n").filter(Boolean).map((l) => l.split(/\s+/).at(-1))).toEqual(Object.keys(files));
    expect(listing).toContain("edgestats/edgestats");
    // The entries' mtime (1_800_000_000) is in 2027: GNU tar would warn that it is in the future.
    execFileSync("tar", ["--warning=no-timestamp", "-xzf", "a.tar.gz"], { cwd: dir });
    for (const [name, text] of Object.entries(files)) {
      expect(execFileSync("cat", [name], { cwd: dir, encoding: "utf8" })).toBe(text);
    }
  });

  it("pads to whole blocks and refuses names too long for a ustar header", () => {
    expect(tarPadding(0).length).toBe(0);
    expect(tarPadding(1).length).toBe(511);
    expect(tarPadding(512).length).toBe(0);
    expect(() => tarHeader("x".repeat(101), 1, 0)).toThrow(/does not fit/);
  });
});
