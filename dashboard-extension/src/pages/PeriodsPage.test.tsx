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

  it("shows the run the close started at once, before the list has caught up with it", async () => {
    const preview = { id: "p", kind: "PREVIEW", status: "SUCCEEDED", phase: "DONE", phaseName: "", percent: 100, error: null };
    const client = fakeClient({
      // The list still shows the period open with its old preview run (a slow reader).
      Periods: () => ({ periods: { edges: [{ node: period("OPEN", preview) }] } }),
      PeriodClose: () => ({
        periodClose: {
          errors: [],
          period: { id: "UGVyaW9kOjE=", status: "CLOSED" },
          run: { id: "c", kind: "CLOSE", status: "PENDING", phase: "QUEUED", phaseName: "", percent: 0, error: null },
        },
      }),
    });
    renderWithApp(<PeriodsPage periodId={null} />, { client, capabilities: PERIODS_FIELDS });
    fireEvent.click(await screen.findByTestId("period-close"));
    fireEvent.click(await screen.findByTestId("period-close-confirm"));
    const bar = await screen.findByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("0");
    expect(screen.getByText("Closing 2026-10: queued")).toBeTruthy();
    expect(screen.getByTestId("period-status").getAttribute("data-status")).toBe("CLOSED");
  });

  it("explains in the user's language that the closer cannot approve", async () => {
    const client = fakeClient({
      Periods: () => ({ periods: { edges: [{ node: period("CLOSED") }] } }),
      PeriodApprove: () => ({
        periodApprove: { errors: [{ field: null, code: "SAME_USER", message: "demo@saleor-mlm.local closed 2026-10: another person approves it." }], period: null, run: null },
      }),
    });
    renderWithApp(<PeriodsPage periodId={null} />, { client, capabilities: PERIODS_FIELDS, locale: "de" });
    fireEvent.click(await screen.findByTestId("period-approve"));
    const problem = await screen.findByTestId("period-problem");
    expect(problem.getAttribute("data-code")).toBe("SAME_USER");
    expect(problem.textContent).toContain("2026-10 haben Sie abgeschlossen; freigeben muss sie eine andere Person");
  });
});
