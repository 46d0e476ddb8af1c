import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { BarChart, HorizontalBars, niceScale } from "./BarChart";

describe("charts", () => {
  it("pick round axis steps", () => {
    expect(niceScale(0)).toEqual({ top: 1, step: 0.25 });
    expect(niceScale(7)).toEqual({ top: 8, step: 2 });
    expect(niceScale(1234)).toEqual({ top: 1500, step: 500 });
  });

  it("draw one bar per label and series, labelled for screen readers", () => {
    const { container, getByRole } = render(
      <BarChart
        title="Volume"
        labels={["Jan", "Feb", "Mar"]}
        series={[
          { name: "PV", color: "red", values: [1, 2, 3] },
          { name: "BV", color: "blue", values: [3, 2, 1] },
        ]}
      />,
    );
    expect(getByRole("img").getAttribute("aria-label")).toBe("Volume");
    expect(container.querySelectorAll("[data-testid=bar]")).toHaveLength(6);
    expect(container.querySelector("title")!.textContent).toBe("PV Jan: 1");
  });

  it("scale horizontal bars to the largest value", () => {
    const { container } = render(<HorizontalBars items={[{ name: "a", value: 5, color: "red" }, { name: "b", value: 10, color: "red" }]} />);
    const widths = [...container.querySelectorAll<HTMLElement>("[data-testid=hbar]")].map((bar) => bar.style.width);
    expect(widths).toEqual(["50%", "100%"]);
  });
});
