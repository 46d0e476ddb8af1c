import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { useQuery } from "../../app/useQuery";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";
import { ProgressBar } from "../../components/ProgressBar";

/** The sync with Saleor (docs/sync.md): the first install's backfill offer, then the latest run. */
export const SYNC_FIELDS = ["Query.orderSyncRuns", "Mutation.ordersBackfill"];
const POLL_MS = 2000;

const SYNC_RUNS = `query OrderSyncRuns {
  orderSyncRuns {
    id status trigger dryRun percent finishedAt error
    counts { orders payments takeBacks parked alreadyRecorded differences }
    differences { number kind detail }
  }
}`;

const BACKFILL = `mutation OrdersBackfill($months: Int!) {
  ordersBackfill(months: $months) { errors { field code message } run { id status } }
}`;

interface SyncRun {
  id: string;
  status: "RUNNING" | "DONE" | "FAILED";
  trigger: string;
  dryRun: boolean;
  percent: number;
  finishedAt: string | null;
  error: string | null;
  counts: { orders: number; payments: number; takeBacks: number; parked: number; alreadyRecorded: number; differences: number };
  differences: Array<{ number: string; kind: string; detail: string }>;
}

export function SyncCard() {
  const { t, client, capabilities, format } = useApp();
  const missing = capabilities.missing(SYNC_FIELDS);
  const { data, error, loading, reload } = useQuery<{ orderSyncRuns: SyncRun[] }>(SYNC_RUNS, {}, missing.length > 0);
  const [months, setMonths] = useState("6");
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const latest = data?.orderSyncRuns.find((run) => !run.dryRun) ?? null;
  const running = latest?.status === "RUNNING";

  useEffect(() => {
    if (!running) return undefined;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [running, data, reload]);

  if (missing.length) return <MissingApi fields={missing} />;
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading rows={2} />;

  const backfill = async () => {
    setProblem(null);
    setSending(true);
    try {
      const answer = await client.request<{ ordersBackfill: { errors: MlmError[] } }>(BACKFILL, { months: Number(months) });
      const refused = answer.ordersBackfill.errors;
      if (refused.length) setProblem(refused.map((item) => item.message).join(" "));
      else reload();
    } catch (failure) {
      setProblem((failure as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" gap={3} data-testid="sync-card">
      {!latest && <Text size={3}>{t("sync.offer")}</Text>}
      {latest && running && <ProgressBar percent={latest.percent} label={t("sync.running")} testId="sync-progress" />}
      {latest && !running && (
        <Text size={3} data-testid="sync-latest">
          {latest.status === "DONE"
            ? t("sync.done", {
                date: format.dateTime(latest.finishedAt),
                orders: format.number(latest.counts.orders),
                payments: format.number(latest.counts.payments),
                takeBacks: format.number(latest.counts.takeBacks),
                differences: format.number(latest.counts.differences),
              })
            : t("sync.failed", { error: latest.error ?? "" })}
        </Text>
      )}
      {latest?.differences.slice(0, 5).map((item) => (
        <Text key={`${item.number}-${item.kind}`} size={2} color="default2" data-testid="sync-difference">
          #{item.number}: {item.detail}
        </Text>
      ))}
      {!running && (
        <Box display="flex" gap={2} alignItems="flex-end">
          <Input
            size="small"
            label={t("sync.months")}
            value={months}
            inputMode="numeric"
            onChange={(event) => setMonths(event.target.value)}
            data-testid="sync-months"
          />
          <Button variant={latest ? "secondary" : "primary"} size="small" onClick={backfill} disabled={sending} data-testid="sync-backfill">
            {t("sync.backfill")}
          </Button>
        </Box>
      )}
      {problem && (
        <Text size={2} color="critical1" data-testid="sync-error">
          {problem}
        </Text>
      )}
    </Box>
  );
}
