import { describe, expect, it } from "vitest";

import { programInput, programValues, sourceCounts, splitIds, type ProgramRow } from "./programForm";

const WELLNESS: ProgramRow = {
  id: "UHJvZ3JhbToy",
  code: "wellness",
  name: "Wellness",
  displayName: "Wellness",
  isDefault: false,
  memberCount: 3,
  planInForce: null,
  volumeSource: {
    products: "LISTED",
    productTypeIds: ["UHJvZHVjdFR5cGU6Nw=="],
    categoryIds: [],
    collectionIds: ["Q29sbGVjdGlvbjox", "Q29sbGVjdGlvbjoy"],
    pvMetadataKey: "mlm.wellness.pv",
    bvMetadataKey: "shop.bv",
  },
};

describe("the program form", () => {
  it("reads ids separated by commas, spaces or lines, each once", () => {
    expect(splitIds(" a, b;c\nd  a ")).toEqual(["a", "b", "c", "d"]);
    expect(splitIds("")).toEqual([]);
    expect(splitIds(undefined)).toEqual([]);
  });

  it("shows a program's own keys and leaves the ones its code names empty", () => {
    expect(programValues(WELLNESS)).toEqual({
      name: "Wellness",
      code: "wellness",
      volumeSource: "LISTED",
      productTypeIds: "UHJvZHVjdFR5cGU6Nw==",
      categoryIds: "",
      collectionIds: "Q29sbGVjdGlvbjox, Q29sbGVjdGlvbjoy",
      pvMetadataKey: "",
      bvMetadataKey: "shop.bv",
    });
    expect(programValues(null).volumeSource).toBe("ALL");
  });

  it("sends the listed ids only with listed products, and no source for the default program", () => {
    const values = { ...programValues(WELLNESS), productTypeIds: "PT1, PT2" };
    expect(programInput(values)).toEqual({
      name: "Wellness",
      code: "wellness",
      pvMetadataKey: "",
      bvMetadataKey: "shop.bv",
      volumeSource: { products: "LISTED", productTypeIds: ["PT1", "PT2"], categoryIds: [], collectionIds: ["Q29sbGVjdGlvbjox", "Q29sbGVjdGlvbjoy"] },
    });
    expect(programInput({ ...values, volumeSource: "ALL" }).volumeSource).toEqual({ products: "ALL", productTypeIds: [], categoryIds: [], collectionIds: [] });
    expect(programInput(values, true)).not.toHaveProperty("volumeSource");
  });

  it("counts what a listed source names", () => {
    expect(sourceCounts(WELLNESS.volumeSource)).toEqual({ types: 1, categories: 0, collections: 2 });
    expect(sourceCounts({ ...WELLNESS.volumeSource, products: "ALL" })).toBeNull();
  });
});
