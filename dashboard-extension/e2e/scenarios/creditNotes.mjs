// Issue 16 (done when: a partner's Factur-X credit note downloaded in the dashboard) and issue 20
// item 1: the credit notes page lists the demo's documents by period and partner, searches by
// number, downloads one PDF and a period's ZIP through fresh signed links, and cancels a credit
// note with a reason. Each theme takes its own credit note; axe-core finds no serious or
// critical violation.
import { readFileSync } from "node:fs";

import { expectAccessible } from "../axe.mjs";
import { besideField, fill } from "../fields.mjs";

const NEEDS = ["Query.creditNotes", "Query.creditNotes(search)", "Query.periodCreditNotes", "Mutation.creditNoteCancel"];

async function saved(page, click) {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30000 }), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

export async function creditNoteScenarios({ scenario, newPage, open, api, expect, shots, capabilities }) {
  for (const [index, theme] of ["light", "dark"].entries()) {
    await scenario(`credit notes (${theme}): by period, searched, a PDF and the period's ZIP downloaded, one cancelled with a reason`, async () => {
      const missing = NEEDS.filter((name) => !capabilities.has(name));
      if (missing.length) return { skipped: `the API lacks ${missing.join(", ")}` };
      const { creditNotes } = await api.gql(
        `{ creditNotes(first: 50, filter: {status: ISSUED, kind: [CREDIT_NOTE]}) { edges { node { id number rendered period { label } partner { id displayName } } } } }`,
      );
      const notes = creditNotes.edges.map((edge) => edge.node).filter((node) => node.rendered);
      const note = notes[index];
      if (!note) return { skipped: "the demo issued no rendered credit note" };
      const month = note.period.label;
      const page = await newPage();
      await open(page, "credit-notes", `theme=${theme}`);
      await page.locator("[data-testid=credit-notes-table] [data-testid=row]").first().waitFor();
      await page.screenshot({ path: `${shots}/credit-notes-${theme}.png`, fullPage: true });
      await expectAccessible(page, `credit notes ${theme}`);

      // The period: how far its PDFs are rendered, and its ZIP.
      await page.locator("[data-testid=credit-notes-period] [role=combobox]").first().click();
      await page.locator("[role=option]", { hasText: month }).first().dispatchEvent("click");
      await page.locator("[data-testid=credit-notes-zip]:not([disabled])").waitFor();
      const rendered = (await page.textContent("[data-testid=credit-notes-rendered]")).trim();
      expect(rendered.startsWith(`${month}:`) && rendered.includes("rendered as PDF"), `the period's documents: ${rendered}`);
      const zip = await saved(page, () => page.click("[data-testid=credit-notes-zip]"));
      expect(zip.name === `credit-notes-${month}.zip` && zip.bytes.subarray(0, 2).toString() === "PK", `the ZIP: ${zip.name}, ${zip.bytes.length} bytes`);
      expect(zip.bytes.includes(Buffer.from(`${note.number}.pdf`)), `the ZIP holds ${note.number}.pdf`);

      // Searched by its number: one row; its PDF with the Factur-X XML inside.
      await page.fill("[data-testid=credit-notes-search] input, input[data-testid=credit-notes-search]", note.number);
      await page.waitForFunction(
        (number) => {
          const rows = document.querySelectorAll("[data-testid=credit-notes-table] [data-testid=row]");
          return rows.length === 1 && rows[0].querySelector("[data-testid=credit-note-number]")?.textContent === number;
        },
        note.number,
      );
      const pdf = await saved(page, () => page.click("[data-testid=credit-note-download]"));
      expect(pdf.name === `${note.number}.pdf` && pdf.bytes.subarray(0, 5).toString() === "%PDF-", `the PDF: ${pdf.name}`);
      expect(pdf.bytes.includes(Buffer.from("factur-x.xml")), "the PDF carries factur-x.xml");

      // Cancelled: a reason is required, then the document shows as cancelled.
      await page.click("[data-testid=credit-note-cancel]");
      await page.locator("[data-testid=cancel-dialog]").waitFor();
      await page.click("[data-testid=cancel-dialog-confirm]");
      expect((await besideField(page, "cancel-dialog-reason")).includes("Required."), "the reason is required");
      await fill(page, "cancel-dialog-reason", `e2e ${theme}: the partner's address was outdated`);
      await page.screenshot({ path: `${shots}/credit-note-cancel-${theme}.png` });
      await expectAccessible(page, `cancel dialog ${theme}`);
      await page.click("[data-testid=cancel-dialog-confirm]");
      await page.locator("[data-testid=cancel-dialog]").waitFor({ state: "detached" });
      await page.locator("[data-testid=credit-notes-table] [data-status=CANCELLED]").waitFor();
      const { creditNote } = await api.gql(`query($id: ID!) { creditNote(id: $id) { status cancelledBy { kind reason } } }`, { id: note.id });
      expect(
        creditNote.status === "CANCELLED" && creditNote.cancelledBy.kind === "CANCELLATION" && creditNote.cancelledBy.reason.endsWith(`e2e ${theme}: the partner's address was outdated`),
        `cancelled with its reason: ${JSON.stringify(creditNote)}`,
      );
      await page.screenshot({ path: `${shots}/credit-note-cancelled-${theme}.png`, fullPage: true });
      await expectAccessible(page, `cancelled credit note ${theme}`);

      // From the partner's page: its documents only.
      await open(page, `partners/${encodeURIComponent(note.partner.id)}`, `theme=${theme}`);
      await page.click("[data-testid=open-credit-notes]");
      await page.locator("[data-testid=credit-notes-table] [data-testid=row]").first().waitFor();
      await page.waitForFunction(() => !document.querySelector("[data-testid=loading]"));
      const partners = await page.locator("[data-testid=credit-notes-table] [data-testid=row] td:nth-child(3)").allTextContents();
      expect(partners.length > 0 && partners.every((name) => name === note.partner.displayName), `only ${note.partner.displayName}'s documents: ${partners.join(", ")}`);
      expect(!page.errors.length, page.errors.join("\n"));
      await page.close();
      return `${month}: ${rendered}; ${note.number}.pdf ${pdf.bytes.length} bytes, ZIP ${zip.bytes.length} bytes; cancelled`;
    });
  }
}
