import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { PROGRAM_FIELDS } from "../../app/program";
import { fakeClient, fakeHost, renderWithApp } from "../../test/render";
import { MEMBERS_FIELDS, PROGRAMS_FIELDS, ProgramsPage } from "./ProgramsPage";

const NEEDS = [...PROGRAMS_FIELDS, ...MEMBERS_FIELDS, ...PROGRAM_FIELDS];
const SOURCE_ALL = { products: "ALL", productTypeIds: [], categoryIds: [], collectionIds: [], pvMetadataKey: "mlm.main.pv", bvMetadataKey: "mlm.main.bv" };
const MAIN = { id: "UHJvZ3JhbTox", code: "main", name: "Partner program", displayName: "Partnerprogramm", isDefault: true, memberCount: 200, planInForce: { id: "UGxhblZlcnNpb246MQ==", displayName: "Karriereplan", inForceFrom: "2026-01-01" }, volumeSource: SOURCE_ALL };
const WELLNESS = {
  id: "UHJvZ3JhbToy",
  code: "wellness",
  name: "Wellness",
  displayName: "Wellness",
  isDefault: false,
  memberCount: 2,
  planInForce: null,
  volumeSource: { ...SOURCE_ALL, products: "LISTED", productTypeIds: ["PT1"], pvMetadataKey: "mlm.wellness.pv", bvMetadataKey: "mlm.wellness.bv" },
};
const CLARA = { partner: { id: "UGFydG5lcjoz", displayName: "Clara Weiss", referralCode: "CLARA" }, sponsor: null, frontlineCount: 1, enrolledAt: "2026-11-02T10:00:00Z" };
const ANNA = { partner: { id: "UGFydG5lcjox", displayName: "Anna Muster", referralCode: "ANNA" }, sponsor: CLARA.partner, frontlineCount: 0, enrolledAt: "2026-11-03T10:00:00Z" };

function client() {
  return fakeClient({
    Programs: () => ({ programs: { totalCount: 2, edges: [MAIN, WELLNESS].map((node) => ({ node })) } }),
    ProgramChoices: () => ({ programs: { edges: [MAIN, WELLNESS].map((node) => ({ node })) } }),
    ProgramCreate: (variables) => ({
      programCreate: (variables.input as { code: string }).code === "main"
        ? { errors: [{ field: "code", code: "UNIQUE", message: "Another program has this code." }], program: null }
        : { errors: [], program: { id: "UHJvZ3JhbToz", code: "beauty" } },
    }),
    ProgramUpdate: () => ({ programUpdate: { errors: [], program: { id: MAIN.id, code: "main" } } }),
    ProgramMembers: () => ({ programMembers: { totalCount: 2, edges: [CLARA, ANNA].map((node) => ({ node })) } }),
    ProgramEnrollmentRemove: () => ({ programEnrollmentRemove: { errors: [{ field: "partnerId", code: "HAS_MEMBERS", message: "Members of the program are below Clara Weiss: move them first." }] } }),
  });
}

const fill = (testId: string, value: string) => {
  const field = screen.getByTestId(testId);
  const input = field.tagName === "INPUT" || field.tagName === "TEXTAREA" ? field : field.querySelector("input, textarea")!;
  fireEvent.change(input, { target: { value } });
};

/** A text shown at a field: the smallest box around the text that holds an input holds that field's. */
function fieldWith(text: string, testId: string): boolean {
  return screen.getAllByText(text).some((element) => {
    let box: HTMLElement | null = element;
    while (box && !box.querySelector("input, textarea")) box = box.parentElement;
    return Boolean(box && (box.querySelector(`[data-testid="${testId}"]`) || box.matches(`[data-testid="${testId}"]`)));
  });
}

