#!/usr/bin/env node
// `npm run contrib:config -- <path-or-URL>`: loads a default_data.json into contribution
// statistics (PUT /api/1.0/admin/default-data). The service validates it and answers with its
// digest; loading an unchanged file does nothing.
//   npm run contrib:config -- config/contrib/default_data.json
//   npm run contrib:config -- https://example.org/default_data.json --url https://stats.example.org
//   npm run contrib:config -- --corrections config/contrib/corrections.json
// Options: --url <base> (default $EDGESTATS_URL, else http://127.0.0.1:$PORT, 8787 when unset).
// The secret comes from $ADMIN_TOKEN, or else from .dev.vars (the local one `npm start` created).
import { readFileSync } from "node:fs";
import path from "node:path";
import { adminCall, fetchNamingUrl, takeBaseUrl } from "./lib/admin-client.mjs";

/** The document's text, from a file or an http(s) URL (file:// too). */
async function readSource(source) {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetchNamingUrl(source);
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
let base;
try {
  base = takeBaseUrl(args);
} catch (error) {
  console.error(`contrib:config: ${error.message}`);
  process.exit(2);
}
const corrections = option("--corrections");
const source = corrections ?? args[0];

if (!source || args.length > (corrections ? 0 : 1)) {
  console.error("usage: npm run contrib:config -- <default_data.json path or URL> | --corrections <path or URL> [--url <base>]");
  process.exit(2);
}

try {
  await adminCall(`${base}/api/1.0/admin/${corrections ? "corrections" : "default-data"}`, "PUT", await readSource(source));
} catch (error) {
  console.error(`contrib:config: ${error.message}`);
  process.exitCode = 1;
}
