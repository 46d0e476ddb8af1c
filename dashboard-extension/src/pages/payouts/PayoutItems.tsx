import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading } from "../../components/Feedback";
import { FormDialog } from "../../components/FormDialog";
import { Section } from "../../components/Layout";
import { Money } from "../../components/Money";
import { Pager, usePages } from "../../components/Pager";
import { ItemStatusChip } from "./PayoutParts";
import type { ItemStatus } from "./runState";

/**
 * A run's payouts, 20 a page, filtered by status or "waiting" (pending with a reason), each
 * with why it waits, failed or came back; a changed bank account is confirmed from its row
 * (`payoutBankChangeConfirm`, with how it was checked), and the next execution pays it.
 */
const PAGE = 20;
const ITEMS = `query PayoutItems($filter: PayoutItemFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
  payoutItems(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { startCursor endCursor }
    edges { node {
      id method amount currency status skipReason lastError returnReason
      partner { id displayName referralCode } creditNote { number }
    } }
  }
}`;
const PROFILE = `query PayoutProfileChange($partnerId: ID!) {
  payoutProfile(partnerId: $partnerId) { ibanMasked bankChangePending history { kind ibanMasked previousIbanMasked } }
}`;
const CONFIRM = `mutation PayoutBankChangeConfirm($partnerId: ID!, $note: String) {
  payoutBankChangeConfirm(partnerId: $partnerId, note: $note) { errors { field code message } payoutProfile { bankChangePending } }
}`;

const FILTERS = ["all", "waiting", "PENDING", "SENT", "PAID", "FAILED", "RETURNED"] as const;
type Filter = (typeof FILTERS)[number];

interface PayoutItemRow {
  id: string;
  method: "NONE" | "STRIPE" | "SEPA";
  amount: string;
  currency: string;
  status: ItemStatus;
  skipReason: string | null;
  lastError: string;
  returnReason: string;
  partner: { id: string; displayName: string; referralCode: string };
  creditNote: { number: string };
}
interface ItemsAnswer {
  payoutItems: { totalCount: number; pageInfo: { startCursor: string | null; endCursor: string | null }; edges: Array<{ node: PayoutItemRow }> };
}

/** The API's filter of a choice on the page. */
export function itemFilter(runId: string, filter: Filter): Record<string, unknown> {
  if (filter === "all") return { runId };
  if (filter === "waiting") return { runId, status: ["PENDING"], skipped: true };
  return { runId, status: [filter] };
}

