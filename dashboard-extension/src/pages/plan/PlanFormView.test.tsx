import { fireEvent, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { renderWithApp } from "../../test/render";
import { emptyPlan, validatePlan } from "./planDocument";
import { PlanFormView } from "./PlanFormView";

function Harness() {
  const [form, setForm] = useState(() => ({ ...emptyPlan(), ranks: [{ ...emptyPlan().ranks[0], code: "partner" }] }));
  return <PlanFormView value={form} onChange={setForm} errors={validatePlan(form)} />;
}

describe("the plan form", () => {
  it("shows a validation message next to the field that has it", () => {
    renderWithApp(<Harness />, { locale: "de" });
    const rate = screen.getByTestId("plan-ranks[0].difference_rate");
    fireEvent.change(rate, { target: { value: "5" } });
    expect(screen.getByText("Ein Satz liegt zwischen 0 und 1 (0.05 sind 5 %).")).toBeTruthy();
    fireEvent.change(rate, { target: { value: "0.05" } });
    expect(screen.queryByText("Ein Satz liegt zwischen 0 und 1 (0.05 sind 5 %).")).toBeNull();
  });

  it("adds ranks and level rates", () => {
    renderWithApp(<Harness />);
    fireEvent.click(screen.getByTestId("plan-add-rank"));
    expect(screen.getAllByTestId("plan-rank")).toHaveLength(2);
    expect(screen.getAllByText("Required.")).toHaveLength(1); // the new rank's code
    fireEvent.click(screen.getByTestId("plan-add-level_rates"));
    expect(screen.getByTestId("plan-bonuses.level_rates[0]")).toBeTruthy();
  });
});
