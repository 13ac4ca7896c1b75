// Local secrets live in .dev.vars (git-ignored), which wrangler dev, vitest and `wrangler types`
// read. This creates it with a random ADMIN_TOKEN when it is missing.
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./tool-env.mjs";

export function ensureDevVars() {
  const file = path.join(root, ".dev.vars");
  if (existsSync(file)) return;
  writeFileSync(file, `# Local secrets for wrangler dev (not committed).\nADMIN_TOKEN=${randomBytes(24).toString("hex")}\n`);
  console.log("> created .dev.vars with a random ADMIN_TOKEN for the local admin API");
}

if (import.meta.url === `file://${process.argv[1]}`) ensureDevVars();
