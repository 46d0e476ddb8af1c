// How long the genealogy takes to draw one frame with 10,000 visible partners (issue 20 item 2;
// the goal: under 16 ms, one frame at 60 Hz), in Debian's Chromium driven by playwright-core.
//
//   (cd dashboard-extension && npm ci && npx vite build)     # once: the built extension
//   node benchmarks/genealogy_frame.mjs [--frames 120] [--port 8809]
//
// It starts `saleor-mlm demo` (dashboard-extension/e2e/server.mjs) and opens the genealogy
// with `?synthetic=10000`: 10,000 partners in the browser, fan-out 4, every one expanded
// (visible), one in 11 with a Betreuer relation, one in 7 inactive. Three views are timed:
//
//   fit        the whole tree in view ("Fit"): all 10,000 boxes drawn (as blocks, far out)
//   blocks     zoomed in 8x from Fit: still blocks, a part of the tree in view
//   full size  at 100 %, boxes with names, codes, share labels
//
// In each, the mouse drags the tree back and forth (`--frames` drags); after each drag the
// time the canvas took for its last frame (`window.__genealogyStats.lastDrawMs`, measured
// with performance.now() around the whole draw) is read. Printed: median, p95 and the
// maximum per view, and the partners drawn per frame, as a Markdown table.
// Env: CHROMIUM (default /usr/bin/chromium), SALEOR_MLM_BIN.
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

const extension = resolve(import.meta.dirname, "../dashboard-extension");
const { chromium } = createRequire(`${extension}/package.json`)("playwright-core");
const { startDemo } = await import(`${extension}/e2e/server.mjs`);

const { values } = parseArgs({ options: { frames: { type: "string", default: "120" }, port: { type: "string", default: process.env.BENCH_PORT || "8809" } } });
const frames = Number(values.frames);

const server = await startDemo({ port: Number(values.port) });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
});
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${server.base}/dashboard/genealogy?synthetic=10000`, { waitUntil: "networkidle" });
  await page.waitForFunction(() => (window.__genealogyStats?.nodes ?? 0) >= 10000, null, { timeout: 60000 });
  const canvas = await page.locator("[data-testid=genealogy-canvas]").boundingBox();
  const rows = [];
  const views = [
    ["fit", async () => page.click("[data-testid=zoom-fit]")],
    ["blocks (8x Fit)", async () => {
      await page.click("[data-testid=zoom-fit]");
      for (let step = 0; step < 9; step++) await page.click("[data-testid=zoom-in]"); // 1.25^9 ≈ 7.5
    }],
    ["full size", async () => {
      const search = "[data-testid=genealogy-search] input, input[data-testid=genealogy-search]";
      await page.fill(search, "Partner 5000");
      await page.press(search, "Enter"); // centres the first hit at 100 %
      await page.waitForSelector("[data-testid=genealogy-selected]");
    }],
  ];
  for (const [name, prepare] of views) {
    await prepare();
    await page.waitForTimeout(200);
    const times = [];
    let drawn = 0;
    for (let index = 0; index < frames; index++) {
      const direction = index % 2 ? -1 : 1;
      const x = canvas.x + canvas.width / 3;
      const y = canvas.y + canvas.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + 40 * direction, y + 30 * direction, { steps: 2 });
      await page.mouse.up();
      const stats = await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(window.__genealogyStats)))));
      times.push(stats.lastDrawMs);
      drawn = Math.max(drawn, stats.drawn);
    }
    times.sort((a, b) => a - b);
    rows.push({ name, drawn, median: quantile(times, 0.5), p95: quantile(times, 0.95), max: times.at(-1), frames: times.length });
  }
  const version = browser.version();
  console.log(`Chromium ${version}, 1440x900, ${frames} frames per view\n`);
  console.log("| view | partners drawn | median | p95 | max |");
  console.log("|---|---:|---:|---:|---:|");
  for (const row of rows) {
    console.log(`| ${row.name} | ${row.drawn.toLocaleString("en")} | ${row.median.toFixed(1)} ms | ${row.p95.toFixed(1)} ms | ${row.max.toFixed(1)} ms |`);
  }
} finally {
  await browser.close();
  await server.stop();
}
