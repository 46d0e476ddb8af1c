/**
 * The genealogy's colours, one set per theme: the canvas draws with them and the legend shows
 * them, so every colour on the canvas has its legend entry. Text on a partner's box reaches
 * WCAG AA's 4.5:1 on that box's fill, lines and outlines 3:1 on the canvas (non-text
 * contrast); `palette.test.ts` checks each pair.
 */

export type Theme = "light" | "dark";
export type NodeKind = "ACTIVE" | "INACTIVE" | "TERMINATED" | "COMPANY" | "SELECTED";

export interface NodeColors {
  fill: string;
  border: string;
  /** The name (and the +n / − mark). */
  text: string;
  /** The referral code. */
  muted: string;
  /** The solid block drawn for the box when zoomed far out (no text then). */
  mark: string;
}

export interface Palette {
  background: string;
  sponsorLine: string;
  /** Betreuer relations of the selected partner (and all, when nobody is selected). */
  care: string;
  /** The other Betreuer relations while a partner is selected: faint. */
  careFaint: string;
  /** Share labels: text on its own small box. */
  careLabelText: string;
  careLabelFill: string;
  /** Outline of a partner the search found. */
  hit: string;
  nodes: Record<NodeKind, NodeColors>;
}

export const PALETTES: Record<Theme, Palette> = {
  light: {
    background: "#ffffff",
    sponsorLine: "#8c959f",
    care: "#8250df",
    careFaint: "#d8c8f3",
    careLabelText: "#5a32a3",
    careLabelFill: "#ffffff",
    hit: "#bf5700",
    nodes: {
      ACTIVE: { fill: "#ffffff", border: "#8c959f", text: "#1f2328", muted: "#57606a", mark: "#6e7781" },
      INACTIVE: { fill: "#fff8c5", border: "#9a6700", text: "#1f2328", muted: "#6a4a00", mark: "#bf8700" },
      TERMINATED: { fill: "#ffebe9", border: "#cf222e", text: "#1f2328", muted: "#82071e", mark: "#cf222e" },
      COMPANY: { fill: "#eaeef2", border: "#6e7781", text: "#1f2328", muted: "#424a53", mark: "#424a53" },
      SELECTED: { fill: "#ddf4ff", border: "#0969da", text: "#0a3069", muted: "#0550ae", mark: "#0969da" },
    },
  },
  dark: {
    background: "#262836",
    sponsorLine: "#8b90a6",
    care: "#c297ff",
    careFaint: "#5b4a7a",
    careLabelText: "#e2ccff",
    careLabelFill: "#262836",
    hit: "#ffa657",
    nodes: {
      ACTIVE: { fill: "#30334a", border: "#8b90a6", text: "#f0f1f6", muted: "#c3c6d6", mark: "#a3a8bd" },
      INACTIVE: { fill: "#4a3a00", border: "#d4a72c", text: "#fff3c4", muted: "#f2d57a", mark: "#d4a72c" },
      TERMINATED: { fill: "#4f1d22", border: "#ff7b72", text: "#ffe2df", muted: "#ffb3ad", mark: "#ff7b72" },
      COMPANY: { fill: "#3a3e55", border: "#a3a8bd", text: "#f0f1f6", muted: "#c3c6d6", mark: "#c3c6d6" },
      SELECTED: { fill: "#0c2d6b", border: "#58a6ff", text: "#ffffff", muted: "#cae8ff", mark: "#58a6ff" },
    },
  },
};

/** WCAG 2 contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(first: string, second: string): number {
  const luminance = (hex: string) => {
    const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
    const [r, g, b] = channels.map((value) => (value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}
