// Issue 20 item 1, payouts: the demo's executed run (a returned transfer, a changed IBAN waiting
// for the merchant) in the pages: the items filtered by status with their reasons, the bank
// account confirmed, the run executed again (the waiting SEPA payout goes into a new file, with
// progress while it pays), the SEPA file downloaded; then a run created for last month (committed
// by the settle scenario before) that its creator cannot approve (the page says why) and the demo
// approver approves. Not executed: its Stripe items would call Stripe. axe-core on the pages and
// dialogs; screenshots at 390×844 and desktop, light and dark.
import { readFileSync } from "node:fs";

import { Api } from "../api.mjs";
import { expectAccessible } from "../axe.mjs";
import { fill } from "../fields.mjs";
import { lastMonth, settleAgain } from "./settle.mjs";

const NEEDS = ["Query.payoutRuns", "Query.payoutItems", "Mutation.payoutRunCreate", "Mutation.payoutRunApprove", "Mutation.payoutRunExecute", "Mutation.payoutBankChangeConfirm"];

/** How many payouts the list has over all its pages (the pager's total). */
const total = async (page) => Number(await page.getAttribute("[data-testid=payout-items-count]", "data-total"));

/** Shows the payouts of one filter: the answer asked for, then every row shown matches it. */
async function filterItems(page, choice) {
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith("/graphql/") && (response.request().postData() ?? "").includes("query PayoutItems")),
    page.click(`[data-testid=payout-filter-${choice}]`),
  ]);
  await page.waitForFunction((wanted) => {
    const rows = [...document.querySelectorAll("[data-testid=payout-items-table] [data-testid=row]")];
    const status = (row) => row.querySelector("[data-testid=payout-item-status]")?.dataset.status;
    const reason = (row) => row.querySelector("[data-testid=payout-item-reason]")?.dataset.reason;
    if (wanted === "all") return true;
    if (wanted === "waiting") return rows.every((row) => status(row) === "PENDING" && reason(row));
    return rows.every((row) => status(row) === wanted);
  }, choice);
}

/** Last month committed (the settle scenario does it; alone, this scenario does it itself). */
async function committedLastMonth(api, approver) {
  const month = lastMonth();
  let { period } = await api.gql(`query($month: String!) { period(month: $month) { id label status } }`, { month });
  if (period.status === "OPEN") await settleAgain(api, approver, period.id);
  if (period.status === "CLOSED") await approver.gql(`mutation($id: ID!) { periodApprove(id: $id) { errors { code } } }`, { id: period.id });
  ({ period } = await api.gql(`query($month: String!) { period(month: $month) { id label status } }`, { month }));
  if (period.status === "APPROVED") await api.gql(`mutation($id: ID!) { periodCommit(id: $id) { errors { code message } } }`, { id: period.id });
  return period;
}

