// The environment every project script gives wrangler, workerd and vitest: telemetry off, no
// fetch of Cloudflare's request metadata, no version banner, and wrangler's config and logs kept
// inside the repo. Wrangler 4.86 has no switch for its update check (a request to the npm
// registry); the banner is what makes it on every command, so hiding the banner stops it. It
// still checks when it suggests an upgrade in a warning (a compatibility date newer than its
// runtime, an unknown wrangler.toml field) or after a crash.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const toolEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? path.join(root, ".xdg"),
};

export const bin = {
  wrangler: path.join(root, "node_modules/wrangler/bin/wrangler.js"),
  vite: path.join(root, "node_modules/vite/bin/vite.js"),
  vitest: path.join(root, "node_modules/vitest/vitest.mjs"),
  tsc: path.join(root, "node_modules/typescript/bin/tsc"),
};
