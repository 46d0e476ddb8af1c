"""Recording Saleor orders and their volume-relevant events, exactly once.

`record_order_events(installation, items, on_new=...)` records what deliveries of
ORDER_FULLY_PAID, ORDER_REFUNDED, ORDER_FULLY_REFUNDED and ORDER_CANCELLED report, for one
delivery or a batch, with the same handful of queries (`record_order_event` is a batch of
one). In one transaction it

1. inserts the orders that are new (in Saleor id order) and locks the rows of the others
   (in id order): all deliveries about one order are serialized, however many arrive at
   once, and two batches that share orders wait for each other instead of deadlocking;
2. stores the payload's state on the record unless an event already recorded for the order
   is newer (Saleor retries a failed delivery minutes later: a late payload must not roll
   the order back);
3. creates each `OrderEvent` unless one with the same `dedupe_key` exists ("paid",
   "cancelled", "fully_refunded", "refunded:<totalRefunded>": Saleor can send
   ORDER_FULLY_PAID twice for one order, and retries deliveries);
4. calls `on_new` with the newly created events and their payloads, still inside that
   transaction and with the orders' rows locked, so what it writes commits together with
   the events or not at all; if it raises, the events are rolled back too.

`on_new` is how the layer above attaches what a new event causes without this domain
knowing it: the paid-order path (`webhooks.use_cases`) passes the ledger's crediting. It
must not call Saleor or other slow services (queue a task with `transaction.on_commit`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Max

from saleor_mlm.core.bulk import insert_rows

from . import OrderEventKind
from .models import OrderEvent, OrderRecord

if TYPE_CHECKING:  # the payload types live at the Saleor boundary
    from saleor_mlm.installations.models import Installation
    from saleor_mlm.saleor.payloads import Order, OrderEventPayload

logger = logging.getLogger(__name__)

# What the caller does with the events a call created: (event, payload) pairs, in the
# order of the items.
NewOrderEvents = Callable[[list[tuple[OrderEvent, "OrderEventPayload"]]], None]

KINDS = frozenset(kind for kind, _label in OrderEventKind.CHOICES)

# Which webhook event records which kind of order event.
KIND_BY_WEBHOOK_EVENT: dict[str, str] = {
    "order_fully_paid": OrderEventKind.PAID,
    "order_refunded": OrderEventKind.REFUNDED,
    "order_fully_refunded": OrderEventKind.FULLY_REFUNDED,
    "order_cancelled": OrderEventKind.CANCELLED,
}


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
    delivery_id: int | None = None,
    *,
    on_new: NewOrderEvents | None = None,
) -> tuple[OrderEvent, bool]:
    """Upsert the order and record its event once; return (event, created). A batch of
    one: see `record_order_events`."""
    return record_order_events(installation, [(order_payload, kind, delivery_id)], on_new=on_new)[0]


def record_order_events(
    installation: Installation,
    items: Sequence[tuple[OrderEventPayload, str, int | None]],
    *,
    on_new: NewOrderEvents | None = None,
) -> list[tuple[OrderEvent, bool]]:
    """Record (payload, kind, delivery id) items of distinct orders (module docstring);
    return (event, created) for each item, in order. The delivery id names the webhook
    delivery that reported the event (None when none did, as in the demo)."""
    for _payload, kind, _delivery in items:
        if kind not in KINDS:
            raise ValueError(f"unknown order event kind {kind!r}")
    order_ids = [payload.order.id for payload, _kind, _delivery in items]
    if len(set(order_ids)) != len(order_ids):
        # One state per order and call; the caller records a second event of an order after
        # the first (webhooks.use_cases does it in the next round).
        raise ValueError("record_order_events takes one event per order")
    with transaction.atomic():
        records, history = _lock_order_records(installation, [payload for payload, _kind, _delivery in items])
        keys = [order_event_dedupe_key(kind, payload.order) for payload, kind, _delivery in items]
        existing = _existing_events(records, history, items, keys)
        recorded: list[tuple[OrderEvent, bool]] = []
        new = []
        for (payload, kind, delivery_id), key in zip(items, keys, strict=True):
            record = records[payload.order.id]
            event = existing.get((record.pk, key))
            if event is None:
                named, named_amount = refunded_lines(payload.order) if kind == OrderEventKind.REFUNDED else ({}, 0)
                event = OrderEvent(
                    installation=installation,
                    order=record,
                    kind=kind,
                    dedupe_key=key,
                    delivery_id=delivery_id,
                    total_refunded=payload.order.total_refunded.amount,
                    refunded_lines=named,
                    refunded_lines_amount=named_amount,
                    issued_at=payload.issued_at,
                )
                new.append((event, payload))
            recorded.append((event, event.pk is None))
        insert_rows(OrderEvent, [event for event, _payload in new])
        if new and on_new is not None:
            on_new(new)
    if logger.isEnabledFor(logging.INFO):
        for (event, created), (payload, _kind, _delivery) in zip(recorded, items, strict=True):
            logger.info(
                "order event recorded" if created else "order event already recorded",
                extra={"order_id": payload.order.id, "kind": event.kind, "order_event": event.pk, "event_created": created},
            )
    return recorded


def _lock_order_records(
    installation: Installation, payloads: list[OrderEventPayload]
) -> tuple[dict[str, OrderRecord], dict[int, tuple[int, Any]]]:
    """Insert the orders that are new, lock every order's row, and store each payload's
    state unless the order has a newer event. Returns the records by Saleor order id and,
    per record with events, (how many, the newest issuedAt).

    INSERT .. ON CONFLICT DO NOTHING in Saleor id order, then SELECT .. FOR UPDATE of the
    rows that existed, in id order: concurrent first deliveries of one order neither fail
    nor create two rows, and all of them queue on the row (a row inserted here is this
    transaction's until it commits: the others wait for it at their INSERT)."""
    fields = {payload.order.id: order_record_fields(payload.order) for payload in payloads}
    order_ids = sorted(fields)
    new = [OrderRecord(installation=installation, saleor_order_id=order_id, **fields[order_id]) for order_id in order_ids]
    inserted = insert_rows(OrderRecord, new, ignore_conflicts=True, key="saleor_order_id")
    # The rows inserted hold the payload's state: no need to read them back (where the
    # database cannot say which were inserted, every row is read).
    records = {record.saleor_order_id: record for record in inserted or ()}
    existing = [order_id for order_id in order_ids if order_id not in records]
    if existing:
        records.update(
            (record.saleor_order_id, record)
            for record in OrderRecord.objects.select_for_update()
            .filter(installation=installation, saleor_order_id__in=existing)
            .order_by("id")
        )
    history = {
        row["order_id"]: (row["events"], row["newest"])
        for row in OrderEvent.objects.filter(order_id__in=[record.pk for record in records.values()])
        .values("order_id")
        .annotate(events=Count("id"), newest=Max("issued_at"))
        .order_by()
    }
    for payload in payloads:
        record = records[payload.order.id]
        # Deliveries can arrive out of order (Saleor retries a failed one minutes later): a
        # payload older than the newest recorded event must not overwrite the newer state.
        newest = history.get(record.pk, (0, None))[1]
        if newest is not None and payload.issued_at is not None and payload.issued_at < newest:
            continue
        # Decimals compare by value (49.8800 == 49.88), so an unchanged order writes nothing.
        changed = [name for name, value in fields[payload.order.id].items() if getattr(record, name) != value]
        if changed:
            for name in changed:
                setattr(record, name, fields[payload.order.id][name])
            record.save(update_fields=[*changed, "updated_at"])
    return records, history


def _existing_events(
    records: dict[str, OrderRecord], history: dict[int, tuple[int, Any]], items, keys: list[str]
) -> dict[tuple[int, str], OrderEvent]:
    """The events already recorded under the items' dedupe keys, by (record id, key); no
    query when none of the orders has an event yet."""
    wanted = {(records[payload.order.id].pk, key) for (payload, _kind, _delivery), key in zip(items, keys, strict=True)}
    wanted = {(record_id, key) for record_id, key in wanted if record_id in history}
    if not wanted:
        return {}
    found = OrderEvent.objects.filter(
        order_id__in={record_id for record_id, _key in wanted}, dedupe_key__in={key for _record_id, key in wanted}
    )
    events = {(event.order_id, event.dedupe_key): event for event in found}
    return {pair: event for pair, event in events.items() if pair in wanted}


# Granted refunds (OrderGrantedRefundStatusEnum): done, or not yet reported either way.
GRANTED_REFUND_DONE = "SUCCESS"
GRANTED_REFUND_FAILED = "FAILURE"


def refunded_lines(order: Order) -> tuple[dict[str, int], Decimal]:
    """The order lines Saleor's refunds so far name, with their quantities, and what of
    those refunds was for the lines: the granted refunds with lines that were refunded.

    A granted refund counts when its status is SUCCESS, or, while it is still NONE or
    PENDING, when `totalRefunded` covers it after the ones before it (oldest first): Saleor
    sends ORDER_REFUNDED before it recalculates the granted refund's status
    (saleor/payment/utils.py: `order_transaction_updated`, then
    `calculate_order_granted_refund_status`). A FAILURE never counts.

    Of a counted refund with lines, what the named lines are worth (unit gross price x
    quantity, as Saleor computes a granted refund's amount) is for the lines; the rest of its
    amount (the shipping when the merchant granted it too) is not, and is with refunds that
    name no line (and refunds without a granted refund) the rest of `totalRefunded`."""
    left = order.total_refunded.amount
    unit_prices = {line.id: line.unit_price.gross.amount for line in order.lines}
    named: dict[str, int] = {}
    named_amount = Decimal(0)
    for refund in sorted(order.granted_refunds, key=lambda refund: (refund.created is None, refund.created, refund.id)):
        amount = refund.amount.amount
        if refund.status == GRANTED_REFUND_FAILED or (refund.status != GRANTED_REFUND_DONE and amount > left):
            continue
        left -= amount
        if refund.lines:
            worth = sum((unit_prices.get(line_id, Decimal(0)) * quantity for line_id, quantity in refund.lines.items()), Decimal(0))
            named_amount += min(amount, worth)
            for line_id, quantity in refund.lines.items():
                named[line_id] = named.get(line_id, 0) + quantity
    return named, named_amount


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


