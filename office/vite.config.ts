/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The Django app serves the build from /office/ (saleor_mlm/office/views.py).
export default defineConfig({
  base: "/office/",
  // The modules both apps share (../web-shared, and the dashboard extension's decimal formats
  // and macaw-ui's aria repairs) import React too: always this package's copy.
  resolve: { dedupe: ["react", "react-dom", "intl-messageformat"] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    // `npm run dev` next to `saleor-mlm demo`: the API, the config and the demo token come from Django.
    proxy: {
      "/graphql/": "http://127.0.0.1:8000",
      "/office/config.json": "http://127.0.0.1:8000",
      "/office/demo-token": "http://127.0.0.1:8000",
      "/office/demo-saleor": "http://127.0.0.1:8000",
    },
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
    // A guard against a hung test on a loaded 2-core machine, not a speed check.
    testTimeout: 30000,
  },
});
