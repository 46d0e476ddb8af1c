"""The one way to lock what crediting order events changes.

Every order event is credited under a row lock on its `OrderRecord`, taken first: events of
one order are serialized (a refund never interleaves with the payment it takes back from),
events of different orders run in parallel. The `OrderEvent` rows are locked second. Many
orders are locked in one statement, in id order (as `orders.actions.record_order_events`
locks the orders it did not insert), so two transactions that share orders wait for each
other instead of deadlocking.
"""

from saleor_mlm.orders.models import OrderEvent, OrderRecord


def lock_order_events(order_event_ids: list[int]) -> list[OrderEvent]:
    """Lock the events' orders, then the events; return the events in the order of
    `order_event_ids`, each with its locked order as `event.order`. Raises
    OrderEvent.DoesNotExist for an unknown id."""
    order_ids = dict(OrderEvent.objects.filter(pk__in=order_event_ids).values_list("pk", "order_id"))
    missing = [event_id for event_id in order_event_ids if event_id not in order_ids]
    if missing:
        raise OrderEvent.DoesNotExist(f"no order event {missing[0]}")
    orders = {order.pk: order for order in OrderRecord.objects.select_for_update().filter(pk__in=set(order_ids.values())).order_by("pk")}
    events = {event.pk: event for event in OrderEvent.objects.select_for_update().filter(pk__in=order_event_ids).order_by("pk")}
    for event in events.values():
        event.order = orders[event.order_id]
    return [events[event_id] for event_id in order_event_ids]
