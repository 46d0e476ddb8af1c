// Issue 20 item 3: periods and statements (Close only after the month, notices that end with
// the run, a preview confirmed, statements searchable and sortable with "carried in",
// amounts in the currency's minor unit with the exact value on hover and in the lines CSV).
// Each scenario in both themes, with axe-core finding no serious or critical violation.
import { expectAccessible } from "../axe.mjs";

/** YYYY-MM of this month, in UTC (the periods' calendar). */
const thisMonth = () => new Date().toISOString().slice(0, 7);

export async function periodScenarios({ scenario, newPage, open, api, expect, shots, capabilities, leader }) {
  const hasPreview = capabilities.has("Mutation.periodPreview") && capabilities.has("Period.endsOn");
  for (const theme of ["light", "dark"]) {
    await scenario(`periods (${theme}): Close waits for the month's end with its reason; a preview is confirmed when its run ends`, async () => {
      if (!hasPreview) return { skipped: "the API lacks Mutation.periodPreview or Period.endsOn" };
      const month = thisMonth();
      // This month's period, open (the demo creates it; asking for it creates it otherwise).
      await api.gql(`query($month: String!) { period(month: $month) { id status } }`, { month });
      const page = await newPage();
      await open(page, "periods", `theme=${theme}`);
      const row = page.locator("[data-testid=row]", { hasText: month });
      await row.waitFor();
      const close = row.locator("[data-testid=period-close]");
      expect(await close.isDisabled(), `Close of ${month} is disabled before the month ended`);
      const reason = (await row.locator("[data-testid=period-close-reason]").textContent()).trim();
      expect(reason.startsWith(`${month} runs until ${month}-`) && reason.includes("(UTC): close it from"), `the reason beside it: ${reason}`);
      expect((await close.getAttribute("aria-describedby")) === (await row.locator("[data-testid=period-close-reason]").getAttribute("id")), "the button is described by its reason");
      await page.screenshot({ path: `${shots}/periods-close-disabled-${theme}.png`, fullPage: true });
      await expectAccessible(page, `periods ${theme}`);

      // A preview: its bar while it runs, then a confirmation with its figures; the bar (the
      // notice of the running run) is gone once the run ended.
      await row.locator("[data-testid=period-preview]").click();
      const notice = page.locator("[data-testid=period-notice][data-kind=PREVIEW]");
      await notice.waitFor({ timeout: 120000 });
      const text = (await notice.locator("[data-testid=period-notice-text]").textContent()).trim();
      expect(text.startsWith(`Preview of ${month} ready:`) && text.includes("in commissions to"), `the confirmation: ${text}`);
      expect(!(await page.locator(`[data-testid="period-progress-${month}"]`).count()), "the run's bar ended with the run");
      const { period } = await api.gql(`query($month: String!) { period(month: $month) { run { kind status } } }`, { month });
      expect(period.run.kind === "PREVIEW" && period.run.status === "SUCCEEDED", `the preview run ended: ${JSON.stringify(period.run)}`);
      await page.screenshot({ path: `${shots}/periods-preview-confirmed-${theme}.png`, fullPage: true });
      await expectAccessible(page, `periods after a preview ${theme}`);
      await notice.locator("[data-testid=period-notice-statements]").click();
      await page.locator("[data-testid=statements-table]").waitFor();
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `${month}: "${reason}"; ${text}`;
    });

    await scenario(`statements (${theme}): searched, sorted by a header, carried in, amounts in the minor unit with the exact value on hover and in the CSV`, async () => {
      if (!leader) return { skipped: "no settled period with statements" };
      const { period, partner } = leader;
      const page = await newPage();
      await open(page, `periods/${encodeURIComponent(period.id)}`, `theme=${theme}`);
      await page.locator("[data-testid=statements-table] [data-testid=row]").first().waitFor();
      const headers = await page.locator("[data-testid=statements-table] th").allTextContents();
      expect(headers.some((header) => header.startsWith("Carried in")), `a "carried in" column: ${headers.join(" | ")}`);

      // Sorted by total, largest first (the header twice), as the API sorts.
      const { statements } = await api.gql(
        `query($period: String!) { statements(period: $period, first: 5, sortBy: {field: TOTAL, direction: DESC}) { edges { node { partner { displayName } total balance { carriedIn } } } } }`,
        { period: period.id },
      );
      const top = statements.edges.map((edge) => edge.node);
      await page.click("[data-testid=sort-total]");
      await page.click("[data-testid=sort-total]");
      await page.waitForFunction(
        (name) => document.querySelector("[data-testid=statements-table] th[aria-sort=descending]") && document.querySelector("[data-testid=statement-partner]")?.textContent === name,
        top[0].partner.displayName,
      );
      const totals = await page.locator("[data-testid=statement-total]").allTextContents();
      expect(totals.every((text) => /\d[.,]\d{2}$/.test(text.trim())), `totals in cents: ${totals.slice(0, 5).join(", ")}`);
      const carried = page.locator("[data-testid=statement-carried-in]").first();
      expect((await carried.getAttribute("data-exact")) === top[0].balance?.carriedIn, "carried in as the API has it");
      await page.screenshot({ path: `${shots}/period-statements-sorted-${theme}.png`, fullPage: true });
      await expectAccessible(page, `statements ${theme}`);

      // Searched by the exact referral code: one row.
      await page.fill("[data-testid=statements-search] input, input[data-testid=statements-search]", partner.referralCode);
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=statements-table] [data-testid=row]").length === 1);
      expect((await page.textContent("[data-testid=statement-partner]")) === partner.displayName, "the search found the partner");

      // Its statement: every amount in cents; where the exact line has more places, on hover.
      await page.click("[data-testid=statement-open]");
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=statement-lines-table] [data-testid=row]").length > 0);
      const amounts = await page.locator("[data-testid=line-amount]").evaluateAll((elements) =>
        elements.map((element) => ({ text: element.textContent.trim(), title: element.getAttribute("title"), exact: element.dataset.exact })),
      );
      expect(amounts.every((amount) => /\d[.,]\d{2}$/.test(amount.text)), `lines in cents: ${amounts.slice(0, 3).map((a) => a.text).join(", ")}`);
      const precise = amounts.find((amount) => amount.title);
      expect(precise, `some line has more places than cents: ${amounts.slice(0, 5).map((amount) => amount.exact).join(", ")}`);
      expect(precise.title.replace(/[^\d]/g, "") === precise.exact.replace(/[^\d]/g, "").replace(/^0+/, ""), `exact on hover: ${precise.title} for ${precise.exact}`);
      const { statement } = await api.gql(`query($period: String!, $partnerId: ID!) { statement(period: $period, partnerId: $partnerId) { linesCsv } }`, {
        period: period.id,
        partnerId: partner.id,
      });
      expect(statement.linesCsv.includes(precise.exact), `the lines CSV keeps ${precise.exact}`);
      await page.locator("[data-testid=line-amount][title]").first().hover();
      await page.screenshot({ path: `${shots}/statement-minor-unit-${theme}.png` });
      await expectAccessible(page, `statement ${theme}`);
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `${period.label}: largest total ${totals[0]}; ${partner.referralCode} found; line ${precise.text} (exact ${precise.exact})`;
    });
  }
}
