import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../../test/render";
import { SettingsPage } from "./SettingsPage";

const ALL = [
  "Query.volumeSettings",
  "Mutation.volumeSettingsUpdate",
  "Query.partnerVoucher",
  "Mutation.partnerVoucherUpdate",
  "Query.payoutSettings",
  "Mutation.payoutSettingsUpdate",
  "PayoutSettingsInput.minimumPayout",
  "Query.exchangeRates",
  "Mutation.exchangeRatesImport",
  "Query.creditNoteSettings",
  "Mutation.creditNoteSettingsUpdate",
  "Mutation.vatRateSet",
];

function client() {
  return fakeClient({
    VolumeSettings: () => ({ volumeSettings: { planCurrency: "EUR", pvPerBv: "1", pvMetadataKey: "mlm.pv", bvMetadataKey: "mlm.bv", referralMetadataKey: "mlm_referral_code" } }),
    PartnerVoucher: () => ({ partnerVoucher: { discountPercent: "0.000", channelSlugs: [], saleorVoucherId: null, synced: false } }),
    PayoutSettings: () => ({ payoutSettings: { minimumPayout: "25" }, volumeSettings: { planCurrency: "EUR" } }),
    ExchangeRates: () => ({
      volumeSettings: { planCurrency: "EUR" },
      exchangeRates: { totalCount: 1, edges: [{ node: { currency: "USD", planCurrency: "EUR", rate: "0.9215000000", validOn: "2026-11-03" } }] },
    }),
    CreditNoteSettings: () => ({
      creditNoteSettings: {
        numberPrefix: "VN-",
        numberStart: 1,
        retentionYears: 8,
        issuerName: "Vitalia GmbH",
        issuerStreet: "Friedrichstraße 123",
        issuerPostalCode: "10117",
        issuerCity: "Berlin",
        issuerCountry: "DE",
        issuerTaxNumber: "",
        issuerVatId: "DE136695976",
        issuerEmail: "",
        vatRates: [{ country: "AT", rate: "20.00" }],
      },
    }),
    PayoutSettingsUpdate: (variables) => ({
      payoutSettingsUpdate: {
        errors: String((variables.input as { minimumPayout?: string }).minimumPayout).startsWith("-")
          ? [{ field: "minimumPayout", code: "INVALID", message: "The minimum payout cannot be negative." }]
          : [],
      },
    }),
    VolumeSettingsUpdate: (variables) => ({
      volumeSettingsUpdate: {
        errors: (variables.input as { pvPerBv?: string }).pvPerBv === "0" ? [{ field: "pvPerBv", code: "INVALID", message: "PV per BV is a number greater than 0, e.g. 1 or 0.5." }] : [],
      },
    }),
  });
}

describe("the settings page", () => {
  it("shows every group as the API has it, in the user's language", async () => {
    renderWithApp(<SettingsPage />, { client: client(), capabilities: ALL, locale: "de" });
    expect((await screen.findByTestId("settings-pv-per-bv")).textContent).toBe("1");
    expect((await screen.findByTestId("settings-minimum-payout")).textContent?.replace(/\s/g, " ")).toBe("25,00 €");
    expect((await screen.findByTestId("settings-channels")).textContent).toBe("Alle Kanäle");
    expect((await screen.findByTestId("settings-rates-table")).textContent).toContain("1 USD = 0,9215 EUR");
    expect((await screen.findByTestId("settings-vat-rates")).textContent).toBe("AT 20 %");
    expect((await screen.findByTestId("settings-issuer")).textContent).toBe("Vitalia GmbH, Friedrichstraße 123, 10117 Berlin, DE");
    // The number start applies from next year on: its first number, not this year's.
    expect((await screen.findByTestId("settings-number-example")).textContent).toBe(`VN-${new Date().getUTCFullYear() + 1}-00001`);
  });

  it("sets the minimum payout with the payout settings' mutation", async () => {
    const api = client();
    renderWithApp(<SettingsPage />, { client: api, capabilities: ALL });
    fireEvent.click(await screen.findByTestId("settings-payouts-edit"));
    const field = screen.getByTestId("settings-payouts-dialog-minimumPayout");
    fireEvent.change(field.tagName === "INPUT" ? field : field.querySelector("input")!, { target: { value: "-5" } });
    fireEvent.click(screen.getByTestId("settings-payouts-dialog-confirm"));
    expect(await screen.findByText("The minimum payout cannot be negative.")).toBeTruthy();
    expect(api.calls.find((call) => call.operation === "PayoutSettingsUpdate")!.variables).toEqual({ input: { minimumPayout: "-5" } });
  });

  it("says per group what the API lacks, and shows the others", async () => {
    renderWithApp(<SettingsPage />, { client: client(), capabilities: ALL.filter((name) => !name.includes("payout") && !name.includes("Payout")) });
    expect(within(screen.getByTestId("settings-payouts")).getByTestId("missing-api").dataset.missing).toBe("Query.payoutSettings,Mutation.payoutSettingsUpdate,PayoutSettingsInput.minimumPayout");
    expect((await screen.findByTestId("settings-pv-per-bv")).textContent).toBe("1");
  });

  it("sends only what changed, and shows a refusal at its field", async () => {
    const api = client();
    renderWithApp(<SettingsPage />, { client: api, capabilities: ALL });
    fireEvent.click(await screen.findByTestId("settings-volume-edit"));
    const field = screen.getByTestId("settings-volume-dialog-pvPerBv");
    fireEvent.change(field.tagName === "INPUT" ? field : field.querySelector("input")!, { target: { value: "0" } });
    fireEvent.click(screen.getByTestId("settings-volume-dialog-confirm"));
    expect(await screen.findByText("PV per BV is a number greater than 0, e.g. 1 or 0.5.")).toBeTruthy();
    expect(api.calls.find((call) => call.operation === "VolumeSettingsUpdate")!.variables).toEqual({ input: { pvPerBv: "0" } });
    expect(screen.getByTestId("settings-volume-dialog")).toBeTruthy();
    await waitFor(() => expect(api.calls.filter((call) => call.operation === "VolumeSettings").length).toBe(1));
  });
});
