#!/usr/bin/env node
// `npm run contrib:processor -- status|run`: the contribution processor's admin API.
//   status [--kind k] [--status s] [--module m] [--json]   every source it follows and how it is doing
//   run [--source id | --module m | --kind k]                 queue the selected sources (default: all) now
// Options: --url <base> (default $EDGESTATS_URL, else http://127.0.0.1:$PORT, PORT 8787 by default). The secret comes from
// $ADMIN_TOKEN, or else from .dev.vars (the local one that `npm start` created).
import { adminCall, adminRequest, takeBaseUrl } from "./lib/admin-client.mjs";

const args = process.argv.slice(2);
let base;
try {
  base = takeBaseUrl(args);
} catch (error) {
  console.error(`contrib:processor: ${error.message}`);
  process.exit(2);
}
const [command, ...rest] = args;

/** `--name value` pairs; anything else is an error. */
function options(list, allowed) {
  const out = {};
  for (let i = 0; i < list.length; i++) {
    const name = list[i].replace(/^--/, "");
    if (!list[i].startsWith("--") || !allowed.includes(name)) throw new Error(`unknown option ${list[i]} (expected ${allowed.map((a) => `--${a}`).join(", ")})`);
    if (name === "json") out.json = true;
    else if (list[i + 1] === undefined) throw new Error(`${list[i]} needs a value`);
    else out[name] = list[++i];
  }
  return out;
}

const when = (iso) => (iso ? iso.replace("T", " ").slice(0, 16) : "-");

function printStatus(body, filtered) {
  const rows = body.sources.map((s) => [s.status, s.kind, s.id, String(s.steps), String(s.records_stored), when(s.last_run_at), when(s.next_run_at), s.last_error ?? ""]);
  const head = ["status", "kind", "source", "steps", "records", "last run", "next run", "last error"];
  const widths = head.map((h, i) => Math.min(72, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (r) => r.map((c, i) => (i === r.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i]))).join("  ");
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const counts = Object.entries(body.summary).map(([k, v]) => `${v} ${k}`).join(", ");
  console.log(`\n${counts || (filtered ? "no source matches" : "no sources: load a config (npm run contrib:config), then run")}`);
}

try {
  if (command === "status") {
    const o = options(rest, ["kind", "status", "module", "json"]);
    const query = new URLSearchParams(Object.entries(o).filter(([k]) => k !== "json"));
    const res = await adminRequest(`${base}/api/1.0/admin/processor${query.size ? `?${query}` : ""}`, "GET");
    if (!res.ok || o.json) {
      console.log(res.text);
      if (!res.ok) process.exitCode = 1;
    } else printStatus(JSON.parse(res.text), query.size > 0);
  } else if (command === "run") {
    const o = options(rest, ["source", "module", "kind"]);
    await adminCall(`${base}/api/1.0/admin/processor/run`, "POST", JSON.stringify(o));
  } else {
    console.error("usage: npm run contrib:processor -- status [--kind k] [--status s] [--module m] [--json] | run [--source id | --module m | --kind k] [--url <base>]");
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`contrib:processor: ${error.message}`);
  process.exitCode = 1;
}
