import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";
import { PartnerPicker, type PickedPartner } from "../../components/PartnerPicker";

/**
 * Orders to look at (saleor_mlm/ledger/attention.py): order events parked with their reason,
 * and orders credited to a house customer because nobody had their referral code, each with
 * the code it carried. Such an order's customer is given to the partner meant with
 * `houseCustomerAssign`, the one action for it.
 */
export const ATTENTION_FIELDS = ["Query.parkedOrders", "Query.unknownCodeOrders", "Mutation.houseCustomerAssign"];

const ATTENTION = `query AttentionOrders {
  parkedOrders(first: 20) {
    totalCount
    edges { node { orderId number eventKind reason message attempts parkedAt referralCode } }
  }
  unknownCodeOrders(first: 20, filter: {isHouseCustomer: true}) {
    totalCount
    edges { node { orderId number referralCode userEmail pv customer { id } } }
  }
}`;

const ASSIGN = `mutation HouseCustomerAssign($customerId: ID!, $sponsorId: ID!, $reason: String) {
  houseCustomerAssign(customerId: $customerId, sponsorId: $sponsorId, reason: $reason) { errors { field code message } customer { id } }
}`;

interface ParkedRow {
  orderId: string;
  number: string | null;
  eventKind: string;
  reason: string;
  message: string;
  attempts: number;
  parkedAt: string;
  referralCode: string | null;
}
interface UnknownRow {
  orderId: string;
  number: string | null;
  referralCode: string;
  userEmail: string | null;
  pv: string;
  customer: { id: string };
}
interface Answer {
  parkedOrders: { totalCount: number; edges: Array<{ node: ParkedRow }> };
  unknownCodeOrders: { totalCount: number; edges: Array<{ node: UnknownRow }> };
}

const REASONS = ["NO_EXCHANGE_RATE", "INVALID_METADATA", "AWAITING_PAYMENT"] as const;

export function AttentionOrders() {
  const { t, capabilities } = useApp();
  const missing = capabilities.missing(ATTENTION_FIELDS);
  const { data, error, loading, reload } = useQuery<Answer>(ATTENTION, {}, missing.length > 0);
  if (missing.length) return <MissingApi fields={missing} />;
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading || !data) return <Loading />;
  const parked = data.parkedOrders.edges.map((edge) => edge.node);
  const unknown = data.unknownCodeOrders.edges.map((edge) => edge.node);
  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="attention-orders">
      <Text size={4} fontWeight="bold">
        {t("attention.parked", { count: data.parkedOrders.totalCount })}
      </Text>
      <ParkedTable rows={parked} />
      <Text size={4} fontWeight="bold">
        {t("attention.unknownCodes", { count: data.unknownCodeOrders.totalCount })}
      </Text>
      <UnknownTable rows={unknown} onAssigned={reload} />
    </Box>
  );
}

function reasonText(t: ReturnType<typeof useApp>["t"], reason: string) {
  return (REASONS as readonly string[]).includes(reason) ? t(`attention.reason.${reason as (typeof REASONS)[number]}`) : reason;
}

function ParkedTable({ rows }: { rows: ParkedRow[] }) {
  const { t, format } = useApp();
  return (
    <DataTable
      testId="parked-orders"
      rows={rows}
      rowKey={(row) => `${row.orderId}:${row.eventKind}`}
      empty={t("attention.noneParked")}
      columns={[
        { key: "number", header: t("attention.order"), render: (row) => `#${row.number ?? row.orderId}` },
        { key: "event", header: t("attention.event"), render: (row) => row.eventKind },
        { key: "reason", header: t("attention.reason"), render: (row) => <span title={row.message}>{reasonText(t, row.reason)}</span> },
        { key: "code", header: t("attention.code"), render: (row) => row.referralCode ?? "–" },
        { key: "since", header: t("attention.since"), render: (row) => format.date(row.parkedAt) },
        { key: "attempts", header: t("attention.attempts"), align: "right", render: (row) => format.number(row.attempts) },
      ]}
    />
  );
}

function UnknownTable({ rows, onAssigned }: { rows: UnknownRow[]; onAssigned(): void }) {
  const { t, format } = useApp();
  const [assigning, setAssigning] = useState<UnknownRow | null>(null);
  return (
    <>
      <DataTable
        testId="unknown-code-orders"
        rows={rows}
        rowKey={(row) => row.orderId}
        empty={t("attention.noneUnknown")}
        columns={[
          { key: "number", header: t("attention.order"), render: (row) => `#${row.number ?? row.orderId}` },
          { key: "code", header: t("attention.code"), render: (row) => row.referralCode },
          { key: "email", header: t("attention.email"), render: (row) => row.userEmail ?? "–" },
          { key: "pv", header: "PV", align: "right", render: (row) => format.volume(row.pv) },
          {
            key: "assign",
            header: "",
            align: "right",
            render: (row) => (
              <Button variant="secondary" size="small" data-testid="assign-open" onClick={() => setAssigning(row)}>
                {t("attention.assign")}
              </Button>
            ),
          },
        ]}
      />
      {assigning && (
        <AssignForm
          row={assigning}
          onDone={() => {
            setAssigning(null);
            onAssigned();
          }}
        />
      )}
    </>
  );
}

function AssignForm({ row, onDone }: { row: UnknownRow; onDone(): void }) {
  const { t, client } = useApp();
  const [partner, setPartner] = useState<PickedPartner | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (!partner) {
      setProblem(t("attention.pickPartner"));
      return;
    }
    setBusy(true);
    try {
      const answer = await client.request<{ houseCustomerAssign: { errors: MlmError[] } }>(ASSIGN, {
        customerId: row.customer.id,
        sponsorId: partner.value,
        reason: t("attention.assignReason", { number: row.number ?? row.orderId, code: row.referralCode }),
      });
      const errors = answer.houseCustomerAssign.errors;
      if (errors.length) setProblem(errors.map((error) => error.message).join(" "));
      else onDone();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid="assign-form">
      <Text size={3}>{t("attention.assignTitle", { number: row.number ?? row.orderId, code: row.referralCode })}</Text>
      <PartnerPicker label={t("attention.partner")} value={partner} onChange={setPartner} testId="assign-partner" />
      {problem && (
        <Text size={2} color="critical1" data-testid="assign-problem">
          {problem}
        </Text>
      )}
      <Box>
        <Button data-testid="assign-confirm" disabled={busy} onClick={submit}>
          {t("attention.assign")}
        </Button>
      </Box>
    </Box>
  );
}
