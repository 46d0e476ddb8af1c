/**
 * Validation of a plan document with its JSON Schema, graphql/plan.schema.json, which the
 * engine writes from its one definition of the document (saleor_mlm/engine/plan_schema.py,
 * `saleor-mlm export-schema`). The walker knows the keywords that file uses, the standard
 * ones and the schema's `x-` keywords for decimals written as text and for references to a
 * rank; each failure is reported at the engine's key path (`ranks[2].difference_rate`).
 */
import schemaFile from "../../../../graphql/plan.schema.json";

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  dependentRequired?: Record<string, string[]>;
  anyOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
  "x-decimal-minimum"?: string;
  "x-decimal-maximum"?: string;
  "x-decimal-places"?: number;
  "x-rank-code"?: boolean;
}

export const PLAN_SCHEMA = schemaFile as unknown as JsonSchema;

/** What failed: the keyword, the name of the `$defs` entry the value is checked as, and its parameters. */
export interface SchemaFailure {
  path: string;
  keyword: string;
  kind?: string;
  value?: unknown;
}

/** Decimal strings compared exactly (as scaled integers), no binary floating point. */
export function compareDecimals(a: string, b: string): number {
  const [aWhole, aFraction = ""] = a.replace(/^[-+]/, "").split(".");
  const [bWhole, bFraction = ""] = b.replace(/^[-+]/, "").split(".");
  const places = Math.max(aFraction.length, bFraction.length);
  const scaled = (negative: boolean, whole: string, fraction: string) =>
    (negative ? -1n : 1n) * BigInt((whole || "0") + fraction.padEnd(places, "0"));
  const difference = scaled(a.startsWith("-"), aWhole, aFraction) - scaled(b.startsWith("-"), bWhole, bFraction);
  return difference === 0n ? 0 : difference > 0n ? 1 : -1;
}

const refName = (node?: JsonSchema) => node?.$ref?.split("/").pop();

/** The `$defs` entry a kind names (its `minimum`, say). */
export const kindSchema = (kind?: string): JsonSchema => (kind && PLAN_SCHEMA.$defs?.[kind]) || {};

const typeOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;

function typeMatches(value: unknown, type: string | string[]): boolean {
  const actual = typeOf(value);
  const wanted = Array.isArray(type) ? type : [type];
  return wanted.includes(actual) || (actual === "integer" && wanted.includes("number"));
}

/** Every failure of `value` against `schema`, first failure per path only. */
export function checkAgainstSchema(value: unknown, rankCodes: Set<string>, schema: JsonSchema = PLAN_SCHEMA): SchemaFailure[] {
  const failures: SchemaFailure[] = [];
  const fail = (failure: SchemaFailure) => {
    if (!failures.some((known) => known.path === failure.path)) failures.push(failure);
  };
  const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

  const walk = (node: JsonSchema, data: unknown, path: string, kind?: string): void => {
    if (node.anyOf) {
      const branch = node.anyOf.find((candidate) => !(candidate.type === "null" && Object.keys(candidate).length === 1));
      if (data === null || data === undefined) return;
      if (branch) walk(branch, data, path, kind);
      return;
    }
    if (node.$ref) {
      const name = node.$ref.split("/").pop() as string;
      walk(PLAN_SCHEMA.$defs?.[name] ?? {}, data, path, name);
      if (failures.some((known) => known.path === path)) return;
      kind = kind ?? name;
    }
    if (node.type && !typeMatches(data, node.type)) {
      fail({ path, keyword: "type", kind, value: data });
      return;
    }
    if (node.enum && !node.enum.includes(data)) fail({ path, keyword: "enum", kind, value: data });
    if (typeof data === "string") {
      if (node.minLength !== undefined && data.length < node.minLength) fail({ path, keyword: "minLength", kind, value: data });
      if (node.pattern && !new RegExp(node.pattern).test(data)) fail({ path, keyword: "pattern", kind, value: data });
      if (node["x-rank-code"] && !rankCodes.has(data)) fail({ path, keyword: "x-rank-code", kind, value: data });
    }
    if (typeof data === "number" && node.minimum !== undefined && data < node.minimum) {
      fail({ path, keyword: "minimum", kind, value: data });
    }
    if ((typeof data === "string" || typeof data === "number") && !failures.some((known) => known.path === path)) {
      const text = String(data).trim();
      if (node["x-decimal-minimum"] !== undefined && compareDecimals(text, node["x-decimal-minimum"]) < 0) {
        fail({ path, keyword: "x-decimal-minimum", kind, value: data });
      } else if (node["x-decimal-maximum"] !== undefined && compareDecimals(text, node["x-decimal-maximum"]) > 0) {
        fail({ path, keyword: "x-decimal-maximum", kind, value: data });
      } else if (node["x-decimal-places"] !== undefined && (text.split(".")[1] ?? "").replace(/0+$/, "").length > node["x-decimal-places"]) {
        fail({ path, keyword: "x-decimal-places", kind, value: data });
      }
    }
    if (Array.isArray(data)) {
      if (node.minItems !== undefined && data.length < node.minItems) fail({ path, keyword: "minItems", kind, value: data });
      if (node.maxItems !== undefined && data.length > node.maxItems) fail({ path, keyword: "maxItems", kind, value: data });
      if (node.items) data.forEach((item, index) => walk(node.items as JsonSchema, item, join(path, index)));
    }
    if (data && typeof data === "object" && !Array.isArray(data)) {
      const object = data as Record<string, unknown>;
      for (const name of node.required ?? []) {
        if (object[name] === undefined) fail({ path: join(path, name), keyword: "required", kind: refName(node.properties?.[name]) });
      }
      for (const [name, needed] of Object.entries(node.dependentRequired ?? {})) {
        if (object[name] !== undefined && needed.some((other) => object[other] === undefined)) {
          fail({ path: join(path, name), keyword: "dependentRequired", kind, value: data });
        }
      }
      for (const [name, child] of Object.entries(object)) {
        const property = node.properties?.[name];
        if (property) walk(property, child, join(path, name));
        else if (node.additionalProperties === false) fail({ path: join(path, name), keyword: "additionalProperties", kind });
      }
    }
  };
  walk(schema, value, "");
  return failures;
}
