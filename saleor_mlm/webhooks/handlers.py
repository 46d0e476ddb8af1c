"""What happens to a verified delivery: a registry of handlers per event.

The processing task parses the stored body into its typed payload (`payloads.py`) and calls
every handler registered for the delivery's event, in registration order, in one
transaction: if any handler raises, nothing any of them wrote is kept and the delivery is
stored as FAILED (reprocess with `saleor-mlm reprocess-webhooks --failed`).

Built in (registered below):

- order events -> `orders.actions.record_order_event`, which upserts the order, records the
  OrderEvent once and calls the order event consumers (the ledger credits there);
- customer events -> the parsed customer is recorded on the delivery (`delivery.result`).
  The ledger registers `ledger.attribute_customer` after it (`ledger/webhook_handlers.py`),
  which creates, links or updates the customer record and says which on the result.

Extension point: webhook handlers
---------------------------------
Another app adds a handler in its `webhook_handlers.py` (imported at start-up for every
installed app by `WebhooksConfig.ready`)::

    from saleor_mlm.webhooks.handlers import HandlerOutcome, webhook_handler

    @webhook_handler("customer_created", "customer_updated")
    def attach_customer(ctx):
        customer = ctx.payload.user            # a payloads.Customer
        ...                                    # ctx.installation, ctx.delivery
        return HandlerOutcome(result={"customer": customer_pk})

A handler must be idempotent: Saleor delivers an event more than once (retries, repeated
ORDER_FULLY_PAID), and every delivery is processed. Return `HandlerOutcome(duplicate=True)`
when there was nothing new to do; a delivery whose handlers all say so is stored SKIPPED.
Handlers may only be registered for the events the manifest subscribes to
(`events.WebhookEvent`), because Saleor sends no others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .events import ALL_EVENTS, CUSTOMER_EVENTS, ORDER_EVENTS
from .payloads import CustomerEventPayload, OrderEventPayload, Payload

if TYPE_CHECKING:
    from saleor_mlm.installations.models import Installation

    from .models import WebhookDelivery


@dataclass(frozen=True)
class HandlerContext:
    installation: Installation
    delivery: WebhookDelivery
    payload: Payload


@dataclass
class HandlerOutcome:
    # JSON-serializable facts about what the handler did, kept on delivery.result.
    result: dict[str, Any] = field(default_factory=dict)
    # True when the delivery repeated something already handled.
    duplicate: bool = False


Handler = Callable[[HandlerContext], "HandlerOutcome | dict[str, Any] | None"]


@dataclass(frozen=True)
class RegisteredHandler:
    name: str
    func: Handler


class HandlerRegistry:
    """Handlers per event type, in registration order."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[RegisteredHandler]] = {event: [] for event in ALL_EVENTS}

    def register(self, event: str, func: Handler, *, name: str | None = None) -> Handler:
        if event not in self._handlers:
            raise ValueError(f"{event!r} is not a subscribed webhook event ({', '.join(ALL_EVENTS)})")
        name = name or f"{func.__module__}.{func.__qualname__}"
        if all(existing.name != name for existing in self._handlers[event]):
            self._handlers[event].append(RegisteredHandler(name, func))
        return func

    def unregister(self, event: str, name: str) -> None:
        self._handlers[event] = [handler for handler in self._handlers[event] if handler.name != name]

    def handlers_for(self, event: str) -> list[RegisteredHandler]:
        return list(self._handlers.get(event, ()))

    def handles(self, event: str) -> bool:
        return event in self._handlers


registry = HandlerRegistry()


def webhook_handler(*events: str, name: str | None = None) -> Callable[[Handler], Handler]:
    """Decorator: register the function as a handler of each of `events`."""
    if not events:
        raise TypeError("webhook_handler needs at least one event")

    def decorate(func: Handler) -> Handler:
        for event in events:
            registry.register(event, func, name=name)
        return func

    return decorate


def run_handlers(ctx: HandlerContext) -> tuple[dict[str, Any], bool]:
    """Call the event's handlers; return ({handler name: result}, every handler said duplicate)."""
    results: dict[str, Any] = {}
    duplicates = []
    for handler in registry.handlers_for(ctx.delivery.event):
        outcome = handler.func(ctx)
        if not isinstance(outcome, HandlerOutcome):
            outcome = HandlerOutcome(result=dict(outcome or {}))
        results[handler.name] = outcome.result
        duplicates.append(outcome.duplicate)
    return results, bool(duplicates) and all(duplicates)


def delivery_dedupe_key(payload: Payload) -> str:
    """What makes two deliveries the same event (stored on WebhookDelivery.dedupe_key).

    Orders: the order id plus the OrderEvent's own key, so that a second ORDER_FULLY_PAID
    for the same order is a duplicate even though Saleor issued it later. Customers: the
    user id plus issuedAt, which Saleor keeps when it retries a delivery.
    """
    if isinstance(payload, OrderEventPayload):
        from saleor_mlm.orders.actions import KIND_BY_WEBHOOK_EVENT, order_event_dedupe_key

        return f"{payload.order.id}:{order_event_dedupe_key(KIND_BY_WEBHOOK_EVENT[payload.event], payload.order)}"
    issued = payload.issued_at.isoformat() if payload.issued_at else ""
    return f"{payload.subject_id}:{issued}"


# --- built-in handlers --------------------------------------------------------------------


def record_order(ctx: HandlerContext) -> HandlerOutcome:
    from saleor_mlm.orders.actions import KIND_BY_WEBHOOK_EVENT, record_order_event

    payload = ctx.payload
    assert isinstance(payload, OrderEventPayload)
    event, created = record_order_event(ctx.installation, payload, KIND_BY_WEBHOOK_EVENT[payload.event], ctx.delivery)
    return HandlerOutcome(
        result={"order_record": event.order_id, "order_event": event.pk, "kind": event.kind, "created": created},
        duplicate=not created,
    )


def record_customer(ctx: HandlerContext) -> HandlerOutcome:
    payload = ctx.payload
    assert isinstance(payload, CustomerEventPayload)
    return HandlerOutcome(result={"customer": payload.user.as_json()})


for _event in sorted(ORDER_EVENTS):
    registry.register(_event, record_order, name="orders.record_order_event")
for _event in sorted(CUSTOMER_EVENTS):
    registry.register(_event, record_customer, name="webhooks.record_customer")
