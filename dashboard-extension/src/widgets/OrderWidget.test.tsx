import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../test/render";
import { ORDER_WIDGET_FIELDS, OrderWidget, type OrderAttribution } from "./OrderWidget";

const CREDITED: OrderAttribution = {
  orderId: "T3JkZXI6OTAx",
  number: "901",
  credited: true,
  rule: "KNOWN_CUSTOMER",
  ruleName: "Known customer",
  period: "2026-03",
  partner: null,
  customer: {
    id: "Q3VzdG9tZXI6Mg==",
    displayName: "Gast Zwei",
    sponsor: { id: "UGFydG5lcjo1", displayName: "Bert Muster" },
    care: { effectiveShare: "0.2500", carePartner: { id: "UGFydG5lcjoy", displayName: "Anna Muster" } },
  },
  viaPartner: { id: "UGFydG5lcjo1", displayName: "Bert Muster" },
  lines: [{ lineId: "T3JkZXJMaW5lOjkwMQ==", sku: "TEA", quantity: 2, pv: "20.00", bv: "40.00" }],
  pv: "20.0000",
  bv: "40.0000",
  ledger: [
    { kind: "ORDER", entries: 1, pv: "20.0000", bv: "40.0000" },
    { kind: "REFUND", entries: 1, pv: "-5.0000", bv: "-10.0000" },
  ],
  netPv: "15.0000",
  netBv: "30.0000",
  parked: [],
};

describe("the order widget", () => {
  it("names the API field it needs while it is missing", () => {
    renderWithApp(<OrderWidget />);
    expect(screen.getByTestId("missing-api").getAttribute("data-missing")).toBe(ORDER_WIDGET_FIELDS.join(","));
  });

  it("shows the credited customer with sponsor and Betreuer, the rule, per-line and total volume and what refunds took back", async () => {
    window.history.pushState(null, "", "/dashboard/widgets/order?orderId=T3JkZXI6OTAx");
    const client = fakeClient({
      OrderWidget: (variables) => {
        expect(variables).toEqual({ orderId: "T3JkZXI6OTAx" });
        return { orderAttribution: CREDITED };
      },
    });
    renderWithApp(<OrderWidget />, { client, capabilities: ORDER_WIDGET_FIELDS });
    expect(await screen.findByText("Gast Zwei")).toBeTruthy();
    expect(screen.queryByTestId("missing-api")).toBeNull();
    expect(screen.getByText("#901")).toBeTruthy();
    expect(screen.getByText("Bert Muster")).toBeTruthy();
    expect(screen.getByText("Anna Muster (25%)")).toBeTruthy();
    expect(screen.getByTestId("order-rule").textContent).toContain("Known customer");
    expect(screen.getByText("TEA × 2")).toBeTruthy();
    expect(screen.getByTestId("order-total").textContent).toContain("PV 20.00 · BV 40.00");
    expect(screen.getByTestId("order-refund").textContent).toContain("PV -5.00 · BV -10.00");
    expect(screen.getByTestId("order-net").textContent).toContain("PV 15.00 · BV 30.00");
  });

  it("says why an order waits and that the app never received an unknown one", async () => {
    window.history.pushState(null, "", "/dashboard/widgets/order?orderId=T3JkZXI6OTAy");
    const parked: OrderAttribution = {
      ...CREDITED,
      credited: false,
      rule: null,
      ruleName: null,
      customer: null,
      lines: [],
      pv: null,
      bv: null,
      ledger: [],
      netPv: "0",
      netBv: "0",
      parked: [{ eventKind: "refunded", reason: "AWAITING_PAYMENT", message: "waits for the paid event" }],
    };
    renderWithApp(<OrderWidget />, { client: fakeClient({ OrderWidget: () => ({ orderAttribution: parked }) }), capabilities: ORDER_WIDGET_FIELDS, locale: "de" });
    expect((await screen.findByTestId("order-parked")).textContent).toBe("Wartet: Erstattung vor Zahlung");
    expect(screen.getByText("Für diese Bestellung wurde nichts gutgeschrieben.")).toBeTruthy();
  });

  it("says when the app has not received the order", async () => {
    window.history.pushState(null, "", "/dashboard/widgets/order?orderId=T3JkZXI6MA==");
    renderWithApp(<OrderWidget />, { client: fakeClient({ OrderWidget: () => ({ orderAttribution: null }) }), capabilities: ORDER_WIDGET_FIELDS });
    expect(await screen.findByText("The app has not received this order.")).toBeTruthy();
  });

  it("names the rule in the user's language by its code, and a rule it does not know by the API's name", async () => {
    window.history.pushState(null, "", "/dashboard/widgets/order?orderId=T3JkZXI6OTAx");
    const client = fakeClient({ OrderWidget: () => ({ orderAttribution: CREDITED }) });
    const { unmount } = renderWithApp(<OrderWidget />, { client, capabilities: ORDER_WIDGET_FIELDS, locale: "de" });
    expect((await screen.findByTestId("order-rule")).textContent).toContain("Bekannter Kunde (bleibt beim Sponsor)");
    unmount();

    const later = fakeClient({ OrderWidget: () => ({ orderAttribution: { ...CREDITED, rule: "COUPON_BOOK", ruleName: "Coupon book" } }) });
    renderWithApp(<OrderWidget />, { client: later, capabilities: ORDER_WIDGET_FIELDS, locale: "de" });
    expect((await screen.findByTestId("order-rule")).textContent).toContain("Coupon book");
  });
});
