// Issue 20 item 1, periods: reopen with a reason, commit, and the run's history, in the pages.
// Last month (closed and approved by the scenario before) is reopened in each theme, settled
// again through the API (closed by the merchant, approved by the demo approver), and
// committed in the dark run (a committed month cannot be reopened: it runs last). axe-core
// finds no serious or critical violation in the dialogs and the history.
import { Api } from "../api.mjs";
import { expectAccessible } from "../axe.mjs";
import { besideField, fill } from "../fields.mjs";

export const lastMonth = () => {
  const day = new Date();
  day.setUTCDate(0);
  return day.toISOString().slice(0, 7);
};

export async function settleAgain(api, approver, id) {
  const { periodClose } = await api.gql(`mutation($id: ID!) { periodClose(id: $id) { errors { code message } } }`, { id });
  if (periodClose.errors.length) throw new Error(`close: ${JSON.stringify(periodClose.errors)}`);
  for (let tries = 0; ; tries++) {
    const { period } = await api.gql(`query($id: ID!) { period(id: $id) { run { status } } }`, { id });
    if (period.run?.status === "SUCCEEDED") break;
    if (tries > 600) throw new Error(`no close run: ${JSON.stringify(period)}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  const { periodApprove } = await approver.gql(`mutation($id: ID!) { periodApprove(id: $id) { errors { code message } } }`, { id });
  if (periodApprove.errors.length) throw new Error(`approve: ${JSON.stringify(periodApprove.errors)}`);
}

export async function settleScenarios({ scenario, newPage, open, api, expect, shots, capabilities, server }) {
  const needed = ["Mutation.periodReopen", "Mutation.periodCommit", "Period.runs"];
  const approver = new Api(server.base, { user: "approver" });
  for (const theme of ["light", "dark"]) {
    await scenario(`periods (${theme}): reopen with a reason, ${theme === "dark" ? "commit, " : ""}the run's history`, async () => {
      const missing = needed.filter((name) => !capabilities.has(name));
      if (missing.length) return { skipped: `the API lacks ${missing.join(", ")}` };
      const month = lastMonth();
      const { period } = await api.gql(`query($month: String!) { period(month: $month) { id status } }`, { month });
      if (period.status === "OPEN") await settleAgain(api, approver, period.id);
      if (period.status === "CLOSED") await approver.gql(`mutation($id: ID!) { periodApprove(id: $id) { errors { code } } }`, { id: period.id });
      const page = await newPage();
      await open(page, "periods", `theme=${theme}`);
      const row = page.locator("[data-testid=row]", { hasText: month });
      await row.locator("[data-testid=period-status][data-status=APPROVED]").waitFor();

      // Reopen: the reason is required (said at its field), then kept in the audit log.
      await row.locator("[data-testid=period-reopen]").click();
      const dialog = page.locator("[data-testid=period-reopen-dialog]");
      await dialog.waitFor();
      await page.click("[data-testid=period-reopen-dialog-confirm]");
      const beside = await besideField(page, "period-reopen-dialog-reason");
      expect(beside.includes("Please give a reason."), `the reason is asked for at its field: ${beside}`);
      await fill(page, "period-reopen-dialog-reason", `e2e ${theme}: a late refund`);
      await page.screenshot({ path: `${shots}/period-reopen-dialog-${theme}.png` });
      await expectAccessible(page, `reopen dialog ${theme}`);
      await page.click("[data-testid=period-reopen-dialog-confirm]");
      await dialog.waitFor({ state: "detached" });
      await row.locator("[data-testid=period-status][data-status=OPEN]").waitFor();
      const { period: reopened } = await api.gql(`query($id: ID!) { period(id: $id) { status } }`, { id: period.id });
      expect(reopened.status === "OPEN", `reopened: ${reopened.status}`);

      // Settled again (closed by the merchant, approved by the approver), then committed.
      await settleAgain(api, approver, period.id);
      await open(page, "periods", `theme=${theme}`);
      await row.locator("[data-testid=period-status][data-status=APPROVED]").waitFor();
      await row.locator("[data-testid=period-commit]").click();
      await page.locator("[data-testid=period-commit-dialog]").waitFor();
      await page.screenshot({ path: `${shots}/period-commit-dialog-${theme}.png` });
      await expectAccessible(page, `commit dialog ${theme}`);
      if (theme === "light") {
        await page.click("[data-testid=period-commit-dialog] >> text=Cancel");
        await page.locator("[data-testid=period-commit-dialog]").waitFor({ state: "detached" });
      } else {
        await page.click("[data-testid=period-commit-dialog-confirm]");
        await row.locator("[data-testid=period-status][data-status=COMMITTED]").waitFor();
        expect(!(await row.locator("[data-testid=period-reopen]").count()), "a committed month offers no reopen");
      }

      // The history: who closed, approved (and committed) it, and every run (each row names its program first).
      await row.locator("[data-testid=period-statements]").click();
      const runs = page.locator("[data-testid=period-runs-table] [data-testid=row]");
      await runs.first().waitFor();
      const steps = await page.locator("[data-testid=period-step]").allTextContents();
      expect(steps.some((step) => step.startsWith("Closed") && step.includes("demo@saleor-mlm.local")), `closed by: ${steps.join(" | ")}`);
      expect(steps.some((step) => step.startsWith("Approved") && step.includes("demo-approver@saleor-mlm.local")), `approved by: ${steps.join(" | ")}`);
      if (theme === "dark") expect(steps.some((step) => step.startsWith("Committed")), `committed: ${steps.join(" | ")}`);
      const first = await runs.first().textContent();
      expect(first.includes("Close") && first.includes("Succeeded") && first.includes("demo@saleor-mlm.local"), `the newest run: ${first}`);
      const runCount = await runs.count();
      expect(runCount >= 2, "the earlier close runs are listed too");
      await page.locator("[data-testid=period-runs]").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/period-history-${theme}.png`, fullPage: true });
      await expectAccessible(page, `period history ${theme}`);
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `${month}: reopened with a reason, settled again${theme === "dark" ? ", committed" : ""}; ${runCount} runs; ${steps.join("; ")}`;
    });
  }
}
