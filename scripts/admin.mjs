#!/usr/bin/env node
// `npm run admin -- <command>`: the admin API from the command line.
//   filtering-rules get                 print the filtering rules in force
//   filtering-rules set <file.json>     replace them with a file's (validated by the service)
//   installation <uid>                  show an installation's identity
//   installation <uid> rotate|clear|accept
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

async function call(base, method, route, body) {
  const res = await fetch(`${base}/api/v1/admin${route}`, {
    method,
    headers: { authorization: `Bearer ${adminToken()}`, ...(body ? { "content-type": "application/json" } : {}) },
    body,
  });
  const text = await res.text();
  console.log(text);
  if (!res.ok) process.exitCode = 1;
}

const args = process.argv.slice(2);
const urlAt = args.indexOf("--url");
const base = (urlAt >= 0 ? args.splice(urlAt, 2)[1] : process.env.EDGESTATS_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
const [command, ...rest] = args;

try {
  if (command === "filtering-rules" && rest[0] === "get") await call(base, "GET", "/filtering-rules");
  else if (command === "filtering-rules" && rest[0] === "set" && rest[1]) {
    await call(base, "PUT", "/filtering-rules", readFileSync(rest[1], "utf8"));
  } else if (command === "installation" && rest[0]) {
    const uid = encodeURIComponent(rest[0]);
    const action = { undefined: ["GET", ""], rotate: ["POST", "/token"], clear: ["DELETE", "/token"], accept: ["POST", "/accept"] }[rest[1]];
    if (!action) throw new Error(`unknown action "${rest[1]}": use rotate, clear or accept`);
    await call(base, action[0], `/installations/${uid}${action[1]}`);
  } else {
    console.error("usage: npm run admin -- filtering-rules get | filtering-rules set <file.json> | installation <uid> [rotate|clear|accept] [--url <base>]");
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`admin: ${error.message}`);
  process.exitCode = 1;
}
