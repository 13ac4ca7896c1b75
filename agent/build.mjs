#!/usr/bin/env node
// Bundles the agent for an installed package (`npm pack` runs this first): src/ and the wire
// schemas it shares with the collector (../schemas, outside this package) become dist/cli.mjs and
// dist/index.mjs, plain ES modules for Node 20. better-sqlite3 and zod stay imports, installed as
// the package's dependencies. Inside the repository nothing needs this: the bin runs src/ with tsx.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));

await build({
  configFile: false,
  root: here,
  logLevel: "warn",
  build: {
    ssr: true,
    target: "node20",
    outDir: "dist",
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      input: { cli: "src/cli.ts", index: "src/index.ts" },
      output: { format: "es", entryFileNames: "[name].mjs", chunkFileNames: "shared/[name].mjs" },
    },
  },
  ssr: { external: ["better-sqlite3", "zod"] },
});
