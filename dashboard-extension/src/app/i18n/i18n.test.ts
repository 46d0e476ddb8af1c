import { describe, expect, it } from "vitest";

import { de } from "./de";
import { en } from "./en";
import { formatters, translator } from "./index";

describe("translations", () => {
  it("have the same keys and placeholders in German and English", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      const names = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      expect(names(de[key]), key).toEqual(names(en[key]));
    }
  });

  it("fill in values", () => {
    expect(translator("de")("partners.statusChanged", { name: "Eva", status: "Inaktiv" })).toBe("Eva ist jetzt Inaktiv.");
    expect(translator("en")("common.page", { from: 1, to: 20, total: 42 })).toBe("1–20 of 42");
  });

  it("format numbers, shares and dates per locale", () => {
    expect(formatters("de").percent("0.25")).toBe("25\u00a0%");
    expect(formatters("en").percent("0.125")).toBe("12.5%");
    expect(formatters("de").money("1234.5", "EUR")).toBe("1.234,50\u00a0€");
    expect(formatters("en").date(null)).toBe("—");
  });
});
