/**
 * Bar charts drawn as SVG with macaw-ui's colour tokens (CSS variables), so that they follow
 * the Dashboard's light and dark theme without a chart library.
 */
import { Box, Text, vars } from "@saleor/macaw-ui";
import { useEffect, useRef, useState } from "react";

export interface Series {
  name: string;
  color: string;
  values: number[];
}

/** The series' colours: macaw tokens that read well on both themes. */
export const SERIES_COLORS = [
  vars.colors.background.accent1,
  vars.colors.border.info1,
  vars.colors.border.warning1,
  vars.colors.border.success1,
  vars.colors.border.critical1,
];

/** A round upper bound for the axis and its ticks: 0, 1, 2, 5 × 10^n steps. */
export function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const rough = max / ticks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? rough;
  return { top: step * Math.ceil(max / step), step };
}

export function BarChart({
  labels,
  series,
  height = 220,
  format = (value: number) => String(value),
  title,
  testId,
}: {
  labels: string[];
  series: Series[];
  height?: number;
  format?: (value: number) => string;
  title: string;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const margin = { top: 12, right: 8, bottom: 28, left: 56 };
  const innerWidth = width - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const max = Math.max(0, ...series.flatMap((entry) => entry.values));
  const { top, step } = niceScale(max);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
  const band = innerWidth / Math.max(1, labels.length);
  const barWidth = Math.max(2, (band * 0.7) / Math.max(1, series.length));
  const y = (value: number) => margin.top + innerHeight - (value / top) * innerHeight;
  // Room for about 56 px per label.
  const labelEvery = Math.max(1, Math.ceil(labels.length / Math.max(1, Math.floor(innerWidth / 56))));

  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid={testId} ref={box}>
      <svg role="img" aria-label={title} viewBox={`0 0 ${width} ${height}`} width={width} height={height} style={{ display: "block" }}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} stroke={vars.colors.border.default1} />
            <text x={margin.left - 6} y={y(tick) + 4} textAnchor="end" fontSize="12" fill={vars.colors.text.default2}>
              {format(tick)}
            </text>
          </g>
        ))}
        {labels.map((label, index) => {
          const x0 = margin.left + index * band + (band - barWidth * series.length) / 2;
          return (
            <g key={`${label}-${index}`}>
              {series.map((entry, seriesIndex) => {
                const value = entry.values[index] ?? 0;
                return (
                  <rect
                    key={entry.name}
                    data-testid="bar"
                    x={x0 + seriesIndex * barWidth}
                    y={y(value)}
                    width={barWidth - 1}
                    height={Math.max(0, margin.top + innerHeight - y(value))}
                    rx={2}
                    fill={entry.color}
                  >
                    <title>{`${entry.name} ${label}: ${format(value)}`}</title>
                  </rect>
                );
              })}
              {index % labelEvery === 0 && (
                <text x={margin.left + index * band + band / 2} y={height - 8} textAnchor="middle" fontSize="12" fill={vars.colors.text.default2}>
                  {label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {series.length > 1 && <Legend items={series.map((entry) => ({ name: entry.name, color: entry.color }))} />}
    </Box>
  );
}

/** The pixel width of a box, following its resizes (SVG text then stays at its real size). */
function useWidth(ref: React.RefObject<HTMLElement>, fallback = 480): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(200, Math.floor(element.getBoundingClientRect().width) || fallback));
    measure();
    const observer = typeof ResizeObserver !== "undefined" ? new ResizeObserver(measure) : null;
    observer?.observe(element);
    return () => observer?.disconnect();
  }, [ref, fallback]);
  return width;
}

export function Legend({ items }: { items: Array<{ name: string; color: string; dashed?: boolean; line?: boolean }> }) {
  return (
    <Box display="flex" gap={4} flexWrap="wrap">
      {items.map((item) => (
        <Box key={item.name} display="flex" alignItems="center" gap={1.5}>
          <svg width="18" height="10" aria-hidden="true">
            {item.dashed || item.line ? (
              <line x1="0" x2="18" y1="5" y2="5" stroke={item.color} strokeWidth="2" strokeDasharray={item.dashed ? "4 3" : undefined} />
            ) : (
              <rect width="18" height="10" rx="2" fill={item.color} />
            )}
          </svg>
          <Text size={2} color="default2">
            {item.name}
          </Text>
        </Box>
      ))}
    </Box>
  );
}

/** Horizontal bars for parts of a whole (partners per status, per rank). */
export function HorizontalBars({
  items,
  format = (value: number) => String(value),
  testId,
}: {
  items: Array<{ name: string; value: number; color: string }>;
  format?: (value: number) => string;
  testId?: string;
}) {
  const max = Math.max(1, ...items.map((item) => item.value));
  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid={testId}>
      {items.map((item) => (
        <Box key={item.name} display="grid" __gridTemplateColumns="120px 1fr 64px" alignItems="center" gap={3}>
          <Text size={2} color="default2" ellipsis>
            {item.name}
          </Text>
          <Box __height="14px" borderRadius={2} backgroundColor="default2" overflow="hidden">
            <Box data-testid="hbar" __height="100%" __width={`${(item.value / max) * 100}%`} __backgroundColor={item.color} borderRadius={2} />
          </Box>
          <Text size={2} textAlign="right">
            {format(item.value)}
          </Text>
        </Box>
      ))}
    </Box>
  );
}
