"""What a verified Saleor delivery does: the paid-order path, in one table.

    event                  use case               what it writes
    ORDER_FULLY_PAID       record_order_events    the order and its event, once (orders);
    ORDER_REFUNDED                                for a new event, in the same transaction,
    ORDER_FULLY_REFUNDED                          its credit (ledger.crediting)
    ORDER_CANCELLED
    CUSTOMER_CREATED       record_customers       the customer as Saleor has it (on the
    CUSTOMER_UPDATED                              delivery's result), created, linked or
                                                  updated (ledger.customer_events)

`processing.process_claimed` calls the use cases: for one delivery and for a batch the same
way, each use case once per round with all its deliveries of the round, in the order of
this table (orders before customers within a round). A use case answers, per delivery,
what it did (`Outcome.result`, by step name, kept on `WebhookDelivery.result`) and whether
that was nothing new (`Outcome.duplicate`: the delivery is stored SKIPPED).

Rounds (`core.rounds`): a delivery reads its order and its person (Saleor user id, e-mail:
`network.person_keys`); an order event writes its order, a customer event writes its
person. So a second delivery of an order, or a person's delivery after that person's
customer event, waits for the next round: a refund is recorded after the payment it takes
back from, and a registration attaches its customer before the person's next order is
attributed, as when each delivery is processed alone. Orders of one person within a round
are the ledger's to order (`ledger.crediting`: a payment that creates or attaches the
customer holds back the person's later orders).

Where this module sits. It is the one place where a Saleor event meets the domains that
act on it, so it imports the orders and the ledger and sits above the ledger in the layers
(engine, installations, the Saleor boundary, network, orders, ledger, periods, ...; see
docs/architecture.md). The webhook intake (`views`, `actions`: store, verify, queue; with
`verification`, `payloads`, `models`) stays below it: it must store and verify deliveries
whatever the domains do, and it reaches processing only through the task queue
(`actions.enqueue`), never by importing this module. Processing (`processing`, `batch`,
`tasks`, `sweep`) imports this table and nothing else about the domains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from saleor_mlm.ledger.crediting import credit_new_order_events, volume_settings_for
from saleor_mlm.ledger.customer_events import record_saleor_customer
from saleor_mlm.network import person_keys
from saleor_mlm.orders import actions as orders
from saleor_mlm.saleor.events import ALL_EVENTS, WebhookEvent
from saleor_mlm.saleor.payloads import CustomerEventPayload, OrderEventPayload, Payload

if TYPE_CHECKING:
    from saleor_mlm.installations.models import Installation

    from .models import WebhookDelivery

# Step names: the keys of `WebhookDelivery.result` (kept from the first version of the
# pipeline, so stored results read the same).
RECORD_ORDER_STEP = "orders.record_order_event"
RECORD_CUSTOMER_STEP = "webhooks.record_customer"
ATTRIBUTE_CUSTOMER_STEP = "ledger.attribute_customer"


@dataclass(frozen=True)
class Item:
    """A claimed delivery and its parsed payload."""

    delivery: WebhookDelivery
    payload: Payload


@dataclass(frozen=True)
class Outcome:
    result: dict[str, Any] = field(default_factory=dict)  # by step name, JSON
    duplicate: bool = False  # nothing new: the delivery repeated what was recorded


UseCase = Callable[["Installation", list[Item]], dict[int, Outcome]]


# ------------------------------------------------------------------ orders


def record_order_events(installation: Installation, items: list[Item]) -> dict[int, Outcome]:
    """Record each order event once; credit the new ones in the same transaction."""
    recorded = orders.record_order_events(
        installation,
        [(item.payload, orders.KIND_BY_WEBHOOK_EVENT[item.payload.event], item.delivery.pk) for item in items],
        on_new=credit_new_order_events,
    )
    return {
        item.delivery.pk: Outcome(
            result={RECORD_ORDER_STEP: {"order_record": event.order_id, "order_event": event.pk, "kind": event.kind, "created": created}},
            duplicate=not created,
        )
        for item, (event, created) in zip(items, recorded, strict=True)
    }


# ------------------------------------------------------------------ customers


def record_customers(installation: Installation, items: list[Item]) -> dict[int, Outcome]:
    """Keep the customer as Saleor reports it, and create, link or update its record."""
    referral_key = volume_settings_for(installation.pk).referral_metadata_key
    outcomes = {}
    for item in items:
        payload = item.payload
        attributed = record_saleor_customer(
            installation, payload.user, referral_key=referral_key, origin=f"{payload.event.upper()}, delivery #{item.delivery.pk}"
        )
        # Always PROCESSED: even an unchanged customer is an answer worth keeping.
        outcomes[item.delivery.pk] = Outcome(
            result={RECORD_CUSTOMER_STEP: {"customer": payload.user.as_json()}, ATTRIBUTE_CUSTOMER_STEP: attributed.as_json()}
        )
    return outcomes


# ------------------------------------------------------------------ the table


USE_CASES: dict[str, UseCase] = {
    WebhookEvent.ORDER_FULLY_PAID: record_order_events,
    WebhookEvent.ORDER_REFUNDED: record_order_events,
    WebhookEvent.ORDER_FULLY_REFUNDED: record_order_events,
    WebhookEvent.ORDER_CANCELLED: record_order_events,
    WebhookEvent.CUSTOMER_CREATED: record_customers,
    WebhookEvent.CUSTOMER_UPDATED: record_customers,
}
# Saleor sends only the events the manifest subscribes to, and each has its use case.
if set(USE_CASES) != set(ALL_EVENTS):
    raise RuntimeError("every subscribed webhook event needs its use case, and only those")


def use_case_for(event: str) -> UseCase:
    try:
        return USE_CASES[event]
    except KeyError:
        raise ValueError(f"{event!r} is not a subscribed webhook event ({', '.join(ALL_EVENTS)})") from None


# ------------------------------------------------------------------ rounds


def reads(item: Item) -> set[str]:
    """What the delivery depends on: its order, and its person (`core.rounds`)."""
    payload = item.payload
    if isinstance(payload, OrderEventPayload):
        user_id, email = orders.order_buyer(payload.order)
        keys = {f"order:{payload.order.id}"} | person_keys(user_id.strip(), email.strip())
    else:
        assert isinstance(payload, CustomerEventPayload)
        keys = person_keys(payload.user.id.strip(), payload.user.email.strip())
    return {f"{item.delivery.installation_id}:{key}" for key in keys}


def writes(item: Item) -> set[str]:
    """An order event writes its order (the person's customer record is the ledger's to
    order, see the module docstring); a customer event writes its person."""
    if isinstance(item.payload, OrderEventPayload):
        return {f"{item.delivery.installation_id}:order:{item.payload.order.id}"}
    return reads(item)
