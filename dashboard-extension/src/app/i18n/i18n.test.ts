import { readdirSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { catalogsByLanguage, makeTranslator, negotiateLanguage } from "../../../../web-shared/i18n";
import { catalogProblems } from "../../../../web-shared/test/catalogs";
import { CATALOGS, LOCALES, formatters, toLocale, translator } from "./index";

describe("translations", () => {
  it("are complete in every language: every key, valid ICU, the same arguments as English", () => {
    expect(LOCALES).toEqual(expect.arrayContaining(["de", "en", "fr"]));
    expect(catalogProblems(CATALOGS)).toEqual([]);
  });

  it("offer exactly the languages of the message files", () => {
    const folder = join(process.cwd(), "src/app/i18n/messages");
    const files = readdirSync(folder).filter((name) => name.endsWith(".json"));
    expect(LOCALES).toEqual(files.map((name) => name.replace(/\.json$/, "")).sort());
  });

  it("take a fourth language from its file alone", () => {
    const files = { "./messages/en.json": CATALOGS.en, "./messages/it.json": { ...CATALOGS.fr, "app.retry": "Riprova" } };
    const catalogs = catalogsByLanguage(files);
    const language = negotiateLanguage("it-CH", Object.keys(catalogs));
    expect(language).toBe("it");
    expect(makeTranslator(catalogs, language)("app.retry")).toBe("Riprova");
    expect(catalogProblems(catalogs)).toEqual([]);
  });

  it("fill in values, with plurals per language", () => {
    expect(translator("de")("partners.statusChanged", { name: "Eva", status: "Inaktiv" })).toBe("Eva ist jetzt Inaktiv.");
    expect(translator("en")("common.page", { from: 1, to: 20, total: 42 })).toBe("1–20 of 42");
    expect(translator("en")("common.results", { count: 1 })).toBe("1 result");
    expect(translator("en")("common.results", { count: "1,200" })).toBe("1,200 results");
    expect(translator("fr")("common.results", { count: 0 })).toBe("0 résultat");
    expect(translator("fr")("common.results", { count: "1\u202f200" })).toBe("1\u202f200 résultats");
    expect(translator("de")("common.results", { count: 2 })).toBe("2 Treffer");
  });

  it("pick the language of the Saleor Dashboard's locale", () => {
    expect([toLocale("de"), toLocale("DE_CH"), toLocale("fr-BE"), toLocale("en"), toLocale("pt"), toLocale(undefined)]).toEqual(["de", "de", "fr", "en", "en", "en"]);
  });

  it("format numbers, shares and dates per locale", () => {
    expect(formatters("de").percent("0.25")).toBe("25\u00a0%");
    expect(formatters("en").percent("0.125")).toBe("12.5%");
    expect(formatters("de").money("1234.5", "EUR")).toBe("1.234,50\u00a0€");
    expect(formatters("fr").money("1234.5", "EUR").replace(/\s/g, " ")).toBe("1 234,50 €");
    expect(formatters("en").date(null)).toBe("—");
  });
});
