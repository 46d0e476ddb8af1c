import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../test/render";
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
});
