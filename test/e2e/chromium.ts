// Finds Debian's Chromium (or CHROMIUM_PATH): the e2e tests drive it with playwright-core and never
// download a browser.
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "vitest";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];
const NAMES_ON_PATH = ["chromium", "chromium-browser"];

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * CHROMIUM_PATH if set (an error if it is not an executable: a wrong setting must not pass as "no
 * browser"), else the first of the Debian paths, else `chromium` or `chromium-browser` on PATH.
 */
export function findChromium(
  env: Record<string, string | undefined> = process.env,
  candidates: readonly string[] = CANDIDATES,
): { path: string } | { missing: string } | { error: string } {
  const configured = env.CHROMIUM_PATH;
  if (configured) return executable(configured) ? { path: configured } : { error: `CHROMIUM_PATH=${configured} is not an executable file` };
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const onPath = NAMES_ON_PATH.flatMap((name) => dirs.map((dir) => path.join(dir, name)));
  const found = [...candidates, ...onPath].find(executable);
  return found
    ? { path: found }
    : { missing: `no Chromium at ${candidates.join(", ")} nor ${NAMES_ON_PATH.join(" or ")} on PATH (apt-get install -y chromium, or set CHROMIUM_PATH)` };
}

/** Flags for a headless run on a CI box: no sandbox (root), nothing that reaches the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/**
 * The Chromium for the browser tests of `suite`, or null after registering what its absence means:
 * a wrong CHROMIUM_PATH always fails; no browser at all is a skip on a developer's machine, and a
 * failure under CI=true, where the browser tests must run.
 */
export function chromiumFor(suite: string): string | null {
  const found = findChromium();
  if ("path" in found) return found.path;
  const reason = "error" in found ? found.error : found.missing;
  describe(suite, () => {
    if ("error" in found || process.env.CI === "true") {
      it("has a Chromium to drive", () => {
        throw new Error(`the browser tests need Chromium: ${reason}`);
      });
    } else {
      it.skip(`skipped: the browser tests need Chromium: ${reason}`, () => {});
    }
  });
  return null;
}
