import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, fakeHost, renderWithApp } from "../../test/render";
import { PAYOUTS_FIELDS, PayoutsPage } from "./PayoutsPage";

const RUN_ID = "UGF5b3V0UnVuOjE=";
const run = (patch: Record<string, unknown> = {}) => ({
  id: RUN_ID,
  status: "CREATED",
  currency: "EUR",
  createdBy: "ann@shop.example",
  createdAt: "2026-11-02T09:00:00Z",
  approvedBy: "",
  approvedAt: null,
  executedBy: "",
  startedAt: null,
  executedAt: null,
  skipped: 2,
  period: { id: "UGVyaW9kOjE=", label: "2026-10" },
  totals: [
    { status: "PENDING", count: 6, amount: "300.10" },
    { status: "PAID", count: 3, amount: "150.005" },
    { status: "RETURNED", count: 1, amount: "50" },
  ],
  sepaFiles: [],
  ...patch,
});
const item = (id: string, status: string, skipReason: string | null, extra: Record<string, unknown> = {}) => ({
  node: {
    id,
    method: "SEPA",
    amount: "45.50",
    currency: "EUR",
    status,
    skipReason,
    lastError: "",
    returnReason: "",
    partner: { id: `UGFydG5lcjo${id}`, displayName: `Partner ${id}`, referralCode: `P${id}` },
    creditNote: { number: `VN-2026-0000${id}` },
    ...extra,
  },
});

function client(state: Record<string, unknown> = {}) {
  return fakeClient({
    PayoutRuns: () => ({
      payoutRuns: { edges: [{ node: run({ status: "EXECUTED" }) }] },
      periods: {
        edges: [
          { node: { id: "UGVyaW9kOjI=", label: "2026-11", status: "COMMITTED" } },
          { node: { id: "UGVyaW9kOjE=", label: "2026-10", status: "COMMITTED" } },
          { node: { id: "UGVyaW9kOjM=", label: "2026-12", status: "OPEN" } },
        ],
      },
    }),
    PayoutRunCreate: () => ({ payoutRunCreate: { errors: [], payoutRun: { id: "UGF5b3V0UnVuOjI=" } } }),
    PayoutRun: () => ({ payoutRun: run(state) }),
    PayoutRunApprove: () => ({ payoutRunApprove: { errors: [], payoutRun: { id: RUN_ID, status: "APPROVED" } } }),
    PayoutItems: (variables) => ({
      payoutItems: {
        totalCount: 2,
        pageInfo: { startCursor: "a", endCursor: "b" },
        edges: (variables.filter as { skipped?: boolean }).skipped
          ? [item("1", "PENDING", "BANK_CHANGE")]
          : [item("1", "PENDING", "BANK_CHANGE"), item("2", "RETURNED", null, { returnReason: "AC04 account closed" })],
      },
    }),
    PayoutProfileChange: () => ({
      payoutProfile: {
        ibanMasked: "DE02 **** **** **** **20 51",
        bankChangePending: true,
        history: [
          { kind: "SET", ibanMasked: "DE89 **** **** **** **30 00", previousIbanMasked: "" },
          { kind: "SET", ibanMasked: "DE02 **** **** **** **20 51", previousIbanMasked: "DE89 **** **** **** **30 00" },
        ],
      },
    }),
    PayoutBankChangeConfirm: () => ({ payoutBankChangeConfirm: { errors: [], payoutProfile: { bankChangePending: false } } }),
  });
}

