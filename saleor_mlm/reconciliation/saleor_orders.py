"""Saleor's orders as the sync reads them: the query, its pages, and the order events a
page's order stands for.

The query selects each order with the webhooks' own fragment (`OrderPayload` in
`saleor/subscriptions/fragments.graphql`), so an order read here parses with the same
boundary rules (`saleor.payloads`) and is recorded with the same dedupe keys as a
delivery: a payment or refund that a webhook delivered too is recorded once, whichever
comes first. It filters on `updatedAt` (a refund of an old order updates it) with the
`filter` argument, which Saleor has had since before 3.20 (`where` came in 3.22), and
sorts by number, which does not change while the sync pages.

Which events an order stands for, as Saleor decides its webhooks (saleor/order/actions.py,
`order_refunded`, `order_charged`):

- paid: its charge status is FULL or OVERCHARGED, or what was charged and refunded since
  covers its gross total (a refund lowers `totalCharged`);
- refunded: `totalRefunded` > 0 (one event per refunded total, as ORDER_REFUNDED);
- fully refunded: `totalRefunded` >= the gross total (Saleor then sends ORDER_FULLY_REFUNDED);
- cancelled: its status is CANCELED.

Each event is dated as its webhook would be (`issuedAt`), from the order's own events:
the payment by ORDER_FULLY_PAID / ORDER_MARKED_AS_PAID (else PLACED_AUTOMATICALLY_FROM_PAID_CHECKOUT,
else the order's creation), a refund by the latest PAYMENT_REFUNDED / FULFILLMENT_REFUNDED
/ TRANSACTION_EVENT / TRANSACTION_REFUND_REQUESTED (else `updatedAt`), a cancellation by
CANCELED (else `updatedAt`). The date decides the month the ledger books it in. (A real Saleor
3.24 records a refund on an order's transaction, a granted refund refunded through the payment
app, as TRANSACTION_REFUND_REQUESTED only, written a second after the refund's webhook:
tests/reconciliation/saleor_pages/captured_refunds_*.json.)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from saleor_mlm.installations.saleor_client import SaleorClient
from saleor_mlm.orders import OrderEventKind
from saleor_mlm.saleor.events import EVENT_SPECS, with_fragments
from saleor_mlm.saleor.payloads import Order, OrderEventPayload, PayloadError, parse_order_event

# Saleor answers at most 100 nodes per page.
MAX_PAGE_SIZE = 100

ORDERS_QUERY = with_fragments(
    """
