import { Box, Button, Text } from "@saleor/macaw-ui";
import { useRef, useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { useRouter } from "../../app/router";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading } from "../../components/Feedback";
import { FormDialog } from "../../components/FormDialog";
import { ApiGate, Page, Section } from "../../components/Layout";
import { Money } from "../../components/Money";
import { PayoutRunView } from "./PayoutRunView";
import { RunStatusChip } from "./PayoutParts";
import { RUN_FIELDS, runAmount, type PayoutRunRow } from "./payoutRun";
import { countOf, itemCount } from "./runState";

/**
 * Payouts (issue 20 item 1): the payout runs of committed periods, newest first, and a new run
 * for a committed period without one; a run's own page (`payouts/<id>`) approves, executes with
 * progress, downloads its SEPA files and lists its payouts. Written against the payouts API
 * (saleor_mlm/graphql/payouts, docs/payouts.md).
 */
export const PAYOUTS_FIELDS = [
  "Query.payoutRuns",
  "Query.payoutRun",
  "Query.payoutItems",
  "Query.payoutProfile",
  "PayoutRun.sepaFiles",
  "Mutation.payoutRunCreate",
  "Mutation.payoutRunApprove",
  "Mutation.payoutRunExecute",
  "Mutation.payoutBankChangeConfirm",
];

const RUNS = `query PayoutRuns {
  payoutRuns(first: 100) { edges { node { ${RUN_FIELDS} } } }
  periods(first: 24) { edges { node { id label status } } }
}`;
const CREATE = `mutation PayoutRunCreate($periodId: ID!) {
  payoutRunCreate(periodId: $periodId) { errors { field code message } payoutRun { id } }
}`;

interface RunsAnswer {
  payoutRuns: { edges: Array<{ node: PayoutRunRow }> };
  periods: { edges: Array<{ node: { id: string; label: string; status: string } }> };
}

export function PayoutsPage({ runId }: { runId: string | null }) {
  const { t } = useApp();
  return (
    <ApiGate title={t("payouts.title")} testId="payouts" fields={PAYOUTS_FIELDS}>
      {runId ? <PayoutRunView runId={runId} /> : <PayoutRunList />}
    </ApiGate>
  );
}

function PayoutRunList() {
  const { t, format, client, host } = useApp();
  const { navigate } = useRouter();
  const { data, error, loading, reload } = useQuery<RunsAnswer>(RUNS);
  const [creating, setCreating] = useState(false);
  const created = useRef<string | null>(null);
  const runs = data?.payoutRuns.edges.map((edge) => edge.node) ?? [];
  const paid = new Set(runs.map((run) => run.period.id));
  // Committed periods without a run, newest first: what a new run may pay.
  const payable = (data?.periods.edges.map((edge) => edge.node) ?? []).filter((period) => period.status === "COMMITTED" && !paid.has(period.id));

  return (
    <Page
      title={t("payouts.title")}
      actions={
        data && (
          <Button variant="primary" onClick={() => setCreating(true)} disabled={!payable.length} aria-describedby={payable.length ? undefined : "payouts-create-none"} data-testid="payouts-create">
            {t("payouts.create")}
          </Button>
        )
      }
    >
      <Box paddingX={6} paddingBottom={4} display="flex" flexDirection="column" gap={2}>
        <Text size={2} color="default2">
          {t("payouts.intro")}
        </Text>
        {data && !payable.length && (
          <Text size={2} color="default2" id="payouts-create-none" data-testid="payouts-create-none">
            {t("payouts.createNone")}
          </Text>
        )}
      </Box>
      <Section title={t("payouts.runs")} testId="payouts">
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {loading && !data ? (
          <Loading rows={4} />
        ) : (
          <DataTable
            testId="payout-runs-table"
            rows={runs}
            rowKey={(run) => run.id}
            onRowClick={(run) => navigate({ name: "payouts", id: run.id })}
            columns={[
              {
                key: "period",
                header: t("payouts.col.period"),
                render: (run) => (
                  <Text size={2} fontWeight="medium" data-testid="payout-run-period">
                    {run.period.label}
                  </Text>
                ),
              },
              { key: "status", header: t("payouts.col.status"), render: (run) => <RunStatusChip status={run.status} /> },
              { key: "items", header: t("payouts.col.items"), align: "right", render: (run) => <Text size={2}>{format.number(itemCount(run))}</Text> },
              { key: "amount", header: t("payouts.col.amount"), align: "right", render: (run) => <Money value={runAmount(run)} currency={run.currency} /> },
              {
                key: "paid",
                header: t("payouts.itemStatus.PAID"),
                align: "right",
                render: (run) => <Text size={2}>{format.number(countOf(run, "PAID") + countOf(run, "SENT"))}</Text>,
              },
              { key: "waiting", header: t("payouts.col.waiting"), align: "right", render: (run) => <Text size={2} data-testid="payout-run-waiting">{format.number(run.skipped)}</Text> },
              {
                key: "returned",
                header: t("payouts.itemStatus.RETURNED"),
                align: "right",
                render: (run) => <Text size={2}>{format.number(countOf(run, "RETURNED") + countOf(run, "FAILED"))}</Text>,
              },
              { key: "createdBy", header: t("payouts.col.createdBy"), render: (run) => <Text size={2}>{run.createdBy}</Text> },
              { key: "approvedBy", header: t("payouts.col.approvedBy"), render: (run) => <Text size={2}>{run.approvedBy || t("common.none")}</Text> },
            ]}
            empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
          />
        )}
      </Section>
      {creating && (
        <FormDialog
          title={t("payouts.create")}
          testId="payout-create-dialog"
          intro={t("payouts.intro")}
          confirmLabel={t("payouts.create")}
          initial={{ periodId: payable[0]?.id ?? "" }}
          fields={[{ name: "periodId", label: t("payouts.createFor"), kind: "select", required: true, options: payable.map((period) => ({ value: period.id, label: period.label })) }]}
          submit={async (values) => {
            const answer = await client.request<{ payoutRunCreate: { errors: MlmError[]; payoutRun: { id: string } | null } }>(CREATE, { periodId: values.periodId });
            created.current = answer.payoutRunCreate.payoutRun?.id ?? null;
            return answer.payoutRunCreate.errors;
          }}
          onClose={() => setCreating(false)}
          onDone={(values) => {
            setCreating(false);
            host.notify("success", t("payouts.created", { period: payable.find((period) => period.id === values.periodId)?.label ?? "" }));
            if (created.current) navigate({ name: "payouts", id: created.current });
            else reload();
          }}
        />
      )}
    </Page>
  );
}
