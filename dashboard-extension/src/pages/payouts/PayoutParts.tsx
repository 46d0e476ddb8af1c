import { useApp } from "../../app/context";
import { ToneChip, type Tone } from "../../components/StatusChip";
import type { ItemStatus, RunStatus } from "./runState";

const RUN_TONE: Record<RunStatus, Tone> = { CREATED: "warning", APPROVED: "info", EXECUTING: "info", EXECUTED: "success" };
const ITEM_TONE: Record<ItemStatus, Tone> = { PENDING: "warning", SENT: "info", PAID: "success", FAILED: "critical", RETURNED: "critical" };

export function RunStatusChip({ status }: { status: RunStatus }) {
  const { t } = useApp();
  return <ToneChip tone={RUN_TONE[status] ?? "info"} label={t(`payouts.status.${status}` as "payouts.status.CREATED")} status={status} />;
}

export function ItemStatusChip({ status }: { status: ItemStatus }) {
  const { t } = useApp();
  return <ToneChip tone={ITEM_TONE[status] ?? "info"} label={t(`payouts.itemStatus.${status}` as "payouts.itemStatus.PENDING")} status={status} />;
}
