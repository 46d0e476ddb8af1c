import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { fakeClient, fakeHost, renderWithApp } from "../test/render";
import { CUSTOMER_WIDGET_FIELDS, CustomerWidget } from "./CustomerWidget";

describe("the customer widget", () => {
  it("names the API fields it needs while they are missing", () => {
    renderWithApp(<CustomerWidget />);
    expect(screen.getByTestId("missing-api").getAttribute("data-missing")).toBe(CUSTOMER_WIDGET_FIELDS.join(","));
  });

  it("shows sponsor and Betreuer of the Saleor customer and opens the Betreuer form", async () => {
    window.history.pushState(null, "", "/dashboard/widgets/customer?customerId=VXNlcjox");
    const client = fakeClient({
      CustomerWidget: (variables) => {
        expect(variables).toEqual({ saleorUserId: "VXNlcjox" });
        return {
          partner: null,
          customer: {
            id: "Q3VzdG9tZXI6MQ==",
            displayName: "Kim Kunde",
            sponsor: { id: "UGFydG5lcjox", displayName: "Eva Ebert" },
            care: { effectiveShare: "0.25", carePartner: { id: "UGFydG5lcjoy", displayName: "Karla Keller" } },
          },
        };
      },
      PartnerSearch: () => ({ partners: { edges: [] } }),
    });
    renderWithApp(<CustomerWidget />, { client, capabilities: CUSTOMER_WIDGET_FIELDS, locale: "de" });
    expect(await screen.findByText("Kunde: Kim Kunde")).toBeTruthy();
    expect(screen.getByText("Eva Ebert")).toBeTruthy();
    expect(screen.getByText("Karla Keller (25 %)")).toBeTruthy();
    fireEvent.click(screen.getByTestId("widget-assign"));
    expect(screen.getByTestId("care-form")).toBeTruthy();
  });

  it("inside the Dashboard, without the API's lookup, asks Saleor for the e-mail and finds the partner by it", async () => {
    window.history.pushState(null, "", "/dashboard/widgets/customer?customerId=VXNlcjo3");
    const saleor = vi.fn(async () => new Response(JSON.stringify({ data: { user: { id: "VXNlcjo3", email: "eva@example.com" } } })));
    vi.stubGlobal("fetch", saleor);
    const client = fakeClient({
      CustomerWidgetByEmail: (variables) => {
        expect(variables).toEqual({ email: "eva@example.com" });
        return {
          partners: { edges: [{ node: { id: "UGFydG5lcjox", displayName: "Eva Ebert", email: "eva@example.com", referralCode: "EVA", status: "ACTIVE", saleorUserId: null, sponsor: null, care: null } }] },
          customers: { edges: [] },
        };
      },
    });
    const host = fakeHost({ mode: "dashboard", token: "dashboard-token", saleorApiUrl: "https://shop.example.com/graphql/" });
    renderWithApp(<CustomerWidget />, { client, host });
    expect(await screen.findByText("Partner: Eva Ebert")).toBeTruthy();
    expect(saleor).toHaveBeenCalledWith("https://shop.example.com/graphql/", expect.objectContaining({ headers: expect.objectContaining({ Authorization: "Bearer dashboard-token" }) }));
    fireEvent.click(screen.getByText("Open in Network"));
    expect(host.openAppPage).toHaveBeenCalledWith("/partners/UGFydG5lcjox");
    vi.unstubAllGlobals();
  });
});
