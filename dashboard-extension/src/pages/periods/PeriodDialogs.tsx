import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { FormDialog } from "../../components/FormDialog";

/**
 * Commit (final: balances ready for payout, career ranks frozen) and reopen (with a reason for
 * the audit log) of a settled period: `periodCommit`, `periodReopen`, each a FormDialog. The
 * server's refusal shows in the dialog, the reason's at its field.
 */
const COMMIT = `mutation PeriodCommit($id: ID!) { periodCommit(id: $id) { errors { field code message } period { id status } } }`;
const REOPEN = `mutation PeriodReopen($id: ID!, $reason: String!) { periodReopen(id: $id, reason: $reason) { errors { field code message } period { id status } } }`;

export interface SettledPeriod {
  id: string;
  label: string;
}

interface Props {
  period: SettledPeriod;
  onClose(): void;
  onDone(): void;
}

export function CommitDialog({ period, onClose, onDone }: Props) {
  const { t, client, host } = useApp();
  return (
    <FormDialog
      title={t("periods.commitTitle", { period: period.label })}
      testId="period-commit-dialog"
      intro={t("periods.commitText", { period: period.label })}
      confirmLabel={t("periods.commit")}
      fields={[]}
      submit={async () => (await client.request<{ periodCommit: { errors: MlmError[] } }>(COMMIT, { id: period.id })).periodCommit.errors}
      onClose={onClose}
      onDone={() => {
        host.notify("success", t("periods.committed", { period: period.label }));
        onDone();
      }}
    />
  );
}

export function ReopenDialog({ period, onClose, onDone }: Props) {
  const { t, client, host } = useApp();
  return (
    <FormDialog
      title={t("periods.reopenTitle", { period: period.label })}
      testId="period-reopen-dialog"
      intro={t("periods.reopenText", { period: period.label })}
      confirmLabel={t("periods.reopen")}
      fields={[{ name: "reason", label: t("common.reason"), kind: "textarea", required: true, requiredText: t("partners.reasonRequired"), help: t("periods.reopenReasonHelp") }]}
      submit={async (values) =>
        (await client.request<{ periodReopen: { errors: MlmError[] } }>(REOPEN, { id: period.id, reason: values.reason })).periodReopen.errors
      }
      onClose={onClose}
      onDone={() => {
        host.notify("success", t("periods.reopened", { period: period.label }));
        onDone();
      }}
    />
  );
}
