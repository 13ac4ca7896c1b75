import path from "node:path";
import { gzipSync } from "node:zlib";
import preact from "@preact/preset-vite";
import { type Plugin, defineConfig } from "vite";
import { serviceUrl } from "./scripts/lib/service-url.mjs";

/** The first load of each budgeted page (its JS and CSS, gzipped), at most. */
export const FIRST_LOAD_BUDGET_BYTES = 60 * 1024;

/**
 * The pages whose first load is budgeted: `/` (the entry alone), and pages loaded lazily, each by
 * its module: the entry plus that page's chunk and what it imports statically.
 */
const BUDGETED_PAGES: { path: string; mark: string; module: string | null }[] = [
  { path: "/", mark: "*", module: null },
  { path: "/contrib/", mark: "c", module: "src/contrib/overview.tsx" },
];

/**
 * The contribution reports: a page's first load is the entry, the reports' route table (loaded
 * lazily) and that page's chunk; each is budgeted, and the largest is printed.
 */
const REPORTS_ROUTER = "src/contrib/reports/router.tsx";
const REPORTS_DIR = "src/contrib/reports/";

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Prints every built JS and CSS file with its gzipped size, and the first load of each budgeted
 * page against the budget; fails the build when one is over it (or a page's chunk is missing).
 */
function sizeBudget(): Plugin {
  let root = "";
  return {
    name: "edgestats-size-budget",
    apply: "build",
    enforce: "post",
    configResolved(config) {
      root = config.root;
    },
    // After every plugin's generateBundle (the import-analysis rewrite changes the entry's code).
    writeBundle(_options, bundle) {
      const gz = new Map<string, { raw: number; gzip: number }>();
      for (const [name, file] of Object.entries(bundle)) {
        if (!/\.(js|css)$/.test(name)) continue;
        const source = file.type === "chunk" ? file.code : file.source;
        const bytes = typeof source === "string" ? Buffer.from(source) : Buffer.from(source);
        gz.set(name, { raw: bytes.length, gzip: gzipSync(bytes).length });
      }
      // Walk the static imports: dynamic imports (the other pages) are not part of a first load.
      const closure = (starts: string[]) => {
        const files = new Set<string>();
        const visit = (name: string) => {
          const file = bundle[name];
          if (!file || file.type !== "chunk" || files.has(name)) return;
          files.add(name);
          for (const css of file.viteMetadata?.importedCss ?? []) files.add(css);
          for (const imported of file.imports) visit(imported);
        };
        starts.forEach(visit);
        return files;
      };
      const chunks = Object.entries(bundle).flatMap(([name, file]) => (file.type === "chunk" ? [{ name, file }] : []));
      const entries = chunks.filter((c) => c.file.isEntry).map((c) => c.name);
      const pages = BUDGETED_PAGES.map((page) => {
        if (page.module === null) return { ...page, files: closure(entries) };
        const own = chunks.find((c) => c.file.facadeModuleId === path.resolve(root, page.module!));
        if (!own) this.error(`no chunk of ${page.module}: the first load of ${page.path} cannot be measured`);
        return { ...page, files: closure([...entries, own.name]) };
      });
      const router = chunks.find((c) => c.file.facadeModuleId === path.resolve(root, REPORTS_ROUTER));
      if (!router) this.error(`no chunk of ${REPORTS_ROUTER}: the first load of the report pages cannot be measured`);
      const reportChunks = chunks.filter(
        (c) => c.file.isDynamicEntry && c !== router && c.file.facadeModuleId?.startsWith(path.resolve(root, REPORTS_DIR)),
      );
      if (reportChunks.length === 0) this.error(`no report page chunk under ${REPORTS_DIR}`);
      const sizeOf = (files: Set<string>) => [...files].reduce((sum, name) => sum + (gz.get(name)?.gzip ?? 0), 0);
      const reports = reportChunks
        .map((c) => ({ name: path.basename(c.file.facadeModuleId!, ".tsx"), files: closure([...entries, router.name, c.name]) }))
        .map((r) => ({ ...r, total: sizeOf(r.files) }));
      const largest = reports.reduce((a, b) => (b.total > a.total ? b : a));
      pages.push({ path: `/contrib/reports/… (${reports.length} pages; the largest, ${largest.name})`, mark: "r", module: REPORTS_ROUTER, files: largest.files });
      const totals = pages.map((page) => ({ ...page, total: sizeOf(page.files) }));
      for (const r of reports) {
        if (r.total > FIRST_LOAD_BUDGET_BYTES) this.error(`the first load of the report page ${r.name} is ${kb(r.total)} gzipped, over the budget of ${kb(FIRST_LOAD_BUDGET_BYTES)}`);
      }

      const marks = (name: string) => pages.map((p) => (p.files.has(name) ? p.mark : " ")).join("");
      const lines = [...gz.entries()]
        .sort(([a], [b]) => marks(b).localeCompare(marks(a)) || a.localeCompare(b))
        .map(([name, s]) => `  ${marks(name)} ${name.padEnd(40)} ${kb(s.raw).padStart(10)} ${kb(s.gzip).padStart(10)} gzip`);
      console.log(
        [
          `ui sizes (${pages.map((p) => `${p.mark} = first load of ${p.path}`).join(", ")}):`,
          ...lines,
          ...totals.map(
            (p) => `  first load of ${p.path}: ${kb(p.total)} gzip of JS+CSS, budget ${kb(FIRST_LOAD_BUDGET_BYTES)} (${((p.total / FIRST_LOAD_BUDGET_BYTES) * 100).toFixed(0)}%)`,
          ),
        ].join("\n"),
      );
      for (const p of totals) {
        if (p.total > FIRST_LOAD_BUDGET_BYTES) this.error(`the first load of ${p.path} is ${kb(p.total)} gzipped, over the budget of ${kb(FIRST_LOAD_BUDGET_BYTES)}`);
      }
    },
  };
}

export default defineConfig({
  root: "ui",
  plugins: [preact(), sizeBudget()],
  // Every browser the dashboard supports has modulepreload: no polyfill in the first load.
  build: { outDir: "../public", emptyOutDir: true, modulePreload: { polyfill: false } },
  // `npx vite` serves the UI alone with hot reload; /api goes to the service at $EDGESTATS_URL,
  // else `npm start` on 127.0.0.1:$PORT (8787 when unset).
  server: { proxy: { "/api": { target: serviceUrl(), changeOrigin: true } } },
});
