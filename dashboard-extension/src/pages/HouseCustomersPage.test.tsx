import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../test/render";
import { HOUSE_CUSTOMER_FIELDS, HouseCustomersPage } from "./HouseCustomersPage";

function client() {
  let assigned = false;
  return fakeClient({
    HouseCustomers: (variables) => ({
      houseCustomers: {
        totalCount: assigned ? 0 : 1,
        pageInfo: { startCursor: "a", endCursor: "a" },
        edges: assigned || (variables.search && variables.search !== "lena") ? [] : [{ node: { id: "Q3VzdG9tZXI6MQ==", displayName: "Lena Lang", email: "lena@example.com", attributionSource: "NONE", createdAt: "2026-11-03T10:00:00Z" } }],
      },
    }),
    PartnerSearch: () => ({ partners: { edges: [] } }),
    HouseCustomerAssign: () => {
      assigned = true;
      return { houseCustomerAssign: { errors: [], customer: { id: "Q3VzdG9tZXI6MQ==" } } };
    },
  });
}

describe("the house customers page", () => {
  it("says what the API lacks", () => {
    renderWithApp(<HouseCustomersPage />, { client: client(), capabilities: [] });
    expect(screen.getByTestId("missing-api").dataset.missing).toBe(HOUSE_CUSTOMER_FIELDS.join(","));
  });

  it("lists house customers and asks for the partner before assigning", async () => {
    const api = client();
    renderWithApp(<HouseCustomersPage />, { client: api, capabilities: HOUSE_CUSTOMER_FIELDS, locale: "de" });
    const rows = await screen.findAllByTestId("row");
    expect(within(rows[0]).getByText("Lena Lang")).toBeTruthy();
    expect(within(rows[0]).getByText("Kein Code")).toBeTruthy();
    fireEvent.click(within(rows[0]).getByTestId("house-customer-assign"));
    fireEvent.click(screen.getByTestId("house-customer-dialog-confirm"));
    expect(await screen.findByText("Pflichtfeld.")).toBeTruthy();
    expect(api.calls.some((call) => call.operation === "HouseCustomerAssign")).toBe(false);

    fireEvent.change(screen.getByPlaceholderText("Nach Name oder E-Mail suchen"), { target: { value: "lena" } });
    await waitFor(() => expect(api.calls.filter((call) => call.operation === "HouseCustomers").at(-1)!.variables).toMatchObject({ search: "lena", first: 20 }));
  });
});
