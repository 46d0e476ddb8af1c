import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, fakeHost, renderWithApp } from "../../test/render";
import { PendingRegistrations, RegistrationSettingsCard } from "./RegistrationSettings";

const NEEDS = [
  "Query.registrationSettings",
  "Mutation.registrationSettingsUpdate",
  "Query.partnerRegistrations",
  "Mutation.partnerRegistrationApprove",
  "Mutation.partnerRegistrationReject",
];
const KIM = {
  id: "UGFydG5lclJlZ2lzdHJhdGlvbjox",
  email: "kim@example.com",
  firstName: "Kim",
  lastName: "Berger",
  legalName: "Kim Berger",
  postalCode: "10115",
  city: "Berlin",
  country: "DE",
  taxStatus: "PRIVATE",
  termsVersion: 2,
  createdAt: "2026-12-07T10:00:00Z",
  sponsor: { id: "UGFydG5lcjox", displayName: "Anna Muster", referralCode: "ANNA1" },
};

function client() {
  let pending = [KIM];
  return fakeClient({
    RegistrationSettings: () => ({
      registrationSettings: {
        approvalRequired: true,
        termsVersion: 2,
        termsPublishedBy: "owner@example.com",
        terms: [
          { language: "de", text: "AGB zwei", publishedAt: "2026-12-01T10:00:00Z" },
          { language: "en", text: "Terms two", publishedAt: "2026-12-01T10:00:00Z" },
        ],
      },
    }),
    RegistrationSettingsUpdate: (variables) => ({
      registrationSettingsUpdate: {
        errors: ((variables.input as { terms?: unknown[] }).terms ?? [1]).length ? [] : [{ field: "terms", code: "INVALID", message: "Give the terms' text in at least one language." }],
      },
    }),
    PendingRegistrations: () => ({ partnerRegistrations: { totalCount: pending.length, edges: pending.map((node) => ({ node })) } }),
    PartnerRegistrationApprove: () => {
      pending = [];
      return { partnerRegistrationApprove: { errors: [] } };
    },
    PartnerRegistrationReject: () => {
      pending = [];
      return { partnerRegistrationReject: { errors: [] } };
    },
  });
}

const fill = (testId: string, value: string) => {
  const field = screen.getByTestId(testId);
  const input = field.tagName === "INPUT" || field.tagName === "TEXTAREA" ? field : field.querySelector("input, textarea")!;
  fireEvent.change(input, { target: { value } });
};

describe("partner registration on the settings page", () => {
  it("shows the approval and the terms, and publishes a new version with a text per language", async () => {
    const api = client();
    renderWithApp(<RegistrationSettingsCard />, { client: api, capabilities: NEEDS, locale: "de" });

    expect((await screen.findByTestId("settings-registration-approval")).textContent).toBe("Sie geben jede Registrierung frei");
    expect(screen.getByTestId("settings-registration-terms").textContent).toBe("Version 2 vom 01.12.2026 (DE, EN)");
    fireEvent.click(screen.getByTestId("settings-registration-edit-1"));
    fill("settings-registration-dialog-terms_de", "AGB drei");
    fireEvent.click(screen.getByTestId("settings-registration-dialog-confirm"));
    await waitFor(() => expect(api.calls.some((call) => call.operation === "RegistrationSettingsUpdate")).toBe(true));
    expect(api.calls.find((call) => call.operation === "RegistrationSettingsUpdate")!.variables).toEqual({
      input: { terms: [{ language: "de", text: "AGB drei" }, { language: "en", text: "Terms two" }] },
    });
  });

  it("lists registrations waiting for approval; approve, or reject with a reason", async () => {
    const api = client();
    const host = fakeHost();
    renderWithApp(<PendingRegistrations />, { client: api, capabilities: NEEDS, host });

    const table = await screen.findByTestId("registrations-table");
    expect(table.textContent).toContain("kim@example.com");
    expect(table.textContent).toContain("Anna Muster (ANNA1)");
    fireEvent.click(within(table).getByTestId("registration-reject"));
    fireEvent.click(screen.getByTestId("registration-reject-dialog-confirm"));
    expect(api.calls.some((call) => call.operation === "PartnerRegistrationReject")).toBe(false); // the reason is required
    fill("registration-reject-dialog-reason", "Unknown to us");
    fireEvent.click(screen.getByTestId("registration-reject-dialog-confirm"));
    await waitFor(() => expect(screen.getByTestId("registrations-table").textContent).toContain("No registration waits for approval."));
    expect(api.calls.find((call) => call.operation === "PartnerRegistrationReject")!.variables).toEqual({ id: KIM.id, reason: "Unknown to us" });
    expect(host.notify).toHaveBeenCalledWith("success", "The registration of kim@example.com is rejected.");
  });

  it("approves with one click", async () => {
    const api = client();
    const host = fakeHost();
    renderWithApp(<PendingRegistrations />, { client: api, capabilities: NEEDS, host });

    fireEvent.click(within(await screen.findByTestId("registrations-table")).getByTestId("registration-approve"));
    await waitFor(() => expect(host.notify).toHaveBeenCalledWith("success", "kim@example.com is a partner now."));
    expect(api.calls.find((call) => call.operation === "PartnerRegistrationApprove")!.variables).toEqual({ id: KIM.id });
  });
});
