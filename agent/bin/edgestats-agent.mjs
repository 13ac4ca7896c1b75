#!/usr/bin/env node
// In the repository the agent is TypeScript (it shares the wire formats in schemas/ with the
// collector) and tsx compiles it in memory on Node 20, so there is no build step between `npm ci`
// and this command. An installed package (a tarball from `npm pack`) has no src/: it runs the
// bundle that packing built into dist/.
import { existsSync } from "node:fs";

const source = new URL("../src/cli.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import("../dist/cli.mjs"));
}
process.exitCode = await main(process.argv.slice(2));
