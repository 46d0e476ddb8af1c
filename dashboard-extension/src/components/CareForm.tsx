import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../app/context";
import type { MlmError } from "../app/graphql";
import { PartnerPicker, type PickedPartner } from "./PartnerPicker";

const CARE_ASSIGN = `mutation CareAssign($input: CareAssignInput!) {
  careAssign(input: $input) {
    errors { field code message }
    careAssignment { id effectiveShare carePartner { id displayName } }
  }
}`;

/** "25" or "12,5" (percent) as the API's share "0.25" / "0.125"; null when empty; "NaN" when invalid. */
export function percentToShare(text: string): string | null {
  const cleaned = text.trim().replace(",", ".");
  if (!cleaned) return null;
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(cleaned)) return "NaN";
  const [whole, fraction = ""] = cleaned.split(".");
  // Percent in 10^-4 is the share in 10^-6: exact, no binary floating point.
  const micro = Number(whole) * 10000 + Number((fraction + "0000").slice(0, 4));
  if (micro > 1_000_000) return "NaN";
  const digits = String(micro % 1_000_000).padStart(6, "0").replace(/0+$/, "");
  return `${Math.floor(micro / 1_000_000)}${digits ? `.${digits}` : ""}`;
}

/** Make a partner the Betreuer of a partner or a customer, with an optional share. */
export function CareForm({
  target,
  targetName,
  onDone,
  onCancel,
}: {
  target: { partnerId?: string; customerId?: string };
  targetName: string;
  onDone(): void;
  onCancel?(): void;
}) {
  const { t, client, host } = useApp();
  const [care, setCare] = useState<PickedPartner | null>(null);
  const [share, setShare] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const submit = async () => {
    const found: Record<string, string> = {};
    const shareValue = percentToShare(share);
    if (!care) found.carePartnerId = t("partner.carePartnerRequired");
    if (shareValue === "NaN") found.share = t("partner.shareInvalid");
    setErrors(found);
    if (Object.keys(found).length || !care) return;
    setSaving(true);
    try {
      const data = await client.request<{ careAssign: { errors: MlmError[] } }>(CARE_ASSIGN, {
        input: { ...target, carePartnerId: care.value, share: shareValue, reason: reason.trim() || null },
      });
      const refused = data.careAssign.errors;
      if (refused.length) {
        setErrors(Object.fromEntries(refused.map((item) => [item.field ?? "_", item.message])));
        return;
      }
      host.notify("success", t("partner.careAssigned", { care: care.label.replace(/ \(.*\)$/, ""), name: targetName }));
      onDone();
    } catch (failure) {
      setErrors({ _: (failure as Error).message });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" gap={3} data-testid="care-form">
      <PartnerPicker
        label={t("partner.carePartner")}
        value={care}
        onChange={setCare}
        error={Boolean(errors.carePartnerId)}
        helperText={errors.carePartnerId ?? t("partner.carePartnerHelp")}
        exclude={target.partnerId}
        testId="care-partner"
      />
      <Input
        size="small"
        label={`${t("common.share")} (%)`}
        value={share}
        inputMode="decimal"
        onChange={(event) => setShare(event.target.value)}
        error={Boolean(errors.share)}
        helperText={errors.share ?? t("partner.shareHelp")}
        data-testid="care-share"
      />
      <Input
        size="small"
        label={t("common.reason")}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={Boolean(errors.reason)}
        helperText={errors.reason}
      />
      {(errors._ || errors.partnerId || errors.customerId || errors.validFrom) && (
        <Text size={2} color="critical1" data-testid="care-error">
          {errors._ ?? errors.partnerId ?? errors.customerId ?? errors.validFrom}
        </Text>
      )}
      <Box display="flex" gap={2} justifyContent="flex-end">
        {onCancel && (
          <Button variant="secondary" size="small" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
        )}
        <Button variant="primary" size="small" onClick={submit} disabled={saving} data-testid="care-submit">
          {t("partner.assignCare")}
        </Button>
      </Box>
    </Box>
  );
}
