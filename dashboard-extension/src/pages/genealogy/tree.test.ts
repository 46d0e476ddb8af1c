import { describe, expect, it } from "vitest";

import { COMPANY, LAYOUT, layoutTree, syntheticNodes, TreeStore, type ApiNode } from "./tree";

const node = (id: string, sponsor: string | null, frontline = 0, care: string | null = null): ApiNode => ({
  id,
  displayName: id,
  referralCode: id,
  status: "ACTIVE",
  sponsor: sponsor ? { id: sponsor } : null,
  care: care ? { effectiveShare: "0.3", carePartner: { id: care } } : null,
  frontline: { totalCount: frontline },
});

describe("the genealogy store", () => {
  it("hangs partners under their sponsor, or under the company when it is not loaded", () => {
    const store = new TreeStore("Company");
    store.upsert([node("a", null, 2), node("b", "a"), node("c", "a", 1, "b"), node("x", "unknown")]);
    expect(store.get(COMPANY)!.children).toEqual(["a", "x"]);
    expect(store.get("a")!.children).toEqual(["b", "c"]);
    expect(store.get("c")).toMatchObject({ careId: "b", careShare: "0.3", childCount: 1, loaded: false });
    expect(store.get("b")!.loaded).toBe(true); // no frontline: nothing to load
    expect(store.pathTo("c")).toEqual([COMPANY, "a", "c"]);
    expect(store.search("C").map((found) => found.id)).toEqual(["c"]);
  });

  it("lays out expanded lines left to right, a parent in the middle of its children", () => {
    const store = new TreeStore("Company");
    store.upsert([node("a", null, 2), node("b", "a"), node("c", "a")]);
    store.toggle("a", true);
    const layout = layoutTree(store);
    const at = (id: string) => layout.byId.get(id)!;
    const column = LAYOUT.nodeWidth + LAYOUT.columnGap;
    expect([at(COMPANY).x, at("a").x, at("b").x, at("c").x]).toEqual([0, column, 2 * column, 2 * column]);
    expect(at("a").y).toBe((at("b").y + at("c").y) / 2);
    expect(at("c").y - at("b").y).toBe(LAYOUT.nodeHeight + LAYOUT.rowGap);

    store.toggle("a", false);
    expect(layoutTree(store).placed.map((placed) => placed.node.id).sort()).toEqual([COMPANY, "a"]);
    expect(layoutTree(store, COMPANY, true).byId.has(COMPANY)).toBe(false);
  });

  // No timing assertion (a loaded CI machine makes it flaky): the layout's speed is a
  // figure in docs/benchmarks.md; this checks that large and deep trees lay out at all.
  it("lays out 10,000 visible partners and a 20,000-deep chain without deep recursion", () => {
    const store = new TreeStore("Company");
    store.upsert(syntheticNodes(10000));
    store.setAllExpanded(true);
    const layout = layoutTree(store);
    expect(layout.placed.length).toBe(10001);

    const chain = new TreeStore("Company");
    chain.upsert(Array.from({ length: 20000 }, (_, index) => node(`n${index}`, index ? `n${index - 1}` : null, 1)));
    chain.setAllExpanded(true);
    expect(layoutTree(chain).placed.length).toBe(20001);
  });
});
