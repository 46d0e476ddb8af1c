/**
 * The office's texts (en.ts, de.ts: both complete, a test checks) and its number formats. Exact
 * decimals of the API (money, volumes) are formatted by the dashboard extension's decimal.ts,
 * the one definition of those rules, never through a float.
 */
import {
  VOLUME_PLACES,
  currencyDigits,
  floorDecimal,
  formatExact,
  roundDecimal,
} from "../../../dashboard-extension/src/app/i18n/decimal";
import { de } from "./de";
import { en, type MessageKey } from "./en";

export type Locale = "en" | "de";
export type { MessageKey };
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const LOCALES: Locale[] = ["de", "en"];
const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, de };
const TAGS: Record<Locale, string> = { en: "en-GB", de: "de-DE" };

export function toLocale(value: string | null | undefined): Locale {
  return (value || "").toLowerCase().startsWith("de") ? "de" : "en";
}

export function translator(locale: Locale): Translate {
  const dictionary = DICTIONARIES[locale] ?? en;
  return (key, params) => {
    const text = dictionary[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole)) : text;
  };
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
  const tag = TAGS[locale];
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
