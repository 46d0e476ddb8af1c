import { Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading } from "../../components/Feedback";
import { FormDialog } from "../../components/FormDialog";
import { Section } from "../../components/Layout";
import { Money } from "../../components/Money";

/**
 * A period's corrections, each with a second person's approval: money adjustments
 * (`adjustmentCreate`) and rank overrides (`rankOverrideSet`, `rankOverrideRemove`), listed
 * newest first. The rules (which periods take them, who may approve) are the server's; its
 * refusal shows in the dialog, at the field it names.
 */
const CORRECTIONS = `query PeriodCorrections($id: ID!) {
  period(id: $id) {
    id label status
    planVersion { document }
    adjustments(first: 100) { edges { node { id amount reason approvedBy createdBy createdAt partner { id displayName } } } }
    rankOverrides(first: 100) { edges { node { id reason approvedBy createdBy createdAt rank { code name } partner { id displayName } } } }
  }
}`;
const ADJUST = `mutation AdjustmentCreate($input: AdjustmentCreateInput!) { adjustmentCreate(input: $input) { errors { field code message } adjustment { id } } }`;
const OVERRIDE = `mutation RankOverrideSet($input: RankOverrideSetInput!) { rankOverrideSet(input: $input) { errors { field code message } rankOverride { id } } }`;
const UNOVERRIDE = `mutation RankOverrideRemove($id: ID!, $reason: String!) { rankOverrideRemove(id: $id, reason: $reason) { errors { field code message } removed } }`;

interface Correction {
  id: string;
  reason: string;
  approvedBy: string;
  createdBy: string;
  createdAt: string;
  partner: { id: string; displayName: string };
}
interface CorrectionsAnswer {
  period: {
    id: string;
    label: string;
    status: string;
    planVersion: { document: { currency?: string; ranks?: Array<{ code: string; name?: string }> } } | null;
    adjustments: { edges: Array<{ node: Correction & { amount: string } }> } | null;
    rankOverrides: { edges: Array<{ node: Correction & { rank: { code: string; name: string } } }> } | null;
  } | null;
}

type Open = { kind: "adjust" } | { kind: "override" } | { kind: "unoverride"; id: string; name: string } | null;

