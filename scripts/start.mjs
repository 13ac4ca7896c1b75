// `npm start`: apply the local D1 migrations, build the UI, and serve UI + API with wrangler dev on
// http://127.0.0.1:${PORT:-8787}. State persists under .wrangler/state. Cron Triggers run on demand:
//   curl "http://127.0.0.1:8787/__scheduled?cron=0+*+*+*+*"
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ensureDevVars } from "./dev-vars.mjs";
import { bin, root, toolEnv } from "./tool-env.mjs";

const port = process.env.PORT ?? "8787";
ensureDevVars();

function step(label, args) {
  console.log(`> ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, env: toolEnv, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step("migrations (collector)", [bin.wrangler, "d1", "migrations", "apply", "COLLECTOR_DB", "--local"]);
step("migrations (analytic)", [bin.wrangler, "d1", "migrations", "apply", "ANALYTIC_DB", "--local"]);
step("migrations (contrib)", [bin.wrangler, "d1", "migrations", "apply", "CONTRIB_DB", "--local"]);
step("ui build", [bin.vite, "build", "--logLevel", "warn"]);

// wrangler itself (not npx) so that a signal reaches it and it stops its workerd children; the
// preload keeps the dev Queue delivering after a step of more than 5 s (scripts/dev-preload.mjs).
const dev = spawn(
  process.execPath,
  [
    "--import",
    pathToFileURL(path.join(root, "scripts/dev-preload.mjs")).href,
    bin.wrangler,
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    port,
    "--test-scheduled",
    "--show-interactive-dev-session=false",
  ],
  { cwd: root, env: toolEnv, stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
