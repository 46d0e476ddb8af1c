"""Orders a merchant has to look at: parked order events and orders whose referral code
no partner has. Reads only, plus the one action the second list needs.

- A *parked* event could not be credited yet (`ParkReason`); it is retried when what it
  waits for arrives (`actions.retry_parked`), and it is listed here until then.
- An order that carried a referral code nobody has (a storefront's typo, a code of a
  terminated partner) was credited to a house customer (rule 4) and keeps the code in
  `OrderAttribution.unknown_referral_code`. The merchant assigns the house customer to
  the partner meant (`assign_unknown_code_order`): nothing in the ledger moves, the
  customer's open volume counts for the partner from then on (`actions.assign_house_customer`).

Both lists are scoped to one installation; the CLI (`saleor-mlm orders parked`), the
GraphQL API (`parkedOrders`, `unknownCodeOrders`) and the dashboard read them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network.models import Partner
from saleor_mlm.orders.models import OrderRecord

from . import AttributionRule
from .actions import assign_house_customer
from .error_codes import LedgerErrorCode
from .models import OrderAttribution, ParkedOrderEvent, VolumeSettings
from .volume import metadata_dict


def parked_order_events(installation_id: int, *, reasons: Iterable[str] = (), search: str = "") -> QuerySet[ParkedOrderEvent]:
    """The installation's parked events not resolved yet, with their orders; `reasons`
    narrows to those reasons, `search` to an order number or Saleor order id."""
    parked = ParkedOrderEvent.objects.filter(installation_id=installation_id, resolved_at__isnull=True).select_related(
        "order", "order_event"
    )
    reasons = [reason for reason in reasons if reason]
    if reasons:
        parked = parked.filter(reason__in=reasons)
    search = (search or "").strip()
    if search:
        parked = parked.filter(Q(order__number=search.lstrip("#")) | Q(order__saleor_order_id=search))
    return parked


def unknown_code_orders(
    installation_id: int, *, code: str = "", house_only: bool | None = None
) -> QuerySet[OrderAttribution]:
    """Orders credited to a house customer that carried a referral code no partner had;
    `code` narrows to one code (any case), `house_only` to customers still without a
    sponsor (true) or assigned since (false)."""
    orders = (
        OrderAttribution.objects.filter(installation_id=installation_id, rule=AttributionRule.HOUSE)
        .exclude(unknown_referral_code="")
        .select_related("order", "customer", "customer__sponsor")
    )
    code = (code or "").strip()
    if code:
        orders = orders.filter(unknown_referral_code__iexact=code)
    if house_only is not None:
        orders = orders.filter(customer__sponsor__isnull=house_only)
    return orders


def referral_key(installation_id: int) -> str:
    settings = VolumeSettings.objects.filter(installation_id=installation_id).first()
    return settings.referral_metadata_key if settings else VolumeSettings._meta.get_field("referral_metadata_key").default


def carried_referral_code(order: OrderRecord, key: str) -> str:
    """The referral code an order carries in its metadata, else in its Saleor user's."""
    for metadata in (order.metadata, order.user_metadata):
        code = str(metadata_dict(metadata).get(key) or "").strip()
        if code:
            return code
    return ""


def find_order(installation_id: int, reference: str) -> OrderRecord:
    """An order by Saleor order id or by number (`#` allowed)."""
    reference = (reference or "").strip()
    order = (
        OrderRecord.objects.filter(installation_id=installation_id)
        .filter(Q(saleor_order_id=reference) | Q(number=reference.lstrip("#")))
        .order_by("pk")
        .first()
    )
    if order is None:
        raise DomainError(
            LedgerErrorCode.NOT_FOUND,
            _("No order %(reference)s in this shop.") % {"reference": reference},
            field="order",
        )
    return order


def assign_unknown_code_order(order: OrderRecord, partner: Partner, *, changed_by: str, reason: str = ""):
    """Give the house customer of an order with an unknown code the partner it was meant
    for: the one action a merchant has for it (`actions.assign_house_customer`), so the
    customer's volume of every open period counts for the partner from now on."""
    attribution = OrderAttribution.objects.select_related("customer").filter(order=order).first()
    customer = attribution.customer if attribution is not None else None
    if attribution is None or customer is None:
        raise DomainError(
            LedgerErrorCode.NOT_HOUSE_CUSTOMER,
            _("%(order)s was not credited to a customer; nothing to assign.") % {"order": order},
            field="order",
        )
    reason = reason or f"{order} carried the unknown referral code {attribution.unknown_referral_code or '-'}"
    return assign_house_customer(customer, partner, changed_by=changed_by, reason=reason)
