import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../../test/render";
import { SYNC_FIELDS, SyncCard } from "./SyncCard";

const counts = { orders: 1840, payments: 37, takeBacks: 5, parked: 0, alreadyRecorded: 1798, differences: 1 };
const done = {
  id: "T3JkZXJTeW5jUnVuOjE=",
  status: "DONE",
  trigger: "BACKFILL",
  dryRun: false,
  percent: 100,
  finishedAt: "2026-12-07T03:20:00+00:00",
  error: null,
  counts,
  differences: [{ number: "1093", kind: "UNKNOWN_CURRENCY", detail: "USD: no exchange rate to EUR imported" }],
};

describe("the sync card", () => {
  it("offers the backfill after the first install and starts it", async () => {
    let runs: unknown[] = [];
    const client = fakeClient({
      OrderSyncRuns: () => ({ orderSyncRuns: runs }),
      OrdersBackfill: () => {
        runs = [{ ...done, status: "RUNNING", percent: 40, finishedAt: null, differences: [] }];
        return { ordersBackfill: { errors: [], run: { id: done.id, status: "RUNNING" } } };
      },
    });
    renderWithApp(<SyncCard />, { client, capabilities: SYNC_FIELDS });

    expect(await screen.findByText(/months of orders/)).toBeTruthy();
    fireEvent.change(screen.getByTestId("sync-months").querySelector("input") ?? screen.getByTestId("sync-months"), {
      target: { value: "3" },
    });
    fireEvent.click(screen.getByTestId("sync-backfill"));

    await waitFor(() => expect(screen.getByTestId("sync-progress")).toBeTruthy());
    expect(client.calls.find((call) => call.operation === "OrdersBackfill")!.variables).toEqual({ months: 3 });
  });

  it("shows the latest run's report and what it left for a person", async () => {
    const client = fakeClient({ OrderSyncRuns: () => ({ orderSyncRuns: [done] }) });
    renderWithApp(<SyncCard />, { client, capabilities: SYNC_FIELDS });

    expect((await screen.findByTestId("sync-latest")).textContent).toContain("37 payments");
    expect(screen.getByTestId("sync-difference").textContent).toBe("#1093: USD: no exchange rate to EUR imported");
  });

  it("shows the API's refusal", async () => {
    const client = fakeClient({
      OrderSyncRuns: () => ({ orderSyncRuns: [] }),
      OrdersBackfill: () => ({
        ordersBackfill: { errors: [{ field: "months", code: "INVALID_MONTHS", message: "A backfill goes back 1 to 120 months." }], run: null },
      }),
    });
    renderWithApp(<SyncCard />, { client, capabilities: SYNC_FIELDS });
    await screen.findByTestId("sync-backfill");
    fireEvent.click(screen.getByTestId("sync-backfill"));

    expect((await screen.findByTestId("sync-error")).textContent).toBe("A backfill goes back 1 to 120 months.");
  });

  it("names what the API lacks", () => {
    renderWithApp(<SyncCard />, { capabilities: [] });
    expect(screen.getByTestId("missing-api").dataset.missing).toBe("Query.orderSyncRuns,Mutation.ordersBackfill");
  });
});
