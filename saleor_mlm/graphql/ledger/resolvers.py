from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, ParkedOrderEvent
from saleor_mlm.orders.models import OrderRecord

from ..network.visibility import Access, Visible


def resolve_order_attribution(info, order_id: str):
    """The order's record with its attribution, ledger entries and parked events loaded
    (four queries), seen by the merchant; None when the app never heard of the order."""
    order = orders_with_attribution(info.context.installation, [order_id]).get(order_id)
    return Visible(order, Access.MERCHANT) if order else None


def orders_with_attribution(installation, order_ids) -> dict:
    """{Saleor order id: OrderRecord} of `order_ids` known to the app, each with
    `_mlm_attribution` (None before the paid event was credited), `_mlm_entries` and
    `_mlm_parked` (unresolved) loaded: four queries for any number of orders."""
    orders = {order.pk: order for order in OrderRecord.objects.filter(installation=installation, saleor_order_id__in=list(order_ids))}
    if not orders:
        return {}
    attributions = OrderAttribution.objects.select_related("partner", "customer", "via_partner", "period").filter(order_id__in=orders)
    by_order = {attribution.order_id: attribution for attribution in attributions}
    entries: dict[int, list] = {pk: [] for pk in orders}
    # The default program's entries (docs/programs.md): the other programs count the same
    # lines again, in their own networks.
    for entry in LedgerEntry.objects.filter(order_id__in=orders, program__isnull=True).order_by("pk"):
        entries[entry.order_id].append(entry)
    parked: dict[int, list] = {pk: [] for pk in orders}
    for event in ParkedOrderEvent.objects.select_related("order_event").filter(order_id__in=orders, resolved_at__isnull=True).order_by("pk"):
        parked[event.order_id].append(event)
    for pk, order in orders.items():
        order._mlm_attribution = by_order.get(pk)
        order._mlm_entries = entries[pk]
        order._mlm_parked = parked[pk]
    return {order.saleor_order_id: order for order in orders.values()}
