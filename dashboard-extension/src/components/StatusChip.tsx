import { Chip, Text } from "@saleor/macaw-ui";

import { useApp } from "../app/context";

const TONE = {
  ACTIVE: { backgroundColor: "success1", borderColor: "success1", color: "success1" },
  INACTIVE: { backgroundColor: "warning1", borderColor: "warning1", color: "warning1" },
  TERMINATED: { backgroundColor: "critical1", borderColor: "critical1", color: "critical1" },
} as const;

export function StatusChip({ status }: { status: string | null | undefined }) {
  const { t } = useApp();
  if (!status) return <Text size={2}>{t("common.none")}</Text>;
  const tone = TONE[status as keyof typeof TONE] ?? TONE.INACTIVE;
  return (
    <Chip size="small" backgroundColor={tone.backgroundColor} borderColor={tone.borderColor} data-status={status}>
      <Text size={1} color={tone.color} fontWeight="medium">
        {t(`status.${status}` as "status.ACTIVE")}
      </Text>
    </Chip>
  );
}
