import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { PROGRAM_FIELDS } from "../../app/program";
import { fakeClient, renderWithApp } from "../../test/render";
import { PeriodRuns } from "./PeriodRuns";

const MAIN = { id: "UHJvZ3JhbTox", code: "main", name: "Partner program", displayName: "Partner program", isDefault: true };
const WELLNESS = { id: "UHJvZ3JhbToy", code: "wellness", name: "Wellness", displayName: "Wellness", isDefault: false };

describe("a period's runs with programs", () => {
  it("list each program's close run of the month, the switcher's program marked", async () => {
    window.history.replaceState(null, "", "/dashboard/periods/UGVyaW9kOjE=?program=wellness");
    const run = (id: string, program: typeof MAIN) => ({
      node: { id, kind: "CLOSE", status: "SUCCEEDED", phaseName: "", percent: 100, error: null, requestedBy: "demo@saleor-mlm.local", createdAt: "2026-11-02T08:00:00Z", finishedAt: null, program },
    });
    const client = fakeClient({
      ProgramChoices: () => ({ programs: { edges: [MAIN, WELLNESS].map((node) => ({ node })) } }),
      PeriodRuns: () => ({
        period: { closedAt: null, closedBy: null, approvedAt: null, approvedBy: null, committedAt: null, committedBy: null, runs: { totalCount: 2, edges: [run("2", WELLNESS), run("1", MAIN)] } },
      }),
    });
    renderWithApp(<PeriodRuns periodId="UGVyaW9kOjE=" />, { client, capabilities: [...PROGRAM_FIELDS, "PeriodRun.program"] });

    const table = await screen.findByTestId("period-runs-table");
    const programs = await within(table).findAllByTestId("run-program");
    expect(programs.map((cell) => [cell.textContent, cell.dataset.program])).toEqual([
      ["Wellness", "wellness"],
      ["Partner program", "main"],
    ]);
    expect(await screen.findByText("Each program has its own close run of the month; approval and commit are one step for the month, over all programs.")).toBeTruthy();
    expect(screen.getByTestId("program-switcher").dataset.program).toBe("wellness");
    window.history.replaceState(null, "", "/");
  });
});
