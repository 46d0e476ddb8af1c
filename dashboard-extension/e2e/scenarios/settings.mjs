// Issue 20 item 1: the settings page. Each group changed in its dialog, a malformed value
// refused at its field, the exchange rates uploaded as CSV (a bad file refused with every
// problem named), in both themes with axe-core finding no serious or critical violation.
// What the scenario changed is put back through the API: later scenarios settle periods.
import { expectAccessible } from "../axe.mjs";
import { besideField, fill } from "../fields.mjs";

const NEEDS = ["Query.volumeSettings", "Mutation.volumeSettingsUpdate", "Query.payoutSettings", "Mutation.payoutSettingsUpdate", "Mutation.exchangeRatesImport", "Mutation.partnerVoucherUpdate", "Mutation.vatRateSet"];

async function closed(page, testId) {
  await page.locator(`[data-testid=${testId}]`).waitFor({ state: "detached" });
}

export async function settingsScenarios({ scenario, newPage, open, api, expect, shots, capabilities }) {
  for (const theme of ["light", "dark"]) {
    await scenario(`settings (${theme}): PV per BV, partner codes, minimum payout, exchange rates by CSV and a VAT rate, each refused at its field when malformed`, async () => {
      const missing = NEEDS.filter((name) => !capabilities.has(name));
      if (missing.length) return { skipped: `the API lacks ${missing.join(", ")}` };
      const before = await api.gql(`{ volumeSettings { pvPerBv } payoutSettings { minimumPayout } partnerVoucher { discountPercent channelSlugs } }`);
      const page = await newPage();
      try {
        await open(page, "settings", `theme=${theme}`);
        await page.locator("[data-testid=settings-pv-per-bv]").waitFor();
        await page.screenshot({ path: `${shots}/settings-${theme}.png`, fullPage: true });
        await expectAccessible(page, `settings ${theme}`);

        // PV per BV: 0 refused at the field, 1.5 saved.
        await page.click("[data-testid=settings-volume-edit]");
        await fill(page, "settings-volume-dialog-pvPerBv", "0");
        await page.click("[data-testid=settings-volume-dialog-confirm]");
        await page.waitForFunction(() => document.querySelector("[data-testid=settings-volume-dialog]")?.textContent.includes("greater than 0"));
        const refusal = await besideField(page, "settings-volume-dialog-pvPerBv");
        expect(refusal.includes("PV per BV is a number greater than 0"), `the refusal at the field: ${refusal}`);
        await expectAccessible(page, `volume dialog ${theme}`);
        await fill(page, "settings-volume-dialog-pvPerBv", "1.5");
        await page.click("[data-testid=settings-volume-dialog-confirm]");
        await closed(page, "settings-volume-dialog");
        await page.waitForFunction(() => document.querySelector("[data-testid=settings-pv-per-bv]")?.textContent === "1.5");

        // Partner codes: 5 % in one channel.
        await page.click("[data-testid=settings-voucher-edit]");
        await fill(page, "settings-voucher-dialog-discountPercent", "5");
        await fill(page, "settings-voucher-dialog-channelSlugs", "default-channel");
        await page.click("[data-testid=settings-voucher-dialog-confirm]");
        await closed(page, "settings-voucher-dialog");
        await page.waitForFunction(() => document.querySelector("[data-testid=settings-channels]")?.textContent === "default-channel");
        expect((await page.textContent("[data-testid=settings-discount]")).startsWith("5"), "the discount shown");

        // The minimum payout: negative refused, 30 saved.
        await page.click("[data-testid=settings-payouts-edit]");
        await fill(page, "settings-payouts-dialog-minimumPayout", "-5");
        await page.click("[data-testid=settings-payouts-dialog-confirm]");
        await page.waitForFunction(() => document.querySelector("[data-testid=settings-payouts-dialog]")?.textContent.includes("cannot be negative"));
        await fill(page, "settings-payouts-dialog-minimumPayout", "30");
        await page.click("[data-testid=settings-payouts-dialog-confirm]");
        await closed(page, "settings-payouts-dialog");
        await page.waitForFunction(() => document.querySelector("[data-testid=settings-minimum-payout]")?.textContent.includes("30.00"));

        // Exchange rates: a bad file names every problem and stores nothing; a good one is listed.
        const count = Number(await page.textContent("[data-testid=settings-rates-count]"));
        await page.click("[data-testid=settings-rates-edit]");
        const file = page.locator("[data-testid=settings-rates-dialog-csvFile] input[type=file]");
        await file.setInputFiles({ name: "rates.csv", mimeType: "text/csv", buffer: Buffer.from("date,currency,rate\n2026-13-01,USD,0.9\n2026-11-02,DOLLAR,-1\n") });
        await page.click("[data-testid=settings-rates-dialog-confirm]");
        await page.locator("[data-testid=settings-rates-dialog] [data-testid=dialog-errors]").waitFor();
        const problems = await page.locator("[data-testid=settings-rates-dialog] [data-testid=dialog-errors] span").allTextContents();
        expect(problems.length === 3 && problems[0].includes("rates.csv:2: column date"), `every problem named: ${problems.join(" | ")}`);
        await page.screenshot({ path: `${shots}/settings-rates-refused-${theme}.png` });
        await expectAccessible(page, `rates dialog ${theme}`);
        const day = theme === "light" ? "2026-11-02" : "2026-11-03";
        await file.setInputFiles({ name: "rates.csv", mimeType: "text/csv", buffer: Buffer.from(`date,currency,rate\n${day},USD,0.9215\n`) });
        await page.click("[data-testid=settings-rates-dialog-confirm]");
        await closed(page, "settings-rates-dialog");
        await page.waitForFunction((expected) => Number(document.querySelector("[data-testid=settings-rates-count]")?.textContent) === expected, count + 1);
        const rates = await page.textContent("[data-testid=settings-rates-table]");
        expect(rates.includes("1 USD = 0.9215"), `the rate listed: ${rates}`);

        // The number start applies from next year on: the example is next year's first number.
        const example = await page.textContent("[data-testid=settings-number-example]");
        expect(example.includes(`${new Date().getUTCFullYear() + 1}-`), `next year's first number: ${example}`);

        // A VAT rate for Austria, shown with the credit notes' settings.
        await page.click("[data-testid=settings-credit-notes-edit-1]");
        await fill(page, "settings-credit-notes-dialog-country", "AT");
        await fill(page, "settings-credit-notes-dialog-rate", "20");
        await page.click("[data-testid=settings-credit-notes-dialog-confirm]");
        await closed(page, "settings-credit-notes-dialog");
        await page.waitForFunction(() => document.querySelector("[data-testid=settings-vat-rates]")?.textContent.includes("AT 20"));
        await page.screenshot({ path: `${shots}/settings-changed-${theme}.png`, fullPage: true });
        await expectAccessible(page, `settings changed ${theme}`);

        const after = await api.gql(`{ volumeSettings { pvPerBv } payoutSettings { minimumPayout } partnerVoucher { discountPercent channelSlugs } }`);
        expect(
          after.volumeSettings.pvPerBv === "1.5" && Number(after.payoutSettings.minimumPayout) === 30 && after.partnerVoucher.discountPercent === "5.000",
          `stored: ${JSON.stringify(after)}`,
        );
        expect(!page.errors.length, page.errors.join("\n"));
        return `refused: "${refusal.trim()}"; ${problems.length} problems in the bad rates file`;
      } finally {
        await page.close();
        // As before: the other scenarios settle periods with the demo's settings.
        await api.gql(`mutation($ratio: Decimal!) { volumeSettingsUpdate(input: {pvPerBv: $ratio}) { errors { message } } }`, { ratio: before.volumeSettings.pvPerBv });
        await api.gql(`mutation($amount: Decimal!) { payoutSettingsUpdate(input: {minimumPayout: $amount}) { errors { message } } }`, { amount: before.payoutSettings.minimumPayout });
        await api.gql(`mutation($input: PartnerVoucherInput!) { partnerVoucherUpdate(input: $input) { errors { message } } }`, {
          input: { discountPercent: before.partnerVoucher.discountPercent, channelSlugs: before.partnerVoucher.channelSlugs },
        });
        await api.gql(`mutation { vatRateSet(country: "AT", rate: null) { errors { message } } }`);
      }
    });
  }
}