export async function payoutScenarios({ scenario, newPage, open, api, expect, shots, capabilities, server }) {
  await scenario("payouts: returned and waiting payouts, a bank account confirmed, executed again, the SEPA file; a new run approved by another person", async () => {
    const missing = NEEDS.filter((name) => !capabilities.has(name));
    if (missing.length) return { skipped: `the API lacks ${missing.join(", ")}` };
    const approver = new Api(server.base, { user: "approver" });
    const { payoutRuns } = await api.gql(`{ payoutRuns(first: 10) { edges { node { id status period { label } totals { status count } sepaFiles { id } } } } }`);
    const demoRun = payoutRuns.edges.map((edge) => edge.node).find((run) => run.totals.some((total) => total.status === "RETURNED"));
    expect(demoRun, `the demo's run with a returned transfer: ${JSON.stringify(payoutRuns)}`);

    const page = await newPage();
    await open(page, "payouts");
    await page.locator("[data-testid=payout-runs-table] [data-testid=row]", { hasText: demoRun.period.label }).click();
    await page.locator("[data-testid=payout-items-table] [data-testid=row]").first().waitFor();
    expect((await page.getAttribute("[data-testid=payout-run-status]", "data-status")) === "EXECUTED", "the demo's run is executed");

    // The returned transfer with the bank's reason.
    await filterItems(page, "RETURNED");
    const returned = await page.locator("[data-testid=payout-item-reason]").allTextContents();
    expect(returned.length === 1 && returned[0].includes("AC04"), `the returned transfer and why: ${returned.join(" | ")}`);

    // Waiting payouts with their reasons; the changed IBAN confirmed from its row.
    await filterItems(page, "waiting");
    const reasons = await page.locator("[data-testid=payout-item-reason]").evaluateAll((cells) => cells.map((cell) => cell.dataset.reason));
    expect(reasons.includes("BANK_CHANGE") && reasons.every(Boolean), `every waiting payout has its reason: ${reasons.join(", ")}`);
    const waitingBefore = await total(page);
    const bankRow = page.locator("[data-testid=payout-items-table] [data-testid=row]", { has: page.locator("[data-testid=payout-confirm-bank]") }).first();
    const partner = (await bankRow.locator("[data-testid=payout-item-partner]").textContent()).trim();
    await bankRow.locator("[data-testid=payout-confirm-bank]").click();
    const dialog = page.locator("[data-testid=payout-confirm-dialog]");
    await dialog.waitFor();
    const intro = await dialog.textContent();
    expect(/\*\*.*\*\*/.test(intro), `the old and new account, masked: ${intro}`);
    await fill(page, "payout-confirm-dialog-note", "e2e: called the partner on the known number");
    await page.screenshot({ path: `${shots}/payout-confirm-bank.png` });
    await expectAccessible(page, "bank account confirmation");
    await page.click("[data-testid=payout-confirm-dialog-confirm]");
    await dialog.waitFor({ state: "detached" });

    // Executed again: the confirmed partner's payout goes into a new SEPA file.
    const execute = page.locator("[data-testid=payout-execute][data-offer=again]");
    await execute.click();
    await page.locator("[data-testid=payout-execute-dialog]").waitFor();
    await expectAccessible(page, "execute dialog");
    await page.click("[data-testid=payout-execute-dialog-confirm]");
    await page.waitForFunction(
      (files) => document.querySelector("[data-testid=payout-run-status]")?.dataset.status === "EXECUTED" && document.querySelectorAll("[data-testid=payout-sepa-file]").length === files + 1,
      demoRun.sepaFiles.length,
      { timeout: 60000 },
    );
    await filterItems(page, "all");
    await filterItems(page, "waiting");
    // The list follows the run's end (asked again after it): one waiting payout fewer.
    await page.waitForFunction((expected) => Number(document.querySelector("[data-testid=payout-items-count]")?.dataset.total) === expected, waitingBefore - 1).catch(() => undefined);
    const waitingAfter = await total(page);
    expect(waitingAfter === waitingBefore - 1, `one waiting payout fewer: ${waitingBefore} -> ${waitingAfter}`);
    const { payoutItems } = await api.gql(`query($id: ID!) { payoutItems(filter: {runId: $id, status: [SENT]}, first: 100) { edges { node { partner { displayName referralCode } endToEndId } } } }`, { id: demoRun.id });
    const sent = payoutItems.edges.map((edge) => edge.node).find((item) => partner.includes(item.partner.referralCode));
    expect(sent, `${partner} is paid by the new file`);

    // The new SEPA file, downloaded: the bank's pain.001 with the confirmed partner's transfer.
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("[data-testid=payout-sepa-download]").last().click()]);
    const xml = readFileSync(await download.path(), "utf8");
    expect(download.suggestedFilename().endsWith(".xml") && xml.includes("pain.001.001.09") && xml.includes(sent.endToEndId), `the SEPA file ${download.suggestedFilename()}`);
    await page.screenshot({ path: `${shots}/payout-run.png`, fullPage: true });
    await expectAccessible(page, "payout run");
    expect(!page.errors.length, page.errors.join("\n"));

    // A run for last month: its creator may not approve it (said beside the button), another person does.
    const period = await committedLastMonth(api, approver);
    await open(page, "payouts");
    const create = page.locator("[data-testid=payouts-create]");
    let created = "";
    if (await create.isEnabled()) {
      await create.click();
      await page.locator("[data-testid=payout-create-dialog]").waitFor();
      await page.click("[data-testid=payout-create-dialog-confirm]");
      await page.locator("[data-testid=payout-approve]").waitFor();
      expect(await page.locator("[data-testid=payout-approve]").isDisabled(), "the creator cannot approve");
      const why = await page.textContent("[data-testid=payout-approve-reason]");
      expect(why.includes("another person"), `why: ${why}`);
      await page.screenshot({ path: `${shots}/payout-run-created.png`, fullPage: true });
      await page.click("[data-testid=demo-user-approver]");
      await page.waitForFunction(() => !document.querySelector("[data-testid=payout-approve]")?.disabled);
      await page.click("[data-testid=payout-approve]");
      await page.waitForFunction(() => document.querySelector("[data-testid=payout-run-status]")?.dataset.status === "APPROVED");
      await page.locator("[data-testid=payout-execute][data-offer=execute]").waitFor();
      const steps = await page.locator("[data-testid=payout-step]").allTextContents();
      expect(steps.some((step) => step.includes("demo-approver@saleor-mlm.local")), `approved by the approver: ${steps.join(" | ")}`);
      await page.click("[data-testid=demo-user-merchant]");
      created = `, ${period.label} created and approved by another person`;
    }
    expect(!page.errors.length, page.errors.join("\n"));
    await page.close();

    // The list and a run at a phone's width and in both themes.
    for (const theme of ["light", "dark"]) {
      for (const [kind, viewport] of [
        ["desktop", { width: 1440, height: 900 }],
        ["phone", { width: 390, height: 844 }],
      ]) {
        const view = await newPage();
        await view.setViewportSize(viewport);
        await open(view, `payouts/${encodeURIComponent(demoRun.id)}`, `theme=${theme}`);
        await view.locator("[data-testid=payout-items-table] [data-testid=row]").first().waitFor();
        const overflow = await view.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow <= 0, `${kind} ${theme}: the page is ${overflow} px wider than the screen`);
        await view.screenshot({ path: `${shots}/payout-run-${kind}-${theme}.png`, fullPage: true });
        if (kind === "phone") await expectAccessible(view, `payout run ${kind} ${theme}`);
        expect(!view.errors.length, view.errors.join("\n"));
        await view.close();
      }
    }
    return `${demoRun.period.label}: ${returned.length} returned, ${waitingBefore} waiting, ${partner}'s bank account confirmed and paid by a new SEPA file${created}`;
  });
}
