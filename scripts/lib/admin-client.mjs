// What the admin scripts share: the service's base URL and the admin secret, and one call that
// prints the answer and sets the exit code.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { root } from "../tool-env.mjs";

/** $ADMIN_TOKEN, or else the one in .dev.vars (the local one that `npm start` created). */
export function adminToken() {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = path.join(root, ".dev.vars");
  const line = existsSync(file) && readFileSync(file, "utf8").match(/^ADMIN_TOKEN=(.*)$/m);
  if (!line) throw new Error("no admin secret: set ADMIN_TOKEN or run `npm start` once to create .dev.vars");
  return line[1].trim();
}

/** Removes `--url <base>` from `args` and returns the base (default $EDGESTATS_URL or local). */
export function takeBaseUrl(args) {
  const at = args.indexOf("--url");
  const url = at >= 0 ? args.splice(at, 2)[1] : (process.env.EDGESTATS_URL ?? "http://127.0.0.1:8787");
  return url.replace(/\/$/, "");
}

/** Calls the service with the admin secret; returns the status and the answer's text. */
export async function adminRequest(url, method, body) {
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${adminToken()}`, ...(body ? { "content-type": "application/json" } : {}) },
      body,
    });
  } catch (error) {
    throw new Error(`${method} ${url}: ${error.cause?.message ?? error.message} (is the service running there? --url or $EDGESTATS_URL)`);
  }
  return { ok: res.ok, status: res.status, text: await res.text() };
}

/** Calls the service with the admin secret, prints the answer, and fails the process on a non-2xx. */
export async function adminCall(url, method, body) {
  const res = await adminRequest(url, method, body);
  console.log(res.text);
  if (!res.ok) process.exitCode = 1;
}
