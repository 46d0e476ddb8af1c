import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, renderWithApp } from "../test/render";
import { PERIODS_FIELDS, PeriodsPage } from "./PeriodsPage";

const period = (status: string, run: unknown = null) => ({
  id: "UGVyaW9kOjE=",
  label: "2026-10",
  startsOn: "2026-10-01",
  status,
  closedAt: null,
  approvedAt: null,
  statusName: "",
  statistics: { currency: "EUR", total: "1234.50", bv: "20000.00", earningPartners: 7 },
  run,
});

describe("the periods page", () => {
  it("closes a period after confirming and shows the run's progress", async () => {
    let closed = false;
    const client = fakeClient({
      Periods: () => ({
        periods: { edges: [{ node: closed ? period("CLOSED", { id: "r", kind: "CLOSE", status: "RUNNING", phase: "COMPUTE", phaseName: "", percent: 60, error: null }) : period("OPEN") }] },
      }),
      PeriodClose: (variables) => {
        expect(variables).toEqual({ id: "UGVyaW9kOjE=" });
        closed = true;
        return { periodClose: { errors: [], period: { id: "UGVyaW9kOjE=", status: "closed" }, run: null } };
      },
    });
    renderWithApp(<PeriodsPage periodId={null} />, { client, capabilities: PERIODS_FIELDS });
    expect(await screen.findByText("€1,234.50")).toBeTruthy();
    fireEvent.click(screen.getByTestId("period-close"));
    fireEvent.click(await screen.findByTestId("period-close-confirm"));
    const bar = await screen.findByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("60");
    expect(screen.getByText("Closing 2026-10: computing")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("period-status").getAttribute("data-status")).toBe("CLOSED"));
  });
});
