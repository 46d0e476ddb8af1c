import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../../test/render";
import { GenealogyPage } from "./GenealogyPage";

/** A line of 8 partners, N0 (the top) to N7, and N7's frontline F1, F2. */
const sponsorOf = (id: string) => (id === "N0" ? null : id.startsWith("F") ? "N7" : `N${Number(id.slice(1)) - 1}`);
const apiNode = (id: string) => ({
  id,
  displayName: `Partner ${id}`,
  referralCode: id,
  status: "ACTIVE",
  sponsor: sponsorOf(id) ? { id: sponsorOf(id) } : null,
  care: null,
  frontline: { totalCount: id === "N7" ? 2 : id.startsWith("F") ? 0 : 1 },
});
/** As the API answers GenealogyPath: the partner and 5 sponsors nested, the 6th only by id. */
function nested(id: string, levels: number): Record<string, unknown> {
  const sponsor = sponsorOf(id);
  return { ...apiNode(id), sponsor: sponsor ? (levels > 1 ? nested(sponsor, levels - 1) : { id: sponsor }) : null };
}

describe("the genealogy", () => {
  it("opens a partner with its whole upline path and its frontline", async () => {
    const client = fakeClient({
      GenealogyPath: (variables) => ({ partner: nested(String(variables.id), 6) }),
      GenealogyBelow: (variables) => {
        expect(variables).toMatchObject({ id: "N7", depth: 1 });
        return { genealogy: { totalCount: 2, pageInfo: { hasNextPage: false, endCursor: null }, edges: ["F1", "F2"].map((id) => ({ level: 1, node: apiNode(id) })) } };
      },
    });
    renderWithApp(<GenealogyPage root={null} focus="N7" />, { client });
    await waitFor(() => expect(screen.getAllByTestId("genealogy-path-step").map((step) => step.textContent)).toEqual(
      ["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7"].map((id) => `Partner ${id}`),
    ));
    // Two requests for the path (6 partners each at most), one for the frontline.
    expect(client.calls.filter((call) => call.operation === "GenealogyPath").map((call) => call.variables.id)).toEqual(["N7", "N1"]);
    expect(screen.getByTestId("genealogy-selected").textContent).toContain("Partner N7");
    expect(screen.getAllByTestId("genealogy-path-step").at(-1)?.getAttribute("aria-current")).toBe("true");
    // The 8 of the line and the 2 of the frontline.
    expect(screen.getByTestId("genealogy-visible").textContent).toBe("Partners shown: 10");
  });

  it("names every colour in its legend", async () => {
    const client = fakeClient({ GenealogyRoots: () => ({ partners: { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } }) });
    renderWithApp(<GenealogyPage root={null} />, { client, locale: "de" });
    const legend = await screen.findByTestId("genealogy-legend");
    expect(Array.from(legend.querySelectorAll("li")).map((item) => item.textContent)).toEqual([
      "Aktiv",
      "Inaktiv",
      "Gekündigt",
      "Unternehmen",
      "Ausgewählter Partner",
      "Von der Suche gefunden",
      "Sponsorlinie",
      "Betreuung (Anteil)",
      "Andere Betreuer-Beziehungen (solange ein Partner ausgewählt ist)",
    ]);
  });
});
