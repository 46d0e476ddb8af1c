/**
 * The office's texts: one ICU message file per language in messages/ (en.json is the
 * reference, every other file complete, a test checks; web-shared/i18n.ts), and the number
 * formats of the language. A language is added by adding its file (docs/translations.md).
 * Exact decimals of the API (money, volumes) are formatted by the dashboard extension's
 * decimal.ts, the one definition of those rules, never through a float.
 */
import {
  VOLUME_PLACES,
  currencyDigits,
  floorDecimal,
  formatExact,
  roundDecimal,
} from "../../../dashboard-extension/src/app/i18n/decimal";
import { catalogsByLanguage, languageTag, makeTranslator, negotiateLanguage, type Params } from "../../../web-shared/i18n";
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

/** The language of a link's `?locale=`, a choice made before or the browser's (`de-AT` is German). */
export function toLocale(value: string | null | undefined): Locale {
  return negotiateLanguage(value, LOCALES);
}

/** The language's own name (the title of its button). */
export function languageName(locale: Locale): string {
  return CATALOGS[locale]?.["language.name"] ?? locale;
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
  /** An amount of the API (exact decimal string) in the currency's minor unit, rounded half up. */
  money(value: string | null | undefined, currency: string): string;
  /** An exact amount, every digit kept (a statement line before the one rounding of its bonus). */
  exactMoney(value: string | null | undefined, currency: string): string;
  /** A volume: hundredths rounded toward minus infinity. */
  volume(value: string | null | undefined): string;
  /** A share (0.3) as a percentage. */
  percent(fraction: string | null | undefined): string;
  integer(value: number): string;
  date(value: string | null | undefined): string;
  dateTime(value: string | null | undefined): string;
  month(period: string): string;
}

export function formatters(locale: Locale): Formatters {
  const tag = languageTag(CATALOGS, locale);
  const empty = (value: unknown) => value === null || value === undefined || value === "";
  return {
    money: (value, currency) => {
      if (empty(value)) return "—";
      const rounded = roundDecimal(String(value), currencyDigits(currency));
      return rounded === null ? String(value) : formatExact(tag, rounded, { style: "currency", currency, minimumFractionDigits: currencyDigits(currency) });
    },
    exactMoney: (value, currency) => (empty(value) ? "—" : formatExact(tag, String(value), { style: "currency", currency })),
    volume: (value) => {
      if (empty(value)) return "—";
      const floored = floorDecimal(String(value), VOLUME_PLACES);
      return floored === null ? String(value) : formatExact(tag, floored, { minimumFractionDigits: VOLUME_PLACES });
    },
    percent: (fraction) => (empty(fraction) ? "—" : formatExact(tag, String(fraction), { style: "percent" })),
    integer: (value) => new Intl.NumberFormat(tag).format(value),
    date: (value) => (value ? new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeZone: value.length === 10 ? "UTC" : undefined }).format(new Date(value)) : "—"),
    dateTime: (value) => (value ? new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value)) : "—"),
    month: (period) => {
      const [year, month] = period.split("-").map(Number);
      if (!year || !month) return period;
      return new Intl.DateTimeFormat(tag, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, 1)));
    },
  };
}
