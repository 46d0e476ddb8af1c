from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, ParkedOrderEvent
from saleor_mlm.orders.models import OrderRecord


def resolve_order_attribution(info, order_id: str):
    """The order's record with its attribution, ledger entries and parked events loaded
    (four queries); None when the app never heard of the order."""
    installation = info.context.installation
    order = OrderRecord.objects.filter(installation=installation, saleor_order_id=order_id).first()
    if order is None:
        return None
    order._mlm_attribution = (
        OrderAttribution.objects.select_related("partner", "customer", "via_partner", "period").filter(order=order).first()
    )
    order._mlm_entries = list(LedgerEntry.objects.filter(order=order).order_by("pk"))
    order._mlm_parked = list(
        ParkedOrderEvent.objects.select_related("order_event").filter(order=order, resolved_at__isnull=True).order_by("pk")
    )
    return order
