// Issue 20 item 1: house customers to assign. Opened from the partners list, one house
// customer is given to Eva with a reason (the partner asked for before sending), in both
// themes with axe-core finding no serious or critical violation.
import { expectAccessible } from "../axe.mjs";
import { fill, pickPartner } from "../fields.mjs";

export async function houseCustomerScenarios({ scenario, newPage, open, api, expect, shots, capabilities, byName }) {
  const eva = byName("Eva");
  for (const theme of ["light", "dark"]) {
    await scenario(`house customers (${theme}): listed, searched, one assigned to a partner with a reason`, async () => {
      if (!capabilities.has("Query.houseCustomers") || !capabilities.has("Mutation.houseCustomerAssign")) return { skipped: "the API lacks houseCustomers" };
      const { houseCustomers } = await api.gql(`{ houseCustomers(first: 1, sortBy: {field: CREATED_AT, direction: DESC}) { totalCount edges { node { id displayName email } } } }`);
      const customer = houseCustomers.edges[0]?.node;
      if (!customer?.email) return { skipped: "the demo has no house customer with an e-mail" };
      const page = await newPage();
      await open(page, "partners", `theme=${theme}`);
      await page.click("[data-testid=open-house-customers]");
      await page.locator("[data-testid=house-customers-table] [data-testid=row]").first().waitFor();
      await page.screenshot({ path: `${shots}/house-customers-${theme}.png`, fullPage: true });
      await expectAccessible(page, `house customers ${theme}`);

      await page.fill("[data-testid=house-customers-search] input, input[data-testid=house-customers-search]", customer.email);
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=house-customers-table] [data-testid=row]").length === 1);
      await page.click("[data-testid=house-customer-assign]");
      await page.locator("[data-testid=house-customer-dialog]").waitFor();
      await page.click("[data-testid=house-customer-dialog-confirm]");
      await page.waitForFunction(() => document.querySelector("[data-testid=house-customer-dialog-sponsorId]")?.dataset.error);
      await pickPartner(page, "house-customer-dialog-sponsorId", eva);
      await fill(page, "house-customer-dialog-reason", `e2e ${theme}: named Eva on the phone`);
      await page.screenshot({ path: `${shots}/house-customer-assign-${theme}.png` });
      await expectAccessible(page, `assign dialog ${theme}`);
      await page.click("[data-testid=house-customer-dialog-confirm]");
      await page.locator("[data-testid=house-customer-dialog]").waitFor({ state: "detached" });
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=house-customers-table] [data-testid=row]").length === 0);
      const { customer: stored } = await api.gql(`query($id: ID!) { customer(id: $id) { isHouseCustomer sponsor { id } } }`, { id: customer.id });
      expect(!stored.isHouseCustomer && stored.sponsor?.id === eva.id, `assigned to Eva: ${JSON.stringify(stored)}`);
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `${customer.displayName || customer.email} → ${eva.displayName}; ${houseCustomers.totalCount} house customers before`;
    });
  }
}
