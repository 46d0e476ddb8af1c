/**
 * The extension's texts: one ICU message file per language in messages/ (en.json is the
 * reference, every other file complete, a test checks; web-shared/i18n.ts), and the number
 * and date formats of the language. A language is added by adding its file (docs/translations.md).
 */
import { catalogsByLanguage, languageTag, makeTranslator, negotiateLanguage, type Params } from "../../../../web-shared/i18n";
import { VOLUME_PLACES, currencyDigits, floorDecimal, formatExact, roundDecimal } from "./decimal";
import type en from "./messages/en.json";

/** A key of the messages: English defines them, tsc refuses any other. */
export type MessageKey = keyof typeof en;
export type { Params };
export type Translate = (key: MessageKey, params?: Params) => string;
/** A language of messages/ ("en", "de", "fr", ...). */
export type Locale = string;

export const CATALOGS = catalogsByLanguage(
  import.meta.glob<Record<MessageKey, string>>("./messages/*.json", { eager: true, import: "default" }),
);
/** The languages offered: the message files present. */
export const LOCALES: Locale[] = Object.keys(CATALOGS).sort();

/** The language of a locale of the Saleor Dashboard or the browser (`de-AT` is German). */
export function toLocale(value: string | null | undefined): Locale {
  return negotiateLanguage(value, LOCALES);
}

/** The language's own name (the demo's language switch). */
export function languageName(locale: Locale): string {
  return CATALOGS[locale]?.["language.name"] ?? locale;
}

/** The name of the language `code` in the language `locale` ("Deutsch" -> "German" in English). */
export function displayLanguage(locale: Locale, code: string): string {
  try {
    return new Intl.DisplayNames([languageTag(CATALOGS, locale)], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

const translators = new Map<Locale, Translate>();

/** The texts of a language (one per language: each message is parsed once). */
export function translator(locale: Locale): Translate {
  let translate = translators.get(locale);
  if (!translate) {
    translate = makeTranslator(CATALOGS, locale);
    translators.set(locale, translate);
  }
  return translate;
}

export interface Formatters {
  number(value: number | string | null | undefined, digits?: number): string;
  /** An amount in the currency's minor unit (rounded half up, exactly: never through a float). */
  money(value: number | string | null | undefined, currency: string): string;
  percent(fraction: number | string | null | undefined): string;
  date(value: string | null | undefined): string;
  dateTime(value: string | null | undefined): string;
  month(value: string | Date): string;
  /** Exact decimal strings of the API, every digit kept (decimal.ts): money, volumes, rates. */
  exactMoney(value: string | null | undefined, currency: string): string;
  exactNumber(value: string | null | undefined, minimumFractionDigits?: number): string;
  exactPercent(fraction: string | null | undefined): string;
  /** A volume (PV, GV, OV, BV): hundredths rounded toward minus infinity, never through a float. */
  volume(value: string | number | null | undefined): string;
}

export function formatters(locale: Locale): Formatters {
  const tag = languageTag(CATALOGS, locale);
  const toNumber = (value: number | string) => (typeof value === "number" ? value : Number(value));
  return {
    number: (value, digits = 0) =>
      value === null || value === undefined || value === ""
        ? "—"
        : new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: Math.max(digits, 2) }).format(
            toNumber(value),
          ),
    money: (value, currency) => {
      if (value === null || value === undefined || value === "") return "—";
      const places = currencyDigits(currency);
      const rounded = roundDecimal(String(value), places);
      return rounded === null ? String(value) : formatExact(tag, rounded, { style: "currency", currency, minimumFractionDigits: places });
    },
    percent: (fraction) =>
      fraction === null || fraction === undefined || fraction === ""
        ? "—"
        : new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 2 }).format(toNumber(fraction)),
    date: (value) => (value ? new Intl.DateTimeFormat(tag, { dateStyle: "medium" }).format(new Date(value)) : "—"),
    dateTime: (value) =>
      value ? new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value)) : "—",
    month: (value) =>
      new Intl.DateTimeFormat(tag, { month: "short", year: "2-digit", timeZone: "UTC" }).format(
        typeof value === "string" ? new Date(value) : value,
      ),
    exactMoney: (value, currency) => (value === null || value === undefined || value === "" ? "—" : formatExact(tag, value, { style: "currency", currency })),
    exactNumber: (value, digits = 0) =>
      value === null || value === undefined || value === "" ? "—" : formatExact(tag, value, { minimumFractionDigits: digits }),
    exactPercent: (fraction) => (fraction === null || fraction === undefined || fraction === "" ? "—" : formatExact(tag, fraction, { style: "percent" })),
    volume: (value) => {
      if (value === null || value === undefined || value === "") return "—";
      const floored = floorDecimal(String(value), VOLUME_PLACES);
      return floored === null ? String(value) : formatExact(tag, floored, { minimumFractionDigits: VOLUME_PLACES });
    },
  };
}
