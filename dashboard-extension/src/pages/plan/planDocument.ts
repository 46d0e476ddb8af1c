/**
 * The plan document (docs/plan-example.yaml) as the form edits it, and the checks the engine's
 * plan loader makes (saleor_mlm/engine/plan.py), each reported at its key path
 * (`ranks[2].difference_rate`) so that the message shows next to the field. The server's
 * errors use the same key paths and land on the same fields.
 */
import type { MessageKey, Params } from "../../app/i18n";

export interface RankForm {
  code: string;
  name: string;
  min_pv: string;
  min_gv: string;
  max_leg_share: string;
  min_ov: string;
  min_legs_count: string;
  min_legs_rank: string;
  difference_rate: string;
  level_depth: string;
  generation_depth: string;
  advancement_bonus: string;
}

export interface PlanForm {
  name: string;
  currency: string;
  compression: "dynamic" | "none";
  active_min_pv: string;
  breakaway_rank: string;
  customer_rate: string;
  level_rates: string[];
  generation_rates: string[];
  ranks: RankForm[];
  /** Keys the form does not edit (description, version) are kept as they were. */
  extra: Record<string, unknown>;
}

export type PlanErrors = Record<string, { key: MessageKey; params?: Params } | { text: string }>;

export const RATE_PLACES = 6;
export const MAX_RATE_LEVELS = 20;

export function emptyRank(): RankForm {
  return {
    code: "",
    name: "",
    min_pv: "",
    min_gv: "",
    max_leg_share: "",
    min_ov: "",
    min_legs_count: "",
    min_legs_rank: "",
    difference_rate: "",
    level_depth: "",
    generation_depth: "",
    advancement_bonus: "",
  };
}

export function emptyPlan(): PlanForm {
  return {
    name: "",
    currency: "EUR",
    compression: "dynamic",
    active_min_pv: "",
    breakaway_rank: "",
    customer_rate: "",
    level_rates: [],
    generation_rates: [],
    ranks: [emptyRank()],
    extra: {},
  };
}

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

export function fromDocument(document: Record<string, unknown>): PlanForm {
  const { name, currency, compression, active_min_pv, breakaway_rank, bonuses, ranks, ...extra } = document as Record<string, never>;
  const bonusMap = (bonuses ?? {}) as Record<string, unknown>;
  return {
    name: text(name),
    currency: text(currency) || "EUR",
    compression: compression === "none" ? "none" : "dynamic",
    active_min_pv: text(active_min_pv),
    breakaway_rank: text(breakaway_rank),
    customer_rate: text(bonusMap.customer_rate),
    level_rates: ((bonusMap.level_rates as unknown[]) ?? []).map(text),
    generation_rates: ((bonusMap.generation_rates as unknown[]) ?? []).map(text),
    ranks: ((ranks as Array<Record<string, unknown>>) ?? []).map((rank) => ({
      code: text(rank.code),
      name: text(rank.name),
      min_pv: text(rank.min_pv),
      min_gv: text(rank.min_gv),
      max_leg_share: text(rank.max_leg_share),
      min_ov: text(rank.min_ov),
      min_legs_count: text((rank.min_legs as Record<string, unknown> | undefined)?.count),
      min_legs_rank: text((rank.min_legs as Record<string, unknown> | undefined)?.rank),
      difference_rate: text(rank.difference_rate),
      level_depth: text(rank.level_depth),
      generation_depth: text(rank.generation_depth),
      advancement_bonus: text(rank.advancement_bonus),
    })),
    extra,
  };
}

/** The document to store: decimals as strings (no float in between), empty fields left out. */
export function toDocument(form: PlanForm): Record<string, unknown> {
  const document: Record<string, unknown> = { ...form.extra };
  const put = (target: Record<string, unknown>, key: string, value: string, asInt = false) => {
    const trimmed = value.trim();
    if (trimmed) target[key] = asInt && /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  };
  put(document, "name", form.name);
  put(document, "currency", form.currency.toUpperCase());
  document.compression = form.compression;
  put(document, "active_min_pv", form.active_min_pv);
  put(document, "breakaway_rank", form.breakaway_rank);
  const bonuses: Record<string, unknown> = {};
  put(bonuses, "customer_rate", form.customer_rate);
  if (form.level_rates.length) bonuses.level_rates = form.level_rates.map((rate) => rate.trim());
  if (form.generation_rates.length) bonuses.generation_rates = form.generation_rates.map((rate) => rate.trim());
  if (Object.keys(bonuses).length) document.bonuses = bonuses;
  document.ranks = form.ranks.map((rank) => {
    const out: Record<string, unknown> = {};
    put(out, "code", rank.code);
    put(out, "name", rank.name);
    put(out, "min_pv", rank.min_pv);
    put(out, "min_gv", rank.min_gv);
    put(out, "max_leg_share", rank.max_leg_share);
    put(out, "min_ov", rank.min_ov);
    if (rank.min_legs_count.trim() || rank.min_legs_rank.trim()) {
      const legs: Record<string, unknown> = {};
      put(legs, "count", rank.min_legs_count, true);
      put(legs, "rank", rank.min_legs_rank);
      out.min_legs = legs;
    }
    put(out, "difference_rate", rank.difference_rate);
    put(out, "level_depth", rank.level_depth, true);
    put(out, "generation_depth", rank.generation_depth, true);
    put(out, "advancement_bonus", rank.advancement_bonus);
    return out;
  });
  return document;
}

