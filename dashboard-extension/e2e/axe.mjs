// axe-core in the page: no serious or critical violation of WCAG 2.x A/AA (and best practice).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// Evaluated through the DevTools protocol: the app's CSP (script-src 'self') stays as it is.
// axe-core of the package whose e2e runs (the dashboard's or the office's, each its own
// devDependency): resolved from the working directory, where the runner starts.
let axeSource;
const source = () => (axeSource ??= readFileSync(createRequire(join(process.cwd(), "package.json")).resolve("axe-core/axe.min.js"), "utf8"));

/**
 * Runs axe-core on the page (or on `selector` within it) and throws on every serious or
 * critical violation, naming the rule, the elements and what axe says is wrong.
 */
export async function expectAccessible(page, label, { selector } = {}) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(source());
  const violations = await page.evaluate(async (context) => {
    const result = await window.axe.run(context ? document.querySelector(context) : document, { resultTypes: ["violations"] });
    return result.violations
      .filter((violation) => ["serious", "critical"].includes(violation.impact))
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.slice(0, 5).map((node) => `${node.target.join(" ")}: ${node.failureSummary?.split("\n").slice(1).join("; ")}`),
      }));
  }, selector ?? null);
  if (violations.length) {
    throw new Error(
      `axe (${label}): ${violations.length} serious or critical violation(s)\n` +
        violations.map((violation) => `${violation.impact} ${violation.id}: ${violation.help}\n  ${violation.nodes.join("\n  ")}`).join("\n"),
    );
  }
}
