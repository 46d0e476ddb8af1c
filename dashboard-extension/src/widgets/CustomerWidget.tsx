import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../app/context";
import { WidgetFrame } from "./WidgetFrame";
import { routePath } from "../app/router";
import { useQuery } from "../app/useQuery";
import { CareForm } from "../components/CareForm";
import { ErrorMessage, Loading, MissingApi } from "../components/Feedback";

/** The Dashboard's customer page passes Saleor's user id; the API finds the network's person by it. */
export const CUSTOMER_WIDGET_FIELDS = ["Query.partner(saleorUserId)", "Query.customer(saleorUserId)"];

const LOOKUP = `query CustomerWidget($saleorUserId: String!) {
  partner(saleorUserId: $saleorUserId) {
    id displayName referralCode status
    sponsor { id displayName }
    care { effectiveShare carePartner { id displayName } }
  }
  customer(saleorUserId: $saleorUserId) {
    id displayName
    sponsor { id displayName }
    care { effectiveShare carePartner { id displayName } }
  }
}`;

type Person = {
  id: string;
  displayName: string;
  sponsor: { id: string; displayName: string } | null;
  care: { effectiveShare: string; carePartner: { id: string; displayName: string } | null } | null;
};

function Row({ label, value }: { label: string; value: string }) {
  return (
    <Box display="flex" justifyContent="space-between" gap={3}>
      <Text size={2} color="default2">
        {label}
      </Text>
      <Text size={2} textAlign="right">
        {value}
      </Text>
    </Box>
  );
}

export function CustomerWidget() {
  const { t, format, capabilities, host } = useApp();
  const saleorUserId = new URLSearchParams(window.location.search).get("customerId") || "";
  const missing = capabilities.missing(CUSTOMER_WIDGET_FIELDS);
  const { data, error, loading, reload } = useQuery<{ partner: Person | null; customer: Person | null }>(
    LOOKUP,
    { saleorUserId },
    missing.length > 0 || !saleorUserId,
  );
  const [assigning, setAssigning] = useState(false);
  const person = data?.partner ?? data?.customer ?? null;
  const isPartner = Boolean(data?.partner);

  return (
    <WidgetFrame testId="customer-widget">
      {missing.length > 0 && <MissingApi fields={missing} />}
      {error && <ErrorMessage error={error} onRetry={reload} />}
      {loading && <Loading />}
      {data && !person && <Text size={2} color="default2">{t("widget.customer.unknown")}</Text>}
      {person && (
        <>
          <Text size={4} fontWeight="bold">
            {isPartner ? t("widget.customer.partner") : t("widget.customer.customer")}: {person.displayName}
          </Text>
          <Row label={t("widget.customer.sponsor")} value={person.sponsor?.displayName ?? t("common.none")} />
          <Row
            label={t("widget.customer.care")}
            value={person.care?.carePartner ? `${person.care.carePartner.displayName} (${format.percent(person.care.effectiveShare)})` : t("common.none")}
          />
          {assigning ? (
            <CareForm
              target={isPartner ? { partnerId: person.id } : { customerId: person.id }}
              targetName={person.displayName}
              onCancel={() => setAssigning(false)}
              onDone={() => {
                setAssigning(false);
                reload();
              }}
            />
          ) : (
            <Box display="flex" gap={2}>
              <Button size="small" variant="secondary" onClick={() => setAssigning(true)} data-testid="widget-assign">
                {t("widget.customer.assign")}
              </Button>
              {isPartner && (
                <Button size="small" variant="tertiary" onClick={() => host.openAppPage(routePath({ name: "partner", id: person.id }))}>
                  {t("widget.customer.open")}
                </Button>
              )}
            </Box>
          )}
        </>
      )}
    </WidgetFrame>
  );
}
