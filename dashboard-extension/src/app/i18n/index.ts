import type { Locale } from "../host";
import { VOLUME_PLACES, currencyDigits, floorDecimal, formatExact, roundDecimal } from "./decimal";
import { de } from "./de";
import { en, type MessageKey } from "./en";

export type { MessageKey };
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, de };

export function translator(locale: Locale): Translate {
  const dictionary = DICTIONARIES[locale] ?? en;
  return (key, params) => {
    const text = dictionary[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole)) : text;
  };
}

const TAGS: Record<Locale, string> = { en: "en-GB", de: "de-DE" };

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
  const tag = TAGS[locale];
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
