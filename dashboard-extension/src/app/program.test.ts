import { describe, expect, it } from "vitest";

import { pickProgram, withProgram } from "./program";
import { hrefFor } from "./router";

const MAIN = { id: "UHJvZ3JhbTox", code: "main", name: "Partner program", displayName: "Partnerprogramm", isDefault: true };
const WELLNESS = { id: "UHJvZ3JhbToy", code: "wellness", name: "Wellness", displayName: "Wellness", isDefault: false };

describe("the program in the address", () => {
  it("names a program by its code, else the default program", () => {
    expect(pickProgram([MAIN, WELLNESS], "wellness")).toBe(WELLNESS);
    expect(pickProgram([MAIN, WELLNESS], null)).toBe(MAIN);
    expect(pickProgram([WELLNESS, MAIN], "gone")).toBe(MAIN);
    expect(pickProgram([], "wellness")).toBeNull();
  });

  it("is set, replaced or dropped with the other parameters kept", () => {
    expect(withProgram("/dashboard/plan?theme=dark", "wellness")).toBe("/dashboard/plan?theme=dark&program=wellness");
    expect(withProgram("/dashboard/plan?program=wellness&theme=dark", "beauty")).toBe("/dashboard/plan?program=beauty&theme=dark");
    expect(withProgram("/dashboard/plan?program=wellness", null)).toBe("/dashboard/plan");
  });

  it("travels along on the app's links, from page to page", () => {
    expect(hrefFor({ name: "genealogy", root: null }, "?theme=dark&program=wellness&customerId=VXNl")).toBe("/dashboard/genealogy?theme=dark&program=wellness");
    expect(hrefFor({ name: "programs" }, "")).toBe("/dashboard/programs");
  });
});
