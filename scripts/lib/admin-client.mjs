// What the admin scripts share: the service's base URL and the admin secret, and one call that
// prints the answer and sets the exit code.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { root } from "../tool-env.mjs";
import { checkBaseUrl, serviceUrl } from "./service-url.mjs";

/** $ADMIN_TOKEN, or else the one in .dev.vars (the local one that `npm start` created). */
export function adminToken() {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = path.join(root, ".dev.vars");
  const line = existsSync(file) && readFileSync(file, "utf8").match(/^ADMIN_TOKEN=(.*)$/m);
  if (!line) throw new Error("no admin secret: set ADMIN_TOKEN or run `npm start` once to create .dev.vars");
  return line[1].trim();
}

/**
 * Removes `--url <base>` from `args` and returns the base: --url, else $EDGESTATS_URL, else
 * http://127.0.0.1:$PORT (8787 when unset), where `npm start` listens.
 */
export function takeBaseUrl(args) {
  const at = args.indexOf("--url");
  if (at < 0) return serviceUrl();
  const [, url] = args.splice(at, 2);
  if (url === undefined) throw new Error("--url needs a value, e.g. --url https://stats.example.org");
  return checkBaseUrl(url, "--url");
}

/** `fetch`, but a failure to connect names the URL it tried and why. */
export async function fetchNamingUrl(url, init = {}) {
  try {
    return await fetch(url, init);
  } catch (error) {
    const why = error.cause?.message ?? error.message;
    throw new Error(`${init.method ?? "GET"} ${url}: ${why}`);
  }
}

/** Calls the service with the admin secret; returns the status and the answer's text. */
export async function adminRequest(url, method, body) {
  const headers = { authorization: `Bearer ${adminToken()}`, ...(body ? { "content-type": "application/json" } : {}) };
  let res;
  try {
    res = await fetchNamingUrl(url, { method, headers, body });
  } catch (error) {
    throw new Error(`${error.message} (is the service running there? Set --url, $EDGESTATS_URL, or $PORT for a local one)`);
  }
  return { ok: res.ok, status: res.status, text: await res.text() };
}

/** Calls the service with the admin secret, prints the answer, and fails the process on a non-2xx. */
export async function adminCall(url, method, body) {
  const res = await adminRequest(url, method, body);
  console.log(res.text);
  if (!res.ok) process.exitCode = 1;
}
