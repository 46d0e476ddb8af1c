/// <reference types="vitest/config" />
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

import { defineConfig, type Plugin } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * GraphiQL for the app's `/graphql/` page, served by the app itself instead of a CDN (its
 * CSP allows scripts from the app only, see saleor_mlm/core/csp.py). The prebuilt files of
 * the npm packages `graphiql`, `react` and `react-dom` (devDependencies, pinned by the lock
 * file) are copied into the build as `vendor/<package>@<version>/<file>`, and
 * `vendor/graphiql.json` lists them for the Django template
 * (saleor_mlm/graphql/templates/mlm_graphql/graphiql.html).
 */
function graphiqlVendor(): Plugin {
  const files: Array<[string, string]> = [
    ["react", "umd/react.production.min.js"],
    ["react-dom", "umd/react-dom.production.min.js"],
    ["graphiql", "graphiql.min.js"],
    ["graphiql", "graphiql.min.css"],
  ];
  return {
    name: "saleor-mlm-graphiql-vendor",
    apply: "build",
    generateBundle() {
      const listed: { scripts: string[]; styles: string[] } = { scripts: [], styles: [] };
      for (const [name, file] of files) {
        const folder = join(here, "node_modules", name);
        const { version } = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
        const fileName = `vendor/${name}@${version}/${basename(file)}`;
        // Without the source map comment: the maps are not copied.
        const source = readFileSync(join(folder, file), "utf8").replace(/\n?\/[/*]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, "\n");
        this.emitFile({ type: "asset", fileName, source });
        (file.endsWith(".css") ? listed.styles : listed.scripts).push(fileName);
      }
      this.emitFile({ type: "asset", fileName: "vendor/graphiql.json", source: JSON.stringify(listed, null, 2) + "\n" });
    },
  };
}

// The Django app serves the build from /dashboard/ (saleor_mlm/dashboard/views.py).
export default defineConfig({
  base: "/dashboard/",
  // The modules both apps share (../web-shared) import React: always this package's copy.
  resolve: { dedupe: ["react", "react-dom", "intl-messageformat"] },
  plugins: [graphiqlVendor()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev` next to `saleor-mlm demo`: the API and the demo token come from Django.
    proxy: { "/graphql/": "http://127.0.0.1:8000", "/dashboard/demo-token": "http://127.0.0.1:8000" },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    css: false,
    pool: "threads",
    maxWorkers: 2,
    // One jsdom and module cache per worker, not per file (a quarter of the time on two cores);
    // each file still starts clean: ../web-shared/test/fresh-file.ts.
    isolate: false,
    // A guard against a hung test, not a speed check: component tests rendering whole pages
    // took over Vitest's 5 s default on a loaded 2-core CI machine.
    testTimeout: 30000,
  },
});
