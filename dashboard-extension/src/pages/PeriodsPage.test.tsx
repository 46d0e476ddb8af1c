import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { fakeClient, fakeHost, renderWithApp } from "../test/render";
import { PERIODS_FIELDS, PeriodsPage } from "./PeriodsPage";

const period = (status: string, run: unknown = null, month = "2026-10") => ({
  id: month === "2026-10" ? "UGVyaW9kOjE=" : `UGVyaW9k${month}`,
  label: month,
  startsOn: `${month}-01`,
  endsOn: `${month}-28`,
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

  it("offers Close only after the month ended: before, the button is disabled with the reason", async () => {
    const client = fakeClient({
      Periods: () => ({ periods: { edges: [{ node: period("OPEN", null, "2999-11") }, { node: period("OPEN", null, "2999-10") }] } }),
    });
    renderWithApp(<PeriodsPage periodId={null} />, { client, capabilities: PERIODS_FIELDS });
    const rows = await screen.findAllByTestId("row");
    const [november, october] = rows.map((row) => within(row).getByTestId("period-close") as HTMLButtonElement);
    expect(november.disabled && october.disabled).toBe(true);
    const reasons = rows.map((row) => within(row).getByTestId("period-close-reason"));
    expect(reasons[1].textContent).toBe("2999-10 runs until 2999-10-28 (UTC): close it from 2999-10-29.");
    expect(october.getAttribute("aria-describedby")).toBe(reasons[1].id);
    fireEvent.click(october);
    expect(screen.queryByTestId("period-close-confirm")).toBeNull();
    expect(client.calls.some((call) => call.operation === "PeriodClose")).toBe(false);
  });

  it("says that an earlier open period closes first", async () => {
    const client = fakeClient({
      Periods: () => ({ periods: { edges: [{ node: period("OPEN", null, "2026-10") }, { node: period("OPEN", null, "2026-09") }] } }),
    });
    renderWithApp(<PeriodsPage periodId={null} />, { client, capabilities: PERIODS_FIELDS, locale: "de" });
    const rows = await screen.findAllByTestId("row");
    expect((within(rows[0]).getByTestId("period-close") as HTMLButtonElement).disabled).toBe(true);
    expect(within(rows[0]).getByTestId("period-close-reason").textContent).toBe("Erst 2026-09 abschließen: Perioden werden der Reihe nach abgeschlossen.");
    expect((within(rows[1]).getByTestId("period-close") as HTMLButtonElement).disabled).toBe(false);
  });

  it("confirms a preview when its run ends, with its figures; nothing says the run started after it ended", async () => {
    const host = fakeHost();
    let polls = 0;
    const run = (status: string, percent: number) => ({ id: "p2", kind: "PREVIEW", status, phase: status === "SUCCEEDED" ? "DONE" : "COMPUTE", phaseName: "", percent, error: null });
    const client = fakeClient({
      Periods: () => {
        polls += 1;
        return { periods: { edges: [{ node: period("OPEN", polls < 2 ? null : polls < 3 ? run("RUNNING", 40) : run("SUCCEEDED", 100)) }] } };
      },
      PeriodPreview: () => ({ periodPreview: { errors: [], period: { id: "UGVyaW9kOjE=", status: "OPEN" }, run: run("PENDING", 0) } }),
    });
    renderWithApp(<PeriodsPage periodId={null} />, { client, capabilities: PERIODS_FIELDS, host });
    fireEvent.click(await screen.findByTestId("period-preview"));
    await screen.findByRole("progressbar");
    expect(screen.queryByTestId("period-notice")).toBeNull();
    const notice = await screen.findByTestId("period-notice", {}, { timeout: 5000 });
    expect(notice.getAttribute("role")).toBe("status");
    expect(notice.textContent).toContain("Preview of 2026-10 ready: €1,234.50 in commissions to 7 partners.");
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(host.notify).toHaveBeenCalledTimes(1);
    expect(host.notify).toHaveBeenCalledWith("success", "Preview of 2026-10 ready: €1,234.50 in commissions to 7 partners.");
    expect(within(notice).getByTestId("period-notice-statements").getAttribute("href")).toBe("/dashboard/periods/UGVyaW9kOjE%3D");
    fireEvent.click(within(notice).getByTestId("period-notice-dismiss"));
    expect(screen.queryByTestId("period-notice")).toBeNull();
  });
});

