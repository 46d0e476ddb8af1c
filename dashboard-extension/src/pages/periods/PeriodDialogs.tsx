import { Button, Text, Textarea } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { Dialog, DialogErrors, splitErrors } from "../../components/Dialog";

/**
 * Commit (final: balances ready for payout, career ranks frozen) and reopen (with a reason for
 * the audit log) of a settled period: `periodCommit`, `periodReopen`. The server's refusal
 * shows in the dialog, the reason's at its field.
 */
const COMMIT = `mutation PeriodCommit($id: ID!) { periodCommit(id: $id) { errors { field code message } period { id status } } }`;
const REOPEN = `mutation PeriodReopen($id: ID!, $reason: String!) { periodReopen(id: $id, reason: $reason) { errors { field code message } period { id status } } }`;

export interface SettledPeriod {
  id: string;
  label: string;
}

export function CommitDialog({ period, onClose, onDone }: { period: SettledPeriod; onClose(): void; onDone(): void }) {
  const { t, client, host } = useApp();
  const [errors, setErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    setSaving(true);
    try {
      const answer = (await client.request<{ periodCommit: { errors: MlmError[] } }>(COMMIT, { id: period.id })).periodCommit;
      if (answer.errors.length) setErrors(answer.errors.map((error) => error.message));
      else {
        host.notify("success", t("periods.committed", { period: period.label }));
        onDone();
      }
    } catch (failure) {
      setErrors([(failure as Error).message]);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog
      title={t("periods.commitTitle", { period: period.label })}
      testId="period-commit-dialog"
      onClose={onClose}
      actions={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button variant="primary" onClick={submit} disabled={saving} data-testid="period-commit-confirm">
            {t("periods.commit")}
          </Button>
        </>
      }
    >
      <Text size={3}>{t("periods.commitText", { period: period.label })}</Text>
      <DialogErrors messages={errors} />
    </Dialog>
  );
}

export function ReopenDialog({ period, onClose, onDone }: { period: SettledPeriod; onClose(): void; onDone(): void }) {
  const { t, client, host } = useApp();
  const [reason, setReason] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    if (!reason.trim()) {
      setFieldError(t("partners.reasonRequired"));
      return;
    }
    setSaving(true);
    setErrors([]);
    try {
      const answer = (await client.request<{ periodReopen: { errors: MlmError[] } }>(REOPEN, { id: period.id, reason: reason.trim() })).periodReopen;
      const { byField, other } = splitErrors(answer.errors, ["reason"]);
      setFieldError(byField.reason ?? null);
      setErrors(other);
      if (!answer.errors.length) {
        host.notify("success", t("periods.reopened", { period: period.label }));
        onDone();
      }
    } catch (failure) {
      setErrors([(failure as Error).message]);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog
      title={t("periods.reopenTitle", { period: period.label })}
      testId="period-reopen-dialog"
      onClose={onClose}
      actions={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button variant="primary" onClick={submit} disabled={saving} data-testid="period-reopen-confirm">
            {t("periods.reopen")}
          </Button>
        </>
      }
    >
      <Text size={3}>{t("periods.reopenText", { period: period.label })}</Text>
      <Textarea
        label={t("common.reason")}
        value={reason}
        onChange={(event) => {
          setReason(event.target.value);
          setFieldError(null);
        }}
        error={Boolean(fieldError)}
        helperText={fieldError ?? t("periods.reopenReasonHelp")}
        rows={3}
        data-testid="period-reopen-reason"
      />
      <DialogErrors messages={errors} />
    </Dialog>
  );
}
