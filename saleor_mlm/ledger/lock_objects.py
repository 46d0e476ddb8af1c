"""The one way to lock what crediting an order event changes.

Every order event of an order is credited under a row lock on its `OrderRecord`, taken
first: events of one order are serialized (a refund never interleaves with the payment it
takes back from), events of different orders run in parallel. The `OrderEvent` row is
locked second, always in this order, so two workers never deadlock on them.
"""

from saleor_mlm.orders.models import OrderEvent, OrderRecord


def lock_order(order_id: int) -> OrderRecord:
    return OrderRecord.objects.select_for_update().get(pk=order_id)


def lock_order_event(order_event_id: int) -> OrderEvent:
    return OrderEvent.objects.select_for_update().get(pk=order_event_id)
