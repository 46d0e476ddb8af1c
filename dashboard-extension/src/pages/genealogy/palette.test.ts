import { describe, expect, it } from "vitest";

import { PALETTES, contrast, type NodeKind } from "./palette";

const KINDS: NodeKind[] = ["ACTIVE", "INACTIVE", "TERMINATED", "COMPANY", "SELECTED"];

describe("the genealogy's colours", () => {
  it("compute the WCAG contrast ratio", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#7c7e7e", "#ffffff")).toBeCloseTo(4.08, 2);
    expect(contrast("#ffffff", "#ffffff")).toBe(1);
  });

  for (const theme of ["light", "dark"] as const) {
    const palette = PALETTES[theme];
    it(`${theme}: text on every box reaches 4.5:1, outlines and lines 3:1 on the canvas`, () => {
      for (const kind of KINDS) {
        const node = palette.nodes[kind];
        expect(contrast(node.text, node.fill), `${kind} name`).toBeGreaterThanOrEqual(4.5);
        expect(contrast(node.muted, node.fill), `${kind} code`).toBeGreaterThanOrEqual(4.5);
        expect(contrast(node.mark, palette.background), `${kind} block far out`).toBeGreaterThanOrEqual(3);
      }
      expect(contrast(palette.nodes.SELECTED.border, palette.background), "selected outline").toBeGreaterThanOrEqual(3);
      expect(contrast(palette.hit, palette.background), "search hit outline").toBeGreaterThanOrEqual(3);
      expect(contrast(palette.sponsorLine, palette.background), "sponsor line").toBeGreaterThanOrEqual(3);
      expect(contrast(palette.care, palette.background), "Betreuer relation").toBeGreaterThanOrEqual(3);
      expect(contrast(palette.careLabelText, palette.careLabelFill), "share label").toBeGreaterThanOrEqual(4.5);
    });
  }

  it("dark: the selected partner is not light text on a pale fill", () => {
    const selected = PALETTES.dark.nodes.SELECTED;
    expect(contrast(selected.fill, "#000000")).toBeLessThan(3); // a dark fill
    expect(contrast(selected.text, selected.fill)).toBeGreaterThanOrEqual(7);
  });
});
