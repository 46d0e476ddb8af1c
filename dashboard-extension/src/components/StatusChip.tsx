import { Box, Chip, Text } from "@saleor/macaw-ui";

import { useApp } from "../app/context";

// The status' colour on the border and a dot; the text in the page's own colour, which reads on
// the chip's neutral background in both themes (tinted text on a tinted chip did not: 2.1:1).
const TONE = {
  ACTIVE: { dot: "success1", borderColor: "success1" },
  INACTIVE: { dot: "warning1", borderColor: "warning1" },
  TERMINATED: { dot: "critical1", borderColor: "critical1" },
} as const;

export function StatusChip({ status }: { status: string | null | undefined }) {
  const { t } = useApp();
  if (!status) return <Text size={2}>{t("common.none")}</Text>;
  const tone = TONE[status as keyof typeof TONE] ?? TONE.INACTIVE;
  return (
    <Chip size="small" backgroundColor="default1" borderColor={tone.borderColor} data-status={status}>
      <Box as="span" display="inline-block" __width="6px" __height="6px" borderRadius={4} backgroundColor={tone.dot} marginRight={1} aria-hidden="true" />
      <Text size={1} color="default1" fontWeight="medium">
        {t(`status.${status}` as "status.ACTIVE")}
      </Text>
    </Chip>
  );
}
