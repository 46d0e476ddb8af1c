import { ThemeProvider } from "@saleor/macaw-ui";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { OfficeContext, officeValue } from "../app/context";
import { GraphQLClient } from "../app/graphql";
import { Session } from "../app/session";
import type { Locale } from "../i18n";
import { CustomerOrderPage } from "./CustomerOrderPage";

const PRODUCTS = [
  { id: "UHJvZHVjdDox", name: "Aloe Vera Gel 250 ml", variants: [{ id: "UHJvZHVjdFZhcmlhbnQ6MQ==", name: "", sku: "ALOE-GEL-250", price: "24.90", currency: "EUR" }] },
  {
    id: "UHJvZHVjdDoy",
    name: "Proteinshake",
    variants: [
      { id: "UHJvZHVjdFZhcmlhbnQ6NQ==", name: "Vanille", sku: "PROTEIN-VAN", price: "39.90", currency: "EUR" },
      { id: "UHJvZHVjdFZhcmlhbnQ6Ng==", name: "Schoko", sku: "PROTEIN-SCHOKO", price: "39.90", currency: "EUR" },
    ],
  },
];

type Call = { operation: string; variables: Record<string, any> };

/** The app's GraphQL API as the page meets it: the catalogue (searched by name), the countries,
 * and customerCheckoutCreate refusing a missing postal code, then making the checkout. */
function api() {
  const calls: Call[] = [];
  const fetcher = (async (_url: string, init: RequestInit) => {
    const { query, variables } = JSON.parse(String(init.body));
    const operation = /(?:query|mutation) (\w+)/.exec(query)![1];
    calls.push({ operation, variables });
    let data: unknown;
    if (operation === "OfficeProducts") {
      const search = (variables.search ?? "").toLowerCase();
      data = { officeProducts: PRODUCTS.filter((product) => product.name.toLowerCase().includes(search)) };
    } else if (operation === "OfficeCountries") {
      data = { officeCountries: [{ code: "AT", name: "Österreich" }, { code: "DE", name: "Deutschland" }] };
    } else if (operation === "OfficeCustomerCheckout") {
      const input = variables.input;
      data = input.postalCode
        ? {
            customerCheckoutCreate: {
              errors: [],
              checkout: { id: "Q2hlY2tvdXQ6MQ==", email: input.email, paymentUrl: "https://shop.example.com/checkout?checkout=Q2hlY2tvdXQ6MQ%3D%3D", totalGross: "104.70", currency: "EUR", voucherCode: "ANNA", referralCode: "ANNA" },
            },
          }
        : { customerCheckoutCreate: { errors: [{ field: "postalCode", code: "REQUIRED", message: "Pflichtfeld." }], checkout: null } };
    }
    return new Response(JSON.stringify({ data }), { status: 200 });
  }) as typeof fetch;
  return { calls, fetcher };
}

function renderPage(fetcher: typeof fetch, locale: Locale = "de") {
  const session = new Session({ saleorApiUrl: "https://shop.example.com/graphql/", demo: false, demoPartners: [] }, window.localStorage, fetcher);
  const client = new GraphQLClient(session, () => locale, fetcher);
  const prefs = { locale, theme: "light" as const };
  return render(
    <ThemeProvider>
      <OfficeContext.Provider value={officeValue(session, client, prefs, () => undefined)}>
        <CustomerOrderPage />
      </OfficeContext.Provider>
    </ThemeProvider>,
  );
}