query MlmOrdersSync($first: Int!, $after: String, $updatedAt: DateTimeRangeInput) {
  orders(first: $first, after: $after, filter: {updatedAt: $updatedAt}, sortBy: {field: NUMBER, direction: ASC}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        ...OrderPayload
        updatedAt
        events { type date }
      }
    }
  }
}
"""
)

WEBHOOK_EVENT_BY_KIND = {
    OrderEventKind.PAID: "order_fully_paid",
    OrderEventKind.REFUNDED: "order_refunded",
    OrderEventKind.FULLY_REFUNDED: "order_fully_refunded",
    OrderEventKind.CANCELLED: "order_cancelled",
}
PAID_EVENT_TYPES = {"ORDER_FULLY_PAID", "ORDER_MARKED_AS_PAID"}
PLACED_PAID_EVENT_TYPES = {"PLACED_AUTOMATICALLY_FROM_PAID_CHECKOUT"}
REFUND_EVENT_TYPES = {"PAYMENT_REFUNDED", "FULFILLMENT_REFUNDED", "TRANSACTION_EVENT", "TRANSACTION_REFUND_REQUESTED"}
CANCEL_EVENT_TYPES = {"CANCELED"}
PAID_CHARGE_STATUSES = {"FULL", "OVERCHARGED"}


@dataclass(frozen=True)
class OrdersPage:
    total_count: int
    nodes: list[dict[str, Any]]
    has_next_page: bool
    end_cursor: str


def fetch_orders_page(
    client: SaleorClient, *, since: datetime.datetime, until: datetime.datetime | None, after: str, first: int
) -> OrdersPage:
    """One page of the orders updated in [since, until], after the cursor `after`."""
    window = {"gte": since.isoformat()}
    if until is not None:
        window["lte"] = until.isoformat()
    data = client.execute(ORDERS_QUERY, {"first": min(first, MAX_PAGE_SIZE), "after": after or None, "updatedAt": window})
    orders = data.get("orders")
    if not isinstance(orders, dict):
        # Null without an error: the token lacks MANAGE_ORDERS on this Saleor.
        raise PayloadError("Saleor answered no orders (does the app have MANAGE_ORDERS?)")
    page_info = orders.get("pageInfo") or {}
    return OrdersPage(
        total_count=int(orders.get("totalCount") or 0),
        nodes=[edge["node"] for edge in orders.get("edges") or () if isinstance(edge, dict) and isinstance(edge.get("node"), dict)],
        has_next_page=bool(page_info.get("hasNextPage")),
        end_cursor=page_info.get("endCursor") or "",
    )


@dataclass(frozen=True)
class SaleorOrder:
    """An order of a page, parsed, with the events it stands for, in the order Saleor
    sends their webhooks: payment, refund, full refund, cancellation."""

    order: Order
    events: list[tuple[str, OrderEventPayload]]  # (OrderEventKind, payload)

    @property
    def paid(self) -> bool:
        return any(kind == OrderEventKind.PAID for kind, _payload in self.events)


def read_order(node: dict[str, Any]) -> SaleorOrder:
    """The events `node` stands for (module docstring), each as the payload its webhook
    would carry; PayloadError when the node breaks the boundary's rules."""
    base = parse_order_event(WEBHOOK_EVENT_BY_KIND[OrderEventKind.PAID], _body(OrderEventKind.PAID, node, None)).order
    gross, refunded = base.total.gross.amount, base.total_refunded.amount
    dates = _event_dates(node)
    updated = _date(node.get("updatedAt")) or base.created
    kinds: list[tuple[str, datetime.datetime | None]] = []
    if base.charge_status in PAID_CHARGE_STATUSES or (gross > 0 and base.total_charged.amount + refunded >= gross):
        paid_at = _earliest(dates, PAID_EVENT_TYPES) or _earliest(dates, PLACED_PAID_EVENT_TYPES) or base.created
        kinds.append((OrderEventKind.PAID, paid_at))
    refund_at = _latest(dates, REFUND_EVENT_TYPES) or updated
    if refunded > Decimal(0):
        kinds.append((OrderEventKind.REFUNDED, refund_at))
        if refunded >= gross:
            kinds.append((OrderEventKind.FULLY_REFUNDED, refund_at))
    if base.status == "CANCELED":
        kinds.append((OrderEventKind.CANCELLED, _latest(dates, CANCEL_EVENT_TYPES) or updated))
    events = [(kind, parse_order_event(WEBHOOK_EVENT_BY_KIND[kind], _body(kind, node, at))) for kind, at in kinds]
    return SaleorOrder(order=base, events=events)


def _body(kind: str, node: dict[str, Any], at: datetime.datetime | None) -> dict[str, Any]:
    """The webhook body of `kind` around the order (envelope fields the sync knows)."""
    return {
        "__typename": EVENT_SPECS[WEBHOOK_EVENT_BY_KIND[kind]].graphql_type,
        "issuedAt": at.isoformat() if at else None,
        "order": node,
    }


def _event_dates(node: dict[str, Any]) -> list[tuple[str, datetime.datetime]]:
    events = node.get("events")
    if not isinstance(events, list):
        return []
    dates = []
    for event in events:
        if isinstance(event, dict) and isinstance(event.get("type"), str):
            when = _date(event.get("date"))
            if when is not None:
                dates.append((event["type"], when))
    return dates


def _date(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=datetime.UTC)


def _earliest(dates, types: set[str]) -> datetime.datetime | None:
    return min((when for kind, when in dates if kind in types), default=None)


def _latest(dates, types: set[str]) -> datetime.datetime | None:
    return max((when for kind, when in dates if kind in types), default=None)
