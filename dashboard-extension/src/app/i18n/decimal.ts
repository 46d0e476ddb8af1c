/**
 * Exact decimals: the API's `Decimal` strings ("39.375", "18624.085750", "-0.5", "1E+2")
 * written in the locale's notation without ever becoming a float, so no digit is lost.
 * Intl only provides the notation (separators, sign, currency symbol and where they go);
 * the digits are the string's own.
 */

export interface DecimalDigits {
  negative: boolean;
  /** Without leading zeros; "0" for zero. */
  integer: string;
  /** As written, trailing zeros included. */
  fraction: string;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** The digits of a decimal string; null when it is not one. */
export function parseDecimal(value: string): DecimalDigits | null {
  const match = DECIMAL.exec(value.trim());
  if (!match || !(match[2] || match[3])) return null;
  let integer = match[2] ?? "";
  let fraction = match[3] ?? "";
  const exponent = match[4] ? Number(match[4]) : 0;
  if (exponent) ({ integer, fraction } = shift(integer, fraction, exponent));
  integer = integer.replace(/^0+/, "") || "0";
  const negative = match[1] === "-" && /[1-9]/.test(integer + fraction);
  return { negative, integer, fraction };
}

/** Moves the decimal point `places` to the right (left when negative): ×10^places, exactly. */
function shift(integer: string, fraction: string, places: number): { integer: string; fraction: string } {
  if (places > 0) {
    const digits = fraction.padEnd(places, "0");
    return { integer: integer + digits.slice(0, places), fraction: digits.slice(places) };
  }
  const digits = integer.padStart(-places, "0");
  return { integer: digits.slice(0, digits.length + places), fraction: digits.slice(digits.length + places) + fraction };
}

/** Hundredths: volumes are shown with 2 places (the API's and `saleor-mlm simulate`'s rule). */
export const VOLUME_PLACES = 2;

/**
 * `value` rounded toward minus infinity to `places` decimals, exactly, as a decimal string
 * ("49.995" -> "49.99", "-0.001" -> "-0.01"); null when it is not a decimal. The one rule
 * for shown volumes, as the engine's `shown_volume`: a threshold of at most 2 decimals is
 * met exactly when the shown figure meets it.
 */
export function floorDecimal(value: string, places: number): string | null {
  const digits = parseDecimal(value);
  if (!digits) return null;
  const dropped = /[1-9]/.test(digits.fraction.slice(places));
  let units = (digits.integer + digits.fraction.padEnd(places, "0").slice(0, places)).replace(/^0+/, "") || "0";
  if (digits.negative && dropped) units = addOne(units);
  const negative = digits.negative && /[1-9]/.test(units);
  const padded = units.padStart(places + 1, "0");
  const integer = padded.slice(0, padded.length - places);
  const fraction = padded.slice(padded.length - places);
  return `${negative ? "-" : ""}${integer}${places ? `.${fraction}` : ""}`;
}

/**
 * `value` rounded half away from zero (Python's ROUND_HALF_UP, the app's money rounding) to
 * `places` decimals, exactly, as a decimal string ("14.8358925", 2 -> "14.84", "-0.005", 2 ->
 * "-0.01"); null when it is not a decimal. Shown amounts in the currency's minor unit.
 */
export function roundDecimal(value: string, places: number): string | null {
  const digits = parseDecimal(value);
  if (!digits) return null;
  let units = (digits.integer + digits.fraction.padEnd(places, "0").slice(0, places)).replace(/^0+/, "") || "0";
  if ((digits.fraction[places] ?? "0") >= "5") units = addOne(units);
  const negative = digits.negative && /[1-9]/.test(units);
  const padded = units.padStart(places + 1, "0");
  const integer = padded.slice(0, padded.length - places);
  const fraction = padded.slice(padded.length - places);
  return `${negative ? "-" : ""}${integer}${places ? `.${fraction}` : ""}`;
}

/** Decimal places of a currency's minor unit (EUR 2, JPY 0, KWD 3), as Intl knows them; 2 for an unknown code. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A string of decimal digits plus one. */
function addOne(digits: string): string {
  const out = digits.split("");
  for (let index = out.length - 1; index >= 0; index -= 1) {
    if (out[index] !== "9") {
      out[index] = String(Number(out[index]) + 1);
      return out.join("");
    }
    out[index] = "0";
  }
  return `1${out.join("")}`;
}

export interface ExactOptions {
  style?: "decimal" | "currency" | "percent";
  currency?: string;
  /** At least this many fraction digits (default: the currency's, else 0). */
  minimumFractionDigits?: number;
}

/**
 * `value` in the notation of `tag` (a BCP 47 tag): every significant digit kept, trailing
 * zeros beyond `minimumFractionDigits` dropped ("18624.085750" -> "18,624.08575").
 * Percent multiplies by 100 by moving the point ("0.035" -> "3.5%"). A value that is not a
 * decimal string comes back as it is.
 */
export function formatExact(tag: string, value: string | number, options: ExactOptions = {}): string {
  const style = options.style ?? "decimal";
  const digits = parseDecimal(String(value));
  if (!digits) return String(value);
  let { integer, fraction } = digits;
  if (style === "percent") {
    ({ integer, fraction } = shift(integer, fraction, 2));
    integer = integer.replace(/^0+/, "") || "0";
  }
  const base = style === "currency" ? { style, currency: options.currency ?? "EUR" } : { style };
  const minimum = options.minimumFractionDigits ?? (style === "currency" ? new Intl.NumberFormat(tag, base).resolvedOptions().minimumFractionDigits ?? 2 : 0);
  fraction = fraction.replace(/0+$/, "").padEnd(minimum, "0");

  // The notation of a number with groups and a fraction, its digits replaced by ours.
  const template = new Intl.NumberFormat(tag, { ...base, minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: true }).formatToParts(
    digits.negative ? -1111111.1 : 1111111.1,
  );
  const group = template.find((part) => part.type === "group")?.value ?? ",";
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  let written = false;
  return template
    .map((part) => {
      switch (part.type) {
        case "integer":
          if (written) return "";
          written = true;
          return grouped;
        case "group":
          return "";
        case "decimal":
          return fraction ? part.value : "";
        case "fraction":
          return fraction;
        default:
          return part.value;
      }
    })
    .join("");
}

/** The exact sum of decimal strings ("12.5" + "0.125" = "12.625"), as scaled integers; "0" for none. */
export function sumDecimals(values: string[]): string {
  const parsed = values.map(parseDecimal).filter((digits): digits is DecimalDigits => digits !== null);
  const places = Math.max(0, ...parsed.map((digits) => digits.fraction.length));
  const total = parsed.reduce((sum, digits) => sum + (digits.negative ? -1n : 1n) * BigInt(digits.integer + digits.fraction.padEnd(places, "0")), 0n);
  const negative = total < 0n;
  const text = (negative ? -total : total).toString().padStart(places + 1, "0");
  const whole = text.slice(0, text.length - places);
  return `${negative ? "-" : ""}${whole}${places ? `.${text.slice(text.length - places)}` : ""}`;
}
