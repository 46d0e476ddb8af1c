// The end-to-end runner both apps' e2e use (dashboard-extension/e2e/run.mjs, office/e2e/run.mjs):
// Debian's Chromium driven by the app's own playwright-core (passed in: this folder has no
// node_modules), scenarios picked by E2E_ONLY, a screenshot and the page's errors kept when one
// fails, and the report with the exit code.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

/** Headless, without the background services that call out (the CI machine has no network). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `chromium` of the app's playwright-core; CHROMIUM names the browser (default /usr/bin/chromium). */
export function launchChromium(chromium) {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * A run of scenarios. `shots`: where screenshots go (SCREENSHOT_DIR, else `<e2eDir>/screenshots`).
 * `track(page)` collects what the page says went wrong (console errors, uncaught exceptions,
 * HTTP errors) in `page.errors`; the latest tracked page is the one photographed on a failure.
 */
export function createRunner({ e2eDir, label }) {
  const shots = resolve(process.env.SCREENSHOT_DIR || resolve(e2eDir, "screenshots"));
  mkdirSync(shots, { recursive: true });
  const results = [];
  const started = Date.now();
  const openPages = [];

  async function scenario(name, run) {
    // E2E_ONLY: a part of the scenario's name, or several separated by "|".
    if (process.env.E2E_ONLY && !process.env.E2E_ONLY.split("|").some((part) => name.includes(part))) return;
    const begin = Date.now();
    try {
      const note = await run();
      results.push({ name, status: note?.skipped ? "SKIPPED" : "PASSED", note: note?.skipped ?? note ?? "", ms: Date.now() - begin });
    } catch (error) {
      // What the page showed when it failed, and what it said (kept with the screenshots).
      const page = openPages.at(-1);
      let seen = "";
      if (page && !page.isClosed()) {
        const file = `${shots}/failed-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`;
        await page.screenshot({ path: file, fullPage: true }).then(() => (seen = `\nscreenshot: ${file}`), () => undefined);
        if (page.errors?.length) seen += `\npage errors:\n${page.errors.join("\n")}`;
      }
      results.push({ name, status: "FAILED", note: (error.stack || String(error)) + seen, ms: Date.now() - begin });
    }
  }

  function track(page) {
    openPages.push(page);
    page.errors = [];
    page.on("console", (message) => message.type() === "error" && page.errors.push(message.text()));
    page.on("pageerror", (error) => page.errors.push(String(error)));
    page.on("response", (response) => response.status() >= 400 && page.errors.push(`HTTP ${response.status()} ${response.url()}`));
    return page;
  }

  /** Prints every scenario's result and the time; the process's exit code: 1 when one failed. */
  function report() {
    const width = Math.max(0, ...results.map((result) => result.name.length));
    for (const result of results) {
      console.log(`${result.status.padEnd(7)} ${result.name.padEnd(width)} ${(result.ms / 1000).toFixed(1)} s`);
      if (result.note) console.log(`        ${String(result.note).split("\n").join("\n        ")}`);
    }
    const count = (status) => results.filter((result) => result.status === status).length;
    const failed = count("FAILED");
    console.log(`screenshots: ${shots}`);
    console.log(`${label}: ${count("PASSED")} passed, ${count("SKIPPED")} skipped, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return failed ? 1 : 0;
  }

  return { shots, scenario, track, report };
}
