import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { fakeClient, fakeHost, renderWithApp } from "../test/render";
import { CareForm, percentToShare } from "./CareForm";

describe("percentToShare", () => {
  it("turns percent into the API's exact share", () => {
    expect(["25", "12,5", "0", "100", "33.3333", " 7 "].map(percentToShare)).toEqual(["0.25", "0.125", "0", "1", "0.333333", "0.07"]);
    expect(percentToShare("")).toBeNull();
    expect(["101", "-1", "abc", "1.23456"].map(percentToShare)).toEqual(["NaN", "NaN", "NaN", "NaN"]);
  });
});

describe("assigning a Betreuer", () => {
  const partners = { partners: { edges: [{ node: { id: "UGFydG5lcjoy", displayName: "Karla Keller", referralCode: "KARLA", email: null } }] } };

  it("asks for a Betreuer and a valid share before sending", async () => {
    const client = fakeClient({ PartnerSearch: () => partners });
    renderWithApp(<CareForm target={{ partnerId: "UGFydG5lcjox" }} targetName="Ida" onDone={() => undefined} />, { client });
    fireEvent.change(screen.getByTestId("care-share"), { target: { value: "150" } });
    fireEvent.click(screen.getByTestId("care-submit"));
    expect(await screen.findByText("Choose a Betreuer.")).toBeTruthy();
    expect(screen.getByText("Enter a percentage between 0 and 100.")).toBeTruthy();
    expect(client.calls.some((call) => call.operation === "CareAssign")).toBe(false);
  });

  it("sends the assignment and shows the API's refusal next to the form", async () => {
    const client = fakeClient({
      PartnerSearch: () => partners,
      CareAssign: () => ({ careAssign: { errors: [{ field: "carePartnerId", code: "CYCLE", message: "That would close a cycle." }], careAssignment: null } }),
    });
    const host = fakeHost();
    const onDone = vi.fn();
    renderWithApp(<CareForm target={{ partnerId: "UGFydG5lcjox" }} targetName="Ida" onDone={onDone} />, { client, host });
    const input = screen.getByTestId("care-form").querySelector("input")!;
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: "Karla" } });
    fireEvent.click(await screen.findByText("Karla Keller (KARLA)"));
    fireEvent.change(screen.getByTestId("care-share"), { target: { value: "30" } });
    fireEvent.click(screen.getByTestId("care-submit"));

    expect(await screen.findByText("That would close a cycle.")).toBeTruthy();
    expect(client.calls.find((call) => call.operation === "CareAssign")!.variables).toEqual({
      input: { partnerId: "UGFydG5lcjox", carePartnerId: "UGFydG5lcjoy", share: "0.3", reason: null },
    });
    expect(onDone).not.toHaveBeenCalled();
    await waitFor(() => expect(host.notify).not.toHaveBeenCalled());
  });
});
