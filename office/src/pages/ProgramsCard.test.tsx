import { ThemeProvider } from "@saleor/macaw-ui";
import { render, screen, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";

import { OfficeContext, officeValue } from "../app/context";
import { GraphQLClient } from "../app/graphql";
import { Session } from "../app/session";
import type { Locale } from "../i18n";
import { type MyProgram, ProgramsCard } from "./ProgramsCard";
import { ProgramSections } from "./StatementPage";

const PROGRAMS: MyProgram[] = [
  {
    program: { code: "main", displayName: "Partnerprogramm" },
    sponsor: { displayName: "Bert Berger" },
    live: { period: "2026-12", pv: "60.00", gv: "60.00", ov: "60.00", qualified: true, paidAsRank: { name: "Mitglied" } },
    nextRank: { nextRank: { name: "Star" }, requirements: [{ kind: "MIN_GV", kindName: "Gruppenvolumen", missing: "940.00", met: false, legRank: null }] },
  },
  {
    program: { code: "wellness", displayName: "Wellness" },
    sponsor: null,
    live: { period: "2026-12", pv: "70.00", gv: "170.00", ov: "170.00", qualified: true, paidAsRank: { name: "Mitglied" } },
    nextRank: { nextRank: { name: "Star" }, requirements: [{ kind: "MIN_GV", kindName: "Gruppenvolumen", missing: "830.00", met: false, legRank: null }] },
  },
];

/** The app's API as the card meets it: `myPrograms` answered with `programs`. */
function renderWith(node: ReactNode, programs: MyProgram[], locale: Locale = "de") {
  const fetcher = (async () => new Response(JSON.stringify({ data: { myPrograms: programs } }), { status: 200 })) as typeof fetch;
  const session = new Session({ saleorApiUrl: "https://shop.example.com/graphql/", demo: false, demoPartners: [] }, window.localStorage, fetcher);
  const client = new GraphQLClient(session, () => locale, fetcher);
  return render(
    <ThemeProvider>
      <OfficeContext.Provider value={officeValue(session, client, { locale, theme: "light" }, () => undefined)}>{node}</OfficeContext.Provider>
    </ThemeProvider>,
  );
}

describe("the partner's programs", () => {
  it("lists each program with its rank, live volumes, sponsor and what the next rank lacks", async () => {
    renderWith(<ProgramsCard />, PROGRAMS);
    const rows = await screen.findAllByTestId("program");
    expect(rows.map((row) => row.dataset.program)).toEqual(["main", "wellness"]);
    expect(within(rows[0]).getByText(/Sponsor: Bert Berger/).textContent).toContain("PV 60,00 · GV 60,00 · OV 60,00");
    expect(within(rows[1]).getByTestId("program-rank").textContent).toBe("Mitglied");
    expect(within(rows[1]).getByTestId("program-next").textContent).toBe("Nächster Rang: Star, es fehlen Gruppenvolumen 830,00");
  });

  it("stays away for a partner in one program", async () => {
    const { container } = renderWith(<ProgramsCard />, PROGRAMS.slice(0, 1), "en");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(container.querySelector("[data-testid=programs]")).toBeNull();
  });

  it("shows a statement's sections and the total of all programs", () => {
    const sections = [
      { program: { code: "main", displayName: "Partner program" }, total: "1.00", statement: { bonuses: [{ kind: "CUSTOMER", kindName: "Customer bonus", amount: "1.00" }] } },
      {
        program: { code: "wellness", displayName: "Wellness" },
        total: "11.00",
        statement: { bonuses: [{ kind: "CUSTOMER", kindName: "Customer bonus", amount: "1.00" }, { kind: "LEVEL", kindName: "Level bonus", amount: "10.00" }] },
      },
    ];
    renderWith(<ProgramSections sections={sections} combinedTotal="12.00" currency="EUR" />, [], "en");
    const rows = screen.getAllByTestId("statement-section");
    expect(rows.map((row) => [row.dataset.program, within(row).getByTestId("statement-section-total").textContent])).toEqual([
      ["main", "€1.00"],
      ["wellness", "€11.00"],
    ]);
    expect(within(rows[1]).getByText("Customer bonus €1.00 · Level bonus €10.00")).toBeTruthy();
    expect(screen.getByTestId("statement-combined-total").textContent).toBe("€12.00");
  });
});
