import { describe, expect, it } from "vitest";

import { currencyDigits, floorDecimal, formatExact, parseDecimal, roundDecimal, sumDecimals } from "./decimal";
import { formatters } from "./index";

describe("exact decimals", () => {
  it("round half away from zero to a currency's minor unit, exactly", () => {
    expect(roundDecimal("14.8358925", 2)).toBe("14.84");
    expect(roundDecimal("39.375", 2)).toBe("39.38");
    expect(roundDecimal("39.374999999999999999", 2)).toBe("39.37");
    expect(roundDecimal("-0.005", 2)).toBe("-0.01");
    expect(roundDecimal("-0.004", 2)).toBe("0.00");
    expect(roundDecimal("99.995", 2)).toBe("100.00");
    expect(roundDecimal("1499.5", 0)).toBe("1500");
    expect(roundDecimal("12345678901234567.895", 2)).toBe("12345678901234567.90");
    expect(roundDecimal("1E+2", 2)).toBe("100.00");
    expect(roundDecimal("x", 2)).toBeNull();
    expect([currencyDigits("EUR"), currencyDigits("JPY"), currencyDigits("KWD"), currencyDigits("??")]).toEqual([2, 0, 3, 2]);
  });

  it("format money in the minor unit without a float", () => {
    expect(formatters("en").money("14.8358925", "EUR")).toBe("€14.84");
    expect(formatters("de").money("12345678901234567.895", "EUR")).toBe("12.345.678.901.234.567,90\u00a0€");
    expect(formatters("en").money("1499.5", "JPY")).toBe("JP¥1,500");
    expect(formatters("en").money(null, "EUR")).toBe("—");
  });

  it("read the API's decimal strings, exponents included", () => {
    expect(parseDecimal("-0012.3400")).toEqual({ negative: true, integer: "12", fraction: "3400" });
    expect(parseDecimal("1E+2")).toEqual({ negative: false, integer: "100", fraction: "" });
    expect(parseDecimal("1.5E-3")).toEqual({ negative: false, integer: "0", fraction: "0015" });
    expect(parseDecimal("-0.000")).toEqual({ negative: false, integer: "0", fraction: "000" });
    expect(parseDecimal("abc")).toBeNull();
  });

  it("keep every digit a float would lose, in the locale's notation", () => {
    expect(formatExact("en-GB", "12345678901234567.891234", { style: "currency", currency: "EUR" })).toBe("€12,345,678,901,234,567.891234");
    expect(formatExact("de-DE", "12345678901234567.891234", { style: "currency", currency: "EUR" })).toBe("12.345.678.901.234.567,891234\u00a0€");
    expect(formatExact("de-DE", "-1234.5", { style: "currency", currency: "EUR" })).toBe("-1.234,50\u00a0€");
    expect(formatExact("en-GB", "-1234.5", { style: "currency", currency: "EUR" })).toBe("-€1,234.50");
    expect(formatExact("en-GB", "18624.085750")).toBe("18,624.08575");
    expect(formatExact("de-DE", "437.50", { minimumFractionDigits: 2 })).toBe("437,50");
    expect(formatExact("en-GB", "0.09", { style: "percent" })).toBe("9%");
    expect(formatExact("de-DE", "0.035", { style: "percent" })).toBe("3,5\u00a0%");
    expect(formatExact("en-GB", "250", { style: "currency", currency: "JPY" })).toBe("JP¥250");
    expect(formatExact("en-GB", "n/a")).toBe("n/a");
  });

  it("are part of the formatters", () => {
    expect(formatters("de").exactMoney("39.375", "EUR")).toBe("39,375\u00a0€");
    expect(formatters("en").exactMoney("0.10", "EUR")).toBe("€0.10");
    expect(formatters("en").exactPercent("0.12")).toBe("12%");
    expect(formatters("en").exactNumber(null)).toBe("—");
  });
});

describe("shown volumes", () => {
  it("floor exactly to hundredths, toward minus infinity", () => {
    expect(floorDecimal("49.995", 2)).toBe("49.99");
    expect(floorDecimal("49.9999999999999999999", 2)).toBe("49.99");
    expect(floorDecimal("50", 2)).toBe("50.00");
    expect(floorDecimal("-0.001", 2)).toBe("-0.01");
    expect(floorDecimal("-0.000", 2)).toBe("0.00");
    expect(floorDecimal("-99.991", 2)).toBe("-100.00");
    expect(floorDecimal("-12.50", 2)).toBe("-12.50");
    expect(floorDecimal("1.5E-3", 2)).toBe("0.00");
    expect(floorDecimal("12345678901234567.899", 2)).toBe("12345678901234567.89");
    expect(floorDecimal("abc", 2)).toBeNull();
  });

  it("are written in the locale's notation by the volume formatter", () => {
    expect(formatters("en").volume("49.995")).toBe("49.99");
    expect(formatters("de").volume("1234.999")).toBe("1.234,99");
    expect(formatters("en").volume("2780.00")).toBe("2,780.00");
    expect(formatters("en").volume("-0.005")).toBe("-0.01");
    expect(formatters("en").volume(null)).toBe("—");
  });

  it("sums exactly, whatever the places", () => {
    expect(sumDecimals(["12.5", "0.125", "100"])).toBe("112.625");
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals(["-5.25", "2"])).toBe("-3.25");
    expect(sumDecimals([])).toBe("0");
    expect(sumDecimals(["45.5000", "40.0000"])).toBe("85.5000");
  });
});