describe("the order for a customer", () => {
  it("takes products and the customer, shows an error at its field, then the payment link with its QR code", async () => {
    const { calls, fetcher } = api();
    renderPage(fetcher);
    expect(screen.getByTestId("page-title").textContent).toBe("Bestellung für Kunden");
    // The catalogue, searched as typed (one request once the typing stopped).
    fireEvent.change(screen.getByTestId("product-search"), { target: { value: "protein" } });
    await waitFor(() => expect(screen.getAllByTestId("row").map((row) => row.dataset.product)).toEqual(["UHJvZHVjdDoy"]));
    expect(calls.filter((call) => call.operation === "OfficeProducts").at(-1)!.variables).toEqual({ search: "protein" });
    fireEvent.change(screen.getByTestId("product-variant"), { target: { value: "UHJvZHVjdFZhcmlhbnQ6Ng==" } });
    fireEvent.click(screen.getByTestId("product-add"));
    fireEvent.click(screen.getByTestId("product-add"));
    fireEvent.change(screen.getByTestId("product-search"), { target: { value: "" } });
    await waitFor(() => expect(screen.getAllByTestId("row")).toHaveLength(2));
    fireEvent.click(within(screen.getAllByTestId("row")[0]).getByTestId("product-add"));
    const cart = screen.getAllByTestId("cart-line");
    expect(cart.map((line) => [line.dataset.variant, within(line).getByTestId("cart-quantity").textContent])).toEqual([
      ["UHJvZHVjdFZhcmlhbnQ6Ng==", "2"],
      ["UHJvZHVjdFZhcmlhbnQ6MQ==", "1"],
    ]);
    fireEvent.click(within(cart[1]).getByTestId("cart-more"));
    fireEvent.click(within(cart[1]).getByTestId("cart-less"));
    fireEvent.click(within(cart[1]).getByTestId("cart-less"));
    expect(screen.getAllByTestId("cart-line")).toHaveLength(1);
    fireEvent.click(within(screen.getAllByTestId("row")[0]).getByTestId("product-add"));

    // The countries of the shop, Germany first chosen.
    await waitFor(() => expect((screen.getByTestId("order-country") as HTMLSelectElement).value).toBe("DE"));
    for (const [field, value] of Object.entries({ email: "kim@example.com", firstName: "Kim", lastName: "Berg", streetAddress1: "Hauptstraße 1", city: "Berlin" })) {
      fireEvent.change(screen.getByTestId(`order-${field}`), { target: { value } });
    }
    fireEvent.click(screen.getByTestId("order-submit"));
    expect((await screen.findByTestId("order-postalCode-error")).textContent).toBe("Pflichtfeld.");
    expect(screen.getByTestId("order-postalCode").getAttribute("aria-invalid")).toBe("true");

    fireEvent.change(screen.getByTestId("order-postalCode"), { target: { value: "10115" } });
    fireEvent.click(screen.getByTestId("order-submit"));
    const link = await screen.findByTestId("payment-link");
    expect(within(link).getByTestId("value").textContent).toBe("https://shop.example.com/checkout?checkout=Q2hlY2tvdXQ6MQ%3D%3D");
    expect((await screen.findByTestId("qr")).dataset.value).toBe("https://shop.example.com/checkout?checkout=Q2hlY2tvdXQ6MQ%3D%3D");
    expect(screen.getByTestId("order-code").textContent).toBe("Ihr Gutscheincode ANNA ist eingelöst.");
    const sent = calls.filter((call) => call.operation === "OfficeCustomerCheckout").at(-1)!.variables.input;
    expect(sent).toMatchObject({
      email: "kim@example.com",
      country: "DE",
      postalCode: "10115",
      lines: [
        { variantId: "UHJvZHVjdFZhcmlhbnQ6Ng==", quantity: 2 },
        { variantId: "UHJvZHVjdFZhcmlhbnQ6MQ==", quantity: 1 },
      ],
    });
    // Nothing in the request names a partner or a code: the app takes the signed-in partner's.
    expect(Object.keys(sent).sort()).toEqual(["city", "companyName", "country", "countryArea", "email", "firstName", "lastName", "lines", "phone", "postalCode", "streetAddress1", "streetAddress2"]);

    fireEvent.click(screen.getByTestId("order-new"));
    expect(await screen.findByTestId("cart-empty")).toBeTruthy();
  });
});
