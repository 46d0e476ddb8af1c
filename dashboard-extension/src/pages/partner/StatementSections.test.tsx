import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../../test/render";
import { SECTIONS_FIELDS, StatementSections, type SectionRow } from "./StatementSections";

const section = (code: string, name: string, isDefault: boolean, total: string, bonuses: SectionRow["statement"]["bonuses"]): SectionRow => ({
  program: { code, displayName: name, isDefault },
  total,
  statement: { pv: "120.00", gv: "300.00", ov: "300.00", qualified: true, paidAsRank: { name: "Partner" }, bonuses },
});

describe("a statement over several programs", () => {
  it("shows a part per program and the total over all of them", async () => {
    const client = fakeClient({
      PartnerStatementSections: () => ({
        statement: {
          currency: "EUR",
          combinedTotal: "28.0049",
          sections: [
            section("main", "Partnerprogramm", true, "17.00", [{ kind: "LEVEL", kindName: "Stufenbonus", amount: "15.00" }, { kind: "CUSTOMER", kindName: "Kundenbonus", amount: "2.00" }]),
            section("wellness", "Wellness", false, "11.0049", [{ kind: "LEVEL", kindName: "Stufenbonus", amount: "11.0049" }]),
          ],
        },
      }),
    });
    renderWithApp(<StatementSections partnerId="UGFydG5lcjox" period="2026-10" />, { client, capabilities: SECTIONS_FIELDS, locale: "de" });

    const table = await screen.findByTestId("statement-programs-table");
    expect(within(table).getAllByTestId("statement-program").map((cell) => cell.textContent)).toEqual(["Partnerprogramm", "Wellness"]);
    expect(within(table).getAllByTestId("row")[0].textContent).toContain("Stufenbonus 15,00\u00a0€ · Kundenbonus 2,00\u00a0€");
    expect(screen.getByTestId("statement-combined-total").textContent).toBe("Summe über alle Programme28,00\u00a0€");
  });

  it("stays away for a partner in one program, and without the API", async () => {
    const client = fakeClient({ PartnerStatementSections: () => ({ statement: { currency: "EUR", combinedTotal: "17.00", sections: [section("main", "Partner program", true, "17.00", [])] } }) });
    const { container } = renderWithApp(<StatementSections partnerId="UGFydG5lcjox" period="2026-10" />, { client, capabilities: SECTIONS_FIELDS });
    await new Promise((done) => setTimeout(done, 50));
    expect(client.calls.map((call) => call.operation)).toEqual(["PartnerStatementSections"]);
    expect(container.querySelector("[data-testid=statement-programs]")).toBeNull();

    const offline = fakeClient({});
    renderWithApp(<StatementSections partnerId="UGFydG5lcjox" period="2026-10" />, { client: offline, capabilities: [] });
    expect(offline.calls).toEqual([]);
  });
});
