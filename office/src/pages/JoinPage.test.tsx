import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { App } from "../App";

/**
 * The registration page against a stand-in of the shop's Saleor (accountRegister, tokenCreate as
 * Saleor answers them) and of the app's API (the sponsor's code, the terms, partnerRegister with
 * its errors at their fields), through the office's own fetch.
 */
const SHOP = "https://shop.example.com/graphql/";
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
const token = (email: string) => `h.${btoa(JSON.stringify({ email }))}.s`;

function backend({ approval = true, codeValid = true } = {}) {
  const accounts = new Map<string, string>([["anna@example.com", "Anna-Passwort-1"]]);
  const registered: Array<Record<string, unknown>> = [];
  const calls: string[] = [];
  const fetcher = (async (url: string, init?: RequestInit) => {
    if (url.startsWith("/office/config.json")) return json({ saleorApiUrl: SHOP, accountsUrl: SHOP, demo: false, demoPartners: [] });
    const body = JSON.parse(String(init?.body ?? "{}"));
    const operation = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
    calls.push(operation);
    const variables = body.variables ?? {};
    if (url === SHOP && operation === "OfficeAccountRegister") {
      const { email, password } = variables.input;
      if (password.length < 8) return json({ data: { accountRegister: { requiresConfirmation: null, errors: [{ field: "password", code: "PASSWORD_TOO_SHORT", message: "This password is too short." }] } } });
      if (!accounts.has(email)) accounts.set(email, password);
      return json({ data: { accountRegister: { requiresConfirmation: false, errors: [] } } });
    }
    if (url === SHOP && operation === "OfficeConfirmAccount") {
      const ok = variables.token === "from-the-mail";
      return json({ data: { confirmAccount: { errors: ok ? [] : [{ field: "token", code: "INVALID", message: "Invalid or expired token." }] } } });
    }
    if (url === SHOP && operation === "OfficeTokenCreate") {
      if (accounts.get(variables.email) !== variables.password) {
        return json({ data: { tokenCreate: { token: null, refreshToken: null, errors: [{ field: "email", code: "INVALID_CREDENTIALS", message: "Please, enter valid credentials" }] } } });
      }
      return json({ data: { tokenCreate: { token: token(variables.email), refreshToken: "refresh", errors: [] } } });
    }
    if (url !== "/graphql/") return json({}, 404);
    switch (operation) {
      case "OfficeJoinCode":
        return json({ data: { referralCodeValidate: { valid: codeValid, sponsorName: codeValid ? "Anna Muster" : null, errors: [] } } });
      case "OfficeJoinInfo":
        return json({ data: { partnerTerms: { version: 3, language: variables.language.toLowerCase(), text: "§1 Partner terms text", publishedAt: "2026-12-01T10:00:00Z" } } });
      case "OfficeJoinViewer":
        return json({ data: { me: { partner: null }, myPartnerRegistration: null } });
      case "OfficeJoinRegister": {
        const input = variables.input;
        const errors = [];
        if (!input.acceptTerms) errors.push({ field: "acceptTerms", code: "TERMS_NOT_ACCEPTED", message: "Accept the partner terms to register." });
        if (input.vatId && input.vatId !== "ATU13585627") errors.push({ field: "vatId", code: "INVALID", message: `'${input.vatId}' is not a valid VAT id.` });
        if (errors.length) return json({ data: { partnerRegister: { errors, registration: null, partner: null } } });
        registered.push(input);
        return json({ data: { partnerRegister: { errors: [], registration: { status: approval ? "PENDING" : "APPROVED" }, partner: approval ? null : { id: "UGFydG5lcjo5" } } } });
      }
      default:
        return json({ errors: [{ message: `no answer for ${operation}` }] });
    }
  }) as unknown as typeof fetch;
  return { fetcher, registered, calls };
}

