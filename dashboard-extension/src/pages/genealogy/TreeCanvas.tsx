/**
 * The genealogy drawn on a canvas: only what is in view is drawn, edges in one path per kind,
 * and below a zoom threshold partners become plain blocks without text. That keeps a frame
 * well under 16 ms with 10,000 visible partners (benchmarks/genealogy_frame.mjs). Relations
 * are drawn first, under the boxes: sponsor lines solid, Betreuer relations as dashed curves
 * labelled with their share. With a partner selected, its own Betreuer relations (its
 * Betreuer, and whom it looks after) stand out and the others are faint, or hidden when
 * `showAllCare` is off. Colours come from `palette.ts`, the legend's source too.
 */
import { Box, useTheme } from "@saleor/macaw-ui";
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef } from "react";

import { PALETTES, type NodeKind } from "./palette";
import { COMPANY, LAYOUT, type Layout, type Placed } from "./tree";

export interface Viewport {
  x: number;
  y: number;
  k: number;
}

export interface TreeCanvasHandle {
  fit(): void;
  zoomBy(factor: number): void;
  centerOn(id: string, zoom?: number): void;
}

export interface DrawStats {
  nodes: number;
  drawn: number;
  lastDrawMs: number;
  maxDrawMs: number;
  frames: number;
  /** The zoom after the last draw (1: full size). */
  zoom: number;
  /** The layout's box on the canvas after the last draw, in CSS pixels. */
  box: { left: number; top: number; right: number; bottom: number };
  /** Betreuer relations drawn: standing out, faint, and the share labels (text). */
  care: { strong: number; faint: number; labels: string[] };
  /** The selected partner's box on the canvas, in CSS pixels; null when not in view. */
  selectedBox: { left: number; top: number; width: number; height: number } | null;
}

declare global {
  interface Window {
    __genealogyStats?: DrawStats;
  }
}

const TEXT_ZOOM = 0.45;
const MIN_ZOOM = 0.02;
const MAX_ZOOM = 2.5;
const FIT_MARGIN = 24;

export const TreeCanvas = forwardRef<
  TreeCanvasHandle,
  {
    layout: Layout;
    version: number;
    selected: string | null;
    highlighted: Set<string>;
    showAllCare: boolean;
    label: string;
    formatShare(share: string): string;
    onSelect(id: string | null): void;
    onToggle(id: string): void;
  }
