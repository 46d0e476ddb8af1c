import { describe, expect, it } from "vitest";

import { de } from "./de";
import { en } from "./en";
import { formatters, toLocale, translator } from "./index";

describe("the office's catalogs", () => {
  it("German and English have the same keys, none empty, the same placeholders", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const german = de[key as keyof typeof en];
      expect(german.trim(), key).not.toBe("");
      const placeholders = (value: string) => (value.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(german), key).toEqual(placeholders(text));
    }
  });

  it("fills placeholders and picks the language", () => {
    expect(translator("de")("home.title", { name: "Anna" })).toBe("Hallo, Anna");
    expect(translator("en")("team.level", { level: 2 })).toBe("Level 2");
    expect(toLocale("de-AT")).toBe("de");
    expect(toLocale("fr")).toBe("en");
  });

  it("formats volumes toward minus infinity and money half up, exactly", () => {
    expect(formatters("de").volume("1234.569")).toBe("1.234,56");
    expect(formatters("en").money("10.005", "EUR")).toBe("€10.01");
    expect(formatters("de").percent("0.3").replace(/\s/g, " ")).toBe("30 %");
    expect(formatters("en").month("2026-03")).toBe("March 2026");
  });
});
