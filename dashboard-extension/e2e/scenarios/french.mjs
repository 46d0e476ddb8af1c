// Issue 20 item 5: French, the third language, came as a message file alone
// (src/app/i18n/messages/fr.json, docs/translations.md). The main pages in French in both
// themes: their titles from the French file, the page's language, axe-core finding no serious
// or critical violation, nothing wider than the window (French runs longer than English).
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expectAccessible } from "../axe.mjs";

const FRENCH = JSON.parse(readFileSync(join(import.meta.dirname, "../../src/app/i18n/messages/fr.json"), "utf8"));

const PAGES = [
  ["overview", "", "nav.overview"],
  ["partners", "partners", "partners.title"],
  ["periods", "periods", "periods.title"],
  ["credit-notes", "credit-notes", "creditNotes.title"],
  ["payouts", "payouts", "payouts.title"],
  ["settings", "settings", "settings.title"],
];

export async function frenchScenarios({ scenario, newPage, open, expect, shots }) {
  for (const theme of ["light", "dark"]) {
    await scenario(`French (${theme}): the main pages from fr.json, axe, no overflow`, async () => {
      const page = await newPage();
      const seen = [];
      for (const [name, path, titleKey] of PAGES) {
        // fr-FR as the Saleor Dashboard hands it over: the language of fr.json.
        await open(page, path, `theme=${theme}&locale=fr-FR`);
        const locale = await page.evaluate(() => document.querySelector("[data-locale]")?.getAttribute("data-locale"));
        expect(locale === "fr", `${name}: the language is fr, got ${locale}`);
        expect((await page.getAttribute("html", "lang")) === "fr", `${name}: html lang fr`);
        const title = (await page.textContent("[data-testid=page-title]"))?.trim();
        expect(title === FRENCH[titleKey], `${name}: the French title ${FRENCH[titleKey]}, got ${title}`);
        await page.waitForTimeout(150);
        await expectAccessible(page, `${name} fr ${theme}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow <= 0, `${name}: nothing wider than the window, ${overflow} px too wide`);
        await page.screenshot({ path: `${shots}/${name}-fr-${theme}.png`, fullPage: true });
        seen.push(title);
      }
      expect(!page.errors.length, `console errors:\n${page.errors.join("\n")}`);
      await page.close();
      return seen.join(" · ");
    });
  }
}
