#!/usr/bin/env node
// `npm run contrib:config -- <path-or-URL>`: loads a default_data.json into contribution
// statistics (PUT /api/1.0/admin/default-data). The service validates it and answers with its
// digest; loading an unchanged file does nothing.
//   npm run contrib:config -- config/contrib/default_data.json
//   npm run contrib:config -- https://example.org/default_data.json --url https://stats.example.org
//   npm run contrib:config -- --corrections config/contrib/corrections.json
// Options: --url <base> (default $EDGESTATS_URL or http://127.0.0.1:8787). The secret comes from
// $ADMIN_TOKEN, or else from .dev.vars (the local one that `npm start` created).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { root } from "./tool-env.mjs";

function adminToken() {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = path.join(root, ".dev.vars");
  const line = existsSync(file) && readFileSync(file, "utf8").match(/^ADMIN_TOKEN=(.*)$/m);
  if (!line) throw new Error("no admin secret: set ADMIN_TOKEN or run `npm start` once to create .dev.vars");
  return line[1].trim();
}

/** The document's text, from a file or an http(s) URL (file:// too). */
async function readSource(source) {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`${source}: HTTP ${res.status}`);
    return res.text();
  }
  const file = source.startsWith("file://") ? new URL(source) : path.resolve(source);
  return readFileSync(file, "utf8");
}

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const base = (option("--url") ?? process.env.EDGESTATS_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
const corrections = option("--corrections");
const source = corrections ?? args[0];

if (!source || args.length > (corrections ? 0 : 1)) {
  console.error("usage: npm run contrib:config -- <default_data.json path or URL> | --corrections <path or URL> [--url <base>]");
  process.exit(2);
}

try {
  const body = await readSource(source);
  const res = await fetch(`${base}/api/1.0/admin/${corrections ? "corrections" : "default-data"}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${adminToken()}`, "content-type": "application/json" },
    body,
  });
  console.log(await res.text());
  if (!res.ok) process.exitCode = 1;
} catch (error) {
  console.error(`contrib:config: ${error.message}`);
  process.exitCode = 1;
}
