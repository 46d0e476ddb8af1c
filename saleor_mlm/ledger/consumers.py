"""How the ledger hears of order events: an order event consumer of the orders domain.

`orders.actions.record_order_event` calls its registered consumers for each newly
recorded `OrderEvent`, inside the transaction that records it, with the order's row
locked. The ledger credits right there: the event and its ledger entries (or its parked
reason) commit together or not at all. If crediting raises (a bug, never a business
case: those are parked), the delivery is stored FAILED and is replayed by
`saleor-mlm reprocess-webhooks --failed`; nothing half-credited remains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saleor_mlm.orders.models import OrderEvent

from .actions import credit_order_event

if TYPE_CHECKING:
    from saleor_mlm.webhooks.payloads import OrderEventPayload


def credit_recorded_order_event(event: OrderEvent, payload: OrderEventPayload | None = None) -> None:
    credit_order_event(event)


def register() -> None:
    from saleor_mlm.orders.actions import order_event_consumers

    from .batch import credit_new_payments

    order_event_consumers.register(credit_recorded_order_event, batch=credit_new_payments)