beforeEach(() => {
  window.localStorage.clear();
  window.history.pushState(null, "", "/office/join/ANNA1?locale=en");
});
afterEach(() => window.localStorage.clear());

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe("registration at /office/join/<code>", () => {
  it("creates a shop account, shows the errors at their fields, and says the registration waits for approval", async () => {
    const { fetcher, registered } = backend();
    render(<App fetcher={fetcher} />);

    expect(await screen.findByText("Your sponsor: Anna Muster (code ANNA1)")).toBeTruthy();
    type("join-account-firstName", "Kim");
    type("join-account-lastName", "Berger");
    type("join-account-email", "kim@example.com");
    type("join-account-password", "kurz");
    fireEvent.click(screen.getByTestId("join-account-submit"));
    expect((await screen.findByTestId("join-account-password-error")).textContent).toBe("The password is too short: at least 8 characters.");

    type("join-account-password", "Sonnenblume-42");
    fireEvent.click(screen.getByTestId("join-account-submit"));
    await screen.findByTestId("join-form");
    expect(screen.getByTestId("join-email").textContent).toBe("Signed in as kim@example.com");
    expect((screen.getByTestId("join-legalName") as HTMLInputElement).value).toBe("Kim Berger");
    expect(screen.getByTestId("join-terms-text").textContent).toContain("§1 Partner terms text");

    for (const [field, value] of [["join-street", "Hauptstraße 1"], ["join-postalCode", "10115"], ["join-city", "Berlin"], ["join-vatId", "DE123"]]) type(field, value);
    fireEvent.click(screen.getByTestId("join-submit"));
    expect((await screen.findByTestId("join-acceptTerms-error")).textContent).toBe("Accept the partner terms to register.");
    expect(screen.getByTestId("join-vatId-error").textContent).toBe("'DE123' is not a valid VAT id.");

    type("join-vatId", "");
    fireEvent.click(screen.getByTestId("join-accept"));
    fireEvent.click(screen.getByTestId("join-submit"));
    expect((await screen.findByTestId("join-pending")).textContent).toContain("waits for the company's approval");
    expect(registered).toEqual([
      expect.objectContaining({ sponsorReferralCode: "ANNA1", firstName: "Kim", lastName: "Berger", legalName: "Kim Berger", termsVersion: 3, acceptTerms: true, language: "en", taxStatus: "PRIVATE", vatId: "" }),
    ]);
  });

  it("signs in with an existing shop account; a wrong password stands at the password", async () => {
    const { fetcher } = backend({ approval: false });
    render(<App fetcher={fetcher} />);

    fireEvent.click(await screen.findByTestId("join-mode-signIn"));
    expect(screen.queryByTestId("join-account-firstName")).toBeNull();
    type("join-account-email", "anna@example.com");
    type("join-account-password", "wrong-password");
    fireEvent.click(screen.getByTestId("join-account-submit"));
    expect((await screen.findByTestId("join-account-password-error")).textContent).toBe("The e-mail or the password is wrong.");

    type("join-account-password", "Anna-Passwort-1");
    fireEvent.click(screen.getByTestId("join-account-submit"));
    await screen.findByTestId("join-form");
    for (const [field, value] of [["join-street", "Ring 2"], ["join-postalCode", "1010"], ["join-city", "Wien"], ["join-country", "at"]]) type(field, value);
    fireEvent.click(screen.getByTestId("join-accept"));
    fireEvent.click(screen.getByTestId("join-submit"));
    expect((await screen.findByTestId("join-welcome")).textContent).toContain("You are a partner now.");
  });

  it("back from Saleor's confirmation e-mail, the account is confirmed and the visitor signs in", async () => {
    window.history.pushState(null, "", "/office/join/ANNA1?locale=en&email=anna%40example.com&token=from-the-mail");
    const { fetcher, calls } = backend();
    render(<App fetcher={fetcher} />);

    expect((await screen.findByTestId("join-notice")).textContent).toBe("Your e-mail address is confirmed. Sign in to go on.");
    expect((screen.getByTestId("join-account-email") as HTMLInputElement).value).toBe("anna@example.com");
    expect(window.location.search).toBe("?locale=en");
    expect(calls.filter((call) => call === "OfficeConfirmAccount")).toHaveLength(1);
  });

  it("an unknown code says so, in German", async () => {
    window.history.pushState(null, "", "/office/join/NIEMAND?locale=de");
    const { fetcher, calls } = backend({ codeValid: false });
    render(<App fetcher={fetcher} />);

    expect((await screen.findByTestId("join-code-error")).textContent).toContain("Kein Partner, der neue Partner werben kann, hat den Code NIEMAND.");
    expect(screen.getByTestId("page-title").textContent).toBe("Partner werden");
    await waitFor(() => expect(calls).toContain("OfficeJoinInfo"));
    expect(screen.queryByTestId("join-account")).toBeNull();
  });
});
