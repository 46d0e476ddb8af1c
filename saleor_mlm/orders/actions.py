"""Recording Saleor orders and their volume-relevant events, exactly once.

`record_order_event(installation, order_payload, kind, delivery)` is called by the webhook
handlers for ORDER_FULLY_PAID, ORDER_REFUNDED, ORDER_FULLY_REFUNDED and ORDER_CANCELLED. In
one transaction it

1. upserts the `OrderRecord` (every field of the payload) and locks its row, so that all
   deliveries about one order are serialized, however many arrive at once;
2. creates the `OrderEvent` unless one with the same `dedupe_key` exists ("paid",
   "cancelled", "fully_refunded", "refunded:<totalRefunded>": Saleor can send
   ORDER_FULLY_PAID twice for one order, and retries deliveries);
3. only for a newly created event, calls every registered **order event consumer**.

Extension point: order event consumers
--------------------------------------
A consumer is `consumer(event: OrderEvent, payload: OrderEventPayload) -> None`. It runs
inside the transaction that created the event, with the order's row locked, so what it
writes commits together with the event or not at all: if it raises, the event is rolled
back too, the delivery is stored as FAILED with the traceback and
`saleor-mlm reprocess-webhooks --failed` runs it again later. A consumer is therefore called
once per event that commits. It must not call Saleor or other slow services (queue a task
with `transaction.on_commit` instead).

Register one in your app's `AppConfig.ready()`::

    from saleor_mlm.orders.actions import order_event_consumers
    order_event_consumers.register(credit_order_event)

or with the decorator in a module that is imported at start-up (the webhooks app imports
every installed app's `order_event_consumers.py` and `webhook_handlers.py`)::

    from saleor_mlm.orders.actions import order_event_consumer

    @order_event_consumer
    def credit_order_event(event, payload): ...

Consumers run in registration order; registering the same function twice is a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max

from . import OrderEventKind
from .models import OrderEvent, OrderRecord

if TYPE_CHECKING:  # the payload types live at the webhook boundary
    from saleor_mlm.installations.models import Installation
    from saleor_mlm.webhooks.models import WebhookDelivery
    from saleor_mlm.webhooks.payloads import Order, OrderEventPayload

logger = logging.getLogger(__name__)

OrderEventConsumer = Callable[[OrderEvent, "OrderEventPayload"], None]
OrderEventBatchConsumer = Callable[[list[tuple[OrderEvent, "OrderEventPayload"]]], None]

# Which webhook event records which kind of order event.
KIND_BY_WEBHOOK_EVENT: dict[str, str] = {
    "order_fully_paid": OrderEventKind.PAID,
    "order_refunded": OrderEventKind.REFUNDED,
    "order_fully_refunded": OrderEventKind.FULLY_REFUNDED,
    "order_cancelled": OrderEventKind.CANCELLED,
}


class ConsumerRegistry:
    """An ordered set of order event consumers.

    A consumer may come with a batch form, `batch(pairs)` with a list of
    (event, payload): batched webhook processing (`orders.batch`) calls it once for the
    new events of many orders, in one transaction that holds all their order rows. Its
    effect must be that of calling the consumer for each pair; without a batch form the
    consumer is called for each pair.
    """

    def __init__(self) -> None:
        self._consumers: list[OrderEventConsumer] = []
        self._batches: dict[OrderEventConsumer, OrderEventBatchConsumer] = {}

    def register(self, consumer: OrderEventConsumer, *, batch: OrderEventBatchConsumer | None = None) -> OrderEventConsumer:
        if consumer not in self._consumers:
            self._consumers.append(consumer)
        if batch is not None:
            self._batches[consumer] = batch
        return consumer

    def unregister(self, consumer: OrderEventConsumer) -> None:
        if consumer in self._consumers:
            self._consumers.remove(consumer)
        self._batches.pop(consumer, None)

    def snapshot(self) -> tuple[list[OrderEventConsumer], dict[OrderEventConsumer, OrderEventBatchConsumer]]:
        return list(self._consumers), dict(self._batches)

    def restore(self, saved: tuple[list[OrderEventConsumer], dict[OrderEventConsumer, OrderEventBatchConsumer]]) -> None:
        self._consumers, self._batches = list(saved[0]), dict(saved[1])

    def consume_many(self, pairs: list[tuple[OrderEvent, OrderEventPayload]]) -> None:
        """Every consumer, in registration order, for all the pairs."""
        for consumer in self:
            batch = self._batches.get(consumer)
            if batch is not None:
                batch(pairs)
            else:
                for event, payload in pairs:
                    consumer(event, payload)

    def __iter__(self):
        return iter(list(self._consumers))

    def __len__(self) -> int:
        return len(self._consumers)


order_event_consumers = ConsumerRegistry()


def order_event_consumer(func: OrderEventConsumer) -> OrderEventConsumer:
    """Decorator: register `func` as an order event consumer (see the module docstring)."""
    return order_event_consumers.register(func)


def order_event_dedupe_key(kind: str, order: Order) -> str:
    """What identifies one event of an order across duplicate deliveries.

    A partial refund raises totalRefunded, so each refund step has its own key; a repeated
    delivery of the same step has the same total and is a duplicate.
    """
    if kind == OrderEventKind.REFUNDED:
        return f"{kind}:{order.total_refunded.amount}"
    return kind


def record_order_event(
    installation: Installation,
    order_payload: OrderEventPayload,
    kind: str,
    delivery: WebhookDelivery | None = None,
) -> tuple[OrderEvent, bool]:
    """Upsert the order and record its event once; return (event, created)."""
    if kind not in dict(OrderEventKind.CHOICES):
        raise ValueError(f"unknown order event kind {kind!r}")
    order = order_payload.order
    with transaction.atomic():
        record = _upsert_order_record(installation, order_payload)
        event, created = OrderEvent.objects.get_or_create(
            order=record,
            dedupe_key=order_event_dedupe_key(kind, order),
            defaults={
                "installation": installation,
                "kind": kind,
                "delivery": delivery,
                "total_refunded": order.total_refunded.amount,
                "issued_at": order_payload.issued_at,
            },
        )
        if created:
            for consumer in order_event_consumers:
                consumer(event, order_payload)
    logger.info(
        "order event recorded" if created else "order event already recorded",
        extra={"order_id": order.id, "kind": kind, "order_event": event.pk, "event_created": created},
    )
    return event, created


def order_buyer(order: Order) -> tuple[str, str]:
    """(Saleor user id, e-mail) of the buyer of a parsed order; empty where unknown."""
    user = order.user
    return (user.id if user else ""), order.user_email or (user.email if user else "")


def order_record_fields(order: Order) -> dict[str, Any]:
    """The OrderRecord columns for a parsed order (its latest known state)."""
    user = order.user
    user_id, user_email = order_buyer(order)
    return {
        "number": order.number,
        "channel_slug": order.channel_slug,
        "currency": order.currency,
        "user_id": user_id,
        "user_email": user_email,
        "voucher_code": order.voucher_code,
        "language_code": order.language_code,
        "billing_country": order.billing_country,
        "status": order.status,
        "charge_status": order.charge_status,
        "metadata": order.metadata,
        "private_metadata": order.private_metadata,
        "user_metadata": user.metadata if user else {},
        "lines": [line.as_json() for line in order.lines],
        "total_net": order.total.net.amount,
        "total_gross": order.total.gross.amount,
        "total_charged": order.total_charged.amount,
        "total_refunded": order.total_refunded.amount,
        "saleor_created_at": order.created,
    }


def _upsert_order_record(installation: Installation, order_payload: OrderEventPayload) -> OrderRecord:
    """Insert the order if new, lock its row, and store the payload's state if it is current.

    INSERT .. ON CONFLICT DO NOTHING then SELECT .. FOR UPDATE: concurrent first deliveries
    of one order neither fail nor create two rows, and all of them queue on the row lock.
    """
    order = order_payload.order
    fields = order_record_fields(order)
    OrderRecord.objects.bulk_create(
        [OrderRecord(installation=installation, saleor_order_id=order.id, **fields)], ignore_conflicts=True
    )
    record = OrderRecord.objects.select_for_update().get(installation=installation, saleor_order_id=order.id)
    # Deliveries can arrive out of order (Saleor retries a failed one minutes later): a
    # payload older than the newest recorded event must not overwrite the newer state.
    newest = record.events.aggregate(newest=Max("issued_at"))["newest"]
    issued_at = order_payload.issued_at
    if newest is not None and issued_at is not None and issued_at < newest:
        return record
    # Decimals compare by value (49.8800 == 49.88), so an unchanged order writes nothing.
    changed = [name for name, value in fields.items() if getattr(record, name) != value]
    if changed:
        for name in changed:
            setattr(record, name, fields[name])
        record.save(update_fields=[*changed, "updated_at"])
    return record