describe("the programs page", () => {
  it("lists each program with its products, members and plan in force", async () => {
    renderWithApp(<ProgramsPage />, { client: client(), capabilities: NEEDS, locale: "de" });

    const table = await screen.findByTestId("programs-table");
    const rows = within(table).getAllByTestId("program-row").map((row) => row.closest("tr")!.textContent);
    expect(rows[0]).toContain("Partnerprogramm");
    expect(rows[0]).toContain("Alle Produkte");
    expect(rows[0]).toContain("Karriereplan · seit 2026-01");
    expect(rows[1]).toContain("1 Produkttyp, 0 Kategorien, 0 Kollektionen");
    expect(rows[1]).toContain("Kein Plan in Kraft");
    expect(within(table).getAllByTestId("program-members").map((cell) => cell.textContent)).toEqual(["200", "2"]);
  });

  it("creates a program and shows the API's error at its field", async () => {
    const api = client();
    const host = fakeHost();
    renderWithApp(<ProgramsPage />, { client: api, capabilities: NEEDS, host });

    fireEvent.click(await screen.findByTestId("program-create"));
    fireEvent.click(screen.getByTestId("program-dialog-confirm"));
    expect(fieldWith("Required.", "program-dialog-name")).toBe(true);
    fill("program-dialog-name", "Beauty");
    fill("program-dialog-code", "main");
    fireEvent.click(screen.getByTestId("program-dialog-confirm"));
    await waitFor(() => expect(fieldWith("Another program has this code.", "program-dialog-code")).toBe(true));
    expect(fieldWith("Another program has this code.", "program-dialog-name")).toBe(false);
    fill("program-dialog-code", "beauty");
    fireEvent.click(screen.getByTestId("program-dialog-confirm"));
    await waitFor(() => expect(host.notify).toHaveBeenCalledWith("success", "Beauty is saved."));
    expect(api.calls.filter((call) => call.operation === "ProgramCreate").at(-1)!.variables).toEqual({
      input: { name: "Beauty", code: "beauty", pvMetadataKey: "", bvMetadataKey: "", volumeSource: { products: "ALL", productTypeIds: [], categoryIds: [], collectionIds: [] } },
    });
  });

  it("edits the default program without its source, which stays all products", async () => {
    const api = client();
    renderWithApp(<ProgramsPage />, { client: api, capabilities: NEEDS });

    fireEvent.click(await screen.findByTestId("program-edit-main"));
    expect(screen.queryByTestId("program-dialog-volumeSource")).toBeNull();
    fireEvent.click(screen.getByTestId("program-dialog-confirm"));
    await waitFor(() => expect(api.calls.some((call) => call.operation === "ProgramUpdate")).toBe(true));
    expect(api.calls.find((call) => call.operation === "ProgramUpdate")!.variables.input).not.toHaveProperty("volumeSource");
  });

  it("shows a program's members and the refusal to remove one with members below", async () => {
    const api = client();
    renderWithApp(<ProgramsPage />, { client: api, capabilities: NEEDS });

    expect((await screen.findByTestId("program-default-members")).textContent).toContain("Every partner is a member of the default program");
    fireEvent.click(await screen.findByTestId("program-members-wellness"));
    const members = await screen.findByTestId("program-members-table");
    expect(within(members).getAllByTestId("program-member-sponsor").map((cell) => cell.textContent)).toEqual(["At the top", "Clara Weiss · CLARA"]);
    expect(window.location.search).toContain("program=wellness");
    fireEvent.click(within(members).getByTestId("member-remove-CLARA"));
    fill("remove-dialog-reason", "left the company");
    fireEvent.click(screen.getByTestId("remove-dialog-confirm"));
    await waitFor(() => expect(screen.getByTestId("remove-dialog").textContent).toContain("Members of the program are below Clara Weiss: move them first."));
    expect(api.calls.find((call) => call.operation === "ProgramEnrollmentRemove")!.variables).toEqual({ programId: WELLNESS.id, partnerId: CLARA.partner.id, reason: "left the company" });
  });
});