export function PeriodCorrections({ periodId }: { periodId: string }) {
  const { t, format, client, host } = useApp();
  const { data, error, loading, reload } = useQuery<CorrectionsAnswer>(CORRECTIONS, { id: periodId });
  const [open, setOpen] = useState<Open>(null);
  const period = data?.period;
  const currency = period?.planVersion?.document.currency ?? "EUR";
  const ranks = (period?.planVersion?.document.ranks ?? []).map((rank) => ({ value: rank.code, label: rank.name ? `${rank.name} (${rank.code})` : rank.code }));
  const done = (message: string) => {
    setOpen(null);
    host.notify("success", message);
    reload();
  };
  const errorsOf = async <K extends string>(query: string, variables: Record<string, unknown>, key: K) =>
    ((await client.request<Record<K, { errors: MlmError[] }>>(query, variables))[key]).errors;
  const who = (row: Correction) => t("corrections.by", { who: row.createdBy, approver: row.approvedBy, date: format.dateTime(row.createdAt) });

  return (
    <>
      <Section
        title={t("corrections.adjustments")}
        testId="period-adjustments"
        actions={
          <Button size="small" variant="secondary" onClick={() => setOpen({ kind: "adjust" })} data-testid="adjustment-add" disabled={!period}>
            {t("corrections.addAdjustment")}
          </Button>
        }
      >
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {loading && !data && <Loading rows={2} />}
        {period?.adjustments && (
          <DataTable
            testId="adjustments-table"
            rows={period.adjustments.edges.map((edge) => edge.node)}
            rowKey={(row) => row.id}
            columns={[
              { key: "partner", header: t("periods.col.partner"), render: (row) => <Text size={2}>{row.partner.displayName}</Text> },
              { key: "amount", header: t("statement.col.amount"), align: "right", render: (row) => <Money value={row.amount} currency={currency} /> },
              { key: "reason", header: t("common.reason"), render: (row) => <Text size={2}>{row.reason}</Text> },
              { key: "who", header: t("corrections.approval"), render: (row) => <Text size={2}>{who(row)}</Text> },
            ]}
            empty={<Text size={2} color="default2">{t("corrections.noAdjustments")}</Text>}
          />
        )}
      </Section>
      <Section
        title={t("corrections.overrides")}
        testId="period-overrides"
        actions={
          <Button size="small" variant="secondary" onClick={() => setOpen({ kind: "override" })} data-testid="override-add" disabled={!period}>
            {t("corrections.setOverride")}
          </Button>
        }
      >
        {period?.rankOverrides && (
          <DataTable
            testId="overrides-table"
            rows={period.rankOverrides.edges.map((edge) => edge.node)}
            rowKey={(row) => row.id}
            columns={[
              { key: "partner", header: t("periods.col.partner"), render: (row) => <Text size={2}>{row.partner.displayName}</Text> },
              { key: "rank", header: t("corrections.rank"), render: (row) => <Text size={2}>{row.rank.name}</Text> },
              { key: "reason", header: t("common.reason"), render: (row) => <Text size={2}>{row.reason}</Text> },
              { key: "who", header: t("corrections.approval"), render: (row) => <Text size={2}>{who(row)}</Text> },
              {
                key: "remove",
                header: "",
                align: "right",
                render: (row) => (
                  <Button size="small" variant="tertiary" onClick={() => setOpen({ kind: "unoverride", id: row.id, name: row.partner.displayName })} data-testid="override-remove">
                    {t("common.remove")}
                  </Button>
                ),
              },
            ]}
            empty={<Text size={2} color="default2">{t("corrections.noOverrides")}</Text>}
          />
        )}
      </Section>
      {period && open?.kind === "adjust" && (
        <FormDialog
          title={t("corrections.addAdjustmentTitle", { period: period.label })}
          testId="adjustment-dialog"
          intro={t("corrections.adjustmentIntro", { currency })}
          confirmLabel={t("corrections.addAdjustment")}
          fields={[
            { name: "partnerId", label: t("periods.col.partner"), kind: "partner", required: true },
            { name: "amount", label: t("corrections.amount", { currency }), required: true, inputMode: "decimal", help: t("corrections.amountHelp") },
            { name: "reason", label: t("common.reason"), kind: "textarea", required: true },
            { name: "approvedBy", label: t("corrections.approvedBy"), required: true, help: t("corrections.approvedByHelp") },
          ]}
          submit={(values) => errorsOf(ADJUST, { input: { ...values, periodId: period.id } }, "adjustmentCreate")}
          onClose={() => setOpen(null)}
          onDone={() => done(t("corrections.adjusted", { period: period.label }))}
        />
      )}
      {period && open?.kind === "override" && (
        <FormDialog
          title={t("corrections.setOverrideTitle", { period: period.label })}
          testId="override-dialog"
          intro={t("corrections.overrideIntro")}
          confirmLabel={t("corrections.setOverride")}
          fields={[
            { name: "partnerId", label: t("periods.col.partner"), kind: "partner", required: true },
            { name: "rank", label: t("corrections.rank"), kind: "select", options: ranks, required: true },
            { name: "reason", label: t("common.reason"), kind: "textarea", required: true },
            { name: "approvedBy", label: t("corrections.approvedBy"), required: true, help: t("corrections.approvedByHelp") },
          ]}
          submit={(values) => errorsOf(OVERRIDE, { input: { ...values, periodId: period.id } }, "rankOverrideSet")}
          onClose={() => setOpen(null)}
          onDone={() => done(t("corrections.overridden", { period: period.label }))}
        />
      )}
      {period && open?.kind === "unoverride" && (
        <FormDialog
          title={t("corrections.removeOverrideTitle", { name: open.name })}
          testId="unoverride-dialog"
          confirmLabel={t("common.remove")}
          fields={[{ name: "reason", label: t("common.reason"), kind: "textarea", required: true, help: t("periods.reopenReasonHelp") }]}
          submit={(values) => errorsOf(UNOVERRIDE, { id: open.id, reason: values.reason }, "rankOverrideRemove")}
          onClose={() => setOpen(null)}
          onDone={() => done(t("corrections.overrideRemoved", { name: open.name }))}
        />
      )}
    </>
  );
}
