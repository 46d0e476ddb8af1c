import { describe, expect, it } from "vitest";

import { bonusRows } from "./PlanPage";

describe("the what-if comparison", () => {
  it("lines up the bonuses of both plans by kind, a kind one plan lacks as 0", () => {
    const base = { planName: "Active", total: "150.00", paidAsRanks: [], bonuses: [
      { kind: "CUSTOMER", kindName: "Kundenbonus", amount: "50.00" },
      { kind: "LEVEL", kindName: "Levelbonus", amount: "100.00" },
    ] };
    const draft = { planName: "Draft", total: "190.00", paidAsRanks: [], bonuses: [
      { kind: "LEVEL", kindName: "Levelbonus", amount: "120.00" },
      { kind: "GENERATION", kindName: "Generationsbonus", amount: "70.00" },
    ] };

    expect(bonusRows(base, draft)).toEqual([
      { kind: "CUSTOMER", name: "Kundenbonus", base: 50, draft: 0, difference: -50 },
      { kind: "LEVEL", name: "Levelbonus", base: 100, draft: 120, difference: 20 },
      { kind: "GENERATION", name: "Generationsbonus", base: 0, draft: 70, difference: 70 },
    ]);
  });
});
