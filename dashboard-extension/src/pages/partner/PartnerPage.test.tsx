import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../../test/render";
import { PartnerPage, VOUCHER_MARK_FIELDS } from "./PartnerPage";

const ID = "UGFydG5lcjox";

function partner(voucherCodeMissing?: boolean) {
  return {
    id: ID, displayName: "Eva Engel", email: "eva@example.com", referralCode: "EVA1", status: "ACTIVE", statusReason: "",
    statusChangedAt: null, country: "DE", language: "de", enrolledAt: "2026-01-03T00:00:00Z", payoutCurrency: "EUR",
    taxStatus: "REGULAR", ...(voucherCodeMissing === undefined ? {} : { voucherCodeMissing }), sponsor: null, care: null,
    frontline: { totalCount: 0 }, customers: { totalCount: 0 }, splitAgreement: null,
    looksAfter: { totalCount: 0, edges: [] }, recruitsCared: { totalCount: 0, edges: [] }, changes: { edges: [] },
  };
}

function client(voucherCodeMissing?: boolean) {
  const api = fakeClient({ Partner: () => ({ partner: partner(voucherCodeMissing) }) });
  const queries = () => api.request.mock.calls.map((call) => String(call[0]));
  return { api, queries };
}

describe("the partner page", () => {
  it("marks a partner whose voucher code is missing, in the merchant's language", async () => {
    const { api } = client(true);
    renderWithApp(<PartnerPage id={ID} />, { client: api, capabilities: VOUCHER_MARK_FIELDS, locale: "de" });

    const mark = await screen.findByTestId("voucher-code-missing");
    expect(mark.textContent).toContain("Gutscheincode fehlt");
    expect(mark.textContent).toContain("beim nächsten Durchlauf");
  });

  it("shows no mark when the code is there", async () => {
    const { api } = client(false);
    renderWithApp(<PartnerPage id={ID} />, { client: api, capabilities: VOUCHER_MARK_FIELDS });

    await screen.findByText("EVA1");
    expect(screen.queryByTestId("voucher-code-missing")).toBeNull();
  });

  it("does not ask an API without the field for it", async () => {
    const { api, queries } = client();
    renderWithApp(<PartnerPage id={ID} />, { client: api, capabilities: [] });

    await screen.findByText("EVA1");
    expect(queries().some((query) => query.includes("query Partner(") && query.includes("voucherCodeMissing"))).toBe(false);
    expect(screen.queryByTestId("voucher-code-missing")).toBeNull();
  });
});
