// Issue 20 item 1: adjustments with an approver, rank overrides (set and removed), payout holds
// (set and released), in the pages, each in both themes with axe-core finding no serious or
// critical violation. This month's period (open) takes them; Eva Ebert of the e2e network is
// the partner.
import { expectAccessible } from "../axe.mjs";
import { besideField, fill, pickPartner } from "../fields.mjs";

const MERCHANT = "demo@saleor-mlm.local";
const APPROVER = "demo-approver@saleor-mlm.local";

export async function correctionScenarios({ scenario, newPage, open, api, expect, shots, capabilities, byName }) {
  const eva = byName("Eva");
  const month = new Date().toISOString().slice(0, 7);
  for (const theme of ["light", "dark"]) {
    await scenario(`corrections (${theme}): an adjustment needs a second person, a rank override is set and removed`, async () => {
      const missing = ["Mutation.adjustmentCreate", "Mutation.rankOverrideSet", "Mutation.rankOverrideRemove", "Period.adjustments"].filter((name) => !capabilities.has(name));
      if (missing.length) return { skipped: `the API lacks ${missing.join(", ")}` };
      const { period } = await api.gql(`query($month: String!) { period(month: $month) { id status planVersion { document } } }`, { month });
      const page = await newPage();
      await open(page, `periods/${encodeURIComponent(period.id)}`, `theme=${theme}`);
      await page.locator("[data-testid=adjustments-table]").waitFor();

      // An adjustment: approved by the person entering it is refused at the approver's field.
      await page.click("[data-testid=adjustment-add]");
      await page.locator("[data-testid=adjustment-dialog]").waitFor();
      await pickPartner(page, "adjustment-dialog-partnerId", eva);
      const amount = theme === "light" ? "25.50" : "-4.25";
      await fill(page, "adjustment-dialog-amount", amount);
      await fill(page, "adjustment-dialog-reason", `e2e ${theme}: goodwill`);
      await fill(page, "adjustment-dialog-approvedBy", MERCHANT);
      await page.click("[data-testid=adjustment-dialog-confirm]");
      await page.waitForFunction(() => document.querySelector("[data-testid=adjustment-dialog]")?.textContent.includes("someone other than the person"));
      const refusal = await besideField(page, "adjustment-dialog-approvedBy");
      expect(refusal.includes("someone other than the person who enters it"), `the refusal at the approver's field: ${refusal}`);
      await page.screenshot({ path: `${shots}/adjustment-refused-${theme}.png` });
      await expectAccessible(page, `adjustment dialog ${theme}`);
      await fill(page, "adjustment-dialog-approvedBy", APPROVER);
      await page.click("[data-testid=adjustment-dialog-confirm]");
      await page.locator("[data-testid=adjustment-dialog]").waitFor({ state: "detached" });
      const row = page.locator("[data-testid=adjustments-table] [data-testid=row]", { hasText: `e2e ${theme}: goodwill` });
      await row.waitFor();
      const text = await row.textContent();
      expect(text.includes("Eva Ebert") && text.includes(APPROVER), `the adjustment listed: ${text}`);
      const { adjustments } = await api.gql(`query($period: ID) { adjustments(filter: {periodId: $period}, first: 50) { edges { node { amount reason approvedBy createdBy } } } }`, { period: period.id });
      const stored = adjustments.edges.map((edge) => edge.node).find((node) => node.reason === `e2e ${theme}: goodwill`);
      expect(stored && stored.amount.replace(/0+$/, "") === amount.replace(/0+$/, "") && stored.approvedBy === APPROVER && stored.createdBy === MERCHANT, `stored: ${JSON.stringify(stored)}`);

      // A rank override: the plan's ranks to choose from; set, listed, removed with a reason.
      const ranks = period.planVersion.document.ranks.map((rank) => rank.code);
      const rank = ranks[Math.min(1, ranks.length - 1)];
      await page.click("[data-testid=override-add]");
      await page.locator("[data-testid=override-dialog]").waitFor();
      await pickPartner(page, "override-dialog-partnerId", eva);
      await page.locator("[data-testid=override-dialog-rank] [role=combobox]").first().click();
      await page.locator("[role=option]", { hasText: rank }).first().dispatchEvent("click");
      await fill(page, "override-dialog-reason", `e2e ${theme}: promised at the event`);
      await fill(page, "override-dialog-approvedBy", APPROVER);
      await page.screenshot({ path: `${shots}/override-dialog-${theme}.png` });
      await expectAccessible(page, `override dialog ${theme}`);
      await page.click("[data-testid=override-dialog-confirm]");
      await page.locator("[data-testid=override-dialog]").waitFor({ state: "detached" });
      const override = page.locator("[data-testid=overrides-table] [data-testid=row]", { hasText: `e2e ${theme}: promised` });
      await override.waitFor();
      await page.screenshot({ path: `${shots}/period-corrections-${theme}.png`, fullPage: true });
      await expectAccessible(page, `corrections ${theme}`);
      await override.locator("[data-testid=override-remove]").click();
      await fill(page, "unoverride-dialog-reason", `e2e ${theme}: withdrawn`);
      await page.click("[data-testid=unoverride-dialog-confirm]");
      await override.waitFor({ state: "detached" });
      const { period: after } = await api.gql(`query($id: ID!) { period(id: $id) { rankOverrides(first: 50) { edges { node { reason } } } } }`, { id: period.id });
      expect(!after.rankOverrides.edges.some((edge) => edge.node.reason.startsWith(`e2e ${theme}: promised`)), "the override is gone");
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `${month}: adjustment ${amount} for Eva approved by the approver (refused when self-approved); override ${rank} set and removed`;
    });

    await scenario(`payout holds (${theme}): held from the next uncommitted month, then released with a reason`, async () => {
      const missing = ["Query.payoutHolds", "Mutation.payoutHoldSet", "Mutation.payoutHoldRelease"].filter((name) => !capabilities.has(name));
      if (missing.length) return { skipped: `the API lacks ${missing.join(", ")}` };
      const page = await newPage();
      await open(page, `partners/${encodeURIComponent(eva.id)}`, `theme=${theme}`);
      await page.locator("[data-testid=holds-table]").waitFor();
      await page.click("[data-testid=hold-add]");
      await page.locator("[data-testid=hold-dialog]").waitFor();
      await page.click("[data-testid=hold-dialog-confirm]");
      expect((await besideField(page, "hold-dialog-reason")).includes("Required."), "the reason is required");
      await fill(page, "hold-dialog-reason", `e2e ${theme}: bank details missing`);
      await page.screenshot({ path: `${shots}/hold-dialog-${theme}.png` });
      await expectAccessible(page, `hold dialog ${theme}`);
      await page.click("[data-testid=hold-dialog-confirm]");
      await page.locator("[data-testid=hold-dialog]").waitFor({ state: "detached" });
      const row = page.locator("[data-testid=holds-table] [data-testid=row]", { hasText: `e2e ${theme}: bank details` });
      await row.locator("[data-testid=hold-state][data-active=true]").waitFor();
      await row.locator("[data-testid=hold-release]").click();
      await fill(page, "release-dialog-reason", `e2e ${theme}: details received`);
      await page.click("[data-testid=release-dialog-confirm]");
      await row.locator("[data-testid=hold-state][data-active=false]").waitFor();
      const released = await row.textContent();
      expect(released.includes(`e2e ${theme}: details received`) && released.includes(MERCHANT), `released: ${released}`);
      const { payoutHolds } = await api.gql(`query($id: ID!) { payoutHolds(filter: {partnerId: $id}, first: 50) { edges { node { reason active releaseReason } } } }`, { id: eva.id });
      const hold = payoutHolds.edges.map((edge) => edge.node).find((node) => node.reason === `e2e ${theme}: bank details missing`);
      expect(hold && !hold.active && hold.releaseReason === `e2e ${theme}: details received`, `stored: ${JSON.stringify(hold)}`);
      await page.locator("[data-testid=payout-holds]").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/payout-holds-${theme}.png` });
      await expectAccessible(page, `partner with holds ${theme}`);
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `Eva: hold set and released`;
    });
  }
}
