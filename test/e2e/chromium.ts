// Finds Debian's Chromium (or CHROMIUM_PATH): the e2e tests drive it with playwright-core and never
// download a browser.
import { existsSync } from "node:fs";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];

export function findChromium(): { path: string } | { missing: string } {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? { path: configured } : { missing: `CHROMIUM_PATH=${configured} does not exist` };
  const found = CANDIDATES.find((p) => existsSync(p));
  return found ? { path: found } : { missing: `no Chromium at ${CANDIDATES.join(", ")} (apt-get install -y chromium, or set CHROMIUM_PATH)` };
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