>(function TreeCanvas({ layout, version, selected, highlighted, showAllCare, label, formatShare, onSelect, onToggle }, ref) {
  const { theme } = useTheme();
  const palette = PALETTES[theme === "defaultDark" ? "dark" : "light"];
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const view = useRef<Viewport>({ x: 24, y: 24, k: 1 });
  // The smallest zoom: lower than MIN_ZOOM when that is what fits the whole tree.
  const minZoom = useRef(MIN_ZOOM);
  const frame = useRef(0);
  const size = useRef({ width: 0, height: 0 });
  const stats = useRef<DrawStats>({
    nodes: 0,
    drawn: 0,
    lastDrawMs: 0,
    maxDrawMs: 0,
    frames: 0,
    zoom: 1,
    box: { left: 0, top: 0, right: 0, bottom: 0 },
    care: { strong: 0, faint: 0, labels: [] },
    selectedBox: null,
  });
  const props = useRef({ layout, selected, highlighted, showAllCare, formatShare, palette });
  props.current = { layout, selected, highlighted, showAllCare, formatShare, palette };
  const onSelectRef = useRef(onSelect);
  const onToggleRef = useRef(onToggle);
  onSelectRef.current = onSelect;
  onToggleRef.current = onToggle;

  const draw = useCallback(() => {
    frame.current = 0;
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return;
    const started = performance.now();
    const { layout, selected, highlighted, showAllCare, formatShare, palette } = props.current;
    const ratio = window.devicePixelRatio || 1;
    const { width, height } = size.current;
    const { x, y, k } = view.current;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = palette.background;
    context.fillRect(0, 0, width, height);
    context.setTransform(ratio * k, 0, 0, ratio * k, ratio * x, ratio * y);

    const { nodeWidth, nodeHeight } = LAYOUT;
    const left = -x / k - nodeWidth;
    const top = -y / k - nodeHeight;
    const right = (width - x) / k + nodeWidth;
    const bottom = (height - y) / k + nodeHeight;
    const inView = (placed: Placed) => placed.x >= left - 400 && placed.x <= right && placed.y >= top && placed.y <= bottom;
    const showText = k >= TEXT_ZOOM;

    // 1. Sponsor lines, under everything: one path.
    context.beginPath();
    for (const placed of layout.placed) {
      const parentId = placed.node.parentId;
      if (!parentId) continue;
      const parent = layout.byId.get(parentId);
      if (!parent) continue;
      const minY = Math.min(parent.y, placed.y);
      const maxY = Math.max(parent.y, placed.y);
      if (maxY < top || minY > bottom || placed.x < left || parent.x > right) continue;
      const startX = parent.x + nodeWidth;
      const startY = parent.y + nodeHeight / 2;
      const middleX = startX + LAYOUT.columnGap / 2;
      context.moveTo(startX, startY);
      context.lineTo(middleX, startY);
      context.lineTo(middleX, placed.y + nodeHeight / 2);
      context.lineTo(placed.x, placed.y + nodeHeight / 2);
    }
    context.strokeStyle = palette.sponsorLine;
    context.lineWidth = 1 / Math.max(k, 0.5);
    context.stroke();

    // 2. Betreuer relations, still under the boxes: dashed curves from the Betreuer's right
    // edge to the partner's, bulging to the right (clear of the sponsor lines on the left).
    // With a partner selected only its own stand out (and carry their share); the others are
    // faint, or left out.
    const strong = new Path2D();
    const faint = new Path2D();
    let faintCount = 0;
    let strongCount = 0;
    const labels: Array<[number, number, string]> = [];
    for (const placed of layout.placed) {
      const careId = placed.node.careId;
      if (!careId) continue;
      const care = layout.byId.get(careId);
      if (!care) continue;
      if (Math.max(care.y, placed.y) < top || Math.min(care.y, placed.y) > bottom) continue;
      const own = !selected || placed.node.id === selected || careId === selected;
      if (!own && !showAllCare) continue;
      const fromX = care.x + nodeWidth;
      const fromY = care.y + nodeHeight / 2;
      const toX = placed.x + nodeWidth;
      const toY = placed.y + nodeHeight / 2;
      const bend = 36 + Math.min(160, Math.abs(toY - fromY) / 4) + Math.abs(toX - fromX) / 2;
      const controlX = Math.max(fromX, toX) + bend;
      const path = own ? strong : faint;
      path.moveTo(fromX, fromY);
      path.bezierCurveTo(controlX, fromY, controlX, toY, toX, toY);
      if (own) strongCount++;
      else faintCount++;
      // The label at the curve's middle (t = 0.5 of the cubic curve).
      if (own && showText && placed.node.careShare) labels.push([0.125 * (fromX + toX) + 0.75 * controlX, (fromY + toY) / 2, formatShare(placed.node.careShare)]);
    }
    context.setLineDash([6, 4]);
    context.lineWidth = 1.5 / Math.max(k, 0.5);
    if (faintCount) {
      context.strokeStyle = palette.careFaint;
      context.stroke(faint);
    }
    context.strokeStyle = palette.care;
    context.lineWidth = 2 / Math.max(k, 0.5);
    context.stroke(strong);
    context.setLineDash([]);
    context.font = `600 11px Inter, system-ui, sans-serif`;
    context.textAlign = "center";
    context.textBaseline = "middle";
    for (const [labelX, labelY, text] of labels) {
      const textWidth = context.measureText(text).width + 8;
      context.fillStyle = palette.careLabelFill;
      context.strokeStyle = palette.care;
      context.lineWidth = 1;
      context.beginPath();
      context.roundRect(labelX - textWidth / 2, labelY - 8, textWidth, 16, 4);
      context.fill();
      context.stroke();
      context.fillStyle = palette.careLabelText;
      context.fillText(text, labelX, labelY);
    }
    context.textAlign = "left";

    // 3. The partners on top. Far out, the blocks of one colour are one path (a fill per
    // colour, not per partner: 10,000 blocks in a few milliseconds).
    let drawn = 0;
    let selectedBox: DrawStats["selectedBox"] = null;
    const blocks = new Map<string, Path2D>();
    const outlines: Array<[Placed, string]> = [];
    context.textBaseline = "middle";
    for (const placed of layout.placed) {
      if (!inView(placed)) continue;
      drawn++;
      const node = placed.node;
      const isSelected = node.id === selected;
      const isHit = highlighted.has(node.id);
      const colors = palette.nodes[isSelected ? "SELECTED" : ((node.status in palette.nodes ? node.status : "ACTIVE") as NodeKind)];
      if (isSelected) selectedBox = { left: x + placed.x * k, top: y + placed.y * k, width: nodeWidth * k, height: nodeHeight * k };
      if (showText) {
        context.beginPath();
        context.roundRect(placed.x, placed.y, nodeWidth, nodeHeight, 6);
        context.fillStyle = colors.fill;
        context.fill();
        context.lineWidth = isSelected || isHit ? 2 : 1;
        context.strokeStyle = isHit && !isSelected ? palette.hit : colors.border;
        context.stroke();
        context.fillStyle = colors.text;
        context.font = `500 13px Inter, "Geist", system-ui, sans-serif`;
        context.fillText(clip(context, node.name, nodeWidth - 34), placed.x + 10, placed.y + 14);
        context.fillStyle = colors.muted;
        context.font = `400 11px Inter, "Geist", system-ui, sans-serif`;
        context.fillText(node.code, placed.x + 10, placed.y + 29);
        const hidden = node.id !== COMPANY && (node.childCount > 0 || node.children.length > 0) && !node.expanded;
        const open = node.expanded && node.children.length > 0;
        if (hidden || open) {
          context.fillStyle = colors.text;
          context.font = `600 12px Inter, system-ui, sans-serif`;
          context.fillText(open ? "−" : `+${node.childCount > 0 ? node.childCount : ""}`, placed.x + nodeWidth - 26, placed.y + nodeHeight / 2);
        }
      } else {
        // Far out a box is a solid block in its status' colour.
        let block = blocks.get(colors.mark);
        if (!block) blocks.set(colors.mark, (block = new Path2D()));
        block.rect(placed.x, placed.y, nodeWidth, nodeHeight);
        if (isSelected || isHit) outlines.push([placed, isSelected ? colors.border : palette.hit]);
      }
    }
    for (const [color, block] of blocks) {
      context.fillStyle = color;
      context.fill(block);
    }
    context.lineWidth = 3 / k;
    for (const [placed, color] of outlines) {
      context.strokeStyle = color;
      context.strokeRect(placed.x, placed.y, nodeWidth, nodeHeight);
    }

    const took = performance.now() - started;
    const current = stats.current;
    current.nodes = layout.placed.length;
    current.drawn = drawn;
    current.lastDrawMs = took;
    current.maxDrawMs = Math.max(current.maxDrawMs, took);
    current.frames++;
    current.zoom = k;
    current.box = { left: x, top: y, right: x + layout.width * k, bottom: y + layout.height * k };
    current.care = { strong: strongCount, faint: faintCount, labels: labels.map((label) => label[2]) };
    current.selectedBox = selectedBox;
    window.__genealogyStats = { ...current };
  }, []);

  const schedule = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  // Size the canvas to its box, in device pixels.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const resize = () => {
      const rect = canvas.getBoundingClientRect();
      const ratio = window.devicePixelRatio || 1;
      // What was in the middle stays there (the panel of a selected partner narrows the canvas).
      const before = size.current;
      if (before.width && before.height) {
        view.current = { ...view.current, x: view.current.x + (rect.width - before.width) / 2, y: view.current.y + (rect.height - before.height) / 2 };
      }
      size.current = { width: rect.width, height: rect.height };
      canvas.width = Math.max(1, Math.round(rect.width * ratio));
      canvas.height = Math.max(1, Math.round(rect.height * ratio));
      schedule();
    };
    resize();
    const observer = typeof ResizeObserver !== "undefined" ? new ResizeObserver(resize) : null;
    observer?.observe(canvas);
    return () => observer?.disconnect();
  }, [schedule]);

  useEffect(schedule, [schedule, layout, version, selected, highlighted, showAllCare, palette]);

  /** The whole tree in view, centred (however small that makes it: far out, boxes are blocks). */
  const fit = useCallback(() => {
    const { width, height } = size.current;
    const { layout } = props.current;
    if (!layout.width || !layout.height || !width || !height) return;
    const k = Math.min(1, (width - 2 * FIT_MARGIN) / layout.width, (height - 2 * FIT_MARGIN) / layout.height);
    minZoom.current = Math.min(MIN_ZOOM, k);
    view.current = { k, x: (width - layout.width * k) / 2, y: (height - layout.height * k) / 2 };
    schedule();
  }, [schedule]);

  const zoomAt = useCallback(
    (factor: number, pointX: number, pointY: number) => {
      const current = view.current;
      const k = Math.max(minZoom.current, Math.min(MAX_ZOOM, current.k * factor));
      view.current = { k, x: pointX - ((pointX - current.x) * k) / current.k, y: pointY - ((pointY - current.y) * k) / current.k };
      schedule();
    },
    [schedule],
  );

  useImperativeHandle(
    ref,
    () => ({
      fit,
      zoomBy: (factor) => zoomAt(factor, size.current.width / 2, size.current.height / 2),
      centerOn: (id, zoom) => {
        const placed = props.current.layout.byId.get(id);
        if (!placed) return;
        const k = zoom ?? Math.max(view.current.k, 0.8);
        view.current = {
          k,
          x: size.current.width / 2 - (placed.x + LAYOUT.nodeWidth / 2) * k,
          y: size.current.height / 2 - (placed.y + LAYOUT.nodeHeight / 2) * k,
        };
        schedule();
      },
    }),
    [fit, zoomAt, schedule],
  );

  // Pointer: drag pans, click selects, double-click opens or closes; the wheel zooms.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let drag: { x: number; y: number; moved: boolean } | null = null;
    const local = (event: MouseEvent) => {
      const rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top] as const;
    };
    const hit = (event: MouseEvent): string | null => {
      const [pointX, pointY] = local(event);
      const { x, y, k } = view.current;
      const worldX = (pointX - x) / k;
      const worldY = (pointY - y) / k;
      for (const placed of props.current.layout.placed) {
        if (worldX >= placed.x && worldX <= placed.x + LAYOUT.nodeWidth && worldY >= placed.y && worldY <= placed.y + LAYOUT.nodeHeight) {
          return placed.node.id;
        }
      }
      return null;
    };
    const onDown = (event: PointerEvent) => {
      drag = { x: event.clientX, y: event.clientY, moved: false };
      canvas.setPointerCapture?.(event.pointerId);
    };
    const onMove = (event: PointerEvent) => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
      view.current = { ...view.current, x: view.current.x + dx, y: view.current.y + dy };
      drag.x = event.clientX;
      drag.y = event.clientY;
      schedule();
    };
    const onUp = (event: PointerEvent) => {
      const wasDrag = drag?.moved;
      drag = null;
      if (!wasDrag) onSelectRef.current(hit(event));
    };
    const onDouble = (event: MouseEvent) => {
      const id = hit(event);
      if (id) onToggleRef.current(id);
    };
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const [pointX, pointY] = local(event);
      zoomAt(Math.exp(-event.deltaY * 0.0015), pointX, pointY);
    };
    canvas.addEventListener("pointerdown", onDown);
    canvas.addEventListener("pointermove", onMove);
    canvas.addEventListener("pointerup", onUp);
    canvas.addEventListener("dblclick", onDouble);
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => {
      canvas.removeEventListener("pointerdown", onDown);
      canvas.removeEventListener("pointermove", onMove);
      canvas.removeEventListener("pointerup", onUp);
      canvas.removeEventListener("dblclick", onDouble);
      canvas.removeEventListener("wheel", onWheel);
    };
  }, [schedule, zoomAt]);

  return (
    <Box position="relative" flexGrow="1" __minHeight="420px" overflow="hidden" borderTopStyle="solid" borderTopWidth={1} borderColor="default1">
      <canvas
        ref={canvasRef}
        data-testid="genealogy-canvas"
        tabIndex={0}
        aria-label={label}
        style={{ position: "absolute", inset: 0, width: "100%", height: "100%", cursor: "grab", touchAction: "none" }}
      />
    </Box>
  );
});

const clipCache = new Map<string, string>();

function clip(context: CanvasRenderingContext2D, text: string, width: number): string {
  const key = `${width}|${text}`;
  const cached = clipCache.get(key);
  if (cached !== undefined) return cached;
  let result = text;
  if (context.measureText(text).width > width) {
    let low = 0;
    let high = text.length;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (context.measureText(`${text.slice(0, middle)}…`).width <= width) low = middle;
      else high = middle - 1;
    }
    result = `${text.slice(0, low)}…`;
  }
  if (clipCache.size > 50000) clipCache.clear();
  clipCache.set(key, result);
  return result;
}
