#!/usr/bin/env node
// `npm run admin -- <command>`: the admin API from the command line.
//   filtering-rules get                 print the filtering rules in force
//   filtering-rules set <file.json>     replace them with a file's (validated by the service)
//   installation <uid>                  show an installation's identity
//   installation <uid> rotate|clear|accept
//   backups                             list the D1 backups in R2 (docs/operations-backups.md)
//   backups start | backups <id>        start one now | show one
//   installation <uid> delete           delete everything stored about it (prints the receipt)
//   status                              the service's status (docs/operations.md, "Observability")
// Options: --url <base> (default $EDGESTATS_URL, else http://127.0.0.1:$PORT, 8787 when unset).
// The secret comes from $ADMIN_TOKEN, or else from .dev.vars (the local one `npm start` created).
import { readFileSync } from "node:fs";
import { adminCall, takeBaseUrl } from "./lib/admin-client.mjs";

const call = (base, method, route, body) => adminCall(`${base}/api/v1/admin${route}`, method, body);

const args = process.argv.slice(2);

try {
  const base = takeBaseUrl(args);
  const [command, ...rest] = args;
  if (command === "filtering-rules" && rest[0] === "get") await call(base, "GET", "/filtering-rules");
  else if (command === "filtering-rules" && rest[0] === "set" && rest[1]) {
    await call(base, "PUT", "/filtering-rules", readFileSync(rest[1], "utf8"));
  } else if (command === "installation" && rest[0]) {
    const uid = encodeURIComponent(rest[0]);
    const action = {
      undefined: ["GET", ""],
      rotate: ["POST", "/token"],
      clear: ["DELETE", "/token"],
      accept: ["POST", "/accept"],
      delete: ["DELETE", ""],
    }[rest[1]];
    if (!action) throw new Error(`unknown action "${rest[1]}": use rotate, clear, accept or delete`);
    await call(base, action[0], `/installations/${uid}${action[1]}`);
  } else if (command === "status" && rest.length === 0) {
    await call(base, "GET", "/status");
  } else if (command === "backups" && rest.length <= 1) {
    if (rest[0] === "start") await call(base, "POST", "/backups");
    else await call(base, "GET", rest[0] ? `/backups/${encodeURIComponent(rest[0])}` : "/backups");
  } else {
    console.error(
      "usage: npm run admin -- filtering-rules get | filtering-rules set <file.json> | installation <uid> [rotate|clear|accept|delete] | backups [start|<id>] | status [--url <base>]",
    );
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`admin: ${error.message}`);
  process.exitCode = 1;
}
