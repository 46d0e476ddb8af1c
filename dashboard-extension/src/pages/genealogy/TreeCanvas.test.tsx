import { ThemeProvider } from "@saleor/macaw-ui";
import { cleanup, render, waitFor } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PALETTES } from "./palette";
import { COMPANY, layoutTree, TreeStore, type ApiNode } from "./tree";
import { TreeCanvas } from "./TreeCanvas";

/** What the canvas was asked to draw, in order, with the colours in force at each call. */
interface Call {
  op: string;
  fillStyle: string;
  strokeStyle: string;
  text?: string;
}

let calls: Call[] = [];

function recordingContext() {
  const state = { fillStyle: "", strokeStyle: "", font: "", lineWidth: 1, textAlign: "left", textBaseline: "alphabetic" };
  const record = (op: string, text?: string) => calls.push({ op, fillStyle: state.fillStyle, strokeStyle: state.strokeStyle, text });
  return new Proxy(state as Record<string, unknown>, {
    get(target, name: string) {
      if (name in target) return target[name];
      if (name === "measureText") return (text: string) => ({ width: text.length * 6 });
      if (["fill", "stroke", "fillRect", "strokeRect"].includes(name)) return () => record(name);
      if (name === "fillText") return (text: string) => record("fillText", text);
      return () => undefined; // paths, transforms, dashes
    },
    set(target, name: string, value) {
      target[name] = value;
      return true;
    },
  });
}

class RecordingPath {
  moveTo() {}
  bezierCurveTo() {}
  rect() {}
}

const saved: Record<string, unknown> = {};
beforeAll(() => {
  saved.getContext = HTMLCanvasElement.prototype.getContext;
  saved.rect = HTMLCanvasElement.prototype.getBoundingClientRect;
  saved.path = (globalThis as Record<string, unknown>).Path2D;
  HTMLCanvasElement.prototype.getContext = (() => recordingContext()) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getBoundingClientRect = () => ({ x: 0, y: 0, left: 0, top: 0, width: 1200, height: 800, right: 1200, bottom: 800, toJSON: () => ({}) });
  (globalThis as Record<string, unknown>).Path2D = RecordingPath;
});
afterAll(() => {
  HTMLCanvasElement.prototype.getContext = saved.getContext as typeof HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getBoundingClientRect = saved.rect as typeof HTMLCanvasElement.prototype.getBoundingClientRect;
  (globalThis as Record<string, unknown>).Path2D = saved.path;
});

const node = (id: string, sponsor: string | null, care: [string, string] | null = null): ApiNode => ({
  id,
  displayName: `Partner ${id}`,
  referralCode: id,
  status: "ACTIVE",
  sponsor: sponsor ? { id: sponsor } : null,
  care: care ? { effectiveShare: care[1], carePartner: { id: care[0] } } : null,
  frontline: { totalCount: 0 },
});

/** A with B, C, D below; B looks after C (30 %), C after D (25 %). */
function network() {
  const store = new TreeStore("Company");
  store.upsert([node("A", null), node("B", "A"), node("C", "A", ["B", "0.30"]), node("D", "A", ["C", "0.25"])]);
  store.setAllExpanded(true);
  return layoutTree(store, COMPANY, false);
}

async function drawn(theme: "light" | "dark", selected: string | null, showAllCare = true) {
  cleanup();
  calls = [];
  window.__genealogyStats = undefined;
  render(
    <ThemeProvider defaultTheme={theme === "dark" ? "defaultDark" : "defaultLight"}>
      <TreeCanvas
        layout={network()}
        version={1}
        selected={selected}
        highlighted={new Set()}
        showAllCare={showAllCare}
        label="Genealogy"
        formatShare={(share) => `${Number(share) * 100} %`}
        onSelect={() => undefined}
        onToggle={() => undefined}
      />
    </ThemeProvider>,
  );
  await waitFor(() => expect(window.__genealogyStats?.drawn).toBe(5));
  return { calls: [...calls], stats: window.__genealogyStats! };
}

describe("the genealogy canvas", () => {
  it("draws the relations under the partners, each Betreuer curve with its share", async () => {
    const palette = PALETTES.light;
    const { calls, stats } = await drawn("light", null);
    // A box is filled right before its name is written.
    const firstBox = calls.findIndex((call) => call.op === "fillText" && /^(Partner|Company)/.test(call.text ?? "")) - 2;
    const sponsorLines = calls.findIndex((call) => call.op === "stroke" && call.strokeStyle === palette.sponsorLine);
    const lastRelation = calls.reduce((last, call, index) => (call.op === "stroke" && call.strokeStyle === palette.care ? index : last), -1);
    const lastLabel = calls.reduce((last, call, index) => (call.op === "fillText" && call.text?.endsWith("%") ? index : last), -1);
    expect(firstBox).toBeGreaterThan(0);
    expect(sponsorLines).toBeGreaterThan(-1);
    expect(sponsorLines).toBeLessThan(firstBox);
    expect(lastRelation).toBeLessThan(firstBox);
    expect(lastLabel).toBeLessThan(firstBox);
    expect(stats.care).toEqual({ strong: 2, faint: 0, labels: ["30 %", "25 %"] });
  });

  it("stands out only the selected partner's relations: the others faint, or hidden", async () => {
    const palette = PALETTES.light;
    const selectedD = await drawn("light", "D");
    expect(selectedD.stats.care).toEqual({ strong: 1, faint: 1, labels: ["25 %"] });
    const strokes = selectedD.calls.filter((call) => call.op === "stroke").map((call) => call.strokeStyle);
    expect(strokes).toContain(palette.careFaint);
    expect(strokes).toContain(palette.care);
    const hidden = await drawn("light", "D", false);
    expect(hidden.stats.care).toEqual({ strong: 1, faint: 0, labels: ["25 %"] });
    expect(hidden.calls.some((call) => call.op === "stroke" && call.strokeStyle === palette.careFaint)).toBe(false);
  });

  it("dark: the selected partner is light text on a dark fill", async () => {
    const selected = PALETTES.dark.nodes.SELECTED;
    const { calls } = await drawn("dark", "B");
    const fill = calls.findIndex((call) => call.op === "fill" && call.fillStyle === selected.fill);
    expect(fill).toBeGreaterThan(0);
    const name = calls.find((call, index) => index > fill && call.op === "fillText");
    expect(name).toMatchObject({ text: "Partner B", fillStyle: selected.text });
    expect(calls[0]).toMatchObject({ op: "fillRect", fillStyle: PALETTES.dark.background });
  });
});
