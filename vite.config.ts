import { gzipSync } from "node:zlib";
import preact from "@preact/preset-vite";
import { type Plugin, defineConfig } from "vite";
import { serviceUrl } from "./scripts/lib/service-url.mjs";

/** The first load of `/` (the entry, what it imports statically, and their CSS), gzipped, at most. */
export const FIRST_LOAD_BUDGET_BYTES = 60 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Prints every built JS and CSS file with its gzipped size, and the first load of `/` against the
 * budget; fails the build when the first load is over it.
 */
function sizeBudget(): Plugin {
  return {
    name: "edgestats-size-budget",
    apply: "build",
    enforce: "post",
    // After every plugin's generateBundle (the import-analysis rewrite changes the entry's code).
    writeBundle(_options, bundle) {
      const gz = new Map<string, { raw: number; gzip: number }>();
      for (const [name, file] of Object.entries(bundle)) {
        if (!/\.(js|css)$/.test(name)) continue;
        const source = file.type === "chunk" ? file.code : file.source;
        const bytes = typeof source === "string" ? Buffer.from(source) : Buffer.from(source);
        gz.set(name, { raw: bytes.length, gzip: gzipSync(bytes).length });
      }
      // Walk the static imports from the entry: dynamic imports (the other pages) are not the first load.
      const first = new Set<string>();
      const visit = (name: string) => {
        const file = bundle[name];
        if (!file || file.type !== "chunk" || first.has(name)) return;
        first.add(name);
        for (const css of file.viteMetadata?.importedCss ?? []) first.add(css);
        for (const imported of file.imports) visit(imported);
      };
      for (const [name, file] of Object.entries(bundle)) if (file.type === "chunk" && file.isEntry) visit(name);

      const total = [...first].reduce((sum, name) => sum + (gz.get(name)?.gzip ?? 0), 0);
      const lines = [...gz.entries()]
        .sort(([a], [b]) => Number(first.has(b)) - Number(first.has(a)) || a.localeCompare(b))
        .map(([name, s]) => `  ${first.has(name) ? "*" : " "} ${name.padEnd(40)} ${kb(s.raw).padStart(10)} ${kb(s.gzip).padStart(10)} gzip`);
      console.log(
        [
          "ui sizes (* = first load of /):",
          ...lines,
          `  first load of /: ${kb(total)} gzip of JS+CSS, budget ${kb(FIRST_LOAD_BUDGET_BYTES)} (${((total / FIRST_LOAD_BUDGET_BYTES) * 100).toFixed(0)}%)`,
        ].join("\n"),
      );
      if (total > FIRST_LOAD_BUDGET_BYTES) {
        this.error(`the first load of / is ${kb(total)} gzipped, over the budget of ${kb(FIRST_LOAD_BUDGET_BYTES)}`);
      }
    },
  };
}

export default defineConfig({
  root: "ui",
  plugins: [preact(), sizeBudget()],
  build: { outDir: "../public", emptyOutDir: true },
  // `npx vite` serves the UI alone with hot reload; /api goes to the service at $EDGESTATS_URL,
  // else `npm start` on 127.0.0.1:$PORT (8787 when unset).
  server: { proxy: { "/api": { target: serviceUrl(), changeOrigin: true } } },
});
