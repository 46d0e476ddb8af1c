import { Box, Text } from "@saleor/macaw-ui";

import { useApp } from "../app/context";
import type { MessageKey, Translate } from "../app/i18n";
import { useQuery } from "../app/useQuery";
import { ErrorMessage, Loading, MissingApi } from "../components/Feedback";
import { WidgetFrame } from "./WidgetFrame";

/** Who was credited with what for an order: the ledger's attribution, from the API. */
export const ORDER_WIDGET_FIELDS = ["Query.orderAttribution"];

export const ORDER_ATTRIBUTION = `query OrderWidget($orderId: ID!) {
  orderAttribution(orderId: $orderId) {
    orderId number credited rule ruleName period
    partner { id displayName referralCode }
    customer {
      id displayName
      sponsor { id displayName }
      care { effectiveShare carePartner { id displayName } }
    }
    viaPartner { id displayName }
    lines { lineId sku quantity pv bv }
    pv bv
    ledger { kind entries pv bv }
    netPv netBv
    parked { eventKind reason message }
  }
}`;

type Named = { id: string; displayName: string | null } | null;
export interface OrderAttribution {
  orderId: string;
  number: string | null;
  credited: boolean;
  rule: string | null;
  ruleName: string | null;
  period: string | null;
  partner: (Named & { referralCode?: string | null }) | null;
  customer: { id: string; displayName: string | null; sponsor: Named; care: { effectiveShare: string; carePartner: Named } | null } | null;
  viaPartner: Named;
  lines: Array<{ lineId: string; sku: string | null; quantity: number | null; pv: string; bv: string }>;
  pv: string | null;
  bv: string | null;
  ledger: Array<{ kind: string; entries: number; pv: string; bv: string }>;
  netPv: string;
  netBv: string;
  parked: Array<{ eventKind: string; reason: string; message: string }>;
}

/** The attribution rules (AttributionRuleEnum); each has its text in de/en. */
export const ATTRIBUTION_RULES = ["PARTNER_USER", "PARTNER_EMAIL", "KNOWN_CUSTOMER", "VOUCHER", "REFERRAL_METADATA", "CUSTOMER_METADATA", "HOUSE"];

/** The rule in the user's language by its code; the API's English name for a rule added later. */
function ruleText(order: OrderAttribution, t: Translate): string {
  const code = (order.rule ?? "").toUpperCase();
  if (ATTRIBUTION_RULES.includes(code)) return t(`widget.order.rules.${code}` as MessageKey);
  return order.ruleName ?? order.rule ?? "";
}

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Box display="flex" justifyContent="space-between" gap={3} data-testid={testId}>
      <Text size={2} color="default2">
        {label}
      </Text>
      <Text size={2} textAlign="right">
        {value}
      </Text>
    </Box>
  );
}

export function OrderWidget() {
  const { t, format, capabilities } = useApp();
  const orderId = new URLSearchParams(window.location.search).get("orderId") || "";
  const missing = capabilities.missing(ORDER_WIDGET_FIELDS);
  const query = useQuery<{ orderAttribution: OrderAttribution | null }>(ORDER_ATTRIBUTION, { orderId }, missing.length > 0 || !orderId);
  const order = query.data?.orderAttribution ?? null;
  const volume = (pv: string | null, bv: string | null) => `PV ${format.volume(pv)} · BV ${format.volume(bv)}`;
  const takenBack = order?.ledger.filter((entry) => entry.kind === "REFUND" || entry.kind === "CANCELLATION") ?? [];
  const name = (node: Named) => node?.displayName ?? t("common.none");

  return (
    <WidgetFrame testId="order-widget">
      <Text size={4} fontWeight="bold">
        {t("widget.order.title")}
      </Text>
      {missing.length > 0 && <MissingApi fields={missing} />}
      {query.error && <ErrorMessage error={query.error} onRetry={query.reload} />}
      {query.loading && <Loading />}
      {query.data && !order && (
        <Text size={2} color="default2">
          {t("widget.order.unknown")}
        </Text>
      )}
      {order && (
        <>
          {order.number && <Row label={t("widget.order.number")} value={`#${order.number}`} />}
          {order.partner && <Row label={t("widget.customer.partner")} value={name(order.partner)} testId="order-credited" />}
          {order.customer && (
            <>
              <Row label={t("widget.customer.customer")} value={name(order.customer)} testId="order-credited" />
              <Row label={t("widget.customer.sponsor")} value={name(order.customer.sponsor)} />
              <Row
                label={t("widget.customer.care")}
                value={
                  order.customer.care?.carePartner
                    ? `${name(order.customer.care.carePartner)} (${format.percent(order.customer.care.effectiveShare)})`
                    : t("common.none")
                }
              />
            </>
          )}
          {order.credited ? (
            <>
              <Row label={t("widget.order.rule")} value={ruleText(order, t)} testId="order-rule" />
              {order.period && <Row label={t("widget.order.period")} value={order.period} />}
              {order.lines.map((line) => (
                <Row key={line.lineId} label={`${line.sku ?? line.lineId} × ${line.quantity ?? ""}`} value={volume(line.pv, line.bv)} />
              ))}
              <Row label={t("widget.order.total")} value={volume(order.pv, order.bv)} testId="order-total" />
              {takenBack.map((entry) => (
                <Row key={entry.kind} label={t(`widget.order.kind.${entry.kind}` as MessageKey)} value={volume(entry.pv, entry.bv)} testId={`order-${entry.kind.toLowerCase()}`} />
              ))}
              {takenBack.length > 0 && <Row label={t("widget.order.net")} value={volume(order.netPv, order.netBv)} testId="order-net" />}
            </>
          ) : (
            <Text size={2} color="default2">
              {t("widget.order.none")}
            </Text>
          )}
          {order.parked.map((parked) => (
            <Text key={parked.eventKind + parked.reason} size={2} color="critical1" data-testid="order-parked">
              {t("widget.order.parked", { reason: t(`widget.order.park.${parked.reason}` as MessageKey) })}
            </Text>
          ))}
        </>
      )}
    </WidgetFrame>
  );
}
