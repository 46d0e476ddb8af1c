// Form fields of the extension's dialogs, by their data-testid (macaw-ui puts it on the control
// or on its wrapper), and the text beside a field (its helper text, where its error shows).
const control = (testId) =>
  `[data-testid="${testId}"] input, input[data-testid="${testId}"], [data-testid="${testId}"] textarea, textarea[data-testid="${testId}"]`;

export const fill = (page, testId, value) => page.fill(control(testId), value);

export const besideField = (page, testId) =>
  page
    .locator(control(testId))
    .first()
    .evaluate((element) => element.closest("[data-macaw-ui-component]")?.parentElement?.textContent ?? "");

/** Choose a partner in a partner picker: its referral code typed, its only match clicked. */
export async function pickPartner(page, testId, partner) {
  const input = page.locator(`[data-testid="${testId}"] input`).first();
  await input.click();
  await input.fill(partner.referralCode);
  const option = page.getByRole("option", { name: new RegExp(partner.displayName) });
  await option.waitFor();
  await page.waitForFunction(() => document.querySelectorAll("[role=option]").length === 1);
  await option.dispatchEvent("click");
}