describe("settling a period", () => {
  it("reopens with a reason, asked for at its field first; the server's refusal shows in the dialog", async () => {
    let reopened = 0;
    const client = fakeClient({
      Periods: () => ({ periods: { edges: [{ node: period(reopened > 1 ? "OPEN" : "APPROVED") }] } }),
      PeriodReopen: (variables) => {
        reopened += 1;
        expect(variables).toEqual({ id: "UGVyaW9kOjE=", reason: "a late refund" });
        return reopened === 1
          ? { periodReopen: { errors: [{ field: "period", code: "INVALID_STATUS", message: "Reopen 2026-11 first: only the latest settled period reopens." }], period: null } }
          : { periodReopen: { errors: [], period: { id: "UGVyaW9kOjE=", status: "OPEN" } } };
      },
    });
    const host = fakeHost();
    renderWithApp(<PeriodsPage periodId={null} />, { client, capabilities: PERIODS_FIELDS, host });
    fireEvent.click(await screen.findByTestId("period-reopen"));
    const dialog = await screen.findByTestId("period-reopen-dialog");
    expect(dialog.getAttribute("role")).toBe("dialog");
    fireEvent.click(screen.getByTestId("period-reopen-dialog-confirm"));
    expect(dialog.textContent).toContain("Please give a reason.");
    expect(client.calls.some((call) => call.operation === "PeriodReopen")).toBe(false);
    const reason = screen.getByTestId("period-reopen-dialog-reason");
    fireEvent.change(reason.tagName === "TEXTAREA" ? reason : reason.querySelector("textarea")!, { target: { value: " a late refund " } });
    fireEvent.click(screen.getByTestId("period-reopen-dialog-confirm"));
    expect((await screen.findByTestId("dialog-errors")).textContent).toBe("Reopen 2026-11 first: only the latest settled period reopens.");
    fireEvent.click(screen.getByTestId("period-reopen-dialog-confirm"));
    await waitFor(() => expect(screen.queryByTestId("period-reopen-dialog")).toBeNull());
    expect(host.notify).toHaveBeenCalledWith("success", "2026-10 is open again.");
    await waitFor(() => expect(screen.getByTestId("period-status").getAttribute("data-status")).toBe("OPEN"));
  });

  it("commits an approved period after its confirmation", async () => {
    let committed = false;
    const client = fakeClient({
      Periods: () => ({ periods: { edges: [{ node: period(committed ? "COMMITTED" : "APPROVED") }] } }),
      PeriodCommit: (variables) => {
        expect(variables).toEqual({ id: "UGVyaW9kOjE=" });
        committed = true;
        return { periodCommit: { errors: [], period: { id: "UGVyaW9kOjE=", status: "COMMITTED" } } };
      },
    });
    renderWithApp(<PeriodsPage periodId={null} />, { client, capabilities: PERIODS_FIELDS, locale: "de" });
    fireEvent.click(await screen.findByTestId("period-commit"));
    expect((await screen.findByTestId("period-commit-dialog")).textContent).toContain("Danach kann die Periode nicht wieder geöffnet werden.");
    fireEvent.click(screen.getByTestId("period-commit-dialog-confirm"));
    await waitFor(() => expect(screen.getByTestId("period-status").getAttribute("data-status")).toBe("COMMITTED"));
    expect(screen.queryByTestId("period-reopen")).toBeNull();
    expect(screen.queryByTestId("period-commit")).toBeNull();
  });

  it("lists who settled the period and every run", async () => {
    const run = (id: string, kind: string, status: string, error: string | null = null) => ({
      node: { id, kind, status, phaseName: "", percent: 100, error, requestedBy: "demo@saleor-mlm.local", createdAt: "2026-11-02T08:00:00Z", finishedAt: "2026-11-02T08:01:00Z" },
    });
    const client = fakeClient({
      PeriodStatements: () => ({ period: { id: "UGVyaW9kOjE=", label: "2026-10", status: "COMMITTED", statements: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } } }),
      PeriodRuns: () => ({
        period: {
          closedAt: "2026-11-02T08:00:00Z",
          closedBy: "demo@saleor-mlm.local",
          approvedAt: "2026-11-03T08:00:00Z",
          approvedBy: "demo-approver@saleor-mlm.local",
          committedAt: null,
          committedBy: null,
          runs: { totalCount: 2, edges: [run("2", "CLOSE", "SUCCEEDED"), run("1", "PREVIEW", "FAILED", "no plan")] },
        },
      }),
    });
    renderWithApp(<PeriodsPage periodId="UGVyaW9kOjE=" />, { client, capabilities: PERIODS_FIELDS });
    const rows = await within(await screen.findByTestId("period-runs-table")).findAllByTestId("row");
    expect(rows.map((row) => Array.from(row.querySelectorAll("td")).slice(0, 3).map((cell) => cell.textContent))).toEqual([
      ["Close", "Succeeded", "demo@saleor-mlm.local"],
      ["Preview", "Failed: no plan", "demo@saleor-mlm.local"],
    ]);
    const steps = screen.getAllByTestId("period-step").map((step) => step.textContent);
    expect(steps).toHaveLength(2);
    expect(steps[1]).toContain("by demo-approver@saleor-mlm.local");
  });
});

