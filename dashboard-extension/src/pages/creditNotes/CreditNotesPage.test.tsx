import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { fakeClient, renderWithApp } from "../../test/render";
import { CREDIT_NOTES_FIELDS, CreditNotesPage, WithheldList, type CreditNoteRow } from "./CreditNotesPage";

const note = (id: string, number: string, patch: Partial<CreditNoteRow> = {}): { node: CreditNoteRow } => ({
  node: {
    id,
    number,
    kind: "CREDIT_NOTE",
    status: "ISSUED",
    issueDate: "2026-11-02",
    currency: "EUR",
    net: "45.50",
    vat: "8.65",
    gross: "54.15",
    rendered: true,
    reason: "",
    period: { id: "UGVyaW9kOjE=", label: "2026-10" },
    partner: { id: "UGFydG5lcjox", displayName: "Rita Muster" },
    cancels: null,
    cancelledBy: null,
    ...patch,
  },
});

function client() {
  return fakeClient({
    CreditNotes: (variables) => ({
      creditNotes: {
        totalCount: 2,
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: "a", endCursor: "b" },
        edges: variables.search
          ? [note("Q046Mg==", "VN-2026-00002")]
          : [
              note("Q046Mw==", "VN-2026-00003", { kind: "CANCELLATION", net: "-45.50", vat: "-8.65", gross: "-54.15", cancels: { id: "Q046MQ==", number: "VN-2026-00001" } }),
              note("Q046Mg==", "VN-2026-00002"),
            ],
      },
    }),
    CreditNotePeriods: () => ({ periods: { edges: [{ node: { id: "UGVyaW9kOjE=", label: "2026-10" } }] } }),
    PeriodCreditNotes: () => ({ periodCreditNotes: { issued: 3, rendered: 3, zipUrl: "/credit-notes/zip-token", withheld: [] } }),
    CreditNoteLink: () => ({ creditNote: { number: "VN-2026-00002", downloadUrl: "http://localhost/credit-notes/note-token" } }),
    PartnerSearch: () => ({ partners: { edges: [] } }),
    CreditNoteCancel: () => ({ creditNoteCancel: { errors: [], cancellation: { id: "Q046NA==", number: "VN-2026-00004" }, replacement: null } }),
  });
}

describe("the credit notes page", () => {
  it("says which fields the API lacks", () => {
    renderWithApp(<CreditNotesPage partnerId={null} />, { client: client(), capabilities: [] });
    expect(screen.getByTestId("missing-api").dataset.missing).toBe(CREDIT_NOTES_FIELDS.join(","));
  });

  it("lists documents with their status and amounts in the minor unit, searches through the API", async () => {
    const api = client();
    renderWithApp(<CreditNotesPage partnerId={null} />, { client: api, capabilities: CREDIT_NOTES_FIELDS, locale: "de" });
    const rows = await screen.findAllByTestId("row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText("Stornorechnung")).toBeTruthy();
    expect(within(rows[0]).getByText("storniert VN-2026-00001")).toBeTruthy();
    // A cancellation is not cancelled again; the credit note offers it.
    expect(within(rows[0]).queryByTestId("credit-note-cancel")).toBeNull();
    expect(within(rows[1]).getByTestId("credit-note-cancel")).toBeTruthy();
    expect(within(rows[1]).getByTestId("credit-note-gross").textContent?.replace(/\s/g, " ")).toBe("54,15 €");

    fireEvent.change(screen.getByPlaceholderText("Suche nach Nummer, Name, E-Mail oder Code des Partners"), { target: { value: "00002" } });
    await waitFor(() => expect(screen.getAllByTestId("row")).toHaveLength(1));
    expect(api.calls.filter((call) => call.operation === "CreditNotes").at(-1)!.variables).toMatchObject({ search: "00002", filter: {}, first: 20 });
  });

  it("asks for a fresh signed link at the click and saves the PDF", async () => {
    const api = client();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe("VN-2026-00002.pdf");
      expect(this.href).toBe("http://localhost/credit-notes/note-token");
    });
    renderWithApp(<CreditNotesPage partnerId={null} />, { client: api, capabilities: CREDIT_NOTES_FIELDS });
    const rows = await screen.findAllByTestId("row");
    fireEvent.click(within(rows[1]).getByTestId("credit-note-download"));
    await waitFor(() => expect(clicked).toHaveBeenCalledTimes(1));
    expect(api.calls.find((call) => call.operation === "CreditNoteLink")!.variables).toEqual({ id: "Q046Mg==" });
    clicked.mockRestore();
  });

  it("cancels only with a reason, with a new document by default", async () => {
    const api = client();
    renderWithApp(<CreditNotesPage partnerId={null} />, { client: api, capabilities: CREDIT_NOTES_FIELDS });
    const rows = await screen.findAllByTestId("row");
    fireEvent.click(within(rows[1]).getByTestId("credit-note-cancel"));
    fireEvent.click(screen.getByTestId("cancel-dialog-confirm"));
    expect(await screen.findByText("Required.")).toBeTruthy();
    expect(api.calls.some((call) => call.operation === "CreditNoteCancel")).toBe(false);

    fireEvent.change(screen.getByTestId("cancel-dialog-reason"), { target: { value: "address was outdated" } });
    fireEvent.click(screen.getByTestId("cancel-dialog-confirm"));
    await waitFor(() => expect(api.calls.some((call) => call.operation === "CreditNoteCancel")).toBe(true));
    expect(api.calls.find((call) => call.operation === "CreditNoteCancel")!.variables).toEqual({ id: "Q046Mg==", reason: "address was outdated", reissue: true });
  });

  it("names the partners a period issued no document for, what their tax profile lacks, and links to them", () => {
    renderWithApp(
      <WithheldList
        period="2026-10"
        rows={[
          { partner: { id: "UGFydG5lcjo3", displayName: "Anna Muster", referralCode: "ANNA" }, carriedForward: "31.00", currency: "EUR", missingFields: ["street", "tax_number"] },
          { partner: { id: "UGFydG5lcjo4", displayName: "Otto Muster", referralCode: "OTTO" }, carriedForward: "27.00", currency: "EUR", missingFields: ["tax_profile"] },
          { partner: { id: "UGFydG5lcjo5", displayName: "Paul Muster", referralCode: "PAUL" }, carriedForward: "12.50", currency: "EUR", missingFields: [] },
        ]}
      />,
      { client: client(), capabilities: CREDIT_NOTES_FIELDS, locale: "de" },
    );
    expect(screen.getByText("Kein Beleg für 2026-10: 3")).toBeTruthy();
    const rows = screen.getAllByTestId("withheld-partner");
    expect(rows.map((row) => row.textContent?.replace(/\s/g, " "))).toEqual([
      "Anna Muster31,00 €Es fehlt: Straße, Steuernummer oder USt-IdNr.",
      "Otto Muster27,00 €Es fehlt: das ganze Steuerprofil",
      "Paul Muster12,50 €Jetzt vollständig: die nächste festgeschriebene Periode stellt den Beleg aus.",
    ]);
    expect(within(rows[0]).getByText("Anna Muster").closest("a")?.getAttribute("href")).toContain("UGFydG5lcjo3");
  });
});
