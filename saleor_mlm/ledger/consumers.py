"""How the ledger hears of order events: a consumer of the orders domain.

`orders.actions.record_order_event` calls the registered order event consumers with each
newly recorded `OrderEvent`, inside the webhook processing transaction. The ledger does
not credit inside that transaction: it queues the crediting task for after commit, so
that the event exists for the task's own transaction, and a problem in crediting never
fails (and replays) the webhook delivery. Until the task has run, the event has no
`credited_at`; `tasks.credit_uncredited_order_events_task` sweeps up any that never ran.
"""

from __future__ import annotations

from django.db import transaction

from saleor_mlm.orders.models import OrderEvent


def credit_order_event_after_commit(order_event: OrderEvent) -> None:
    from .tasks import credit_order_event_task

    event_id = order_event.pk
    transaction.on_commit(lambda: credit_order_event_task.delay(event_id))


def register() -> None:
    try:
        from saleor_mlm.orders.consumers import register_order_event_consumer
    except ImportError:  # the orders domain has no consumer registry (yet)
        return
    register_order_event_consumer(credit_order_event_after_commit, name="ledger.credit_order_event")
