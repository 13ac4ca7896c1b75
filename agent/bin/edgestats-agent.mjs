#!/usr/bin/env node
// The agent is TypeScript (it shares the wire formats in schemas/ with the collector); tsx
// compiles it in memory on Node 20, so there is no build step between `npm ci` and this command.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
