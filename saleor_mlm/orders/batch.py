"""Recording many new paid orders at once (batched webhook processing).

`record_new_paid_orders(installation, items)` does for a batch of ORDER_FULLY_PAID
deliveries what `actions.record_order_event` does for one, with a handful of queries for
the whole batch instead of a dozen per order: insert the orders, lock their rows, create
their PAID events, and call the order event consumers (their batch form where they have
one).

It takes only the plain case: an order seen for the first time. A delivery of an order
that has events already (a repeated payment, a refund that came first), a second
delivery of the same order in the batch, or an order row that exists with another state
is left out of the result; the caller processes those one by one through
`record_order_event`, which knows every other case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saleor_mlm.core.bulk import insert_rows

from . import OrderEventKind
from .actions import KIND_BY_WEBHOOK_EVENT, order_event_consumers, order_event_dedupe_key, order_record_fields
from .models import OrderEvent, OrderRecord

if TYPE_CHECKING:
    from saleor_mlm.installations.models import Installation
    from saleor_mlm.webhooks.models import WebhookDelivery
    from saleor_mlm.webhooks.payloads import OrderEventPayload

def record_new_paid_orders(
    installation: Installation, items: list[tuple[WebhookDelivery, OrderEventPayload]]
) -> dict[int, OrderEvent]:
    """Record the new paid orders among `items`; return {delivery id: its new event}.

    Call it inside a transaction: the order rows stay locked until it ends, and the
    consumers' writes commit with the events or not at all."""
    first: dict[str, tuple[WebhookDelivery, OrderEventPayload]] = {}
    for delivery, payload in items:
        if KIND_BY_WEBHOOK_EVENT.get(payload.event) == OrderEventKind.PAID:
            first.setdefault(payload.order.id, (delivery, payload))
    if not first:
        return {}
    order_ids = sorted(first)
    fields = {order_id: order_record_fields(first[order_id][1].order) for order_id in order_ids}
    # Inserted in a fixed order, so two batches that share orders wait for each other
    # instead of deadlocking on the unique index.
    insert_rows(
        OrderRecord,
        [OrderRecord(installation=installation, saleor_order_id=order_id, **fields[order_id]) for order_id in order_ids],
        ignore_conflicts=True,
    )
    records = {
        record.saleor_order_id: record
        for record in OrderRecord.objects.select_for_update()
        .filter(installation=installation, saleor_order_id__in=order_ids)
        .order_by("id")
    }
    with_events = set(
        OrderEvent.objects.filter(order_id__in=[record.pk for record in records.values()])
        .values_list("order_id", flat=True)
        .distinct()
    )
    events = []
    for order_id in order_ids:
        record = records[order_id]
        if record.pk in with_events:
            continue
        # A row that holds another state than this payload existed before: the one-by-one
        # path decides whether the payload is newer.
        if any(getattr(record, name) != value for name, value in fields[order_id].items()):
            continue
        delivery, payload = first[order_id]
        events.append(
            OrderEvent(
                installation=installation,
                order=record,
                kind=OrderEventKind.PAID,
                dedupe_key=order_event_dedupe_key(OrderEventKind.PAID, payload.order),
                delivery=delivery,
                total_refunded=payload.order.total_refunded.amount,
                issued_at=payload.issued_at,
            )
        )
    if not events:
        return {}
    insert_rows(OrderEvent, events)
    order_event_consumers.consume_many([(event, first[event.order.saleor_order_id][1]) for event in events])
    return {event.delivery_id: event for event in events}