const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** Decimal strings compared exactly (as scaled integers), no binary floating point. */
function compareDecimals(a: string, b: string): number {
  const [aWhole, aFraction = ""] = a.replace(/^-/, "").split(".");
  const [bWhole, bFraction = ""] = b.replace(/^-/, "").split(".");
  const places = Math.max(aFraction.length, bFraction.length);
  const scaled = (negative: boolean, whole: string, fraction: string) =>
    (negative ? -1n : 1n) * BigInt((whole || "0") + fraction.padEnd(places, "0"));
  const difference = scaled(a.startsWith("-"), aWhole, aFraction) - scaled(b.startsWith("-"), bWhole, bFraction);
  return difference === 0n ? 0 : difference > 0n ? 1 : -1;
}

export function validatePlan(form: PlanForm): PlanErrors {
  const errors: PlanErrors = {};
  const fail = (path: string, key: MessageKey, params?: Params) => {
    if (!errors[path]) errors[path] = { key, params };
  };
  const decimal = (path: string, value: string, required = false) => {
    const trimmed = value.trim();
    if (!trimmed) {
      if (required) fail(path, "plan.err.required");
      return null;
    }
    if (!DECIMAL.test(trimmed)) {
      fail(path, "plan.err.decimal");
      return null;
    }
    return trimmed;
  };
  const amount = (path: string, value: string) => {
    const number = decimal(path, value);
    if (number !== null && number.startsWith("-") && compareDecimals(number, "0") < 0) fail(path, "plan.err.negative");
  };
  const rate = (path: string, value: string, required = false): string | null => {
    const number = decimal(path, value, required);
    if (number === null) return null;
    if (compareDecimals(number, "0") < 0 || compareDecimals(number, "1") > 0) {
      fail(path, "plan.err.rateRange");
      return null;
    }
    if ((number.split(".")[1] ?? "").replace(/0+$/, "").length > RATE_PLACES) {
      fail(path, "plan.err.ratePlaces");
      return null;
    }
    return number;
  };
  const count = (path: string, value: string, minimum: number) => {
    const trimmed = value.trim();
    if (!trimmed) return;
    if (!/^\d+$/.test(trimmed) || Number(trimmed) < minimum) fail(path, "plan.err.whole", { min: minimum });
  };

  if (!/^[A-Za-z]{3}$/.test(form.currency.trim())) fail("currency", "plan.err.currency");
  decimal("active_min_pv", form.active_min_pv);
  rate("bonuses.customer_rate", form.customer_rate);
  for (const [name, rates] of [
    ["level_rates", form.level_rates],
    ["generation_rates", form.generation_rates],
  ] as const) {
    if (rates.length > MAX_RATE_LEVELS) fail(`bonuses.${name}`, "plan.err.tooManyLevels");
    rates.forEach((value, index) => rate(`bonuses.${name}[${index}]`, value, true));
  }

  if (!form.ranks.length) fail("ranks", "plan.err.atLeastOneRank");
  const codes = new Map<string, number>();
  form.ranks.forEach((rank, index) => {
    const code = rank.code.trim();
    if (!code) fail(`ranks[${index}].code`, "plan.err.required");
    else if (codes.has(code)) fail(`ranks[${index}].code`, "plan.err.duplicate");
    else codes.set(code, index);
  });
  let previousRate: string | null = "0";
  form.ranks.forEach((rank, index) => {
    const path = `ranks[${index}]`;
    decimal(`${path}.min_pv`, rank.min_pv);
    const minGv = decimal(`${path}.min_gv`, rank.min_gv);
    decimal(`${path}.min_ov`, rank.min_ov);
    const share = rate(`${path}.max_leg_share`, rank.max_leg_share);
    if (share !== null && minGv === null && !rank.min_gv.trim()) fail(`${path}.max_leg_share`, "plan.err.needsMinGv");
    if (rank.min_legs_count.trim() || rank.min_legs_rank.trim()) {
      if (!rank.min_legs_count.trim()) fail(`${path}.min_legs.count`, "plan.err.whole", { min: 1 });
      count(`${path}.min_legs.count`, rank.min_legs_count, 1);
      if (!codes.has(rank.min_legs_rank.trim())) fail(`${path}.min_legs.rank`, "plan.err.unknownRank");
    }
    const difference = rate(`${path}.difference_rate`, rank.difference_rate) ?? (rank.difference_rate.trim() ? null : "0");
    if (difference !== null && previousRate !== null && index > 0 && compareDecimals(difference, previousRate) < 0) {
      fail(`${path}.difference_rate`, "plan.err.falls", { before: previousRate });
    }
    if (difference !== null) previousRate = difference;
    count(`${path}.level_depth`, rank.level_depth, 0);
    count(`${path}.generation_depth`, rank.generation_depth, 0);
    amount(`${path}.advancement_bonus`, rank.advancement_bonus);
  });
  if (form.breakaway_rank.trim() && !codes.has(form.breakaway_rank.trim())) fail("breakaway_rank", "plan.err.unknownRank");
  return errors;
}
