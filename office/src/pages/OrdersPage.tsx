import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useState } from "react";

import { useOffice, useQuery } from "../app/context";
import { useLink } from "../app/router";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { CardItem, CardList } from "../components/List";
import type { MessageKey } from "../i18n";

export const ORDERS = `query OfficeOrders($period: String, $after: String) {
  myCreditedOrders(period: $period, first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node {
      orderId number orderedAt period rule role share sponsorShare betreuerShare currency totalGross totalRefunded
      pv netPv refunds { kind at pv }
      customer { id displayName email sponsor { displayName } care { carePartner { displayName } } }
    } }
  }
}`;

export interface OrderNode {
  orderId: string;
  number: string | null;
  orderedAt: string;
  period: string;
  rule: string;
  role: "OWN" | "SPONSOR" | "BETREUER";
  share: string;
  sponsorShare: string | null;
  betreuerShare: string | null;
  currency: string;
  totalGross: string;
  totalRefunded: string;
  pv: string;
  netPv: string;
  refunds: Array<{ kind: "REFUND" | "CANCELLATION"; at: string; pv: string }>;
  customer: {
    id: string;
    displayName: string | null;
    email: string | null;
    sponsor: { displayName: string } | null;
    care: { carePartner: { displayName: string } | null } | null;
  } | null;
}

type Answer = { myCreditedOrders: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: OrderNode }> } };

/** The months a partner can pick: this one and the eleven before (YYYY-MM, UTC like the periods). */
export function recentMonths(now = new Date(), count = 12): string[] {
  const months = [];
  for (let back = 0; back < count; back++) {
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    months.push(`${day.getUTCFullYear()}-${String(day.getUTCMonth() + 1).padStart(2, "0")}`);
  }
  return months;
}

/** The split of a customer's order: the sponsor's and the Betreuer's shares, with their names. */
function Split({ order }: { order: OrderNode }) {
  const { t, format } = useOffice();
  if (!order.customer || order.betreuerShare === null) return null;
  return (
    <Text as="span" display="block" size={2} color="default2" data-testid="order-split">
      {t("orders.split", {
        sponsor: order.customer.sponsor?.displayName ?? "—",
        sponsorShare: format.percent(order.sponsorShare),
        carer: order.customer.care?.carePartner?.displayName ?? "—",
        carerShare: format.percent(order.betreuerShare),
      })}
    </Text>
  );
}

function OrderItem({ order }: { order: OrderNode }) {
  const { t, format } = useOffice();
  const who = order.customer ? order.customer.displayName || order.customer.email || "—" : null;
  const role = t(`orders.role.${order.role}` as MessageKey, { name: who ?? "" });
  const refunded = order.refunds.length > 0;
  return (
    <CardItem
      extra={{ "data-order": order.number ?? order.orderId, "data-role": order.role }}
      title={order.number ? t("orders.number", { number: order.number }) : t("orders.noNumber")}
      detail={
        <>
          <span>{[format.date(order.orderedAt), role, t(`orders.rule.${order.rule}` as MessageKey)].join(" · ")}</span>
          <Split order={order} />
          {order.refunds.map((refund, index) => (
            <Text key={index} as="span" display="block" size={2} color="critical1" data-testid="order-refund">
              {t(refund.kind === "CANCELLATION" ? "orders.cancelled" : "orders.refunded", { date: format.date(refund.at), pv: format.volume(refund.pv) })}
            </Text>
          ))}
        </>
      }
      aside={
        <>
          <Text size={4} fontWeight="bold" data-testid="order-pv">
            {t("orders.pv", { pv: format.volume(order.netPv) })}
          </Text>
          <Text size={2} color="default2">
            {format.money(order.totalGross, order.currency)}
          </Text>
          {refunded && (
            <Text size={2} color="default2">
              {t("orders.refundedAmount", { amount: format.money(order.totalRefunded, order.currency) })}
            </Text>
          )}
          <Text size={2} color="default2" data-testid="order-share">
            {t("orders.yourShare", { share: format.percent(order.share) })}
          </Text>
        </>
      }
    />
  );
}

/** The orders credited to the partner: its own, its customers', those of customers it looks after. */
export function OrdersPage() {
  const { t, format, client } = useOffice();
  const selectId = useId();
  const newOrder = useLink({ name: "new-order" });
  const [period, setPeriod] = useState<string>("");
  const { data, error, loading, reload } = useQuery<Answer>(ORDERS, { period: period || null });
  const [more, setMore] = useState<OrderNode[]>([]);
  const [cursor, setCursor] = useState<{ hasNextPage: boolean; endCursor: string | null } | null>(null);
  useEffect(() => {
    setMore([]);
    setCursor(null);
  }, [data]);
  const orders = data?.myCreditedOrders;
  const rows = [...(orders?.edges.map((edge) => edge.node) ?? []), ...more];
  const pageInfo = cursor ?? orders?.pageInfo;
  const loadMore = async () => {
    const answer = await client.request<Answer>(ORDERS, { period: period || null, after: pageInfo?.endCursor });
    setMore((previous) => [...previous, ...answer.myCreditedOrders.edges.map((edge) => edge.node)]);
    setCursor(answer.myCreditedOrders.pageInfo);
  };

  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="orders">
      <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
        {t("orders.title")}
      </Text>
      <Text size={3} color="default2">
        {t("orders.intro")}
      </Text>
      <Box as="a" {...newOrder} color="default1" data-testid="orders-new-order">
        {t("orders.forCustomer")}
      </Box>
      <Card>
        <Box display="flex" flexDirection="column" gap={1}>
          <label htmlFor={selectId}>
            <Text size={3}>{t("orders.month")}</Text>
          </label>
          <select id={selectId} className="office-select" value={period} onChange={(event) => setPeriod(event.target.value)} data-testid="orders-month">
            <option value="">{t("orders.allMonths")}</option>
            {recentMonths().map((month) => (
              <option key={month} value={month}>
                {format.month(month)}
              </option>
            ))}
          </select>
        </Box>
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {loading && !data && <Loading />}
        {orders && (
          <Text size={3} color="default2" data-testid="orders-total" data-total={orders.totalCount}>
            {t("orders.total", { count: format.integer(orders.totalCount) })}
          </Text>
        )}
        {orders && rows.length === 0 && (
          <Text size={3} data-testid="orders-none">
            {t("orders.none")}
          </Text>
        )}
        {rows.length > 0 && (
          <CardList testId="orders-list">
            {rows.map((order) => (
              <OrderItem key={order.orderId} order={order} />
            ))}
          </CardList>
        )}
        {pageInfo?.hasNextPage && (
          <Button variant="secondary" onClick={loadMore} data-testid="orders-more">
            {t("team.more")}
          </Button>
        )}
      </Card>
    </Box>
  );
}
