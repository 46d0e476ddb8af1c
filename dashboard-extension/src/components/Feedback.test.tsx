import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { PeriodsPage } from "../pages/PeriodsPage";
import { renderWithApp } from "../test/render";

describe("parts the API does not offer yet", () => {
  it("name exactly the missing fields instead of showing figures", () => {
    renderWithApp(<PeriodsPage periodId={null} />, { capabilities: ["Query.periods"], locale: "de" });
    const missing = screen.getByTestId("missing-api");
    expect(missing.getAttribute("data-missing")).toContain("Mutation.periodClose");
    expect(missing.getAttribute("data-missing")).not.toContain("Query.periods,");
    expect(screen.getByText("Noch nicht verfügbar")).toBeTruthy();
  });
});
