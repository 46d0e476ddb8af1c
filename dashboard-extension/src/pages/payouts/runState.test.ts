import { describe, expect, it } from "vitest";

import { approveBlock, executeOffer, executionProgress, type RunFigures } from "./runState";

const run = (patch: Partial<RunFigures> = {}): RunFigures => ({
  status: "CREATED",
  createdBy: "ann@shop.example",
  skipped: 2,
  totals: [
    { status: "PENDING", count: 6, amount: "300.00" },
    { status: "PAID", count: 3, amount: "150.00" },
    { status: "RETURNED", count: 1, amount: "50.00" },
  ],
  ...patch,
});

describe("a payout run's state", () => {
  it("is approved by anyone but its creator (four eyes)", () => {
    expect(approveBlock(run(), "ann@shop.example")).toBe("ownRun");
    expect(approveBlock(run(), " ANN@shop.example")).toBe("ownRun");
    expect(approveBlock(run(), "ben@shop.example")).toBeNull();
    expect(approveBlock(run({ status: "APPROVED" }), "ann@shop.example")).toBeNull();
  });

  it("is executed once approved, resumed while executing, and again while payouts wait", () => {
    expect(executeOffer(run())).toBeNull();
    expect(executeOffer(run({ status: "APPROVED" }))).toBe("execute");
    expect(executeOffer(run({ status: "EXECUTING" }))).toBe("resume");
    expect(executeOffer(run({ status: "EXECUTED" }))).toBe("again");
    expect(executeOffer(run({ status: "EXECUTED", skipped: 0, totals: [{ status: "PAID", count: 4, amount: "200" }] }))).toBeNull();
  });

  it("counts an execution's progress over the payouts it sends", () => {
    // 10 items, 2 waiting: 8 to send, 4 of them still pending.
    expect(executionProgress(run({ status: "EXECUTING" }))).toEqual({ done: 4, total: 8, percent: 50 });
    expect(executionProgress(run({ skipped: 0, totals: [] }))).toEqual({ done: 0, total: 0, percent: 100 });
  });
});