export function PayoutItems({ runId, version, onConfirmed }: { runId: string; version: number; onConfirmed(): void }) {
  const { t } = useApp();
  const [filter, setFilter] = useState<Filter>("all");
  const [confirming, setConfirming] = useState<PayoutItemRow | null>(null);
  const pages = usePages(PAGE, filter);
  const { data, error, loading, reload } = useQuery<ItemsAnswer>(ITEMS, { filter: itemFilter(runId, filter), ...pages.variables });
  // `version`: asked again after an action on the run (an execution, a confirmation).
  useEffect(() => {
    if (version) reload();
  }, [version, reload]);
  const connection = data?.payoutItems;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];

  const reason = (row: PayoutItemRow) => {
    if (row.status === "RETURNED") return t("payouts.returned", { reason: row.returnReason || t("common.none") });
    if (row.status === "FAILED") return t("payouts.failed", { reason: row.lastError || t("common.none") });
    if (row.skipReason) return t(`payouts.skip.${row.skipReason}` as "payouts.skip.HELD");
    return row.lastError;
  };

  return (
    <Section title={t("payouts.items")} testId="payout-items">
      <Box display="flex" gap={2} flexWrap="wrap" alignItems="center" role="group" aria-label={t("payouts.filter")} data-testid="payout-filter">
        {FILTERS.map((choice) => (
          <Button
            key={choice}
            size="small"
            variant={choice === filter ? "primary" : "secondary"}
            aria-pressed={choice === filter}
            onClick={() => setFilter(choice)}
            data-testid={`payout-filter-${choice}`}
          >
            {choice === "all" || choice === "waiting" ? t(`payouts.filter.${choice}`) : t(`payouts.itemStatus.${choice}`)}
          </Button>
        ))}
      </Box>
      {error && <ErrorMessage error={error} onRetry={reload} />}
      {loading && !data ? (
        <Loading rows={6} />
      ) : (
        <DataTable
          testId="payout-items-table"
          rows={rows}
          rowKey={(row) => row.id}
          columns={[
            {
              key: "partner",
              header: t("payouts.col.partner"),
              render: (row) => (
                <Text size={2} fontWeight="medium" data-testid="payout-item-partner">
                  {row.partner.displayName} ({row.partner.referralCode})
                </Text>
              ),
            },
            { key: "document", header: t("payouts.col.document"), render: (row) => <Text size={2} whiteSpace="nowrap">{row.creditNote.number}</Text> },
            { key: "method", header: t("payouts.col.method"), render: (row) => <Text size={2}>{t(`payouts.method.${row.method}` as "payouts.method.SEPA")}</Text> },
            { key: "amount", header: t("payouts.col.amount"), align: "right", render: (row) => <Money value={row.amount} currency={row.currency} /> },
            {
              key: "status",
              header: t("payouts.col.status"),
              render: (row) => (
                <Box data-testid="payout-item-status" data-status={row.status}>
                  <ItemStatusChip status={row.status} />
                </Box>
              ),
            },
            {
              key: "reason",
              header: t("payouts.col.reason"),
              render: (row) => (
                <Text size={2} data-testid="payout-item-reason" data-reason={row.skipReason ?? ""}>
                  {reason(row)}
                </Text>
              ),
            },
            {
              key: "action",
              header: "",
              align: "right",
              render: (row) =>
                row.skipReason === "BANK_CHANGE" && (
                  <Button
                    size="small"
                    variant="secondary"
                    onClick={() => setConfirming(row)}
                    aria-label={t("payouts.confirmBankOf", { name: row.partner.displayName })}
                    data-testid="payout-confirm-bank"
                  >
                    {t("payouts.confirmBank")}
                  </Button>
                ),
            },
          ]}
          empty={<Text size={2} color="default2">{t("payouts.itemsEmpty")}</Text>}
        />
      )}
      {connection && <Pager pages={pages} connection={connection} shown={rows.length} testId="payout-items" />}
      {confirming && (
        <BankChangeDialog
          item={confirming}
          onClose={() => setConfirming(null)}
          onDone={() => {
            setConfirming(null);
            onConfirmed();
          }}
        />
      )}
    </Section>
  );
}

interface ProfileAnswer {
  payoutProfile: { ibanMasked: string; bankChangePending: boolean; history: Array<{ kind: string; ibanMasked: string; previousIbanMasked: string }> } | null;
}

/** The changed account shown masked (before and after) with the note of how it was checked. */
function BankChangeDialog({ item, onClose, onDone }: { item: PayoutItemRow; onClose(): void; onDone(): void }) {
  const { t, client, host } = useApp();
  const { data } = useQuery<ProfileAnswer>(PROFILE, { partnerId: item.partner.id });
  if (!data) return null;
  const profile = data.payoutProfile;
  const change = profile?.history.filter((entry) => entry.previousIbanMasked).at(-1);
  const name = item.partner.displayName;
  return (
    <FormDialog
      title={t("payouts.confirmBankTitle", { name })}
      testId="payout-confirm-dialog"
      intro={t("payouts.confirmBankText", { name, previous: change?.previousIbanMasked || t("common.none"), current: profile?.ibanMasked || t("common.none") })}
      confirmLabel={t("payouts.confirmBank")}
      fields={[{ name: "note", label: t("payouts.confirmBankNote"), kind: "textarea", help: t("payouts.confirmBankNoteHelp") }]}
      submit={async (values) =>
        (await client.request<{ payoutBankChangeConfirm: { errors: MlmError[] } }>(CONFIRM, { partnerId: item.partner.id, note: values.note || null })).payoutBankChangeConfirm.errors
      }
      onClose={onClose}
      onDone={() => {
        host.notify("success", t("payouts.bankConfirmed", { name }));
        onDone();
      }}
    />
  );
}
