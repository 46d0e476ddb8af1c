import { Box, Text, useTheme } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

import { useApp } from "../../app/context";
import type { MessageKey } from "../../app/i18n";
import { PALETTES, type NodeKind } from "./palette";

/** Every colour the genealogy draws with, named (from the same palette as the canvas). */
export function GenealogyLegend() {
  const { t } = useApp();
  const { theme } = useTheme();
  const palette = PALETTES[theme === "defaultDark" ? "dark" : "light"];
  const boxes: Array<[NodeKind, MessageKey]> = [
    ["ACTIVE", "status.ACTIVE"],
    ["INACTIVE", "status.INACTIVE"],
    ["TERMINATED", "status.TERMINATED"],
    ["COMPANY", "genealogy.company"],
    ["SELECTED", "genealogy.legendSelected"],
  ];
  const lines: Array<[string, MessageKey, boolean, string]> = [
    [palette.sponsorLine, "genealogy.legendSponsor", false, "sponsor"],
    [palette.care, "genealogy.legendCare", true, "care"],
    [palette.careFaint, "genealogy.legendCareFaint", true, "care-faint"],
  ];
  return (
    <Box as="ul" display="flex" gap={4} flexWrap="wrap" padding={0} margin={0} style={{ listStyle: "none" }} data-testid="genealogy-legend" aria-label={t("genealogy.legend")}>
      {boxes.map(([kind, key]) => (
        <Item key={kind} name={t(key)} testId={`legend-${kind.toLowerCase()}`} color={palette.nodes[kind].fill}>
          <rect x="1" y="1" width="20" height="12" rx="3" fill={palette.nodes[kind].fill} stroke={palette.nodes[kind].border} strokeWidth="1.5" />
        </Item>
      ))}
      <Item name={t("genealogy.legendHit")} testId="legend-hit" color={palette.hit}>
        <rect x="1" y="1" width="20" height="12" rx="3" fill={palette.nodes.ACTIVE.fill} stroke={palette.hit} strokeWidth="2" />
      </Item>
      {lines.map(([color, key, dashed, id]) => (
        <Item key={id} name={t(key)} testId={`legend-${id}`} color={color}>
          <line x1="0" x2="22" y1="7" y2="7" stroke={color} strokeWidth="2" strokeDasharray={dashed ? "4 3" : undefined} />
        </Item>
      ))}
    </Box>
  );
}

function Item({ name, testId, color, children }: { name: string; testId: string; color: string; children: ReactNode }) {
  return (
    <Box as="li" display="flex" alignItems="center" gap={1.5} data-testid={testId} data-color={color}>
      <svg width="22" height="14" aria-hidden="true">
        {children}
      </svg>
      <Text size={2} color="default2">
        {name}
      </Text>
    </Box>
  );
}
