import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../../test/render";
import { ATTENTION_FIELDS, AttentionOrders } from "./AttentionOrders";

const answer = (unknown = true) => ({
  parkedOrders: {
    totalCount: 1,
    edges: [
      {
        node: {
          orderId: "T3JkZXI6NjAx",
          number: "601",
          eventKind: "paid",
          reason: "NO_EXCHANGE_RATE",
          message: "no exchange rate for USD->EUR on 2026-11-24",
          attempts: 2,
          parkedAt: "2026-11-24T14:00:00Z",
          referralCode: "BERT1",
        },
      },
    ],
  },
  unknownCodeOrders: {
    totalCount: unknown ? 1 : 0,
    edges: unknown
      ? [{ node: { orderId: "T3JkZXI6NjAz", number: "603", referralCode: "BRET1", userEmail: "typo@example.com", pv: "20.0000", customer: { id: "Q3VzdG9tZXI6OQ==" } } }]
      : [],
  },
});
const partners = { partners: { edges: [{ node: { id: "UGFydG5lcjoy", displayName: "Bert Muster", referralCode: "BERT1", email: null } }] } };

describe("orders to look at", () => {
  it("says which API fields it needs when the API lacks them", () => {
    renderWithApp(<AttentionOrders />, { capabilities: [] });
    expect(screen.getByTestId("missing-api").dataset.missing).toBe(ATTENTION_FIELDS.join(","));
  });

  it("lists parked orders with their reason and the unknown codes, in German", async () => {
    const client = fakeClient({ AttentionOrders: () => answer() });
    renderWithApp(<AttentionOrders />, { client, capabilities: ATTENTION_FIELDS, locale: "de" });
    const parked = await screen.findByTestId("parked-orders");
    expect(screen.getByText("Geparkte Bestellereignisse: 1")).toBeTruthy();
    const parkedRow = within(parked).getByTestId("row");
    expect(within(parkedRow).getByText("Kein Wechselkurs").getAttribute("title")).toBe("no exchange rate for USD->EUR on 2026-11-24");
    expect(within(parkedRow).getByText("#601")).toBeTruthy();
    expect(within(parkedRow).getByText("BERT1")).toBeTruthy();
    const unknownRow = within(screen.getByTestId("unknown-code-orders")).getByTestId("row");
    expect(within(unknownRow).getByText("BRET1")).toBeTruthy();
    expect(within(unknownRow).getByText("typo@example.com")).toBeTruthy();
  });

  it("assigns an unknown-code order's customer to the partner picked, then reloads", async () => {
    let assigned = false;
    const client = fakeClient({
      AttentionOrders: () => answer(!assigned),
      PartnerSearch: () => partners,
      HouseCustomerAssign: () => {
        assigned = true;
        return { houseCustomerAssign: { errors: [], customer: { id: "Q3VzdG9tZXI6OQ==" } } };
      },
    });
    renderWithApp(<AttentionOrders />, { client, capabilities: ATTENTION_FIELDS });
    fireEvent.click(await screen.findByTestId("assign-open"));
    fireEvent.click(screen.getByTestId("assign-confirm"));
    expect(await screen.findByText("Choose the partner the code was meant for.")).toBeTruthy();
    expect(client.calls.some((call) => call.operation === "HouseCustomerAssign")).toBe(false);

    const input = screen.getByTestId("assign-form").querySelector("input")!;
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: "Bert" } });
    fireEvent.click(await screen.findByText("Bert Muster (BERT1)"));
    fireEvent.click(screen.getByTestId("assign-confirm"));

    await waitFor(() => expect(screen.getByText("No order carried an unknown referral code.")).toBeTruthy());
    expect(client.calls.find((call) => call.operation === "HouseCustomerAssign")!.variables).toEqual({
      customerId: "Q3VzdG9tZXI6OQ==",
      sponsorId: "UGFydG5lcjoy",
      reason: "order #603 carried the unknown referral code BRET1",
    });
  });
});
