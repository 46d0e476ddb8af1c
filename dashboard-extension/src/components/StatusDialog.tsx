import { Box, Button, Modal, Text, Textarea } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../app/context";
import type { MlmError } from "../app/graphql";

const SET_STATUS = `mutation PartnerSetStatus($id: ID!, $status: PartnerStatusEnum!, $reason: String) {
  partnerSetStatus(id: $id, status: $status, reason: $reason) {
    errors { field code message }
    partner { id status statusChangedAt }
  }
}`;

export interface StatusTarget {
  id: string;
  displayName: string;
  status: string | null;
}

/** Set a partner inactive or active again, with a reason for its history. */
export function StatusDialog({
  partner,
  onClose,
  onDone,
}: {
  partner: StatusTarget;
  onClose(): void;
  onDone(): void;
}) {
  const { t, client, host } = useApp();
  const nextStatus = partner.status === "ACTIVE" ? "INACTIVE" : "ACTIVE";
  const action = nextStatus === "INACTIVE" ? t("partners.setInactive") : t("partners.setActive");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    if (!reason.trim()) {
      setError(t("partners.reasonRequired"));
      return;
    }
    setSaving(true);
    try {
      const data = await client.request<{ partnerSetStatus: { errors: MlmError[] } }>(SET_STATUS, {
        id: partner.id,
        status: nextStatus,
        reason: reason.trim(),
      });
      const errors = data.partnerSetStatus.errors;
      if (errors.length) {
        setError(errors.map((item) => item.message).join(" "));
        return;
      }
      host.notify("success", t("partners.statusChanged", { name: partner.displayName, status: t(`status.${nextStatus}`) }));
      onDone();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open onChange={(open) => !open && onClose()}>
      <Modal.Content>
        <Box
          data-testid="status-dialog"
          backgroundColor="default1"
          padding={6}
          borderRadius={4}
          boxShadow="defaultModal"
          display="flex"
          flexDirection="column"
          gap={4}
          position="fixed"
          __left="50%"
          __top="20%"
          __transform="translateX(-50%)"
          __width="min(480px, 92vw)"
        >
          <Text size={6} fontWeight="bold">
            {t("partners.statusDialog", { action, name: partner.displayName })}
          </Text>
          <Textarea
            label={t("common.reason")}
            value={reason}
            onChange={(event) => {
              setReason(event.target.value);
              setError(null);
            }}
            error={Boolean(error)}
            helperText={error ?? t("partners.reasonHelp")}
            rows={3}
            data-testid="status-reason"
          />
          <Box display="flex" justifyContent="flex-end" gap={2}>
            <Button variant="secondary" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button
              variant="primary"
              onClick={submit}
              disabled={saving}
              data-testid="status-confirm"
            >
              {action}
            </Button>
          </Box>
        </Box>
      </Modal.Content>
    </Modal>
  );
}