describe("a period's statements", () => {
  const statementsOf = (variables: Record<string, unknown>) => {
    const people = [
      { name: "Anna Adler", total: "120.455", carriedIn: "14.8358925" },
      { name: "Bernd Bauer", total: "80.00", carriedIn: "0.00" },
    ].filter((person) => !variables.search || person.name.includes(String(variables.search)));
    return {
      period: {
        id: "UGVyaW9kOjE=",
        label: "2026-10",
        status: "APPROVED",
        statements: {
          totalCount: people.length,
          pageInfo: { hasNextPage: false, endCursor: null },
          edges: people.map((person, index) => ({
            node: {
              currency: "EUR",
              pv: "100",
              gv: "200",
              partner: { id: `UGFydG5lcjo${index}`, displayName: person.name, referralCode: `C${index}` },
              paidAsRank: null,
              total: person.total,
              balance: { carriedIn: person.carriedIn },
              paid: "0.00",
              carriedForward: "0.00",
            },
          })),
        },
      },
    };
  };

  it("are searchable, sorted by a column header, and show what each partner carried in", async () => {
    const client = fakeClient({ PeriodStatements: statementsOf, PeriodRuns: () => ({ period: null }) });
    renderWithApp(<PeriodsPage periodId="UGVyaW9kOjE=" />, { client, capabilities: PERIODS_FIELDS });
    const carried = await screen.findAllByTestId("statement-carried-in");
    expect(carried.map((cell) => cell.textContent)).toEqual(["€14.84", "€0.00"]);
    expect(carried[0].getAttribute("title")).toBe("€14.8358925");
    expect(screen.getAllByTestId("statement-total")[0].textContent).toBe("€120.46");
    expect(screen.getByText("Carried in")).toBeTruthy();

    fireEvent.click(screen.getByTestId("sort-total"));
    await waitFor(() => expect(client.calls.at(-1)?.variables.sortBy).toEqual({ field: "TOTAL", direction: "ASC" }));
    fireEvent.click(screen.getByTestId("sort-total"));
    await waitFor(() => expect(client.calls.at(-1)?.variables.sortBy).toEqual({ field: "TOTAL", direction: "DESC" }));
    expect(screen.getByTestId("sort-total").closest("th")?.getAttribute("aria-sort")).toBe("descending");

    fireEvent.change(screen.getByTestId("statements-search").querySelector("input") ?? screen.getByTestId("statements-search"), { target: { value: "Bernd" } });
    await waitFor(() => expect(screen.getAllByTestId("statement-partner").map((cell) => cell.textContent)).toEqual(["Bernd Bauer"]));
    expect(client.calls.at(-1)?.variables).toMatchObject({ search: "Bernd", sortBy: { field: "TOTAL", direction: "DESC" } });
  });
});
