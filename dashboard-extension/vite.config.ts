/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The Django app serves the build from /dashboard/ (saleor_mlm/dashboard/views.py).
export default defineConfig({
  base: "/dashboard/",
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
    // A guard against a hung test, not a speed check: component tests rendering whole pages
    // took over Vitest's 5 s default on a loaded 2-core CI machine.
    testTimeout: 30000,
  },
});