describe("the payouts page", () => {
  it("says what the API lacks", () => {
    renderWithApp(<PayoutsPage runId={null} />, { client: client() });
    expect(screen.getByTestId("missing-api").dataset.missing).toBe(PAYOUTS_FIELDS.join(","));
  });

  it("lists the runs and creates one for a committed period without a run", async () => {
    const api = client();
    renderWithApp(<PayoutsPage runId={null} />, { client: api, capabilities: PAYOUTS_FIELDS, locale: "de" });
    const rows = await screen.findAllByTestId("row");
    expect(rows).toHaveLength(1);
    expect(within(rows[0]).getByText("Ausgeführt")).toBeTruthy();
    // 300.10 + 150.005 + 50, exactly (rounded to cents only for display).
    expect(within(rows[0]).getByText(/500,11/)).toBeTruthy();

    fireEvent.click(screen.getByTestId("payouts-create"));
    const dialog = await screen.findByTestId("payout-create-dialog");
    expect(dialog.textContent).toContain("2026-11");
    fireEvent.click(screen.getByTestId("payout-create-dialog-confirm"));
    await waitFor(() => expect(api.calls.some((call) => call.operation === "PayoutRunCreate")).toBe(true));
    expect(api.calls.find((call) => call.operation === "PayoutRunCreate")!.variables).toEqual({ periodId: "UGVyaW9kOjI=" });
  });

  it("is not approved by the person who created the run, and says why", async () => {
    const api = client();
    renderWithApp(<PayoutsPage runId={RUN_ID} />, { client: api, capabilities: PAYOUTS_FIELDS, host: fakeHost({ email: "ann@shop.example" }) });
    const approve = (await screen.findByTestId("payout-approve")) as HTMLButtonElement;
    expect(approve.disabled).toBe(true);
    expect(screen.getByTestId("payout-approve-reason").textContent).toBe("You created this run: another person approves it (four eyes).");
    expect(approve.getAttribute("aria-describedby")).toBe("payout-approve-reason");
    expect(screen.queryByTestId("payout-execute")).toBeNull();
  });

  it("is approved by another person", async () => {
    const api = client();
    const host = fakeHost({ email: "ben@shop.example" });
    renderWithApp(<PayoutsPage runId={RUN_ID} />, { client: api, capabilities: PAYOUTS_FIELDS, host });
    const approve = (await screen.findByTestId("payout-approve")) as HTMLButtonElement;
    expect(approve.disabled).toBe(false);
    fireEvent.click(approve);
    await waitFor(() => expect(host.notify).toHaveBeenCalledWith("success", "The payout run of 2026-10 is approved."));
    expect(api.calls.find((call) => call.operation === "PayoutRunApprove")!.variables).toEqual({ id: RUN_ID });
  });

  it("shows an execution's progress over the payouts it sends", async () => {
    renderWithApp(<PayoutsPage runId={RUN_ID} />, { client: client({ status: "EXECUTING", approvedBy: "ben@shop.example" }), capabilities: PAYOUTS_FIELDS });
    const bar = await screen.findByTestId("payout-progress");
    // 10 payouts, 2 waiting: 8 to send, 4 still pending.
    expect(bar.textContent).toContain("Paying 2026-10: 4 of 8 sent");
    expect(within(bar).getByRole("progressbar").getAttribute("aria-valuenow")).toBe("50");
    expect(screen.getByTestId("payout-execute").dataset.offer).toBe("resume");
  });

  it("lists the payouts with their reasons, filters the waiting ones and confirms a changed bank account", async () => {
    const api = client({ status: "EXECUTED" });
    renderWithApp(<PayoutsPage runId={RUN_ID} />, { client: api, capabilities: PAYOUTS_FIELDS });
    const table = await screen.findByTestId("payout-items-table");
    await waitFor(() => expect(within(table).getAllByTestId("row")).toHaveLength(2));
    const reasons = within(table).getAllByTestId("payout-item-reason").map((cell) => cell.textContent);
    expect(reasons).toEqual(["Changed bank account not confirmed", "Returned: AC04 account closed"]);
    expect(screen.getByTestId("payout-execute").dataset.offer).toBe("again");

    fireEvent.click(screen.getByTestId("payout-filter-waiting"));
    await waitFor(() => expect(api.calls.filter((call) => call.operation === "PayoutItems").at(-1)!.variables).toEqual({ filter: { runId: RUN_ID, status: ["PENDING"], skipped: true }, first: 20 }));
    await waitFor(() => expect(within(screen.getByTestId("payout-items-table")).getAllByTestId("row")).toHaveLength(1));

    fireEvent.click(screen.getByTestId("payout-confirm-bank"));
    const dialog = await screen.findByTestId("payout-confirm-dialog");
    expect(dialog.textContent).toContain("from DE89 **** **** **** **30 00 to DE02 **** **** **** **20 51");
    fireEvent.change(within(dialog).getByRole("textbox"), { target: { value: "called on the known number" } });
    fireEvent.click(screen.getByTestId("payout-confirm-dialog-confirm"));
    await waitFor(() => expect(api.calls.some((call) => call.operation === "PayoutBankChangeConfirm")).toBe(true));
    expect(api.calls.find((call) => call.operation === "PayoutBankChangeConfirm")!.variables).toEqual({ partnerId: "UGFydG5lcjo1", note: "called on the known number" });
  });
});
