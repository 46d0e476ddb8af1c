import { describe, expect, it } from "vitest";

import { emptyPlan, emptyRank, fromDocument, toDocument, validatePlan } from "./planDocument";

const EXAMPLE = {
  name: "Beispiel",
  description: "kept as it was",
  currency: "EUR",
  active_min_pv: 50,
  compression: "dynamic",
  breakaway_rank: "manager",
  bonuses: { customer_rate: "0.05", level_rates: ["0.05", "0.04"], generation_rates: ["0.03"] },
  ranks: [
    { code: "partner", name: "Vertriebspartner", difference_rate: "0.03", level_depth: 1 },
    { code: "manager", min_pv: 80, min_gv: 3000, max_leg_share: "0.6", min_legs: { count: 2, rank: "partner" }, difference_rate: "0.09", advancement_bonus: "50.00" },
  ],
};

const codes = (errors: ReturnType<typeof validatePlan>) =>
  Object.fromEntries(Object.entries(errors).map(([path, error]) => [path, "key" in error ? error.key : error.text]));

describe("the plan document", () => {
  it("goes through the form and back unchanged, keeping keys the form does not edit", () => {
    const form = fromDocument(EXAMPLE);
    expect(validatePlan(form)).toEqual({});
    expect(toDocument(form)).toEqual({
      ...EXAMPLE,
      active_min_pv: "50",
      ranks: [EXAMPLE.ranks[0], { ...EXAMPLE.ranks[1], min_pv: "80", min_gv: "3000" }],
    });
  });

  it("reports problems at the engine's key paths", () => {
    const form = fromDocument(EXAMPLE);
    form.currency = "EURO";
    form.level_rates = ["0.05", "1.5", "0.0000001"];
    form.breakaway_rank = "nobody";
    form.ranks[1] = { ...form.ranks[1], code: "partner", difference_rate: "0.01", min_gv: "", level_depth: "-1" };
    expect(codes(validatePlan(form))).toEqual({
      currency: "plan.err.currency",
      "bonuses.level_rates[1]": "plan.err.rateRange",
      "bonuses.level_rates[2]": "plan.err.ratePlaces",
      "ranks[1].code": "plan.err.duplicate",
      "ranks[1].max_leg_share": "plan.err.needsMinGv",
      "ranks[1].difference_rate": "plan.err.falls",
      "ranks[1].level_depth": "plan.err.whole",
      breakaway_rank: "plan.err.unknownRank",
    });
  });

  it("needs a rank with a code", () => {
    expect(codes(validatePlan({ ...emptyPlan(), ranks: [] }))).toEqual({ ranks: "plan.err.atLeastOneRank" });
    expect(codes(validatePlan({ ...emptyPlan(), ranks: [emptyRank()] }))).toEqual({ "ranks[0].code": "plan.err.required" });
  });
});

// The invalid plans of the engine's tests (tests/fixtures/plan_documents.json): the form, which
// validates with the engine's plan schema, refuses each one it can hold at the same key path.
import shared from "../../../../tests/fixtures/plan_documents.json";

describe("the plans the engine refuses", () => {
  const cases = (shared.invalid as Array<{ document: Record<string, unknown>; key: string; engine: string; form: string | null }>).filter(
    (example) => example.form !== null,
  );

  it("starts from a plan both accept", () => {
    expect(validatePlan(fromDocument(shared.valid[0] as Record<string, unknown>))).toEqual({});
  });

  it.each(cases.map((example) => [example.key, example.engine, example.form, example.document] as const))(
    "%s (%s) is %s in the form",
    (key, _engine, form, document) => {
      expect(codes(validatePlan(fromDocument(document)))[key]).toBe(form);
    },
  );
});
