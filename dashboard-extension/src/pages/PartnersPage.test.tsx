import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../test/render";
import { PartnersPage } from "./PartnersPage";

const row = (id: string, name: string, status: string, sponsor: { id: string; displayName: string } | null = null) => ({
  node: { id, displayName: name, email: `${name}@example.com`, referralCode: name.toUpperCase(), status, country: "DE", enrolledAt: "2026-01-03T00:00:00Z", sponsor, care: null },
});

function client() {
  return fakeClient({
    Partners: (variables) => ({
      partners: {
        totalCount: 2,
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: "a", endCursor: "b" },
        edges: variables.search
          ? [row("UGFydG5lcjox", "eva", "ACTIVE")]
          : [row("UGFydG5lcjox", "eva", "ACTIVE"), row("UGFydG5lcjoy", "hans", "INACTIVE", { id: "UGFydG5lcjox", displayName: "eva" })],
      },
    }),
    PartnerSetStatus: () => ({ partnerSetStatus: { errors: [], partner: { id: "UGFydG5lcjox", status: "INACTIVE", statusChangedAt: null } } }),
  });
}

describe("the partner list", () => {
  it("lists partners with their status, searches and sorts through the API", async () => {
    const api = client();
    renderWithApp(<PartnersPage />, { client: api, locale: "de" });
    const rows = await screen.findAllByTestId("row");
    expect(rows).toHaveLength(2);
    expect(within(rows[1]).getByText("Inaktiv")).toBeTruthy();
    expect(within(rows[0]).getByText("Inaktiv setzen")).toBeTruthy();

    fireEvent.change(screen.getByPlaceholderText("Nach Name, E-Mail oder Code suchen"), { target: { value: "eva" } });
    await waitFor(() => expect(screen.getAllByTestId("row")).toHaveLength(1));
    expect(api.calls.at(-1)!.variables).toMatchObject({ search: "eva", sortBy: { field: "NAME", direction: "ASC" }, first: 20 });
  });

  it("sets a partner inactive only with a reason", async () => {
    const api = client();
    renderWithApp(<PartnersPage />, { client: api });
    fireEvent.click((await screen.findAllByTestId("row-status"))[0]);
    fireEvent.click(screen.getByTestId("status-confirm"));
    expect(await screen.findByText("Please give a reason.")).toBeTruthy();
    expect(api.calls.some((call) => call.operation === "PartnerSetStatus")).toBe(false);

    fireEvent.change(screen.getByTestId("status-reason"), { target: { value: "asked to pause" } });
    fireEvent.click(screen.getByTestId("status-confirm"));
    await waitFor(() => expect(api.calls.some((call) => call.operation === "PartnerSetStatus")).toBe(true));
    expect(api.calls.find((call) => call.operation === "PartnerSetStatus")!.variables).toEqual({ id: "UGFydG5lcjox", status: "INACTIVE", reason: "asked to pause" });
  });

  it("opens the sponsor from its link in a row inside the app, without a page load", async () => {
    // A page load inside the Dashboard's iframe loses the token: the link must navigate in the app.
    window.history.replaceState(null, "", "/dashboard/partners?saleorApiUrl=x&id=QXBwOjE%3D");
    renderWithApp(<PartnersPage />, { client: client() });
    const rows = await screen.findAllByTestId("row");
    const sponsorLink = within(rows[1]).getByRole("link", { name: "eva" });
    const followed = fireEvent.click(sponsorLink);
    expect(followed).toBe(false); // default prevented: the browser does not load the href
    expect(window.location.pathname).toBe("/dashboard/partners/UGFydG5lcjox");
  });
});
