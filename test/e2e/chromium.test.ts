// Where the browser tests look for Chromium: a wrong CHROMIUM_PATH is an error, not "no browser",
// and a chromium on PATH is found as well as Debian's.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findChromium } from "./chromium";

describe("findChromium", () => {
  let dir: string;
  const fakeBrowser = (name: string, mode = 0o755) => {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, "#!/bin/sh\n");
    chmodSync(p, mode);
    return p;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "edgestats-chromium-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("uses CHROMIUM_PATH when it names an executable", () => {
    const browser = fakeBrowser("my-chromium");
    expect(findChromium({ CHROMIUM_PATH: browser }, [])).toEqual({ path: browser });
  });

  it("refuses a CHROMIUM_PATH that does not exist, or is not executable, as an error rather than a missing browser", () => {
    const gone = path.join(dir, "nowhere/chromium");
    expect(findChromium({ CHROMIUM_PATH: gone, PATH: dir }, [])).toEqual({ error: `CHROMIUM_PATH=${gone} is not an executable file` });
    const plain = fakeBrowser("plain", 0o644);
    expect(findChromium({ CHROMIUM_PATH: plain }, [])).toEqual({ error: `CHROMIUM_PATH=${plain} is not an executable file` });
  });

  it("finds chromium or chromium-browser on PATH outside the Debian paths", () => {
    const bin = path.join(dir, "bin");
    const browser = fakeBrowser("bin/chromium-browser");
    expect(findChromium({ PATH: ["/nonexistent", bin].join(path.delimiter) }, [])).toEqual({ path: browser });
  });

  it("prefers the Debian paths to PATH", () => {
    const debian = fakeBrowser("usr/bin/chromium");
    fakeBrowser("bin/chromium");
    expect(findChromium({ PATH: path.join(dir, "bin") }, [debian])).toEqual({ path: debian });
  });

  it("says where it looked when there is no browser, and ignores a non-executable file on PATH", () => {
    fakeBrowser("bin/chromium", 0o644);
    const found = findChromium({ PATH: path.join(dir, "bin") }, [path.join(dir, "usr/bin/chromium")]);
    expect(found).toEqual({ missing: expect.stringContaining(`no Chromium at ${path.join(dir, "usr/bin/chromium")} nor chromium or chromium-browser on PATH`) });
  });
});
