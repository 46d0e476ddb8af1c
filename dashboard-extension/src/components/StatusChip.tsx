import { Box, Chip, Text } from "@saleor/macaw-ui";

import { useApp } from "../app/context";

export type Tone = "success" | "warning" | "critical" | "info";

// The status' colour on the border and a dot; the text in the page's own colour, which reads on
// the chip's neutral background in both themes (tinted text on a tinted chip did not: 2.1:1).
const TONES = {
  success: { dot: "success1", borderColor: "success1" },
  warning: { dot: "warning1", borderColor: "warning1" },
  critical: { dot: "critical1", borderColor: "critical1" },
  info: { dot: "accent1", borderColor: "accent1" },
} as const;

/** A status as a chip: its label, and its tone as a coloured border and dot. */
export function ToneChip({ tone, label, status }: { tone: Tone; label: string; status: string }) {
  const colours = TONES[tone];
  return (
    <Chip size="small" backgroundColor="default1" borderColor={colours.borderColor} data-status={status}>
      <Box as="span" display="inline-block" __width="6px" __height="6px" borderRadius={4} backgroundColor={colours.dot} marginRight={1} aria-hidden="true" />
      <Text size={1} color="default1" fontWeight="medium" whiteSpace="nowrap">
        {label}
      </Text>
    </Chip>
  );
}

const PARTNER_TONE: Record<string, Tone> = { ACTIVE: "success", INACTIVE: "warning", TERMINATED: "critical" };

/** A partner's status. */
export function StatusChip({ status }: { status: string | null | undefined }) {
  const { t } = useApp();
  if (!status) return <Text size={2}>{t("common.none")}</Text>;
  return <ToneChip tone={PARTNER_TONE[status] ?? "warning"} label={t(`status.${status}` as "status.ACTIVE")} status={status} />;
}
