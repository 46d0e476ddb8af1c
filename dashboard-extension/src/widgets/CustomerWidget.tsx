import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

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

const SALEOR_USER = `query SaleorUser($id: ID!) { user(id: $id) { id email } }`;

const BY_EMAIL = `query CustomerWidgetByEmail($email: String!) {
  partners(search: $email, first: 5) { edges { node {
    id displayName email referralCode status saleorUserId
    sponsor { id displayName }
    care { effectiveShare carePartner { id displayName } }
  } } }
  customers(search: $email, first: 5) { edges { node {
    id displayName email saleorUserId
    sponsor { id displayName }
    care { effectiveShare carePartner { id displayName } }
  } } }
}`;

type Found = Person & { email: string | null; saleorUserId: string | null };
type ByEmail = { partners: { edges: Array<{ node: Found }> }; customers: { edges: Array<{ node: Found }> } };

/**
 * Without `partner(saleorUserId:)` in the API, inside the Dashboard: ask Saleor (with the
 * Dashboard's token, as app-sdk apps do) for the user's e-mail, then find the person by it.
 */
async function lookUpThroughSaleor(
  client: { request<T>(query: string, variables?: Record<string, unknown>): Promise<T> },
  saleor: { url: string; token: string },
  saleorUserId: string,
): Promise<{ partner: Person | null; customer: Person | null }> {
  const response = await fetch(saleor.url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${saleor.token}` },
    body: JSON.stringify({ query: SALEOR_USER, variables: { id: saleorUserId } }),
  });
  const body = await response.json();
  const email: string | undefined = body?.data?.user?.email;
  if (!email) return { partner: null, customer: null };
  const data = await client.request<ByEmail>(BY_EMAIL, { email });
  const same = (node: Found) => node.saleorUserId === saleorUserId || (node.email ?? "").toLowerCase() === email.toLowerCase();
  return {
    partner: data.partners.edges.map((edge) => edge.node).find(same) ?? null,
    customer: data.customers.edges.map((edge) => edge.node).find(same) ?? null,
  };
}

export function CustomerWidget() {
  const { t, format, capabilities, host, client, state } = useApp();
  const saleorUserId = new URLSearchParams(window.location.search).get("customerId") || "";
  const missing = capabilities.missing(CUSTOMER_WIDGET_FIELDS);
  const direct = missing.length === 0;
  const viaSaleor = !direct && state.mode === "dashboard" && Boolean(state.token) && Boolean(saleorUserId);
  const query = useQuery<{ partner: Person | null; customer: Person | null }>(LOOKUP, { saleorUserId }, !direct || !saleorUserId);
  const [fallback, setFallback] = useState<{ partner: Person | null; customer: Person | null } | null>(null);
  const [fallbackError, setFallbackError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!viaSaleor) return;
    let current = true;
    lookUpThroughSaleor(client, { url: state.saleorApiUrl, token: state.token! }, saleorUserId)
      .then((found) => current && setFallback(found))
      .catch((failure: Error) => current && setFallbackError(failure));
    return () => {
      current = false;
    };
  }, [viaSaleor, client, state.saleorApiUrl, state.token, saleorUserId, tick]);
  const data = direct ? query.data : fallback;
  const error = direct ? query.error : fallbackError;
  const loading = direct ? query.loading : viaSaleor && !fallback && !fallbackError;
  const reload = direct ? query.reload : () => setTick((value) => value + 1);
  const [assigning, setAssigning] = useState(false);
  const person = data?.partner ?? data?.customer ?? null;
  const isPartner = Boolean(data?.partner);

  return (
    <WidgetFrame testId="customer-widget">
      {!direct && !viaSaleor && <MissingApi fields={missing} />}
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
