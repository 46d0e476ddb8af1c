/**
 * A program's form (name, code, volume source, PV/BV keys) to and from the API's
 * `ProgramInput` / `Program`. Saleor ids are typed or pasted, separated by commas, spaces or
 * lines; the API checks them (errors come back at `volumeSource`).
 */
import type { Values } from "../../components/FormDialog";

export interface VolumeSource {
  products: "ALL" | "LISTED";
  productTypeIds: string[];
  categoryIds: string[];
  collectionIds: string[];
  pvMetadataKey: string;
  bvMetadataKey: string;
}

export interface ProgramRow {
  id: string;
  code: string;
  name: string;
  displayName: string;
  isDefault: boolean;
  memberCount: number;
  planInForce: { id: string; displayName: string; inForceFrom: string | null } | null;
  volumeSource: VolumeSource;
}

export const PROGRAM_ROW = `id code name displayName isDefault memberCount planInForce { id displayName inForceFrom }
  volumeSource { products productTypeIds categoryIds collectionIds pvMetadataKey bvMetadataKey }`;

export function splitIds(text: string | undefined): string[] {
  return Array.from(new Set((text ?? "").split(/[\s,;]+/).map((id) => id.trim()).filter(Boolean)));
}

/** The dialog's values of a program (empty for a new one). The keys shown are the program's own, or empty when they follow its code. */
export function programValues(program: ProgramRow | null): Values {
  if (!program) return { name: "", code: "", volumeSource: "ALL", productTypeIds: "", categoryIds: "", collectionIds: "", pvMetadataKey: "", bvMetadataKey: "" };
  const source = program.volumeSource;
  const own = (key: string, kind: "pv" | "bv") => (key.endsWith(`.${program.code}.${kind}`) ? "" : key);
  return {
    name: program.name,
    code: program.code,
    volumeSource: source.products,
    productTypeIds: source.productTypeIds.join(", "),
    categoryIds: source.categoryIds.join(", "),
    collectionIds: source.collectionIds.join(", "),
    pvMetadataKey: own(source.pvMetadataKey, "pv"),
    bvMetadataKey: own(source.bvMetadataKey, "bv"),
  };
}

/**
 * The `ProgramInput` of the dialog's values. The default program's source stays "all
 * products" (the API refuses a change at `volumeSource`): it is left out for it.
 */
export function programInput(values: Values, isDefault = false): Record<string, unknown> {
  const listed = values.volumeSource === "LISTED";
  const input: Record<string, unknown> = {
    name: values.name ?? "",
    code: values.code ?? "",
    pvMetadataKey: values.pvMetadataKey ?? "",
    bvMetadataKey: values.bvMetadataKey ?? "",
  };
  if (!isDefault) {
    input.volumeSource = {
      products: listed ? "LISTED" : "ALL",
      productTypeIds: listed ? splitIds(values.productTypeIds) : [],
      categoryIds: listed ? splitIds(values.categoryIds) : [],
      collectionIds: listed ? splitIds(values.collectionIds) : [],
    };
  }
  return input;
}

/** How many product types, categories and collections a listed source names (for the list's column). */
export function sourceCounts(source: VolumeSource): { types: number; categories: number; collections: number } | null {
  if (source.products === "ALL") return null;
  return { types: source.productTypeIds.length, categories: source.categoryIds.length, collections: source.collectionIds.length };
}
