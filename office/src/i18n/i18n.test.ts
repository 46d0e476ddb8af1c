import { readdirSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { catalogsByLanguage, makeTranslator, negotiateLanguage } from "../../../web-shared/i18n";
import { catalogProblems } from "../../../web-shared/test/catalogs";
import { CATALOGS, LOCALES, formatters, toLocale, translator } from "./index";

describe("the office's catalogs", () => {
  it("are complete in every language: every key, valid ICU, the same arguments as English", () => {
    expect(LOCALES).toEqual(expect.arrayContaining(["de", "en", "fr"]));
    expect(catalogProblems(CATALOGS)).toEqual([]);
  });

  it("offer exactly the languages of the message files", () => {
    const folder = join(process.cwd(), "src/i18n/messages");
    const files = readdirSync(folder).filter((name) => name.endsWith(".json"));
    expect(LOCALES).toEqual(files.map((name) => name.replace(/\.json$/, "")).sort());
  });

  it("take a fourth language from its file alone", () => {
    const files = { "./messages/en.json": CATALOGS.en, "./messages/nl.json": { ...CATALOGS.de, "home.title": "Hallo, {name}!" } };
    const catalogs = catalogsByLanguage(files);
    expect(negotiateLanguage("nl-BE", Object.keys(catalogs))).toBe("nl");
    expect(makeTranslator(catalogs, "nl")("home.title", { name: "Anna" })).toBe("Hallo, Anna!");
    expect(catalogProblems(catalogs)).toEqual([]);
  });

  it("fills placeholders and plurals and picks the language", () => {
    expect(translator("de")("home.title", { name: "Anna" })).toBe("Hallo, Anna");
    expect(translator("en")("team.level", { level: 2 })).toBe("Level 2");
    expect(translator("en")("customers.total", { count: 1 })).toBe("1 customer");
    expect(translator("de")("customers.total", { count: 2 })).toBe("2 Kunden");
    expect(translator("fr")("customers.total", { count: 1 })).toBe("1 client");
    expect(translator("fr")("team.total", { count: 2 })).toBe("2 partenaires dans votre équipe");
    expect(toLocale("de-AT")).toBe("de");
    expect(toLocale("fr-CA")).toBe("fr");
    expect(toLocale("es")).toBe("en");
  });

  it("formats volumes toward minus infinity and money half up, exactly", () => {
    expect(formatters("de").volume("1234.569")).toBe("1.234,56");
    expect(formatters("en").money("10.005", "EUR")).toBe("€10.01");
    expect(formatters("de").percent("0.3").replace(/\s/g, " ")).toBe("30 %");
    expect(formatters("en").month("2026-03")).toBe("March 2026");
    expect(formatters("fr").month("2026-03")).toBe("mars 2026");
  });
});
