// The partner office's figures (issue 18): the size of its build (gzip), and how long its home
// page takes to show a partner's figures on the demo (3,000 partners) in Debian's Chromium.
// Targets: at most 300 KB and 1 s.
//
//   (cd office && npm ci && npx vite build)     # once: the built office
//   node benchmarks/office_home.mjs [--runs 10] [--port 8810] [--viewport phone|desktop]
//
// Size: every file of office/dist/assets/ the page loads up front (the JavaScript and the
// CSS), gzip level 9 as a server would send them; the fonts are woff2 (compressed already) and
// loaded only in the weights the page uses, listed apart.
// Time: the demo partner with the most partners on the first level signs in once; then the
// home page is loaded `--runs` times, each a fresh navigation with the session kept (the demo
// reissues the token as Saleor's tokenRefresh would). Measured in the page: from the start of
// the navigation (performance.timeOrigin) to the moment the PV, GV and OV figures are in the
// document (a MutationObserver installed before the page's scripts). Printed: median, min, max.
// Env: CHROMIUM (default /usr/bin/chromium), SALEOR_MLM_BIN.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const office = resolve(import.meta.dirname, "../office");
const extension = resolve(import.meta.dirname, "../dashboard-extension");
const { chromium } = createRequire(`${office}/package.json`)("playwright-core");
const { startDemo } = await import(`${extension}/e2e/server.mjs`);

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10" },
    port: { type: "string", default: process.env.BENCH_PORT || "8810" },
    viewport: { type: "string", default: "phone" },
  },
});

const assets = resolve(office, "dist/assets");
let upFront = 0;
let fonts = 0;
const files = [];
for (const name of readdirSync(assets)) {
  const bytes = readFileSync(resolve(assets, name));
  if (/\.(js|css)$/.test(name)) {
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    upFront += gzipped;
    files.push(`${name}: ${(bytes.length / 1024).toFixed(1)} KB, gzip ${(gzipped / 1024).toFixed(1)} KB`);
  } else fonts += bytes.length;
}
console.log(files.join("\n"));
console.log(`up front (JS + CSS, gzip): ${(upFront / 1024).toFixed(1)} KB; font files (woff2, loaded per weight used): ${(fonts / 1024).toFixed(0)} KB in all`);

const server = await startDemo({ port: Number(values.port) });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
});
try {
  const config = await (await fetch(`${server.base}/office/config.json`)).json();
  const partner = config.demoPartners[0];
  const viewport = values.viewport === "desktop" ? { width: 1440, height: 900 } : { width: 390, height: 844 };
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript(() => {
    const seen = () => document.querySelectorAll("[data-testid=volumes] [data-testid=figure-value]").length === 3;
    new MutationObserver((_, observer) => {
      if (window.__figuresAt === undefined && seen()) {
        window.__figuresAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const fontsLoaded = new Map();
  page.on("response", async (response) => {
    if (response.url().endsWith(".woff2")) fontsLoaded.set(response.url().split("/").pop(), (await response.body().catch(() => Buffer.alloc(0))).length);
  });
  await page.goto(`${server.base}/office/?locale=en`, { waitUntil: "networkidle" });
  await page.fill("[data-testid=sign-in-email]", partner.email);
  await page.click("[data-testid=sign-in-submit]");
  await page.waitForFunction(() => window.__figuresAt !== undefined, null, { timeout: 60000 });
  const fontBytes = [...fontsLoaded.values()].reduce((sum, size) => sum + size, 0);
  console.log(`fonts the sign-in and home pages load: ${[...fontsLoaded.keys()].join(", ") || "none"} (${(fontBytes / 1024).toFixed(1)} KB)`);
  const times = [];
  for (let run = 0; run < Number(values.runs); run++) {
    await page.goto(`${server.base}/office/`, { waitUntil: "load" });
    await page.waitForFunction(() => window.__figuresAt !== undefined, null, { timeout: 60000 });
    times.push(await page.evaluate(() => window.__figuresAt));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`home, time to figures (${values.viewport}, ${partner.name}, ${times.length} loads): median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms`);
} finally {
  await browser.close();
  await server.stop();
}
