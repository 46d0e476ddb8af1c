/**
 * The plan document (docs/plan-example.yaml) as the form edits it, and its validation with
 * the plan schema the engine writes (planSchema.ts, graphql/plan.schema.json), each problem
 * reported at its key path
 * (`ranks[2].difference_rate`) so that the message shows next to the field. The server's
 * errors use the same key paths and land on the same fields.
 */
import type { MessageKey, Params } from "../../app/i18n";
import { checkAgainstSchema, compareDecimals, kindSchema, type SchemaFailure } from "./planSchema";

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

/** The form's message for a failure of the plan schema (graphql/plan.schema.json). */
function messageOf(failure: SchemaFailure): { key: MessageKey; params?: Params } {
  const counted = kindSchema(failure.kind).minimum;
  switch (failure.keyword) {
    case "required":
      if (counted !== undefined) return { key: "plan.err.whole", params: { min: counted } };
      if (failure.kind === "currency") return { key: "plan.err.currency" };
      if (failure.kind === "rank_code") return { key: "plan.err.unknownRank" };
      return { key: "plan.err.required" };
    case "type":
    case "minimum":
      if (counted !== undefined) return { key: "plan.err.whole", params: { min: counted } };
      return { key: "plan.err.decimal" };
    case "pattern":
      if (failure.kind === "currency") return { key: "plan.err.currency" };
      return { key: failure.value === "" ? "plan.err.required" : "plan.err.decimal" };
    case "x-decimal-minimum":
      return { key: failure.kind === "amount" ? "plan.err.negative" : "plan.err.rateRange" };
    case "x-decimal-maximum":
      return { key: "plan.err.rateRange" };
    case "x-decimal-places":
      return { key: "plan.err.ratePlaces" };
    case "x-rank-code":
      return { key: "plan.err.unknownRank" };
    case "minItems":
      return { key: "plan.err.atLeastOneRank" };
    case "maxItems":
      return { key: "plan.err.tooManyLevels" };
    case "dependentRequired":
      return { key: "plan.err.needsMinGv" };
    default:
      return { key: "plan.err.unknownKey" };
  }
}

/**
 * The form's problems at the engine's key paths: what the plan schema says, checked with it,
 * then the two checks across ranks a schema cannot say (the engine makes them too).
 */
export function validatePlan(form: PlanForm): PlanErrors {
  const errors: PlanErrors = {};
  const document = toDocument(form);
  const ranks = (document.ranks as Array<Record<string, unknown>>) ?? [];
  const codes = new Set(ranks.map((rank) => rank.code).filter((code): code is string => typeof code === "string"));
  for (const failure of checkAgainstSchema(document, codes)) errors[failure.path] = messageOf(failure);

  const seen = new Set<string>();
  let previousRate: string | null = "0";
  ranks.forEach((rank, index) => {
    const path = `ranks[${index}]`;
    const code = rank.code as string | undefined;
    if (code !== undefined && seen.has(code) && !errors[`${path}.code`]) errors[`${path}.code`] = { key: "plan.err.duplicate" };
    if (code !== undefined) seen.add(code);
    const rate = `${path}.difference_rate`;
    const difference = errors[rate] ? null : rank.difference_rate === undefined ? "0" : String(rank.difference_rate).trim();
    if (difference !== null && previousRate !== null && index > 0 && compareDecimals(difference, previousRate) < 0) {
      errors[rate] = { key: "plan.err.falls", params: { before: previousRate } };
    }
    if (difference !== null) previousRate = difference;
  });
  return errors;
}
